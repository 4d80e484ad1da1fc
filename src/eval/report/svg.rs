//! A line chart as SVG text: axes, a light grid, one polyline per series and a legend.
//! Hand-written (about a hundred lines) rather than a plotting crate: reco needs one kind of
//! chart, and the crates that draw it bring font and image stacks with them.

use std::fmt::Write;

use super::Plot;

const W: f64 = 720.0;
const H: f64 = 420.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 180.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 56.0;
/// Line colours (colour-blind-safe Okabe–Ito palette), reused in order.
const COLOURS: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
];

/// Escape text for SVG.
fn esc(s: &str) -> String {
    crate::text::terminal_line(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A "nice" upper bound for the y axis (0.1, 0.2, 0.25, 0.5, 1 × a power of ten).
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= max {
            return m * p;
        }
    }
    10.0 * p
}

/// The chart.
#[must_use]
pub fn line_chart(p: &Plot) -> String {
    let n = p.series.iter().map(|s| s.values.len()).max().unwrap_or(0);
    let y_max = nice_max(
        p.series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0, f64::max),
    );
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let x = |i: usize| {
        LEFT + if n > 1 {
            pw * i as f64 / (n - 1) as f64
        } else {
            pw / 2.0
        }
    };
    let y = |v: f64| TOP + ph * (1.0 - (v / y_max).clamp(0.0, 1.0));
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" font-family="sans-serif" font-size="12">"#
    );
    let _ = write!(
        s,
        r#"<rect width="{W}" height="{H}" fill="white"/><text x="{}" y="22" font-size="15" text-anchor="middle">{}</text>"#,
        LEFT + pw / 2.0,
        esc(&p.title)
    );
    for t in 0..=5 {
        let v = y_max * f64::from(t) / 5.0;
        let yy = y(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#e5e5e5"/><text x="{:.1}" y="{:.1}" text-anchor="end">{v:.2}</text>"##,
            LEFT + pw,
            LEFT - 6.0,
            yy + 4.0
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{:.1}" stroke="#333"/><line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#333"/>"##,
        TOP + ph,
        TOP + ph,
        LEFT + pw,
        TOP + ph
    );
    for (i, label) in &p.x_ticks {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(*i),
            TOP + ph + 16.0,
            esc(label)
        );
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text><text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
        LEFT + pw / 2.0,
        H - 14.0,
        esc(&p.x_label),
        TOP + ph / 2.0,
        esc(&p.y_label)
    );
    for (k, series) in p.series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let points: Vec<String> = series
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let _ = write!(
            s,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#,
            points.join(" ")
        );
        let ly = TOP + 10.0 + 20.0 * k as f64;
        let lx = LEFT + pw + 16.0;
        let _ = write!(
            s,
            r#"<line x1="{lx:.1}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{colour}" stroke-width="3"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            lx + 22.0,
            lx + 28.0,
            ly + 4.0,
            esc(&series.name)
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::report::Series;

    #[test]
    fn chart_scales_and_escapes() {
        assert!((nice_max(0.23) - 0.25).abs() < 1e-12);
        assert!((nice_max(0.61) - 1.0).abs() < 1e-12);
        assert!((nice_max(3.2) - 5.0).abs() < 1e-12);
        let p = Plot {
            title: "a <b> & \u{1b}[31mc".into(),
            x_label: "k".into(),
            y_label: "r".into(),
            x_ticks: vec![(0, "1".into())],
            series: vec![
                Series {
                    name: "x".into(),
                    values: vec![0.0, 0.5],
                },
                Series {
                    name: "y".into(),
                    values: vec![0.25],
                },
            ],
        };
        let svg = line_chart(&p);
        assert!(svg.contains("a &lt;b&gt; &amp;"), "{svg}");
        assert!(!svg.contains('\u{1b}'));
        assert_eq!(svg.matches("<polyline").count(), 2);
        // 0.5 is the top of the axis: y = TOP.
        assert!(svg.contains(&format!("{:.1},{TOP:.1}", W - RIGHT)), "{svg}");
    }
}
