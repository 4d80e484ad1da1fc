//! Evaluation reports written side by side: `<stem>.json` (for machines), `<stem>.md` (the
//! table, the command that produced it, the plot embedded) and `<stem>.svg` (a line chart,
//! see [`svg`]). In: a serialisable report, its Markdown table and a [`Plot`]. Out: the three
//! files in one folder.

pub mod svg;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::{Error, Result};

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// One value per x position.
    pub values: Vec<f64>,
}

/// A line chart over ordered positions (k = 1..50, or query types).
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// Title above the chart.
    pub title: String,
    /// Label of the x axis.
    pub x_label: String,
    /// Label of the y axis.
    pub y_label: String,
    /// Labelled x positions (index into the values, label); others are unlabelled.
    pub x_ticks: Vec<(usize, String)>,
    /// The lines.
    pub series: Vec<Series>,
}

/// The files written.
#[derive(Debug, Clone)]
pub struct Written {
    /// `<stem>.json`.
    pub json: PathBuf,
    /// `<stem>.md`.
    pub markdown: PathBuf,
    /// `<stem>.svg`.
    pub svg: PathBuf,
}

/// Write `<dir>/<stem>.{json,md,svg}`; the Markdown gets a title, the command that produced
/// the numbers, the table and the plot.
pub fn write(
    dir: &Path,
    stem: &str,
    title: &str,
    command: &str,
    report: &impl Serialize,
    table: &str,
    plot: &Plot,
) -> Result<Written> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let w = Written {
        json: dir.join(format!("{stem}.json")),
        markdown: dir.join(format!("{stem}.md")),
        svg: dir.join(format!("{stem}.svg")),
    };
    let json = serde_json::to_string_pretty(report)?;
    let md = format!(
        "# {title}\n\nProduced by:\n\n```\n{command}\n```\n\n{table}\n![{}]({stem}.svg)\n",
        plot.title.replace(['[', ']'], "")
    );
    for (path, body) in [
        (&w.json, json),
        (&w.markdown, md),
        (&w.svg, svg::line_chart(plot)),
    ] {
        std::fs::write(path, body).map_err(|e| Error::io(path, e))?;
    }
    Ok(w)
}

/// The command line of this process, for reports ("reco eval redial --data ...").
#[must_use]
pub fn command_line() -> String {
    let mut args = std::env::args();
    let first = args.next().map(|a| {
        Path::new(&a)
            .file_name()
            .map_or(a.clone(), |f| f.to_string_lossy().into_owned())
    });
    first
        .into_iter()
        .chain(args)
        .map(|a| crate::text::terminal_line(&a))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_files_side_by_side() {
        let dir = tempfile::tempdir().expect("tempdir");
        let plot = Plot {
            title: "Recall@k".into(),
            x_label: "k".into(),
            y_label: "recall".into(),
            x_ticks: vec![(0, "1".into()), (1, "2".into())],
            series: vec![Series {
                name: "reco".into(),
                values: vec![0.1, 0.2],
            }],
        };
        let w = write(
            dir.path(),
            "replay",
            "Replay",
            "reco eval redial",
            &serde_json::json!({"reco": 0.2}),
            "| a |\n|---|\n| 1 |\n",
            &plot,
        )
        .expect("written");
        let md = std::fs::read_to_string(&w.markdown).expect("md");
        assert!(md.starts_with("# Replay") && md.contains("![Recall@k](replay.svg)"));
        assert!(md.contains("reco eval redial"));
        let svg = std::fs::read_to_string(&w.svg).expect("svg");
        assert!(svg.starts_with("<svg") && svg.contains("reco"));
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&w.json).expect("json")).expect("parse");
        assert_eq!(json["reco"], 0.2);
    }
}
