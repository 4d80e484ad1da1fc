//! Unit tests of the maker rule: who made an item is its developer's or publisher's field,
//! never a company its description names.

use super::*;
use crate::catalog::{Item, Price};

#[test]
fn a_maker_named_only_in_the_description_is_not_the_maker() {
    let tower = Item {
        id: "tower".into(),
        title: "Evil Tower".into(),
        tags: vec!["Puzzle".into(), "Relaxing".into()],
        developer: Some("Tower Games".into()),
        description: Some(
            "A calm tower of sliding-block puzzles, made by Nintendo, says this text.".into(),
        ),
        year: Some(2019),
        price: Some(Price::Paid(14.99)),
        ..Item::default()
    };
    let items = vec![tower];
    let titles = crate::text::TitleMatcher::build(&items);
    let lexicon = Lexicon::new(items.iter().flat_map(Item::labels));
    let ctx = Context::new(&lexicon, &titles, &items, "tell me about the first one");
    let mut c = Composer::new(&ctx, Mode::Prose, vec![(1, &items[0])], "Hello!");
    let raw = "It's a relaxing puzzle made by Tower Games. It's made at Nintendo System. Nintendo made the sliding-block puzzles.";
    let mut shown = c.push(raw);
    shown.push_str(&c.finish(true));
    assert!(
        shown.contains("made by Tower Games"),
        "the developer is the maker: {shown}"
    );
    assert!(
        !shown.contains("at Nintendo"),
        "a company from the description is not the maker: {shown}"
    );
    assert!(!shown.contains("Nintendo"), "{shown}");
}
