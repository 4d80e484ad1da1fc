//! Unit tests of the query-text parser.

use super::*;

fn vocab() -> LabelVocab {
    LabelVocab::from_labels(&[
        "Horror",
        "Multi-player",
        "Co-op",
        "Strategy",
        "Turn-Based",
        "Farming Sim",
        "Puzzle",
        "Relaxing",
        "Open World",
    ])
}

#[test]
fn prices_and_free() {
    let v = vocab();
    let p = parse("a relaxing farming game under 20 dollars", &v);
    assert_eq!(p.filters.price_max, Some(20.0));
    assert!(!p.text.contains("20"));
    assert_eq!(parse("puzzle games < $5", &v).filters.price_max, Some(5.0));
    assert_eq!(parse("something for $15", &v).filters.price_max, Some(15.0));
    assert_eq!(parse("over $30 please", &v).filters.price_min, Some(30.0));
    assert!(parse("free to play shooter", &v).filters.free);
    assert_eq!(parse("under 2 hours long", &v).filters.price_max, None);
    assert_eq!(parse("$10 or less", &v).filters.price_max, Some(10.0));
    let c = parse("cheap indie gems", &v);
    assert_eq!(c.filters.price_max, Some(super::super::values::CHEAP_MAX));
    assert!(!c.text.contains("cheap"));
    assert_eq!(parse("cheap, up to $20", &v).filters.price_max, Some(20.0));
    assert_eq!(parse("not cheap but good", &v).filters.price_max, None);
    for q in [
        "between 10 and 20 dollars",
        "from $10 to $20",
        "something $10-$20",
        "10-20 bucks",
    ] {
        let f = parse(q, &v).filters;
        assert_eq!((f.price_min, f.price_max), (Some(10.0), Some(20.0)), "{q}");
    }
    let f = parse("between 2005 and 2010", &v).filters;
    assert_eq!((f.price_min, f.year_min), (None, Some(2005)));
}

#[test]
fn years_and_decades() {
    let v = vocab();
    let f = parse("games from the 90s", &v).filters;
    assert_eq!((f.year_min, f.year_max), (Some(1990), Some(1999)));
    let f = parse("released after 2015", &v).filters;
    assert_eq!(f.year_min, Some(2016));
    let f = parse("between 2005 and 2010", &v).filters;
    assert_eq!((f.year_min, f.year_max), (Some(2005), Some(2010)));
    let f = parse("before 2000", &v).filters;
    assert_eq!(f.year_max, Some(1999));
    // "From 2015" is that year, "from 2015 to 2018" a range; "since 2015" has no end.
    let f = parse("best horror games from 2015", &v).filters;
    assert_eq!((f.year_min, f.year_max), (Some(2015), Some(2015)));
    let f = parse("games from 2015 to 2018", &v).filters;
    assert_eq!((f.year_min, f.year_max), (Some(2015), Some(2018)));
    let f = parse("since 2015", &v).filters;
    assert_eq!((f.year_min, f.year_max), (Some(2015), None));
    // Either of two years.
    for q in [
        "a good horror game from 2017 or 2018",
        "horror 2017 or 2018",
    ] {
        let f = parse(q, &v).filters;
        assert_eq!((f.year_min, f.year_max), (Some(2017), Some(2018)), "{q}");
    }
}

#[test]
fn counts_ages_groups_and_ratings() {
    let v = LabelVocab::from_labels(&["RPG", "Family Friendly", "Story Rich", "Horror"]);
    let p = parse("recommend me 3 rpgs with a great story", &v);
    assert_eq!(p.count, Some(3));
    assert!(!p.text.contains('3'), "{}", p.text);
    assert_eq!(p.filters.labels, ["storyrich", "rpg"]);
    assert_eq!(parse("top 10 horror games", &v).count, Some(10));
    assert_eq!(parse("give me two relaxing games", &v).count, Some(2));
    assert_eq!(parse("show me one of those", &v).count, None);
    assert_eq!(parse("the one with dragons", &v).count, None);
    assert_eq!(parse("top 3 city builders", &v).count, Some(3));
    assert_eq!(parse("show me 7 days to die", &v).count, None);
    assert_eq!(parse("i want 2 player games", &v).count, None);
    let mp = LabelVocab::from_labels(&["Multiplayer", "Racing"]);
    assert_eq!(
        parse("2 player racing games", &mp).filters.labels,
        ["multiplayer", "racing"]
    );
    let p = parse("games between 2 and 4 players", &v);
    assert!(!p.text.chars().any(|c| c.is_ascii_digit()), "{}", p.text);
    // A child is Family Friendly; the age is never searched.
    for q in [
        "a game for a 7 year old",
        "my 6-year-old loves dinosaurs",
        "something for a 5yo",
    ] {
        let p = parse(q, &v);
        assert_eq!(p.filters.labels, ["familyfriendly"], "{q}");
        assert!(
            !p.text.chars().any(|c| c.is_ascii_digit()),
            "{q}: {}",
            p.text
        );
    }
    assert!(parse("a game for a 30 year old", &v)
        .filters
        .labels
        .is_empty());
    // A group's size is neither a count nor a search word.
    let p = parse("what's a good game to play with 4 friends", &v);
    assert_eq!(p.count, None);
    assert!(!p.text.contains('4'), "{}", p.text);
    // Ratings asked for.
    assert!(
        parse("racing games with good reviews", &v)
            .filters
            .well_rated
    );
    assert!(parse("highly rated horror", &v).filters.well_rated);
    assert!(!parse("a game about reviews", &v).filters.well_rated);
    let p = parse("games like skyrim", &v);
    assert!(p.wants_games && !p.wants_software);
    let p = parse("a game engine for rpgs", &v);
    assert!(p.wants_games && p.wants_software);
}

#[test]
fn negations_and_labels() {
    let v = vocab();
    let p = parse("strategy games that are not turn-based", &v);
    assert_eq!(p.filters.not_labels, vec!["turnbased".to_string()]);
    assert_eq!(p.filters.labels, vec!["strategy".to_string()]);
    assert!(!p.text.contains("turn-based"));
    let p = parse("co-op without multiplayer or horror", &v);
    assert_eq!(
        p.filters.not_labels,
        vec!["multiplayer".to_string(), "horror".to_string()]
    );
    assert_eq!(p.filters.labels, vec!["coop".to_string()]);
    let p = parse("a non-horror open world puzzles", &v);
    assert_eq!(p.filters.not_labels, vec!["horror".to_string()]);
    assert_eq!(
        p.filters.labels,
        vec!["openworld".to_string(), "puzzle".to_string()]
    );
    assert_eq!(
        parse("not sure what I want", &v).filters.not_labels.len(),
        0
    );
}

#[test]
fn odd_input_is_harmless() {
    let v = vocab();
    for q in [
        "",
        "   ",
        "$",
        "under",
        "not",
        "between 2000 and",
        "\u{0}\u{7}",
        "$$$ 99999999999",
    ] {
        let _ = parse(q, &v);
    }
}

#[test]
fn label_words_come_out_of_the_lexical_text_only_for_required_labels() {
    let v = vocab();
    let p = parse("something but co-op, relaxing puzzle", &v);
    let coop = p
        .filters
        .labels
        .iter()
        .find(|l| v.lookup("coop").as_ref() == Some(*l))
        .cloned()
        .expect("co-op is a label");
    assert_eq!(
        without_label_words(&p.text, &[coop], &v),
        "something but relaxing puzzle"
    );
    assert_eq!(without_label_words(&p.text, &[], &v), p.text);
}

#[test]
fn negated_words_that_are_not_labels_are_not_searched_for() {
    let v = vocab();
    let p = parse("a cozy farming game with no combat", &v);
    assert_eq!(without_negated_words(&p.text), "a cozy farming game with");
    assert_eq!(
        without_negated_words("something not too hard, with a story"),
        "something with a story"
    );
    assert_eq!(
        without_negated_words("no grinding but lots of loot"),
        "but lots of loot"
    );
    assert_eq!(without_negated_words("a cozy game"), "a cozy game");
    assert_eq!(
        without_negated_words("something with less combat"),
        "something with"
    );
    let f = parse("less than $10, fewer puzzles", &vocab()).filters;
    assert_eq!(f.price_max, Some(10.0));
    assert_eq!(f.not_labels, ["puzzle"]);
    assert_eq!(
        parse("I didn\u{2019}t like horror", &vocab())
            .filters
            .not_labels,
        ["horror"]
    );
    assert_eq!(without_negated_words("it doesn't have co-op"), "it");
}

#[test]
fn everyday_words_name_labels_the_catalog_has() {
    let v = vocab();
    let f = parse("a story game, nothing scary", &v).filters;
    assert_eq!(f.not_labels, ["horror"]);
    assert_eq!(
        parse("cooperative puzzles", &v).filters.labels,
        ["coop", "puzzle"]
    );
    // Only for labels the catalog has: this vocabulary has no comedy.
    assert!(parse("something funny", &v).filters.labels.is_empty());
    let k = LabelVocab::from_labels(&["Family Friendly", "Adventure"]);
    assert_eq!(
        parse("an adventure my kids can play", &k).filters.labels,
        ["adventure", "familyfriendly"]
    );
    let z = LabelVocab::from_labels(&["Zombies"]);
    assert_eq!(z.lookup("zombie").as_deref(), Some("zombies"));
}

#[test]
fn qualities_said_as_comparisons_name_labels() {
    let v = LabelVocab::from_labels(&["Short", "Casual", "Difficult", "Fast-Paced", "Horror"]);
    let p = parse("something shorter", &v);
    assert_eq!(p.filters.labels, ["short"]);
    assert!(!p.text.contains("shorter"));
    // A single "short" is ordinary speech, not the label.
    assert!(parse("a short description", &v).filters.labels.is_empty());
    assert_eq!(
        parse("less complicated please", &v).filters.labels,
        ["casual"]
    );
    // A comparison avoids the label (soft); it does not refuse it.
    let f = parse("nothing too hard", &v).filters;
    assert_eq!(
        (
            f.labels.len(),
            f.not_labels.len(),
            f.avoid_labels.as_slice()
        ),
        (0, 0, &["difficult".to_string()][..])
    );
    assert_eq!(
        parse("something easier", &v).filters.avoid_labels,
        ["difficult"]
    );
    let p = parse("like civ but faster", &v);
    assert!(p.filters.labels.is_empty());
    assert!(!p.text.contains("faster"));
    // A catalog without the label: the phrase names nothing, and is not searched for.
    let p = parse("something shorter", &vocab());
    assert!(p.filters.labels.is_empty());
    assert!(!p.text.contains("shorter"));
}

#[test]
fn a_softened_negation_refuses_nothing() {
    let v = vocab();
    let f = parse("a horror game that isn't too scary", &v).filters;
    assert_eq!(f.labels, ["horror"]);
    assert!(f.not_labels.is_empty(), "{f:?}");
    assert_eq!(parse("not so scary", &v).filters.not_labels.len(), 0);
    assert_eq!(parse("not scary", &v).filters.not_labels, ["horror"]);
    assert_eq!(parse("no more horror", &v).filters.not_labels, ["horror"]);
}

#[test]
fn negations_reach_past_lead_ins() {
    let v = LabelVocab::from_labels(&["Anime", "Horror"]);
    let f = parse("not interested in anything with anime graphics", &v).filters;
    assert_eq!(
        (f.labels.len(), f.not_labels.as_slice()),
        (0, &["anime".to_string()][..])
    );
    assert_eq!(
        parse("I'm not a big fan of horror", &v).filters.not_labels,
        ["horror"]
    );
}

#[test]
fn negated_comparisons_turn_round_and_plain_words_stay_words() {
    let v = LabelVocab::from_labels(&["Difficult", "Story Rich", "Relaxing", "RTS", "RPG"]);
    let f = parse("nothing harder than hollow knight", &v).filters;
    assert_eq!(
        (f.labels.len(), f.avoid_labels.as_slice()),
        (0, &["difficult".to_string()][..])
    );
    let f = parse("no more story, I want action", &v).filters;
    assert_eq!(
        (f.labels.len(), f.avoid_labels.as_slice()),
        (0, &["storyrich".to_string()][..])
    );
    // "not too hard" keeps its complaint.
    assert_eq!(
        parse("not too hard", &v).filters.avoid_labels,
        ["difficult"]
    );
    assert_eq!(
        parse("I had a hard day, something relaxing", &v)
            .filters
            .labels,
        ["relaxing"]
    );
    assert_eq!(
        parse("an rpg with real time with pause combat", &v)
            .filters
            .labels,
        ["rpg"]
    );
    assert_eq!(
        parse("a really hard game", &v).filters.labels,
        ["difficult"]
    );
    assert_eq!(
        quality_labels("is it too long?", &LabelVocab::from_labels(&["Short"])),
        ["short"]
    );
}

#[test]
fn negation_scope_ends_at_punctuation_and_reaches_past_lead_ins() {
    let v = LabelVocab::from_labels(&["Horror", "Gore", "Difficult", "Relaxing", "Platformer"]);
    assert!(parse("no, something scary", &v)
        .filters
        .not_labels
        .is_empty());
    assert_eq!(
        parse("not in the mood for horror", &v).filters.not_labels,
        ["horror"]
    );
    assert_eq!(
        parse("neither horror nor gore", &v).filters.not_labels,
        ["horror", "gore"]
    );
    let f = parse("I don't want anything harder than Celeste", &v).filters;
    assert_eq!(
        (f.labels.len(), f.avoid_labels.as_slice()),
        (0, &["difficult".to_string()][..])
    );
    let f = parse("I had a really hard day, something relaxing", &v).filters;
    assert_eq!(
        (f.labels.as_slice(), f.avoid_labels.len()),
        (&["relaxing".to_string()][..], 0)
    );
    assert_eq!(
        parse("thats too hard lol", &v).filters.avoid_labels,
        ["difficult"]
    );
}
