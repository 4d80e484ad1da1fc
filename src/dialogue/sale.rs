//! Sale prices: "any of these on sale?", "is it discounted?". Steam items carry a
//! `discount_price` attribute when the catalog was scraped during a sale; other catalogs
//! have no sale prices at all, and reco says so rather than guess.

use super::{route::cards, state::DialogueState};
use crate::{
    catalog::{Item, Price},
    intent::refs::CardRef,
    retrieve::Retriever,
    text::terminal_line,
};

/// Words that ask about a sale (whole words; "on sale" as a pair).
const SALE: &[&str] = &[
    "discount",
    "discounted",
    "discounts",
    "deal",
    "deals",
    "reduced",
];

/// Whether the turn asks about a sale ("on sale?", "any deals?"; not "a dealer").
#[must_use]
pub fn asks_sale(lower: &str) -> bool {
    let w: Vec<String> = crate::retrieve::lexical::words(lower).collect();
    w.iter().any(|x| SALE.contains(&x.as_str()))
        || w.windows(2).any(|p| p[0] == "on" && p[1] == "sale")
}

/// The item's sale price, when the catalog gives one below its price.
fn sale_price(it: &Item) -> Option<f64> {
    let d: f64 = it.attributes.get("discount_price")?.trim().parse().ok()?;
    let full = it.price.map(Price::amount)?;
    (d.is_finite() && d < full).then_some(d)
}

/// Whether any item of the catalog has a sale price.
fn catalog_has_sales(r: &Retriever) -> bool {
    r.items().iter().any(|it| sale_price(it).is_some())
}

/// The cards on screen that are on sale.
pub(super) fn cards_on_sale(r: &Retriever, state: &DialogueState) -> Vec<usize> {
    cards(r, state, Some(CardRef::All))
        .into_iter()
        .filter(|&i| sale_price(&r.items()[i]).is_some())
        .collect()
}

/// The answer when no card on screen is on sale.
pub(super) fn none_on_sale(r: &Retriever, shown: usize) -> String {
    if catalog_has_sales(r) {
        format!("None of the {shown} cards on screen is on sale.\n")
    } else {
        "The catalog has no sale prices.\n".to_string()
    }
}

/// "Yes: Portal is on sale at $1.99 (from $9.99)." / "No: Portal has no sale price in the
/// catalog."
#[must_use]
pub fn sale_verdict(r: &Retriever, i: usize) -> Option<String> {
    let it = r.items().get(i)?;
    let title = terminal_line(&it.title);
    Some(match (sale_price(it), it.price) {
        (Some(d), Some(p)) => format!("Yes: {title} is on sale at ${d:.2} (from {p}).\n"),
        _ if catalog_has_sales(r) => format!("No: {title} is not on sale in the catalog.\n"),
        _ => "The catalog has no sale prices.\n".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sale_prices_from_the_catalog() {
        let mut cheap = Item {
            id: "a".into(),
            title: "A".into(),
            price: Some(Price::Paid(9.99)),
            ..Item::default()
        };
        cheap
            .attributes
            .insert("discount_price".into(), "1.99".into());
        let full = Item {
            id: "b".into(),
            title: "B".into(),
            price: Some(Price::Paid(9.99)),
            ..Item::default()
        };
        let r = Retriever::from_parts("t", vec![cheap, full.clone()], Default::default());
        assert_eq!(
            sale_verdict(&r, 0).as_deref(),
            Some("Yes: A is on sale at $1.99 (from $9.99).\n")
        );
        assert_eq!(
            sale_verdict(&r, 1).as_deref(),
            Some("No: B is not on sale in the catalog.\n")
        );
        let none = Retriever::from_parts("t", vec![full], Default::default());
        assert_eq!(
            sale_verdict(&none, 0).as_deref(),
            Some("The catalog has no sale prices.\n")
        );
        assert!(asks_sale("any of these on sale?"));
        assert!(!asks_sale("a game about sailing"));
        assert!(!asks_sale("a card dealer sim"));
        assert!(asks_sale("any deals?"));
    }
}
