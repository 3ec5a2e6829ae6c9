//! Calculation benchmark inputs shared by the native and the wasm32 benchmarks.
//!
//! Three calculations of [`ratecard_rules::api`] are measured, always on the same inputs:
//!
//! * `upgrade_preview`: [`api::upgrade_preview`] of a Pro subscriber in Europe/Berlin
//!   moving to Studio in the middle of a period that spans the spring DST change, with
//!   German VAT ([`upgrade_preview_request`]);
//! * `quota_1000_events`: [`api::quota`] of a Max subscriber over 900 generations and
//!   100 uploads in one period ([`quota_request`]);
//! * `ledger_one_year`: [`api::ledger`] replaying one year of a Berlin account: a
//!   subscription, twelve monthly renewals, an upgrade, a scheduled downgrade, a grant of
//!   promotional credits, a one-off purchase, a refund request, and monthly generations
//!   and uploads ([`ledger_request`]).
//!
//! The builders are deterministic, so both targets compute the same answers; the
//! `EXPECTED_*` constants hold the native answers, which the unit tests check natively
//! and the wasm32 benchmark checks in the browser.
//!
//! ## How the figures are produced
//!
//! * Natively, `cargo bench -p ratecard-bench --bench native` runs criterion with the ids
//!   `upgrade_preview`, `quota_1000_events` and `ledger_one_year`. When
//!   `RATECARD_BENCH_OUT` is set, criterion writes its data under
//!   `$RATECARD_BENCH_OUT/criterion`, and the bench then reads each benchmark's
//!   `new/sample.json` (criterion's raw samples) and writes `$RATECARD_BENCH_OUT/native.json`
//!   with the median, minimum and maximum of the per-sample mean times (sample time divided
//!   by its iteration count) and the number of samples.
//! * In wasm32, `cargo test -p ratecard-bench --release --target wasm32-unknown-unknown
//!   --test wasm` runs in headless Chromium. It warms each calculation up, sizes a batch of
//!   iterations to about 10 ms, times the batches with `performance.now()` in rounds of one
//!   batch per calculation, so a slow stretch of the browser falls on all three alike, and
//!   prints one line per calculation: `RATECARD_BENCH {"name":…,"median_ns":…,"min_ns":…,"max_ns":…,"samples":…}`
//!   where each sample is a batch's time divided by its iteration count.
//! * `RATECARD_BENCH_SMOKE=1` shrinks both runs: at run time natively, and at compile time
//!   (`option_env!`) in wasm32, where the browser cannot read the environment.
//!
//! Both runs summarise their samples with [`Stats`], which also writes and reads their
//! JSON; `cargo xtask bench` reads them back and summarises its own figures with it.

mod stats;

pub use stats::{REPORT_PREFIX, Stats, percentile};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, TimeZone};
use ratecard_rules::Catalogue;
use ratecard_rules::Zone;
use ratecard_rules::api::{
    self, GenerationEvent, LedgerEvent, LedgerRequest, PlanChangeRequest, QuotaRequest,
    RefundReason, Subscription, UploadEvent,
};

/// The benchmark id of the upgrade preview.
pub const UPGRADE_PREVIEW: &str = "upgrade_preview";
/// The benchmark id of the quota over 1,000 usage events.
pub const QUOTA_1000_EVENTS: &str = "quota_1000_events";
/// The benchmark id of the one-year support ledger.
pub const LEDGER_ONE_YEAR: &str = "ledger_one_year";

/// The customer's IANA time zone in every input.
pub const TIME_ZONE: &str = "Europe/Berlin";

/// The `due_now` of [`upgrade_preview_request`], in minor units, as computed natively.
pub const EXPECTED_UPGRADE_DUE_MINOR: i64 = 1158;
/// The credits used in [`quota_request`]: 300 × 1 + 300 × 1 + 300 × 2.
pub const EXPECTED_QUOTA_CREDITS_USED: u64 = 1200;
/// The upload seconds used in [`quota_request`]: 100 uploads of 20 seconds.
pub const EXPECTED_QUOTA_UPLOAD_SECONDS_USED: u64 = 2000;
/// The number of timeline entries of [`ledger_request`], as computed natively.
pub const EXPECTED_LEDGER_TIMELINE_LEN: usize = 48;

/// The number of usage events in [`quota_request`].
pub const QUOTA_EVENTS: usize = 1000;

/// The built-in `stable-audio` catalogue every input is computed against.
///
/// # Panics
///
/// Never in practice: the built-in catalogue always validates.
///
/// # Example
///
/// ```
/// assert_eq!(ratecard_bench::catalogue().id(), "stable-audio");
/// ```
#[must_use]
pub fn catalogue() -> Catalogue {
    Catalogue::builtin("stable-audio").expect("the built-in stable-audio catalogue")
}

/// The Berlin wall-clock time `y-m-d h:min` as an instant with its local offset.
///
/// # Panics
///
/// If the local time does not exist or is ambiguous in Berlin; the inputs avoid both.
///
/// # Example
///
/// ```
/// let t = ratecard_bench::berlin(2027, 7, 1, 12, 0);
/// assert_eq!(t.to_rfc3339(), "2027-07-01T12:00:00+02:00");
/// ```
#[must_use]
pub fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
    let local = NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|date| date.and_hms_opt(h, min, 0))
        .expect("a valid calendar date and time");
    berlin_zone()
        .from_local_datetime(&local)
        .single()
        .expect("an unambiguous Berlin local time")
        .fixed_offset()
}

/// `t` shifted by `minutes`, re-expressed in Berlin's offset at the new instant.
fn berlin_after(t: DateTime<FixedOffset>, minutes: i64) -> DateTime<FixedOffset> {
    (t + TimeDelta::minutes(minutes))
        .with_timezone(&berlin_zone())
        .fixed_offset()
}

/// Europe/Berlin from the rules crate's zone database, the one every calculation uses.
fn berlin_zone() -> Zone {
    Zone::named(TIME_ZONE).expect("Europe/Berlin is in the database")
}

/// The generation models of the catalogue, in the order the inputs cycle through them.
const MODELS: [&str; 3] = ["stable-audio-1.0", "stable-audio-1.1", "stable-audio-2.0"];

/// The Berlin subscription start shared by the inputs: 10 January 2027, 09:30.
fn started_at() -> DateTime<FixedOffset> {
    berlin(2027, 1, 10, 9, 30)
}

/// The upgrade preview input: Pro since 10 January 2027 09:30 in Berlin, upgraded to
/// Studio on 24 March 2027 at 15:00, in the period from 10 March to 10 April that spans
/// the spring DST change, with 19 % tax.
///
/// # Example
///
/// ```
/// let req = ratecard_bench::upgrade_preview_request();
/// let p = ratecard_rules::api::upgrade_preview(&ratecard_bench::catalogue(), &req)?;
/// assert_eq!(p.due_now.amount_minor, ratecard_bench::EXPECTED_UPGRADE_DUE_MINOR);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
#[must_use]
pub fn upgrade_preview_request() -> PlanChangeRequest {
    PlanChangeRequest {
        catalogue: None,
        subscription: Subscription::monthly("pro", started_at(), TIME_ZONE),
        to_plan: "studio".to_owned(),
        at: berlin(2027, 3, 24, 15, 0),
        tax_rate_bp: Some(1900),
    }
}

/// The quota input: a Max subscriber since 10 January 2027 in Berlin, asked on 9 April
/// 2027 at 20:00, with [`QUOTA_EVENTS`] usage events in the period from 10 March: every
/// tenth is a 20-second upload, the rest are generations cycling through the three models.
///
/// # Example
///
/// ```
/// let req = ratecard_bench::quota_request();
/// assert_eq!(req.generations.len() + req.uploads.len(), ratecard_bench::QUOTA_EVENTS);
/// let q = ratecard_rules::api::quota(&ratecard_bench::catalogue(), &req)?;
/// assert_eq!(q.credits.used, ratecard_bench::EXPECTED_QUOTA_CREDITS_USED);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
#[must_use]
pub fn quota_request() -> QuotaRequest {
    let first = berlin(2027, 3, 10, 10, 0);
    let mut generations = Vec::with_capacity(QUOTA_EVENTS);
    let mut uploads = Vec::with_capacity(QUOTA_EVENTS / 10);
    for i in 0..QUOTA_EVENTS {
        // One event every 40 minutes spans 27.8 days, all inside the period.
        let at = berlin_after(first, i64::try_from(i).unwrap_or(0) * 40);
        if i % 10 == 9 {
            uploads.push(UploadEvent {
                seconds: 20,
                at,
                copyright_flagged: false,
            });
        } else {
            generations.push(GenerationEvent {
                model: MODELS[generations.len() % MODELS.len()].to_owned(),
                at,
            });
        }
    }
    QuotaRequest {
        catalogue: None,
        subscription: Subscription::monthly("max", started_at(), TIME_ZONE),
        at: berlin(2027, 4, 9, 20, 0),
        generations,
        uploads,
    }
}

/// The one-year support ledger input, reported on 20 January 2028 in Berlin with 19 % tax:
/// a Pro subscription on 10 January 2027 (so twelve monthly renewals follow), promotional
/// credits in February, an upgrade to Studio in June, a one-off purchase in August, a
/// downgrade to Pro scheduled in October, a refund request in December, and 30
/// generations and 3 uploads in every month.
///
/// # Example
///
/// ```
/// let req = ratecard_bench::ledger_request();
/// let l = ratecard_rules::api::ledger(&ratecard_bench::catalogue(), &req)?;
/// assert_eq!(l.state.plan.as_deref(), Some("pro"));
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
#[must_use]
pub fn ledger_request() -> LedgerRequest {
    let mut events = vec![
        LedgerEvent::Subscribe {
            at: started_at(),
            plan: "pro".to_owned(),
            interval: None,
            currency: None,
            trial: false,
        },
        LedgerEvent::Grant {
            at: berlin(2027, 2, 1, 8, 0),
            id: Some("welcome-promo".to_owned()),
            credits: 200,
            expires_at: None,
        },
        LedgerEvent::Upgrade {
            at: berlin(2027, 6, 20, 14, 0),
            to_plan: "studio".to_owned(),
            to_interval: None,
        },
        LedgerEvent::Charge {
            at: berlin(2027, 8, 5, 11, 15),
            amount_minor: 499,
            description: Some("Sample pack".to_owned()),
        },
        LedgerEvent::Downgrade {
            at: berlin(2027, 10, 15, 18, 45),
            to_plan: "pro".to_owned(),
            to_interval: None,
        },
        LedgerEvent::RefundRequest {
            at: berlin(2027, 12, 11, 9, 0),
            reason: RefundReason::default(),
            terminated_for_breach: false,
        },
    ];
    for month in 1..=12u32 {
        // Each month's usage starts the day after the renewal on the 10th.
        let first = berlin(2027, month, 11, 10, 0);
        for i in 0..30u32 {
            // One generation every 13 hours spans about 16 days.
            events.push(LedgerEvent::Generation {
                at: berlin_after(first, i64::from(i) * 13 * 60),
                model: MODELS[(i as usize) % MODELS.len()].to_owned(),
            });
        }
        for i in 0..3u32 {
            events.push(LedgerEvent::Upload {
                at: berlin_after(first, i64::from(i) * 3 * 24 * 60 + 7 * 60),
                seconds: 45 + 30 * i,
                copyright_flagged: i == 2 && month == 5,
            });
        }
    }
    LedgerRequest {
        catalogue: None,
        time_zone: TIME_ZONE.to_owned(),
        at: berlin(2028, 1, 20, 12, 0),
        tax_rate_bp: Some(1900),
        events,
    }
}

/// Computes the three calculations once and checks each against its native expectation,
/// so a benchmark never times a failing or different calculation.
///
/// # Errors
///
/// A sentence naming the calculation that failed or answered differently.
///
/// # Example
///
/// ```
/// ratecard_bench::check_expectations(&ratecard_bench::catalogue()).unwrap();
/// ```
pub fn check_expectations(catalogue: &Catalogue) -> Result<(), String> {
    let p = api::upgrade_preview(catalogue, &upgrade_preview_request())
        .map_err(|e| format!("upgrade_preview failed: {e}"))?;
    if p.due_now.amount_minor != EXPECTED_UPGRADE_DUE_MINOR {
        return Err(format!(
            "upgrade_preview: due_now is {}, expected {EXPECTED_UPGRADE_DUE_MINOR}",
            p.due_now.amount_minor
        ));
    }
    let q = api::quota(catalogue, &quota_request()).map_err(|e| format!("quota failed: {e}"))?;
    if q.credits.used != EXPECTED_QUOTA_CREDITS_USED
        || q.upload_seconds.used != EXPECTED_QUOTA_UPLOAD_SECONDS_USED
    {
        return Err(format!(
            "quota: used {} credits and {} upload seconds, expected {EXPECTED_QUOTA_CREDITS_USED} and {EXPECTED_QUOTA_UPLOAD_SECONDS_USED}",
            q.credits.used, q.upload_seconds.used
        ));
    }
    let l = api::ledger(catalogue, &ledger_request()).map_err(|e| format!("ledger failed: {e}"))?;
    if l.timeline.len() != EXPECTED_LEDGER_TIMELINE_LEN {
        return Err(format!(
            "ledger: {} timeline entries, expected {EXPECTED_LEDGER_TIMELINE_LEN}",
            l.timeline.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratecard_rules::api::EntryKind;

    #[test]
    fn the_upgrade_preview_computes() {
        let req = upgrade_preview_request();
        let p = api::upgrade_preview(&catalogue(), &req).expect("the preview computes");
        assert_eq!(p.due_now.amount_minor, EXPECTED_UPGRADE_DUE_MINOR);
        // The change falls strictly inside its period, so both a credit and a charge apply.
        assert!(p.period.start < req.at && req.at < p.period.end);
        assert!(p.due_now.amount_minor > 0);
    }

    #[test]
    fn the_quota_consumes_the_sum_of_its_events() {
        let cat = catalogue();
        let req = quota_request();
        assert_eq!(req.generations.len() + req.uploads.len(), QUOTA_EVENTS);
        let q = api::quota(&cat, &req).expect("the quota computes");
        let credits: u64 = req
            .generations
            .iter()
            .map(|g| u64::from(cat.model(&g.model).expect("a known model").credits))
            .sum();
        let seconds: u64 = req.uploads.iter().map(|u| u64::from(u.seconds)).sum();
        assert_eq!(q.credits.used, credits);
        assert_eq!(q.credits.used, EXPECTED_QUOTA_CREDITS_USED);
        assert_eq!(q.upload_seconds.used, seconds);
        assert_eq!(q.upload_seconds.used, EXPECTED_QUOTA_UPLOAD_SECONDS_USED);
        assert!(q.refused.is_empty());
    }

    #[test]
    fn the_ledger_covers_a_year_of_renewals() {
        let req = ledger_request();
        let l = api::ledger(&catalogue(), &req).expect("the ledger computes");
        let plan_events: Vec<_> = req
            .events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    LedgerEvent::Subscribe { .. } | LedgerEvent::Upgrade { .. }
                )
            })
            .map(LedgerEvent::at)
            .collect();
        let renewals = l
            .timeline
            .iter()
            .filter(|e| e.kind == EntryKind::AllowanceReset && !plan_events.contains(&e.at))
            .count();
        assert!(renewals >= 12, "only {renewals} renewals");
        assert_eq!(l.ignored_events, 0);
        assert_eq!(l.timeline.len(), EXPECTED_LEDGER_TIMELINE_LEN);
    }

    #[test]
    fn check_expectations_passes_natively() {
        assert_eq!(check_expectations(&catalogue()), Ok(()));
    }
}
