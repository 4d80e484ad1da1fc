//! Unit tests of the words of a turn.

use super::*;

#[test]
fn named_items_and_cues_leave_the_request() {
    let named = [Named {
        start: 15,
        end: 21,
        index: 0,
        how: anchor::How::Exact,
    }];
    assert_eq!(
        without_named("something like Portal but co-op", &named),
        "something but co-op"
    );
    assert_eq!(
        strip_start_over("let's start over: a cozy farming game"),
        "a cozy farming game"
    );
    assert_eq!(
        strip_start_over("Start over, something like Cookie Clicker"),
        "something like Cookie Clicker",
        "whole words only: not the `ok` of Cookie"
    );
    assert_eq!(
        strip_start_over("ok so forget that. İstanbul stories, okay?"),
        "İstanbul stories, okay?"
    );
    assert_eq!(strip_start_over("reset"), "");
    for yes in [
        "I loved it, what else?",
        "liked the first one",
        "I love that one!",
    ] {
        assert!(says_liked(yes), "{yes}");
    }
    for no in [
        "I didn't like it",
        "never really enjoyed that",
        "I'd love something scary",
        "would you like it?",
        "something like Portal",
    ] {
        assert!(!says_liked(no), "{no}");
    }
    assert_eq!(content_words("hi there, how are you doing today?"), 0);
    assert_eq!(content_words("hey, a cozy farming game"), 2);
    assert_eq!(search_words("show me more like the first one", true), "");
    assert_eq!(search_words("cheaper, and no combat", true), "");
    assert_eq!(
        search_words("a cozy game, not too hard", true),
        "a cozy game,"
    );
    assert_eq!(
        search_words("i liked and what should i play next", true),
        ""
    );
    assert_eq!(
        search_words("something scary to play with my friends", true),
        "something scary to play with my friends co-op multiplayer"
    );
    assert_eq!(
        search_words("a puzzle game with friendly fire", true),
        "a puzzle game with friendly fire"
    );
    assert_eq!(
        search_words(
            "What\u{2019}s a good horror movie? I've watched all the classics",
            true
        ),
        "a horror all the classics"
    );
    assert_eq!(
        search_words("best story games of all time, what about co-op", true),
        "story games co-op"
    );
    assert_eq!(
        search_words("a first-person one for my couch", true),
        "a first-person for my couch"
    );
    assert!(super::super::cues::asks_about_reco("So, what can you do?"));
    assert!(!super::super::cues::asks_about_reco(
        "what can I play with my kids"
    ));
    assert!(clean_turn(" \u{1b}[2J ").is_err());
    assert_eq!(
        clean_turn(&"x".repeat(10_000)).map(|s| s.len()).ok(),
        Some(MAX_TURN_BYTES)
    );
}
