//! The table the benchmark prints: one row per figure, each with a typed verdict.

use std::fmt::{self, Write as _};

/// What a row says of its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    /// The figure has no target; it is reported.
    Reported,
    /// The figure could not be measured on this run (a tool or an input was missing).
    NotMeasured,
}

impl Verdict {
    pub fn of(pass: bool) -> Verdict {
        if pass { Verdict::Pass } else { Verdict::Fail }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
            Verdict::Reported => "-",
            Verdict::NotMeasured => "n/a",
        })
    }
}

struct Row {
    /// Metric, floor, project, ratio or ideal, target.
    cells: [String; 5],
    verdict: Verdict,
}

#[derive(Default)]
pub struct Table {
    rows: Vec<Row>,
}

impl Table {
    /// A row: metric, floor, project, ratio or ideal, target; and its verdict.
    pub fn row(&mut self, cells: [&str; 5], verdict: Verdict) {
        self.rows.push(Row {
            cells: cells.map(str::to_owned),
            verdict,
        });
    }

    /// A row whose target is a largest ratio of the project's figure to the floor's.
    pub fn ratio(
        &mut self,
        metric: &str,
        floor: f64,
        project: f64,
        show: fn(f64) -> String,
        max: f64,
    ) {
        let ratio = project / floor;
        self.row(
            [
                metric,
                &show(floor),
                &show(project),
                &format!("{ratio:.2}x"),
                &format!("≤ {max:.2}x floor"),
            ],
            Verdict::of(ratio <= max),
        );
    }

    /// How many targets were missed.
    pub fn failed(&self) -> usize {
        self.rows
            .iter()
            .filter(|row| row.verdict == Verdict::Fail)
            .count()
    }

    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "| metric | floor | project | ratio or ideal | target | result |\n\
             | --- | --- | --- | --- | --- | --- |\n",
        );
        for row in &self.rows {
            let _ = writeln!(out, "| {} | {} |", row.cells.join(" | "), row.verdict);
        }
        out
    }
}
