//! Yes or no to a question about one item that names conditions ("is the second one
//! multiplayer?", "is Portal 2 under $10?"), read from the catalog, so the answer never
//! depends on what the model believes.

use crate::{
    catalog::{Item, Price},
    retrieve::{filters::norm_label, Filters, Retriever},
    text::terminal_line,
};

/// How the catalog writes a normalised label: the item's own spelling where it has it,
/// else the first item's that does, else the normalised form.
fn label_text(r: &Retriever, it: &Item, label: &str) -> String {
    it.labels()
        .chain(r.items().iter().flat_map(Item::labels))
        .find(|l| norm_label(l) == label)
        .map_or_else(|| label.to_string(), terminal_line)
}

/// Labels that answer a question about a broader one: a co-op game is a multiplayer game
/// to the person asking, whether or not the catalog also tags it Multiplayer.
const IMPLIED_BY: &[(&str, &[&str])] = &[
    (
        "multiplayer",
        &[
            "coop",
            "onlinecoop",
            "localcoop",
            "localmultiplayer",
            "onlinemultiplayer",
            "massivelymultiplayer",
            "mmo",
            "pvp",
            "onlinepvp",
            "splitscreen",
            "sharedsplitscreen",
            "crossplatformmultiplayer",
        ],
    ),
    ("coop", &["onlinecoop", "localcoop"]),
];

/// The item's label (as the catalog writes it) that answers `label`: the label itself, or
/// one that implies it.
pub(super) fn answering<'a>(it: &'a Item, label: &str) -> Option<&'a str> {
    let implied: &[&str] = IMPLIED_BY
        .iter()
        .find(|(l, _)| *l == label)
        .map_or(&[], |(_, by)| by);
    it.labels().find(|l| norm_label(l) == label).or_else(|| {
        it.labels()
            .find(|l| implied.contains(&norm_label(l).as_str()))
    })
}

fn price_clause(it: &Item) -> String {
    match it.price {
        Some(Price::Free) => "is free".to_string(),
        Some(p) => format!("costs {p}"),
        None => "has no price in the catalog".to_string(),
    }
}

/// "Yes: Portal 2 is tagged Co-op and costs $9.99.", "No: Portal is not tagged Co-op." (a
/// "no" names only the conditions the item fails) or, where the catalog lacks the price or
/// year asked about, "The catalog does not say: Portal has no price in the catalog." `None`
/// when `f` names nothing.
#[must_use]
pub fn verdict(r: &Retriever, i: usize, f: &Filters) -> Option<String> {
    let it = r.items().get(i)?;
    // (condition met, unknown to the catalog, what the catalog says)
    let mut facts: Vec<(bool, bool, String)> = Vec::new();
    for l in &f.labels {
        facts.push(match answering(it, l) {
            Some(found) => (true, false, format!("is tagged {}", terminal_line(found))),
            None => (
                false,
                false,
                format!("is not tagged {}", label_text(r, it, l)),
            ),
        });
    }
    for l in &f.not_labels {
        facts.push(match answering(it, l) {
            Some(found) => (false, false, format!("is tagged {}", terminal_line(found))),
            None => (
                true,
                false,
                format!("is not tagged {}", label_text(r, it, l)),
            ),
        });
    }
    let price_asked = f.free || f.price_max.is_some() || f.price_min.is_some();
    if price_asked {
        let only_price = Filters {
            free: f.free,
            price_max: f.price_max,
            price_min: f.price_min,
            ..Filters::default()
        };
        facts.push((
            only_price.admits_values(it),
            it.price.is_none(),
            price_clause(it),
        ));
    }
    if f.year_min.is_some() || f.year_max.is_some() {
        let only_year = Filters {
            year_min: f.year_min,
            year_max: f.year_max,
            ..Filters::default()
        };
        let said = it.year.map_or_else(
            || "has no release year in the catalog".to_string(),
            |y| format!("came out in {y}"),
        );
        facts.push((only_year.admits_values(it), it.year.is_none(), said));
    }
    if facts.is_empty() {
        return None;
    }
    let no = facts.iter().any(|(met, unknown, _)| !met && !unknown);
    let undecided = !no && facts.iter().any(|(_, unknown, _)| *unknown);
    let yes = !no && !undecided;
    // Yes: every fact; no: the failed ones; undecided: what the catalog lacks.
    let said: Vec<&str> = facts
        .iter()
        .filter(|(met, unknown, _)| yes || (no && !met && !unknown) || (undecided && *unknown))
        .map(|(_, _, s)| s.as_str())
        .collect();
    let joined = match said.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => said.join(""),
    };
    let opening = match (yes, no) {
        (true, _) => "Yes",
        (_, true) => "No",
        _ => "The catalog does not say",
    };
    Some(format!(
        "{opening}: {} {joined}.\n",
        terminal_line(&it.title)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retrieve::filters::LabelVocab;

    fn catalog() -> Retriever {
        let item = |id: &str, price: Price, tags: &[&str]| Item {
            id: id.into(),
            title: id.into(),
            year: Some(2020),
            price: Some(price),
            tags: tags.iter().map(|t| (*t).to_string()).collect(),
            ..Item::default()
        };
        Retriever::from_parts(
            "t",
            vec![
                item("Solo", Price::Paid(19.99), &["Single-player"]),
                item("Party", Price::Free, &["Multi-player", "Co-op"]),
                item("Duo", Price::Paid(39.99), &["Local Co-op"]),
            ],
            Default::default(),
        )
    }

    #[test]
    fn yes_and_no_from_the_catalog() {
        let r = catalog();
        let parse = |q: &str| {
            crate::retrieve::filters::parse(q, &LabelVocab::from_labels(&["Multi-player", "Co-op"]))
                .filters
        };
        assert_eq!(
            verdict(&r, 0, &parse("is it multiplayer?")).as_deref(),
            Some("No: Solo is not tagged Multi-player.\n")
        );
        assert_eq!(
            verdict(&r, 1, &parse("multiplayer and free?")).as_deref(),
            Some("Yes: Party is tagged Multi-player and is free.\n")
        );
        assert_eq!(
            verdict(&r, 0, &parse("co-op and under $10?")).as_deref(),
            Some("No: Solo is not tagged Co-op and costs $19.99.\n")
        );
        // Co-op answers a question about multiplayer.
        assert_eq!(
            verdict(&r, 2, &parse("is it multiplayer?")).as_deref(),
            Some("Yes: Duo is tagged Local Co-op.\n")
        );
        assert_eq!(verdict(&r, 0, &Filters::default()), None);
        // No price in the catalog: neither yes nor no.
        let mut priceless = r.items()[0].clone();
        priceless.price = None;
        let p = Retriever::from_parts("t", vec![priceless], Default::default());
        assert_eq!(
            verdict(&p, 0, &parse("is it free?")).as_deref(),
            Some("The catalog does not say: Solo has no price in the catalog.\n")
        );
    }
}
