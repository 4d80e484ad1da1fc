//! The chat (`reco chat`): screens drawn with ratatui's `TestBackend` and compared with insta
//! snapshots, hostile catalog and model text drawn as harmless text, the engine task on the
//! real models (stages stream, Esc keeps a stopped turn, feedback commands persist, a
//! session reopens as it was), and the real binary driven in tmux through a conversation,
//! quit and `--resume`.

mod engine;
mod hostile;
mod screens;
mod tmux;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::{backend::TestBackend, Terminal};
use reco::{
    catalog::{Item, Price},
    models::Bundle,
    tui::{view, App, CardView, Effect, Msg},
};

use crate::config_with_models;

/// A reco home whose `models/` links to the test run's fetched models.
pub fn home_with_models(bundles: &[Bundle]) -> tempfile::TempDir {
    let config = config_with_models(bundles);
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(&config.models_dir, dir.path().join("models")).expect("link models");
    dir
}

/// Draw `app` on a `w`×`h` test terminal.
pub fn draw(app: &App) -> TestBackend {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).expect("terminal");
    t.draw(|f| view::render(app, f)).expect("draw");
    t.backend().clone()
}

/// The screen as plain text, one line per row.
pub fn text(b: &TestBackend) -> String {
    let buf = b.buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Type `s` and press Enter; the effects of Enter.
pub fn say(app: &mut App, s: &str) -> Vec<Effect> {
    for c in s.chars() {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
    app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)))
}

/// A catalog item.
pub fn item(id: &str, title: &str, year: i32, price: f64, labels: &[&str]) -> Item {
    Item {
        id: id.into(),
        title: title.into(),
        year: Some(year),
        price: Some(if price == 0.0 {
            Price::Free
        } else {
            Price::Paid(price)
        }),
        genres: labels.iter().map(|l| (*l).to_string()).collect(),
        ..Item::default()
    }
}

/// Five cards from the demo catalog.
pub fn cards() -> Vec<CardView> {
    [
        item(
            "stardew-valley",
            "Stardew Valley",
            2016,
            14.99,
            &["Simulation", "RPG", "Farming"],
        ),
        item(
            "slime-rancher",
            "Slime Rancher",
            2017,
            19.99,
            &["Simulation", "Adventure"],
        ),
        item("palia", "Palia", 2023, 0.0, &["MMO", "Simulation", "Cozy"]),
        item(
            "graveyard-keeper",
            "Graveyard Keeper",
            2018,
            19.99,
            &["Simulation", "RPG"],
        ),
        item(
            "fields-of-mistria",
            "Fields of Mistria",
            2024,
            14.99,
            &["Simulation", "Farming"],
        ),
    ]
    .iter()
    .map(CardView::of)
    .collect()
}
