//! Unit tests of the active constraints.

use super::*;
use crate::catalog::Price;

fn item(price: f64, year: i32) -> Item {
    Item {
        id: format!("{price}"),
        title: "t".into(),
        price: Some(Price::Paid(price)),
        year: Some(year),
        ..Item::default()
    }
}

#[test]
fn relative_changes_use_the_shown_cards() {
    assert_eq!(relatives("cheaper please"), [Relative::Cheaper]);
    assert_eq!(
        relatives("something newer and less expensive"),
        [Relative::Cheaper, Relative::Newer]
    );
    assert!(relatives("cheaper than $10").is_empty());
    assert_eq!(without_relatives("cheaper ones, please"), "please");
    assert_eq!(without_relatives("co-op but less expensive"), "co-op but");
    assert_eq!(without_relatives("cheaper than $10"), "cheaper than $10");
    assert_eq!(without_relatives("newer"), "");
    let shown = [item(20.0, 2010), item(10.0, 2015), item(5.0, 2020)];
    let refs: Vec<&Item> = shown.iter().collect();
    let mut c = Constraints::default();
    assert_eq!(
        c.apply_relative(&[Relative::Cheaper, Relative::Newer], &refs)
            .len(),
        2
    );
    assert_eq!(c.filters.price_max, Some(9.99));
    assert_eq!(c.filters.year_min, Some(2016));
    assert!(c.apply_relative(&[Relative::Cheaper], &[]).is_empty());
}

#[test]
fn merging_keeps_the_latest_and_flips_negations() {
    let mut c = Constraints::default();
    let p = ParsedQuery {
        filters: Filters {
            labels: vec!["horror".into()],
            price_max: Some(20.0),
            ..Filters::default()
        },
        text: "scary".into(),
        ..ParsedQuery::default()
    };
    c.replace(&p, "scary", vec!["portal".into()]);
    let q = ParsedQuery {
        filters: Filters {
            not_labels: vec!["horror".into()],
            price_max: Some(10.0),
            ..Filters::default()
        },
        text: String::new(),
        ..ParsedQuery::default()
    };
    c.merge(&q, "", vec![]);
    assert_eq!(c.filters.price_max, Some(10.0));
    assert!(c.filters.labels.is_empty());
    assert_eq!(c.filters.not_labels, ["horror"]);
    assert_eq!(c.texts, ["scary"]);
    assert_eq!(c.anchors, ["portal"]);
    let d = c.describe(&|id| (id == "portal").then(|| "Portal".to_string()));
    assert_eq!(d, "\"scary\", under $10.00, not horror, like Portal");
}
