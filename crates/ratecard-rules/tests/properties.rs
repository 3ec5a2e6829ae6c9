//! Properties that hold for every input, checked with proptest (native only).

#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use ratecard_rules::api::{self, GenerationEvent, Subscription, UploadEvent};
use ratecard_rules::money::allocate;
use ratecard_rules::{Catalogue, Fraction};

const ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Sao_Paulo",
];
const PAID: &[&str] = &["pro", "studio", "max"];
const MODELS: &[&str] = &["stable-audio-1.0", "stable-audio-1.1", "stable-audio-2.0"];

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 2000,
        ..ProptestConfig::default()
    }
}

/// An instant between 2000 and 2100, to the second.
fn instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (946_684_800_i64..4_102_444_800).prop_map(|s| {
        DateTime::from_timestamp(s, 0)
            .unwrap_or_default()
            .fixed_offset()
    })
}

fn stable_audio() -> Catalogue {
    Catalogue::builtin("stable-audio").unwrap()
}

fn subscription(plan: &str, started_at: DateTime<FixedOffset>, zone: &str) -> Subscription {
    Subscription {
        plan: plan.to_owned(),
        started_at,
        time_zone: zone.to_owned(),
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap();
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap()
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1).unwrap()
    };
    u32::try_from((next - first).num_days()).unwrap()
}

proptest! {
    #![proptest_config(config())]

    /// R-MONEY-2: the lines always add up to `due_now`; R-UPGRADE-2: the credit never
    /// exceeds the old plan's price for the period; the remaining fraction lies in [0, 1].
    #[test]
    fn upgrade_lines_sum_and_credit_is_bounded(
        start in instant(),
        offset in 0_i64..(400 * 86_400),
        from in 0_usize..2,
        step in 1_usize..3,
        zone in 0..ZONES.len(),
        tax in proptest::option::of(0_u32..5000),
    ) {
        let to = (from + step).min(2);
        prop_assume!(to > from);
        let req = api::PlanChangeRequest {
            catalogue: None,
            subscription: subscription(PAID[from], start, ZONES[zone]),
            to_plan: PAID[to].to_owned(),
            at: start + Duration::seconds(offset),
            tax_rate_bp: tax,
        };
        let c = stable_audio();
        let p = api::upgrade_preview(&c, &req).unwrap();
        let sum: i64 = p.lines.iter().map(|l| l.amount_minor).sum();
        prop_assert_eq!(sum, p.due_now.amount_minor);
        let old_price = c.plan(PAID[from]).unwrap().price_minor;
        let credit = p.lines.iter().find(|l| l.amount_minor < 0).map_or(0, |l| l.amount_minor);
        prop_assert!(credit.abs() <= old_price);
        let r = p.remaining.unwrap();
        prop_assert!(0 <= r.seconds_left && r.seconds_left <= r.seconds_in_period);
        prop_assert!(p.period.start.to_utc() <= req.at.to_utc() && req.at.to_utc() < p.period.end.to_utc());
        prop_assert!(Fraction::new(i128::from(r.seconds_left), i128::from(r.seconds_in_period)).unwrap().is_at_most_one());
    }

    /// R-CYCLE-1, R-CYCLE-2: renewals strictly increase and fall on the anchor day when
    /// the month has it, else on the month's last day.
    #[test]
    fn renewals_increase_and_return_to_the_anchor_day(
        start in instant(),
        zone in 0..ZONES.len(),
        count in 1_u32..40,
    ) {
        let req = api::RenewalsRequest {
            catalogue: None,
            subscription: subscription("pro", start, ZONES[zone]),
            count,
        };
        let r = api::renewals(&stable_audio(), &req).unwrap();
        prop_assert_eq!(r.renewals.len(), count as usize);
        let tz: chrono_tz::Tz = ZONES[zone].parse().unwrap();
        let anchor_day = start.with_timezone(&tz).day();
        let mut last = start.to_utc();
        for at in &r.renewals {
            prop_assert!(at.to_utc() > last);
            last = at.to_utc();
            let local = at.with_timezone(&tz);
            let expected = anchor_day.min(days_in_month(local.year(), local.month()));
            prop_assert_eq!(local.day(), expected);
        }
    }

    /// R-QUOTA-1, R-UPLOAD-1: quotas never go negative, and used plus remaining is the
    /// allowance.
    #[test]
    fn quotas_never_go_negative(
        plan in 0_usize..4,
        start in instant(),
        gens in proptest::collection::vec((0_usize..3, 0_i64..(40 * 86_400)), 0..60),
        ups in proptest::collection::vec((0_u32..400, 0_i64..(40 * 86_400), any::<bool>()), 0..30),
        at in 0_i64..(40 * 86_400),
    ) {
        let plans = ["free", "pro", "studio", "max"];
        let req = api::QuotaRequest {
            catalogue: None,
            subscription: subscription(plans[plan], start, "UTC"),
            at: start + Duration::seconds(at),
            generations: gens.iter().map(|(m, t)| GenerationEvent {
                model: MODELS[*m].to_owned(),
                at: start + Duration::seconds(*t),
            }).collect(),
            uploads: ups.iter().map(|(s, t, f)| UploadEvent {
                seconds: *s,
                at: start + Duration::seconds(*t),
                copyright_flagged: *f,
            }).collect(),
        };
        let q = api::quota(&stable_audio(), &req).unwrap();
        prop_assert_eq!(q.credits.used + q.credits.remaining, q.credits.allowance);
        prop_assert_eq!(q.upload_seconds.used + q.upload_seconds.remaining, q.upload_seconds.allowance);
        let counted: u64 = q.uploads.iter().map(|u| u.counted_seconds).sum();
        prop_assert_eq!(counted, q.upload_seconds.used);
    }

    /// Loading a serialised catalogue gives the same catalogue, in JSON and in TOML.
    #[test]
    fn catalogue_round_trips(
        prices in proptest::collection::vec(1_i64..10_000_000, 3),
        credits in proptest::collection::vec(0_u64..1_000_000, 4),
        costs in proptest::collection::vec(1_u32..50, 3),
        name in "[A-Za-z][A-Za-z0-9 ]{0,20}",
        window in 1_u32..500,
        id in 0..3_usize,
    ) {
        let mut spec = Catalogue::builtin(Catalogue::builtin_ids()[id]).unwrap().spec().clone();
        spec.name = name;
        spec.refund_policy.window_hours = window;
        for (p, price) in spec.plans.iter_mut().filter(|p| p.price_minor > 0).zip(&prices) {
            p.price_minor = *price;
        }
        for (p, c) in spec.plans.iter_mut().zip(&credits) {
            p.credits_per_period = *c;
        }
        for (m, c) in spec.models.iter_mut().zip(&costs) {
            m.credits = *c;
        }
        let c = Catalogue::validate("prop", spec).unwrap();
        prop_assert_eq!(&Catalogue::from_json("prop.json", &c.to_json()).unwrap(), &c);
        prop_assert_eq!(&Catalogue::from_toml("prop.toml", &c.to_toml().unwrap()).unwrap(), &c);
    }

    /// The parts of an allocation always sum to the whole (R-MONEY-2).
    #[test]
    fn allocation_sums_to_the_whole(
        total in -1_000_000_000_000_i64..1_000_000_000_000,
        weights in proptest::collection::vec(0_u64..1_000_000, 1..12),
    ) {
        prop_assume!(weights.iter().any(|w| *w > 0));
        let parts = allocate(total, &weights).unwrap();
        prop_assert_eq!(parts.len(), weights.len());
        prop_assert_eq!(parts.iter().sum::<i64>(), total);
    }
}

proptest! {
    #![proptest_config(config())]

    /// The whole calculation is deterministic: the same history gives the same ledger.
    #[test]
    fn the_ledger_is_deterministic(
        start in instant(),
        steps in proptest::collection::vec((0_usize..7, 0_i64..(20 * 86_400)), 0..25),
        zone in 0..ZONES.len(),
    ) {
        let mut events = vec![serde_json::json!({"type": "subscribe", "at": start, "plan": "pro"})];
        for (kind, t) in &steps {
            let at = start + Duration::seconds(*t);
            events.push(match kind {
                0 => serde_json::json!({"type": "upgrade", "at": at, "to_plan": "max"}),
                1 => serde_json::json!({"type": "downgrade", "at": at, "to_plan": "studio"}),
                2 => serde_json::json!({"type": "generation", "at": at, "model": "stable-audio-2.0"}),
                3 => serde_json::json!({"type": "upload", "at": at, "seconds": 200, "copyright_flagged": true}),
                4 => serde_json::json!({"type": "refund-request", "at": at}),
                5 => serde_json::json!({"type": "refund", "at": at, "amount_minor": 600}),
                _ => serde_json::json!({"type": "grant", "at": at, "credits": 5}),
            });
        }
        let req: api::LedgerRequest = serde_json::from_value(serde_json::json!({
            "at": start + Duration::days(70),
            "time_zone": ZONES[zone],
            "tax_rate_bp": 2000,
            "events": events,
        })).unwrap();
        let c = stable_audio();
        let a = serde_json::to_string(&api::ledger(&c, &req).unwrap()).unwrap();
        let b = serde_json::to_string(&api::ledger(&c, &req).unwrap()).unwrap();
        prop_assert_eq!(a, b);
    }
}

proptest! {
    #![proptest_config(config())]

    /// The previews, the quota and the refund judgement are deterministic too, and the
    /// refund judgement does not depend on the order the generations are listed in.
    #[test]
    fn every_calculation_is_deterministic(
        start in instant(),
        at in 0_i64..(40 * 86_400),
        gens in proptest::collection::vec((0_usize..3, 0_i64..(40 * 86_400)), 0..20),
        zone in 0..ZONES.len(),
    ) {
        let c = stable_audio();
        let mut generations: Vec<GenerationEvent> = gens.iter().map(|(m, t)| GenerationEvent {
            model: MODELS[*m].to_owned(),
            at: start + Duration::seconds(*t),
        }).collect();
        let quote = |generations: &Vec<GenerationEvent>| {
            let req = api::QuoteRequest {
                catalogue: None,
                subscription: subscription("pro", start, ZONES[zone]),
                to_plan: "max".to_owned(),
                at: start + Duration::seconds(at),
                tax_rate_bp: Some(2000),
                generations: generations.clone(),
                uploads: Vec::new(),
            };
            serde_json::to_string(&api::quote(&c, &req).unwrap()).unwrap()
        };
        let refund = |generations: &Vec<GenerationEvent>| {
            let req = api::RefundRequest {
                catalogue: None,
                subscription: subscription("pro", start, ZONES[zone]),
                charge: api::ChargeRef { at: start, amount_minor: 1199 },
                request_at: start + Duration::seconds(at),
                reason: api::RefundReason::None,
                generations: generations.clone(),
                terminated_for_breach: false,
            };
            serde_json::to_string(&api::refund_eligibility(&c, &req).unwrap()).unwrap()
        };
        let (q, r) = (quote(&generations), refund(&generations));
        prop_assert_eq!(&q, &quote(&generations));
        prop_assert_eq!(&r, &refund(&generations));
        // The credits used since a charge are a sum, so the listing order cannot matter.
        generations.reverse();
        prop_assert_eq!(&r, &refund(&generations));
    }
}

/// A fixed point of the properties above, in a zone whose DST change is at midnight.
#[test]
fn renewals_in_a_midnight_dst_zone_still_increase() {
    let start = Utc
        .with_ymd_and_hms(2026, 9, 6, 0, 0, 0)
        .unwrap()
        .fixed_offset();
    let req = api::RenewalsRequest {
        catalogue: None,
        subscription: subscription("free", start, "America/Santiago"),
        count: 24,
    };
    let r = api::renewals(&stable_audio(), &req).unwrap();
    assert!(r.renewals.windows(2).all(|w| w[0] < w[1]));
}
