//! The rows of the benchmark table, their budgets, and `BENCHMARKS.md`.

use std::fmt::Write as _;
use std::fs;
use std::time::Duration;

use ratecard_bench::Stats;

use super::wrk::{self, CONNECTIONS, THREADS};
use super::{Plan, browser, calc, payload, server, store};
use crate::tools::Browser;
use crate::util::cmd;

/// One kilobyte, as the budgets count it.
pub(super) const KB: f64 = 1000.0;

/// How a budget judges a figure's median.
#[derive(Clone, Copy)]
pub(super) enum Budget {
    /// A floor or a figure without a budget of its own.
    None,
    AtMost(f64),
    AtLeast(f64),
}

/// One line of the table.
pub(super) struct Row {
    pub(super) figure: String,
    unit: &'static str,
    pub(super) stats: Option<Stats>,
    budget: Budget,
    budget_text: String,
    note: String,
}

impl Row {
    pub(super) fn new(figure: impl Into<String>, unit: &'static str, stats: Option<Stats>) -> Row {
        Row {
            figure: figure.into(),
            unit,
            stats,
            budget: Budget::None,
            budget_text: String::new(),
            note: String::new(),
        }
    }

    pub(super) fn budget(mut self, budget: Budget, text: impl Into<String>) -> Row {
        self.budget = budget;
        self.budget_text = text.into();
        self
    }

    pub(super) fn note(mut self, note: impl Into<String>) -> Row {
        self.note = note.into();
        self
    }

    /// A row for a part that could not be measured: it fails its budget.
    pub(super) fn missing(figure: impl Into<String>, budget_text: &str, why: &str) -> Row {
        Row::new(figure, "", None)
            .budget(Budget::AtMost(f64::NAN), budget_text)
            .note(format!("not measured: {why}"))
    }

    /// `Some(true)` for PASS, `Some(false)` for FAIL, `None` without a budget.
    pub(super) fn verdict(&self) -> Option<bool> {
        let median = self.stats.map(|s| s.median);
        match self.budget {
            Budget::None => None,
            Budget::AtMost(limit) => Some(median.is_some_and(|m| m <= limit)),
            Budget::AtLeast(limit) => Some(median.is_some_and(|m| m >= limit)),
        }
    }

    fn result_text(&self) -> &'static str {
        match self.verdict() {
            None => "",
            Some(true) => "PASS",
            Some(false) => "FAIL",
        }
    }

    /// figure, median, min, max, samples, budget, result.
    fn cells(&self) -> [String; 7] {
        let show = |pick: fn(&Stats) -> f64| {
            self.stats
                .map_or_else(|| "—".to_owned(), |s| value_text(pick(&s), self.unit))
        };
        [
            self.figure.clone(),
            show(|s| s.median),
            show(|s| s.min),
            show(|s| s.max),
            self.stats
                .map_or_else(|| "0".to_owned(), |s| s.samples.to_string()),
            if self.budget_text.is_empty() {
                if self.figure.contains("floor") {
                    "floor".to_owned()
                } else {
                    "—".to_owned()
                }
            } else {
                self.budget_text.clone()
            },
            self.result_text().to_owned(),
        ]
    }
}

fn value_text(value: f64, unit: &str) -> String {
    match unit {
        "B" => format!("{:.1} KB", value / KB),
        "×" => format!("{value:.2} ×"),
        "ms" if value < 10.0 => format!("{value:.2} ms"),
        "ms" => format!("{value:.1} ms"),
        "µs" => format!("{value:.2} µs"),
        "req/s" => format!("{value:.0} req/s"),
        "events/s" => format!("{value:.0} events/s"),
        "MB" => format!("{value:.1} MB"),
        "" => format!("{value:.0}"),
        other => format!("{value} {other}"),
    }
}

/// One line of text from a command, or "unknown".
fn first_line(program: &str, args: &[&str]) -> String {
    cmd(program)
        .args(args)
        .output_ok()
        .and_then(|out| out.lines().next().map(str::trim).map(str::to_owned))
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The commit measured, marked when the working tree has uncommitted changes.
fn commit() -> String {
    let head = first_line("git", &["rev-parse", "HEAD"]);
    let dirty = cmd("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output_ok()
        .is_some_and(|out| !out.trim().is_empty());
    if dirty {
        format!("{head} (with uncommitted changes)")
    } else {
        head
    }
}

fn machine(browser: &Browser) -> Vec<(&'static str, String)> {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or_else(
            || "unknown".to_owned(),
            |kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0),
        );
    let chromium = browser.chromium.to_string_lossy().into_owned();
    vec![
        ("CPU", format!("{model}, {cores} cores available")),
        ("memory", memory),
        ("kernel", first_line("uname", &["-sr"])),
        ("rustc", first_line("rustc", &["-V"])),
        ("browser", first_line(&chromium, &["--version"])),
        (
            "load generator",
            format!("{} (-t{THREADS} -c{CONNECTIONS}, loopback)", wrk::version()),
        ),
        ("commit", commit()),
        ("date", first_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"])),
    ]
}

/// `BENCHMARKS.md`: the machine, the table, the notes and how each figure is taken.
pub(super) fn markdown(plan: &Plan, rows: &[Row], browser: &Browser, took: Duration) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask bench{}`; do not edit by hand. Each figure is measured beside a floor \
         built in the same run, and each budget is checked against the median. \
         1 KB = 1000 bytes. The run took {:.0} s.\n",
        if plan.smoke { " --smoke" } else { "" },
        took.as_secs_f64()
    );
    if plan.smoke {
        let _ = writeln!(
            md,
            "**A smoke run**: every part ran briefly to prove the harness works; its figures \
             are not meaningful and its budgets are not checked.\n"
        );
    }
    let _ = writeln!(md, "## Machine\n\n| | |\n|---|---|");
    for (key, value) in machine(browser) {
        let _ = writeln!(md, "| {key} | {value} |");
    }
    let _ = writeln!(
        md,
        "\n## Results\n\n| figure | median | min | max | samples | budget | result |\n|---|---|---|---|---|---|---|"
    );
    for row in rows {
        let _ = writeln!(md, "| {} |", row.cells().join(" | "));
    }
    let notes: Vec<&Row> = rows.iter().filter(|r| !r.note.is_empty()).collect();
    if !notes.is_empty() {
        let _ = writeln!(md, "\n## Notes\n");
        for row in notes {
            let _ = writeln!(md, "- **{}**: {}", row.figure, row.note.replace('\n', " "));
        }
    }
    let _ = writeln!(md, "\n## How each figure is taken\n");
    for paragraph in [
        payload::HOW.to_owned(),
        browser::how_first_render(plan),
        calc::HOW.to_owned(),
        browser::how_repaint(plan),
        server::how(plan),
        store::how(plan),
    ] {
        let _ = writeln!(md, "{paragraph}");
    }
    md
}

/// The table on the terminal.
pub(super) fn print_rows(rows: &[Row]) {
    println!("\nxtask: benchmark results (median / min / max, budget, result)");
    for row in rows {
        let cells = row.cells();
        println!(
            "  {:<4} {:<52} {:>12} {:>12} {:>12}  {}",
            cells[6], cells[0], cells[1], cells[2], cells[3], cells[5]
        );
        if row.stats.is_none() && !row.note.is_empty() {
            println!("       {}", row.note.lines().next().unwrap_or_default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_judge_the_median() {
        let row = |median: f64, budget: Budget| {
            Row::new("x", "", Some(Stats::one(median))).budget(budget, "b")
        };
        assert_eq!(row(3.0, Budget::AtMost(3.0)).verdict(), Some(true));
        assert_eq!(row(3.1, Budget::AtMost(3.0)).verdict(), Some(false));
        assert_eq!(row(0.69, Budget::AtLeast(0.7)).verdict(), Some(false));
        assert_eq!(row(1.0, Budget::None).verdict(), None);
        assert_eq!(Row::missing("x", "runs", "why").verdict(), Some(false));
    }

    #[test]
    fn cells_show_the_unit_and_the_floor() {
        let floor = Row::new(
            "payload floor: counter, brotli",
            "B",
            Some(Stats::one(28_512.0)),
        );
        assert_eq!(
            floor.cells(),
            [
                "payload floor: counter, brotli",
                "28.5 KB",
                "28.5 KB",
                "28.5 KB",
                "1",
                "floor",
                ""
            ]
            .map(str::to_owned)
        );
        let missing = Row::missing("server", "runs", "wrk failed");
        assert_eq!(
            missing.cells(),
            ["server", "—", "—", "—", "0", "runs", "FAIL"].map(str::to_owned)
        );
    }
}
