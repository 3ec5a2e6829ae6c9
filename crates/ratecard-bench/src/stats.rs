//! Summary statistics of benchmark samples and the JSON they travel in.
//!
//! The native and the wasm32 benchmarks summarise their per-iteration times with
//! [`Stats`] and write them as JSON ([`Stats::to_json`], [`Stats::report_line`]);
//! `cargo xtask bench` reads them back ([`Stats::from_json`],
//! [`Stats::parse_report_line`]) and summarises its own samples (milliseconds, requests
//! per second, bytes) with the same type.

// Statistics of measurements, not money, so floating point is the right tool.
#![allow(clippy::float_arithmetic)]

use serde_json::Value;

/// The start of each line the wasm32 benchmark prints for one calculation.
pub const REPORT_PREFIX: &str = "RATECARD_BENCH ";

/// The median, minimum and maximum of some samples, and how many there were. The unit is
/// the samples' own: nanoseconds in this crate's benchmarks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    /// The median sample (the mean of the middle two for an even count).
    pub median: f64,
    /// The smallest sample.
    pub min: f64,
    /// The largest sample.
    pub max: f64,
    /// How many samples there were.
    pub samples: usize,
}

impl Stats {
    /// Summarises the finite samples; `None` when there are none.
    ///
    /// # Example
    ///
    /// ```
    /// let s = ratecard_bench::Stats::of(&[3.0, 1.0, 2.0, 10.0, f64::NAN]).unwrap();
    /// assert_eq!((s.median, s.min, s.max, s.samples), (2.5, 1.0, 10.0, 4));
    /// ```
    #[must_use]
    pub fn of(samples: &[f64]) -> Option<Stats> {
        let mut sorted: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Stats {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            samples: n,
        })
    }

    /// A single measurement.
    #[must_use]
    pub fn one(value: f64) -> Stats {
        Stats {
            median: value,
            min: value,
            max: value,
            samples: 1,
        }
    }

    /// The same statistics in another unit: `f` applied to the median, minimum and maximum.
    ///
    /// # Example
    ///
    /// ```
    /// let ns = ratecard_bench::Stats::of(&[1500.0, 2500.0]).unwrap();
    /// let us = ns.map(|x| x / 1000.0);
    /// assert_eq!((us.median, us.min, us.max, us.samples), (2.0, 1.5, 2.5, 2));
    /// ```
    #[must_use]
    pub fn map(self, f: impl Fn(f64) -> f64) -> Stats {
        Stats {
            median: f(self.median),
            min: f(self.min),
            max: f(self.max),
            samples: self.samples,
        }
    }

    /// The statistics of nanosecond samples as the JSON object of `native.json`, without a
    /// name.
    ///
    /// # Example
    ///
    /// ```
    /// let s = ratecard_bench::Stats::of(&[1.5]).unwrap();
    /// let expected: serde_json::Value =
    ///     serde_json::from_str(r#"{"max_ns":1.5,"median_ns":1.5,"min_ns":1.5,"samples":1}"#).unwrap();
    /// assert_eq!(s.to_json(), expected);
    /// ```
    #[must_use]
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "median_ns": self.median,
            "min_ns": self.min,
            "max_ns": self.max,
            "samples": self.samples,
        })
    }

    /// Reads an object written by [`Stats::to_json`] or [`Stats::report_line`]; `None`
    /// unless each of its four fields is a number.
    ///
    /// # Example
    ///
    /// ```
    /// let s = ratecard_bench::Stats::of(&[4.0, 2.0]).unwrap();
    /// assert_eq!(ratecard_bench::Stats::from_json(&s.to_json()), Some(s));
    /// assert_eq!(ratecard_bench::Stats::from_json(&serde_json::json!({"median_ns": 1})), None);
    /// ```
    #[must_use]
    pub fn from_json(object: &Value) -> Option<Stats> {
        let number = |key: &str| object.get(key).and_then(Value::as_f64);
        Some(Stats {
            median: number("median_ns")?,
            min: number("min_ns")?,
            max: number("max_ns")?,
            samples: usize::try_from(object.get("samples")?.as_u64()?).ok()?,
        })
    }

    /// The one-line report of the wasm32 benchmark: [`REPORT_PREFIX`] and a JSON object
    /// with the name first.
    ///
    /// # Example
    ///
    /// ```
    /// let s = ratecard_bench::Stats::of(&[2.0]).unwrap();
    /// assert_eq!(
    ///     s.report_line("quota_1000_events"),
    ///     r#"RATECARD_BENCH {"name":"quota_1000_events","median_ns":2.0,"min_ns":2.0,"max_ns":2.0,"samples":1}"#
    /// );
    /// ```
    #[must_use]
    pub fn report_line(&self, name: &str) -> String {
        // The fields are written in a fixed order so the line reads naturally; every value
        // goes through serde_json so the numbers are valid JSON.
        format!(
            "{REPORT_PREFIX}{{\"name\":{},\"median_ns\":{},\"min_ns\":{},\"max_ns\":{},\"samples\":{}}}",
            Value::from(name),
            Value::from(self.median),
            Value::from(self.min),
            Value::from(self.max),
            self.samples,
        )
    }

    /// Reads a line written by [`Stats::report_line`], surrounding white space allowed:
    /// the calculation's name and its statistics. `None` for any other line.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_bench::Stats;
    /// let s = Stats::of(&[2.0, 3.0]).unwrap();
    /// let line = format!("  {}\n", s.report_line("upgrade_preview"));
    /// assert_eq!(Stats::parse_report_line(&line), Some(("upgrade_preview".to_owned(), s)));
    /// assert_eq!(Stats::parse_report_line("test calculations_are_timed_in_wasm ... ok"), None);
    /// ```
    #[must_use]
    pub fn parse_report_line(line: &str) -> Option<(String, Stats)> {
        let object: Value = serde_json::from_str(line.trim().strip_prefix(REPORT_PREFIX)?).ok()?;
        let name = object.get("name")?.as_str()?.to_owned();
        Some((name, Stats::from_json(&object)?))
    }
}

/// The `p`th percentile of some samples by nearest rank; NaN without samples.
///
/// # Example
///
/// ```
/// let samples: Vec<f64> = (1..=200).map(f64::from).collect();
/// assert_eq!(ratecard_bench::percentile(&samples, 99.0), 198.0);
/// assert!(ratecard_bench::percentile(&[], 99.0).is_nan());
/// ```
#[must_use]
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_odd_and_even_counts() {
        let odd = Stats::of(&[5.0, 1.0, 3.0]).expect("samples");
        assert_eq!(
            (odd.median, odd.min, odd.max, odd.samples),
            (3.0, 1.0, 5.0, 3)
        );
        let even = Stats::of(&[4.0, 1.0, 2.0, 3.0]).expect("samples");
        assert_eq!(even.median, 2.5);
    }

    #[test]
    fn no_finite_samples_no_stats() {
        assert_eq!(Stats::of(&[]), None);
        assert_eq!(Stats::of(&[f64::NAN, f64::INFINITY]), None);
        assert_eq!(Stats::of(&[f64::INFINITY, 2.0]), Some(Stats::one(2.0)));
    }

    #[test]
    fn a_native_report_is_read_back() {
        let native: Value = serde_json::from_str(
            r#"{"upgrade_preview": {"median_ns": 1000.5, "min_ns": 900, "max_ns": 2000, "samples": 100},
                "quota_1000_events": {"median_ns": 5, "min_ns": 4, "max_ns": 6, "samples": 10}}"#,
        )
        .expect("JSON");
        let stats = Stats::from_json(&native["quota_1000_events"]).expect("quota figures");
        assert_eq!(
            (stats.median, stats.min, stats.max, stats.samples),
            (5.0, 4.0, 6.0, 10)
        );
        assert_eq!(Stats::from_json(&native["ledger_one_year"]), None);
    }

    #[test]
    fn a_wasm_report_line_is_read_back() {
        let line = r#"RATECARD_BENCH {"name":"upgrade_preview","median_ns":21796.8,"min_ns":19375.0,"max_ns":27187.4,"samples":10}"#;
        let (name, stats) = Stats::parse_report_line(line).expect("a report line");
        assert_eq!(name, "upgrade_preview");
        assert_eq!(
            (stats.median, stats.min, stats.max, stats.samples),
            (21796.8, 19375.0, 27187.4, 10)
        );
        assert_eq!(Stats::parse_report_line("RATECARD_BENCH {"), None);
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        assert_eq!(percentile(&[3.0, 1.0, 2.0], 50.0), 2.0);
        assert_eq!(percentile(&[3.0, 1.0, 2.0], 0.0), 1.0);
        assert_eq!(percentile(&[3.0, 1.0, 2.0], 100.0), 3.0);
    }
}
