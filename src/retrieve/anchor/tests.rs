//! Unit tests of named-item recognition.

use super::*;
use crate::{catalog::Item, store::VectorSet};

fn catalog(titles: &[&str]) -> Retriever {
    let items = titles
        .iter()
        .enumerate()
        .map(|(i, t)| Item {
            id: i.to_string(),
            title: (*t).to_string(),
            ..Item::default()
        })
        .collect();
    Retriever::from_parts("t", items, VectorSet::default())
}

fn names(r: &Retriever, text: &str) -> Vec<(String, How)> {
    named_items(r, text)
        .into_iter()
        .map(|n| (r.items()[n.index].title.clone(), n.how))
        .collect()
}

#[test]
fn finds_titles_abbreviations_prefixes_and_typos() {
    let r = catalog(&[
        "Portal",
        "Portal Knights - Lobot Box",
        "Dark Souls III",
        "Counter-Strike: Global Offensive",
        "Stardew Valley",
        "Mass Effect 2",
        "Dragon Age: Origins",
        "Grand Theft Auto V",
        "The First Tree",
        "Hades II",
        "DARK",
        "SOULS",
    ]);
    assert_eq!(
        names(&r, "something like Portal but co-op"),
        [("Portal".to_string(), How::Exact)]
    );
    assert_eq!(
        names(&r, "loved ds3 and cs go"),
        [
            ("Dark Souls III".to_string(), How::Abbreviation),
            (
                "Counter-Strike: Global Offensive".to_string(),
                How::Abbreviation
            )
        ]
    );
    assert_eq!(
        names(&r, "I loved Mass Effect 2 and dragon age"),
        [
            ("Mass Effect 2".to_string(), How::Exact),
            ("Dragon Age: Origins".to_string(), How::Prefix)
        ]
    );
    assert_eq!(
        names(&r, "games like stardew"),
        [("Stardew Valley".to_string(), How::Prefix)]
    );
    assert_eq!(
        names(&r, "i played stardew vally a lot"),
        [("Stardew Valley".to_string(), How::Fuzzy)]
    );
    assert_eq!(
        names(&r, "anything like gta v?"),
        [("Grand Theft Auto V".to_string(), How::Abbreviation)]
    );
    assert!(names(&r, "a dark game with age ratings").is_empty());
    // Card references are not leading title words; the title itself still counts.
    assert!(names(&r, "compare the first two").is_empty());
    assert!(names(&r, "hi! I want a story-rich game").is_empty());
    assert_eq!(
        names(&r, "something like dark souls but easier"),
        [("Dark Souls III".to_string(), How::Prefix)]
    );
    // Where only the second word is a title, the leading words still name the series.
    let r2 = catalog(&["Dark Messiah of Might & Magic", "Dark Souls III", "SOULS"]);
    assert_eq!(
        names(&r2, "something like dark souls but easier"),
        [("Dark Souls III".to_string(), How::Prefix)]
    );
    assert!(names(&r, "tell me about the first one").is_empty());
    // A clipped series word after a cue; not an everyday word, nor without a cue.
    let r3 = catalog(&[
        "Sid Meier's Civilization VI",
        "Civilization Wars",
        "Artifact",
    ]);
    assert_eq!(
        names(&r3, "something like civ but faster"),
        [("Sid Meier's Civilization VI".to_string(), How::Clipped)]
    );
    assert!(names(&r3, "a civ game").is_empty());
    // Not everyday words, nor the start of a longer phrase.
    let r6 = catalog(&[
        "Sid Meier's Civilization VI",
        "Project Zomboid",
        "Old World",
        "Sea of Stars",
    ]);
    assert!(names(&r6, "something like civil war games").is_empty());
    assert!(names(&r6, "I love pro wrestling games").is_empty());
    assert!(names(&r6, "I love old rpgs").is_empty());
    assert!(names(&r6, "a game about sea creatures").is_empty());
    assert_eq!(
        names(&r6, "I loved civ. Anything similar?"),
        [("Sid Meier's Civilization VI".to_string(), How::Clipped)]
    );
    assert_eq!(
        names(&r6, "like civ 6"),
        [("Sid Meier's Civilization VI".to_string(), How::Clipped)]
    );
    // Three letters as a whole leading word after a cue; "not" needs two words.
    let r5 = catalog(&[
        "Ori and the Blind Forest",
        "The Witcher 3: Wild Hunt",
        "Horror Tale",
    ]);
    assert_eq!(
        names(&r5, "ive played hollow knight and ori"),
        [("Ori and the Blind Forest".to_string(), How::Prefix)]
    );
    assert_eq!(
        names(&r5, "not the witcher"),
        [("The Witcher 3: Wild Hunt".to_string(), How::Prefix)]
    );
    assert!(names(&r5, "something not horror").is_empty());
    // Series names keep "of" in their initials, and a colon ends the series name.
    let r4 = catalog(&["Call of Duty: Black Ops III", "Age of Empires II", "Portal"]);
    assert_eq!(
        names(&r4, "games like cod"),
        [("Call of Duty: Black Ops III".to_string(), How::Abbreviation)]
    );
    assert_eq!(
        names(&r4, "aoe2 but newer"),
        [("Age of Empires II".to_string(), How::Abbreviation)]
    );
    assert!(names(&r3, "like the first").is_empty());
    assert_eq!(
        names(&r, "compare The First Tree and Portal"),
        [
            ("The First Tree".to_string(), How::Exact),
            ("Portal".to_string(), How::Exact)
        ]
    );
}
