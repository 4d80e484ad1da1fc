//! Unit tests of grounding on hand-made items: the four answers that issue 8 quotes, forged
//! numbers and titles, repeated reasons, and the mention matcher.

use super::*;
use crate::catalog::{Item, Price};

fn item(id: &str, title: &str, tags: &[&str], dev: &str, year: i32, price: f64) -> Item {
    Item {
        id: id.into(),
        title: title.into(),
        tags: tags.iter().map(|t| (*t).to_string()).collect(),
        developer: Some(dev.into()),
        year: Some(year),
        price: Some(Price::Paid(price)),
        ..Item::default()
    }
}

fn catalog() -> Vec<Item> {
    let mut hades = item(
        "hades",
        "Hades",
        &["Roguelike", "Action", "Mythology", "Great Soundtrack"],
        "Supergiant Games",
        2020,
        24.99,
    );
    hades.description = Some(
        "Zagreus fights his way out of the Greek underworld again and again, and each death moves the story forward."
            .into(),
    );
    vec![
        item(
            "unravel",
            "Unravel Two",
            &["Co-op", "Local Co-op", "Puzzle", "Physics"],
            "Coldwood Interactive",
            2018,
            19.99,
        ),
        item(
            "portal-2",
            "Portal 2",
            &["Co-op", "Puzzle", "First-Person", "Comedy"],
            "Valve",
            2011,
            9.99,
        ),
        hades,
        item(
            "stardew",
            "Stardew Valley",
            &["Farming", "Cozy", "Online Co-op", "Pixel Graphics"],
            "ConcernedApe",
            2016,
            14.99,
        ),
        item(
            "terraria",
            "Terraria",
            &["Sandbox", "Crafting", "Building", "Pixel Graphics"],
            "Re-Logic",
            2011,
            9.99,
        ),
        item(
            "outlast",
            "Outlast",
            &["Horror", "Survival Horror", "Gore"],
            "Red Barrels",
            2013,
            19.99,
        ),
        item(
            "layers",
            "Layers of Fear",
            &["Horror", "Psychological Horror", "Atmospheric"],
            "Bloober Team",
            2016,
            19.99,
        ),
        item(
            "soma",
            "SOMA",
            &["Horror", "Sci-fi", "Story Rich"],
            "Frictional Games",
            2015,
            28.99,
        ),
    ]
}

struct World {
    items: Vec<Item>,
    titles: crate::text::TitleMatcher,
    lexicon: Lexicon,
}

fn world() -> World {
    let items = catalog();
    World {
        titles: crate::text::TitleMatcher::build(&items),
        lexicon: Lexicon::new(items.iter().flat_map(Item::labels)),
        items,
    }
}

fn compose(w: &World, user: &str, mode: Mode, ids: &[&str], raw: &str, cut: bool) -> Composed {
    let ctx = Context::new(&w.lexicon, &w.titles, &w.items, user);
    let numbered: Vec<(usize, &Item)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (i + 1, w.items.iter().find(|it| it.id == *id).expect("id")))
        .collect();
    let mut c = Composer::new(&ctx, mode, numbered, "Hello!");
    let mut shown = String::new();
    for piece in raw.split_inclusive(' ') {
        shown.push_str(&c.push(piece));
    }
    shown.push_str(&c.finish(cut));
    let done = c.into_composed();
    assert_eq!(shown, done.text, "streamed = final");
    done
}

#[test]
fn a_wrong_price_is_never_shown() {
    let w = world();
    let d = compose(
        &w,
        "something like Portal but co-op, under $20",
        Mode::Picks,
        &["unravel", "portal-2"],
        "[1] because it's co-op with physics puzzles under $7\n[2] because it is co-op and under $20\n",
        false,
    );
    assert!(!d.text.contains("$7"), "{}", d.text);
    assert!(
        d.text
            .contains("• Unravel Two — because it's co-op with physics puzzles"),
        "{}",
        d.text
    );
    assert!(
        d.text.contains("under $20"),
        "a bound the user gave and the item meets: {}",
        d.text
    );
    assert_eq!(d.grounding.trimmed, 1, "{:?}", d.grounding);
    assert!(d.picks.iter().all(|p| p.by_model));
}

#[test]
fn invented_facts_about_an_item_are_dropped() {
    let w = world();
    let d = compose(
        &w,
        "tell me about Hades",
        Mode::Prose,
        &["hades"],
        "Hades is an indie action RPG set in ancient Egypt. Zagreus fights his way out of the Greek underworld. Supergiant Games has not yet released Hades. It costs $24.99 and came out in 2020. It's worth noting that",
        true,
    );
    assert!(
        !d.text.contains("Egypt") && !d.text.contains("released"),
        "{}",
        d.text
    );
    assert!(
        d.text
            .contains("Zagreus fights his way out of the Greek underworld."),
        "{}",
        d.text
    );
    assert!(
        d.text.contains("It costs $24.99 and came out in 2020."),
        "{}",
        d.text
    );
    assert!(!d.text.contains("worth noting"), "unfinished: {}", d.text);
    assert!(d.grounding.dropped >= 2, "{:?}", d.grounding);
    assert!(
        d.grounding
            .cut
            .iter()
            .any(|c| c.why.contains(&"Egypt".to_string())),
        "{:?}",
        d.grounding.cut
    );
}

#[test]
fn comparisons_keep_to_the_facts() {
    let w = world();
    let d = compose(
        &w,
        "compare Stardew Valley and Terraria",
        Mode::Prose,
        &["stardew", "terraria"],
        "Stardew Valley is a cozy farming game by ConcernedApe. Both games offer modes where players compete for resources such as food or water. Terraria costs $14.99. Terraria is about crafting and building.\n",
        false,
    );
    assert!(
        !d.text.contains("compete") && !d.text.contains("water"),
        "{}",
        d.text
    );
    assert!(
        !d.text.contains("Terraria costs $14.99"),
        "the other item's price: {}",
        d.text
    );
    assert!(
        d.text.contains("Terraria is about crafting and building."),
        "{}",
        d.text
    );
    assert!(
        d.text
            .contains("Stardew Valley is a cozy farming game by ConcernedApe."),
        "{}",
        d.text
    );
}

#[test]
fn picks_never_share_a_reason_and_each_names_what_sets_it_apart() {
    let w = world();
    let same = "because it's scary but not too gory";
    let raw = format!("[1] {same}\n[2] {same}\n[3] {same}\n");
    let d = compose(
        &w,
        "something scary but not too gory",
        Mode::Picks,
        &["outlast", "layers", "soma"],
        &raw,
        false,
    );
    assert_eq!(d.picks.len(), 3);
    let reasons: Vec<&str> = d.picks.iter().map(|p| p.reason.as_str()).collect();
    for (i, a) in reasons.iter().enumerate() {
        for b in &reasons[i + 1..] {
            assert_ne!(a, b);
        }
    }
    assert!(
        reasons[0].starts_with(same) && reasons[0].contains("with"),
        "{reasons:?}"
    );
    assert_eq!(d.grounding.replaced, 2, "{:?}", d.grounding);
    assert!(
        reasons[1].contains("Psychological Horror") || reasons[1].contains("Atmospheric"),
        "{reasons:?}"
    );
    assert!(!d.picks[1].by_model && d.picks[0].by_model);
}

#[test]
fn other_titles_and_names_are_not_invented() {
    let w = world();
    let d = compose(
        &w,
        "co-op puzzles",
        Mode::Picks,
        &["portal-2"],
        "[1] because it is like Minecraft with co-op puzzles\n",
        false,
    );
    assert!(!d.text.contains("Minecraft"), "{}", d.text);
    let d = compose(
        &w,
        "co-op",
        Mode::Picks,
        &["unravel"],
        "[1] because it plays like Terraria\n",
        false,
    );
    assert!(
        !d.text.contains("Terraria"),
        "another catalog item: {}",
        d.text
    );
    assert!(!d.picks[0].by_model);
    let d = compose(
        &w,
        "hi there",
        Mode::SmallTalk,
        &[],
        "Hi! Have you tried Hades? I can recommend something.",
        false,
    );
    assert_eq!(d.text, "Hi! I can recommend something.\n");
    let d = compose(&w, "hi", Mode::SmallTalk, &[], "Minecraft is fun.", false);
    assert_eq!(d.text, "Hello!\n", "nothing kept: the fallback");
}

#[test]
fn nothing_supported_falls_back_to_the_facts() {
    let w = world();
    let d = compose(
        &w,
        "what is it?",
        Mode::Prose,
        &["hades"],
        "It is set in Egypt.",
        false,
    );
    assert!(
        d.text.starts_with("Hades (2020, $24.99): Roguelike"),
        "{}",
        d.text
    );
    assert_eq!(d.grounding.replaced, 1);
}

#[test]
fn mentions_use_the_title_matcher() {
    let items = catalog();
    let r = crate::retrieve::Retriever::from_parts("t", items, Default::default());
    let m = mentions(
        "I loved the witcher, portal 2 and Stardew Valley.",
        &["portal-2"],
        &r,
    );
    let ids: Vec<Option<&str>> = m.iter().map(|m| m.id.as_deref()).collect();
    assert_eq!(ids, [Some("portal-2"), Some("stardew")]);
    assert!(m[0].candidate && !m[1].candidate);
}

#[test]
fn the_constraint_lists_only_the_cards() {
    let re = pick_constraint(&[6, 2], 3);
    assert!(re.starts_with(r"\[6\] because it"), "{re}");
    assert!(!re.contains(r"\[1\]"), "{re}");
    assert_eq!(re.matches(r"\[6\]").count(), 2, "{re}");
}

#[test]
fn a_reason_is_cut_before_its_first_unsupported_word() {
    let w = world();
    let d = compose(
        &w,
        "a puzzle game",
        Mode::Picks,
        &["portal-2"],
        "[1] because it's a puzzle set at over$8 million due to its action-packed levels\n",
        false,
    );
    assert_eq!(
        d.picks[0].reason, "because it's a puzzle",
        "{:?}",
        d.grounding
    );
}

#[test]
fn a_label_the_item_lacks_is_not_backed_by_a_word_of_the_same_stem() {
    let mut fear = item(
        "layers-of-fear",
        "Layers of Fear",
        &["Horror", "Walking Simulator", "Psychological Horror"],
        "Bloober Team",
        2016,
        19.99,
    );
    fear.genres = vec!["Adventure".into()];
    let farm = item(
        "farm-sim",
        "Farm Sim",
        &["Simulation", "Farming"],
        "Giants",
        2019,
        9.99,
    );
    let items = vec![fear, farm];
    let w = World {
        titles: crate::text::TitleMatcher::build(&items),
        lexicon: Lexicon::new(items.iter().flat_map(Item::labels)),
        items,
    };
    let d = compose(
        &w,
        "something scary but not too gory",
        Mode::Picks,
        &["layers-of-fear"],
        "[1] because it's a psychological horror simulation game\n",
        false,
    );
    let reason = &d.picks[0].reason;
    assert!(!reason.contains("simulation"), "{reason}");
    assert!(
        d.grounding
            .cut
            .iter()
            .any(|c| c.why.iter().any(|x| x == "simulation")),
        "{:?}",
        d.grounding
    );
}

#[test]
fn a_label_the_user_asked_for_is_no_reason_for_an_item_without_it() {
    let w = world();
    let d = compose(
        &w,
        "a cozy building game",
        Mode::Picks,
        &["stardew", "portal-2"],
        "[1] because it's cozy farming with building\n[2] because it's a building puzzle\n",
        false,
    );
    assert!(
        d.text
            .contains("• Stardew Valley — because it's cozy farming"),
        "{}",
        d.text
    );
    assert!(!d.text.contains("building"), "{}", d.text);
    let d = compose(
        &w,
        "something not horror",
        Mode::Prose,
        &["stardew"],
        "Stardew Valley is not horror, it's a cozy farming game.",
        false,
    );
    assert!(
        d.text.contains("not horror"),
        "a denial may echo: {}",
        d.text
    );
}

#[test]
fn a_sentence_said_before_is_not_said_again() {
    let w = world();
    let d = compose(
        &w,
        "compare them",
        Mode::Prose,
        &["stardew", "terraria"],
        "Terraria is a sandbox game. Terraria is a sandbox game.\nTerraria is a sandbox game.\n",
        false,
    );
    assert_eq!(
        d.text.matches("Terraria is a sandbox game.").count(),
        1,
        "{}",
        d.text
    );
    assert!(d.grounding.dropped >= 2, "{:?}", d.grounding);
}
