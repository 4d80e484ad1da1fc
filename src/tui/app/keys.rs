//! Keys to actions (the same bindings are listed for people in `keys.txt`, shown by `?`).

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::{App, Effect};
use crate::tui::slash;

impl App {
    /// Handle a key.
    pub(super) fn key(&mut self, k: KeyEvent) -> Vec<Effect> {
        if k.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let alt = k.modifiers.contains(KeyModifiers::ALT);
        let shift = k.modifiers.contains(KeyModifiers::SHIFT);
        if self.help {
            match k.code {
                KeyCode::Char('c') if ctrl => return self.cancel_or_quit(),
                KeyCode::Esc | KeyCode::Enter | KeyCode::F(1) | KeyCode::Char('q' | '?') => {
                    self.help = false;
                }
                _ => {}
            }
            return Vec::new();
        }
        let page = crate::tui::view::page(self).max(1) as isize;
        let cycling = k.code == KeyCode::Tab || k.code == KeyCode::BackTab;
        if !cycling {
            self.completions.0.clear();
        }
        match k.code {
            KeyCode::Char('c') if ctrl => return self.cancel_or_quit(),
            KeyCode::Char('d') if ctrl && self.input.is_empty() => {
                return vec![Effect::Send(crate::tui::Request::Quit), Effect::Quit];
            }
            KeyCode::Esc => {
                if self.busy.is_some() {
                    return self.cancel();
                }
                self.input.clear();
            }
            KeyCode::Enter if alt || shift => self.input.insert('\n'),
            KeyCode::Char('j') if ctrl => self.input.insert('\n'),
            KeyCode::Enter => return self.submit(),
            KeyCode::Tab => self.complete(1),
            KeyCode::BackTab => self.complete(-1),
            KeyCode::Up if ctrl || shift => self.scroll_by(1),
            KeyCode::Down if ctrl || shift => self.scroll_by(-1),
            KeyCode::Up => self.input.up(),
            KeyCode::Down => self.input.down(),
            KeyCode::PageUp => self.scroll_by(page),
            KeyCode::PageDown => self.scroll_by(-page),
            KeyCode::Home if ctrl => self.scroll_by(isize::MAX / 2),
            KeyCode::End if ctrl => self.scroll = 0,
            KeyCode::Home => self.input.home(),
            KeyCode::End => self.input.end(),
            KeyCode::Left => self.input.left(),
            KeyCode::Right => self.input.right(),
            KeyCode::Backspace if ctrl || alt => self.input.delete_word(),
            KeyCode::Backspace => self.input.backspace(),
            KeyCode::Delete => self.input.delete(),
            KeyCode::F(1) => self.help = true,
            KeyCode::Char('a') if ctrl => self.input.home(),
            KeyCode::Char('e') if ctrl => self.input.end(),
            KeyCode::Char('u') if ctrl => self.input.clear(),
            KeyCode::Char('w') if ctrl => self.input.delete_word(),
            KeyCode::Char('?') if self.input.is_empty() => self.help = true,
            KeyCode::Char(c) if !ctrl && !alt => self.input.insert(c),
            _ => {}
        }
        Vec::new()
    }

    fn cancel_or_quit(&mut self) -> Vec<Effect> {
        if self.busy.is_some() {
            return self.cancel();
        }
        vec![Effect::Send(crate::tui::Request::Quit), Effect::Quit]
    }

    /// Tab: put the next completion of a slash command in the box.
    fn complete(&mut self, step: isize) {
        let (list, at) = &mut self.completions;
        if list.len() <= 1 {
            *list = slash::complete(self.input.text(), &self.catalogs, &self.sessions);
            *at = 0;
            if list.is_empty() {
                return;
            }
        } else {
            *at = (*at as isize + step).rem_euclid(list.len() as isize) as usize;
        }
        let pick = list[*at].clone();
        self.input.set(&pick);
    }
}
