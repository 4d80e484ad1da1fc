//! Deterministic misspellings for NM2I: 1–2 edits (swap two neighbouring letters, drop a
//! letter, double a letter, replace a letter by a keyboard neighbour) on ASCII letters only.
//! One kind, the doubled letter, is held out: train misspellings never double a letter, and
//! every test misspelling starts with one.

use crate::rng::SplitMix64;

/// Keyboard neighbours of each lowercase letter (QWERTY), for realistic replacements.
const NEIGHBOURS: [&str; 26] = [
    "qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn",
    "jiolm", "kop", "njk", "bhjm", "iklp", "ol", "wa", "edft", "awedxz", "rfgy", "yhji", "cfgb",
    "qase", "zsdc", "tghu", "asx",
];

/// Titles need at least this many ASCII letters to be misspelled.
pub(crate) const MIN_LETTERS: usize = 4;

/// The edit kind reserved for test misspellings.
const HELD_OUT: usize = 2;

/// `title` with 1–2 edits, at optimal-string-alignment distance 1 or 2 from it; `None` for
/// titles with fewer than [`MIN_LETTERS`] letters. `held_out`: a test misspelling (its first
/// edit doubles a letter); otherwise letters are never doubled.
pub(crate) fn misspell(title: &str, rng: &mut SplitMix64, held_out: bool) -> Option<String> {
    let original: Vec<char> = title.chars().collect();
    if original.iter().filter(|c| c.is_ascii_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    for _ in 0..16 {
        let mut s = original.clone();
        let edits = rng.range(1, 2);
        for e in 0..edits {
            let kind = if held_out && e == 0 {
                HELD_OUT
            } else if held_out {
                rng.below(4)
            } else {
                [0, 1, 3][rng.below(3)]
            };
            edit(&mut s, rng, kind);
        }
        let out: String = s.into_iter().collect();
        let d = edit_distance(title, &out);
        if (1..=2).contains(&d) && !out.eq_ignore_ascii_case(title) {
            return Some(out);
        }
    }
    None
}

/// One edit of `kind`: 0 swap, 1 drop, 2 double, 3 keyboard neighbour.
fn edit(s: &mut Vec<char>, rng: &mut SplitMix64, kind: usize) {
    let letters: Vec<usize> = (0..s.len())
        .filter(|&i| s[i].is_ascii_alphabetic())
        .collect();
    let Some(&i) = rng.pick(&letters) else { return };
    match kind {
        0 => {
            if i + 1 < s.len()
                && s[i + 1].is_ascii_alphabetic()
                && !s[i].eq_ignore_ascii_case(&s[i + 1])
            {
                s.swap(i, i + 1);
            } else {
                s.remove(i);
            }
        }
        1 => {
            s.remove(i);
        }
        2 => s.insert(i, s[i]),
        _ => {
            let c = s[i].to_ascii_lowercase();
            let row = NEIGHBOURS[(c as u8 - b'a') as usize].as_bytes();
            let r = char::from(row[rng.below(row.len())]);
            s[i] = if s[i].is_ascii_uppercase() {
                r.to_ascii_uppercase()
            } else {
                r
            };
        }
    }
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), by chars.
#[must_use]
pub fn edit_distance(left: &str, right: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (left.chars().collect(), right.chars().collect());
    let w = b.len() + 1;
    let mut dist = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        dist[i * w] = i;
    }
    for (j, x) in dist.iter_mut().enumerate().take(w) {
        *x = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (dist[(i - 1) * w + j] + 1)
                .min(dist[i * w + j - 1] + 1)
                .min(dist[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(dist[(i - 2) * w + j - 2] + 1);
            }
            dist[i * w + j] = v;
        }
    }
    dist[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("portal", "protal"), 1);
        assert_eq!(edit_distance("portal", "portl"), 1);
        assert_eq!(edit_distance("portal", "porttal"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
    }

    #[test]
    fn misspellings_are_one_or_two_edits_away() {
        let mut rng = SplitMix64::new(9);
        for title in [
            "Portal 2",
            "Stardew Valley",
            "FTL: Faster Than Light",
            "Doom",
        ] {
            for _ in 0..50 {
                for held_out in [false, true] {
                    let m = misspell(title, &mut rng, held_out).expect("long enough");
                    assert!((1..=2).contains(&edit_distance(title, &m)), "{title} → {m}");
                }
            }
        }
        assert!(misspell("Q*x", &mut rng, false).is_none());
    }
}
