//! Screens of the chat, drawn from scripted engine events (no models): snapshots of an empty
//! session, a recommendation with cards, the help popup and an 80×24 terminal; hostile text
//! drawn harmlessly; scrolling within bounds; commands turned into engine requests.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use reco::{
    dialogue::Timings,
    store::Feedback,
    tui::{App, Effect, Event, ModelStatus, Msg, Request, SessionView, TurnDone},
};

use super::{cards, draw, item, say, text};

fn session(app: &mut App) {
    app.update(Msg::Engine(Event::Model(ModelStatus::Ready(
        "qwen2.5-0.5b-instruct-q4_k_m".into(),
        4.2,
    ))));
    app.update(Msg::Engine(Event::Session(SessionView {
        id: "tp6kdw-d132".into(),
        catalog: "games".into(),
        adapter: "none".into(),
        ..SessionView::default()
    })));
}

/// A session after one recommendation turn, as the engine reports it.
fn recommendation(size: (u16, u16)) -> App {
    let mut app = App::new(size);
    session(&mut app);
    let fx = say(&mut app, "a relaxing farming game under 20 dollars");
    assert_eq!(
        fx,
        [Effect::Send(Request::Turn(
            "a relaxing farming game under 20 dollars".into()
        ))]
    );
    app.update(Msg::Engine(Event::Understood {
        intent: "AskForRec/IQU".into(),
        confidence: 0.97,
        action: "recommend".into(),
    }));
    app.update(Msg::Engine(Event::Cards(cards())));
    let answer = "• Stardew Valley — because it is a relaxing farming game\n• Palia — because it is free and cozy\n";
    for t in answer.split_inclusive(' ') {
        app.update(Msg::Engine(Event::Token(t.into())));
    }
    let mut with_reasons = cards();
    with_reasons[0].why = "because it is a relaxing farming game".into();
    with_reasons[2].why = "because it is free and cozy".into();
    with_reasons[3].mark = Some(Feedback::Rejected);
    app.update(Msg::Engine(Event::Done(TurnDone {
        text: answer.into(),
        cards: with_reasons,
        timings: Timings {
            understand: 11.8,
            classify: 2.1,
            retrieve: 24.9,
            first_card: Some(25.3),
            first_token: Some(1840.0),
            total: 6120.0,
        },
        intent: "AskForRec/IQU".into(),
        confidence: 0.97,
        action: "recommend".into(),
    })));
    app
}

#[test]
fn empty_session() {
    let mut app = App::new((100, 30));
    session(&mut app);
    insta::assert_snapshot!(draw(&app));
}

#[test]
fn recommendation_with_cards() {
    let app = recommendation((100, 30));
    assert!(app.busy.is_none());
    insta::assert_snapshot!(draw(&app));
}

#[test]
fn help_popup() {
    let mut app = recommendation((100, 30));
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('?'),
        KeyModifiers::NONE,
    )));
    assert!(app.help);
    insta::assert_snapshot!(draw(&app));
    app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert!(!app.help);
}

#[test]
fn small_terminal_80x24() {
    let app = recommendation((80, 24));
    insta::assert_snapshot!(draw(&app));
}

#[test]
fn a_turn_in_flight_and_resizing() {
    let mut app = recommendation((80, 24));
    say(&mut app, "cheaper");
    app.update(Msg::Engine(Event::Model(ModelStatus::Loading(
        "qwen".into(),
    ))));
    app.update(Msg::Engine(Event::Cards(cards())));
    let screen = text(&draw(&app));
    assert!(screen.contains("waiting for the model to load"), "{screen}");
    assert!(screen.contains("Esc stops"), "{screen}");
    // Esc stops the turn: one cancel request, and the answer is marked when the engine says so.
    let fx = app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert_eq!(fx, [Effect::Send(Request::Cancel)]);
    app.update(Msg::Engine(Event::Cancelled(true)));
    assert!(app.busy.is_none());
    assert_eq!(
        app.transcript.last().map(|e| e.text.as_str()),
        Some("(stopped)")
    );
    for size in [(40, 12), (200, 60), (80, 24)] {
        app.update(Msg::Resize(size.0, size.1));
        let b = draw(&app);
        assert_eq!(b.buffer().area.width, size.0);
    }
}

#[test]
fn hostile_text_is_drawn_harmlessly() {
    let mut app = App::new((100, 30));
    session(&mut app);
    say(&mut app, "anything \u{1b}[31mred");
    let evil = item(
        "evil\u{1b}[2J",
        "Evil\u{1b}]0;pwned\u{7} Game\u{1b}[2J",
        2020,
        1.0,
        &["Action\u{9b}31m"],
    );
    let mut card = reco::tui::CardView::of(&evil);
    card.why = "because\u{1b}]8;;http://x\u{7}link".into();
    app.update(Msg::Engine(Event::Cards(vec![card])));
    app.update(Msg::Engine(Event::Token(
        "• Evil\u{1b}[2J Game — \u{202e}ok\u{85}\n".into(),
    )));
    app.update(Msg::Engine(Event::Note("note \u{1b}]0;pwned\u{7}".into())));
    let b = draw(&app);
    for cell in b.buffer().content() {
        assert!(
            !cell
                .symbol()
                .chars()
                .any(|c| c.is_control() || c == '\u{202e}'),
            "a control character reached the screen: {:?}",
            cell.symbol()
        );
    }
    let screen = text(&b);
    assert!(screen.contains("Evil Game"), "{screen}");
    assert!(!screen.contains("pwned"), "{screen}");
}

#[test]
fn scrolling_stays_within_the_transcript() {
    let mut app = recommendation((80, 24));
    for i in 0..30 {
        app.update(Msg::Engine(Event::Note(format!("note {i}"))));
    }
    for _ in 0..100 {
        app.update(Msg::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollUp,
            column: 5,
            row: 5,
            modifiers: KeyModifiers::NONE,
        }));
    }
    let top = app.scroll;
    assert!(top > 0);
    app.update(Msg::Key(KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE)));
    assert_eq!(app.scroll, top, "no scrolling past the first line");
    let screen = text(&draw(&app));
    assert!(screen.contains("you  a relaxing farming game"), "{screen}");
    app.update(Msg::Key(KeyEvent::new(KeyCode::End, KeyModifiers::CONTROL)));
    assert_eq!(app.scroll, 0);
    assert!(text(&draw(&app)).contains("note 29"));
}

#[test]
fn commands_become_requests() {
    let mut app = recommendation((100, 30));
    assert_eq!(
        say(&mut app, "/reject 2"),
        [Effect::Send(Request::Mark(2, Feedback::Rejected))]
    );
    assert_eq!(say(&mut app, "/why 1"), [Effect::Send(Request::Why(1))]);
    assert_eq!(
        say(&mut app, "/export notes.md"),
        [Effect::Send(Request::Export(Some("notes.md".into())))]
    );
    assert!(say(&mut app, "/like x").is_empty());
    assert!(app
        .transcript
        .last()
        .is_some_and(|e| e.text.contains("card number")));
    // Tab completes a command, then its argument.
    app.update(Msg::Engine(Event::Lists(
        vec!["games".into(), "steam".into()],
        vec![],
    )));
    for c in "/cat".chars() {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
    app.update(Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
    assert_eq!(app.input.text(), "/catalog ");
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::NONE,
    )));
    app.update(Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
    assert_eq!(app.input.text(), "/catalog steam");
    assert_eq!(
        app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))),
        [Effect::Send(Request::Catalog(Some("steam".into())))]
    );
    // ↑ brings back what was sent; Alt+Enter makes a second line; Esc clears the box.
    app.update(Msg::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)));
    assert_eq!(app.input.text(), "/catalog steam");
    app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)));
    assert_eq!(app.input.line_count(), 2);
    app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert!(app.input.is_empty());
    assert_eq!(
        say(&mut app, "/quit"),
        [Effect::Send(Request::Quit), Effect::Quit]
    );
}
