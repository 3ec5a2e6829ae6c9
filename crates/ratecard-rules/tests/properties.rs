//! Properties that hold for every input, checked with proptest (native only).

#![cfg(not(target_arch = "wasm32"))]

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, Offset,
    TimeZone, Utc,
};
use proptest::prelude::*;
use ratecard_rules::api::{
    self, ChangeKind, EntryKind, GenerationEvent, LineKind, Subscription, UploadEvent,
};
use ratecard_rules::catalogue::PriceSpec;
use ratecard_rules::money::allocate;
use ratecard_rules::{Catalogue, Currency, Fraction, Interval};

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
    Subscription::monthly(plan, started_at, zone)
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
            // Every currency's price set by hand to the same figure, ten months a year.
            for q in &mut p.prices {
                q.amount_minor = match q.interval {
                    Interval::Month => *price,
                    Interval::Year => price * 10,
                };
            }
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

const PLANS: &[&str] = &["free", "pro", "studio", "max"];
const CURRENCIES: [Currency; 4] = [Currency::Usd, Currency::Eur, Currency::Gbp, Currency::Jpy];

/// A subscription billed per `interval` in `currency` (R-INTERVAL-1, R-CURRENCY-1).
fn billed(
    plan: &str,
    started_at: DateTime<FixedOffset>,
    zone: &str,
    interval: Interval,
    currency: Currency,
) -> Subscription {
    Subscription {
        interval,
        currency: Some(currency),
        ..Subscription::monthly(plan, started_at, zone)
    }
}

/// `date` moved by `months` calendar months onto `day`, or the month's last day when it
/// has no such day (R-CYCLE-2).
fn months_later(date: NaiveDate, day: u32, months: i32) -> NaiveDate {
    let index = date.year() * 12 + i32::try_from(date.month0()).unwrap() + months;
    let (year, month) = (
        index.div_euclid(12),
        index.rem_euclid(12).unsigned_abs() + 1,
    );
    NaiveDate::from_ymd_opt(year, month, day.min(days_in_month(year, month))).unwrap()
}

/// Where a wall-clock time of `tz` falls by R-CYCLE-3: in a gap it moves forward by the
/// gap (read with the offset in force before it), in a fold the earlier instant counts.
fn placed(tz: &chrono_tz::Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        MappedLocalTime::Single(t) => t.to_utc(),
        MappedLocalTime::Ambiguous(a, b) => a.to_utc().min(b.to_utc()),
        MappedLocalTime::None => {
            // The zones used here change their offset at most twice a year, so a day
            // earlier the offset before the gap is in force.
            let before = tz
                .offset_from_utc_datetime(&(local - Duration::days(1)))
                .fix()
                .local_minus_utc();
            Utc.from_utc_datetime(&(local - Duration::seconds(i64::from(before))))
        }
    }
}

/// `round(n / d)` for `n >= 0, d > 0`, half away from zero (R-MONEY-2).
fn rounded(n: i64, d: i64) -> i64 {
    (2 * n + d) / (2 * d)
}

/// A zone and an anchor in it: any instant, or half the time a local time between 00:00
/// and 04:00 in a month where these zones change their clocks, so that renewals and
/// allowance periods often fall in DST gaps and folds (R-CYCLE-3).
fn zone_and_anchor() -> impl Strategy<Value = (usize, DateTime<FixedOffset>)> {
    let any_instant = (0..ZONES.len(), instant());
    let near_a_change = (
        0..ZONES.len(),
        2000_i32..2060,
        prop::sample::select(vec![2_u32, 3, 4, 9, 10, 11]),
        1_u32..32,
        0_u32..(4 * 3600),
    )
        .prop_map(|(zone, year, month, day, second)| {
            let tz: chrono_tz::Tz = ZONES[zone].parse().unwrap();
            let day = day.min(days_in_month(year, month));
            let local = NaiveDate::from_ymd_opt(year, month, day)
                .unwrap()
                .and_hms_opt(second / 3600, second / 60 % 60, second % 60)
                .unwrap();
            (zone, placed(&tz, local).fixed_offset())
        });
    prop_oneof![any_instant, near_a_change]
}

fn quota_at(
    c: &Catalogue,
    subscription: &Subscription,
    at: DateTime<FixedOffset>,
) -> api::QuotaResponse {
    let req = api::QuotaRequest {
        catalogue: None,
        subscription: subscription.clone(),
        at,
        generations: Vec::new(),
        uploads: Vec::new(),
    };
    api::quota(c, &req).unwrap()
}

proptest! {
    #![proptest_config(config())]

    /// R-INTERVAL-1 with R-CYCLE-1 to 3: renewal k of a yearly subscription falls k years
    /// after the anchor, in the anchor's month, on min(anchor day, month length), at the
    /// anchor's local time (moved forward by a DST gap, the earlier of a fold), computed
    /// from the anchor every time; each is the plan's yearly price in its currency.
    #[test]
    fn yearly_renewals_return_to_the_anchor(
        (zone, start) in zone_and_anchor(),
        count in 1_u32..40,
        plan in 0..PAID.len(),
        currency in 0..CURRENCIES.len(),
    ) {
        let c = stable_audio();
        let currency = CURRENCIES[currency];
        let req = api::RenewalsRequest {
            catalogue: None,
            subscription: billed(PAID[plan], start, ZONES[zone], Interval::Year, currency),
            count,
        };
        let r = api::renewals(&c, &req).unwrap();
        prop_assert_eq!(r.renewals.len(), count as usize);
        prop_assert_eq!(r.currency, currency);
        let price = c.price(c.plan(PAID[plan]).unwrap(), Interval::Year, currency).unwrap();
        let tz: chrono_tz::Tz = ZONES[zone].parse().unwrap();
        let anchor = start.with_timezone(&tz).naive_local();
        for (k, (at, detail)) in r.renewals.iter().zip(&r.details).enumerate() {
            let years = i32::try_from(k + 1).unwrap();
            let day = months_later(anchor.date(), anchor.day(), 12 * years);
            let expected = placed(&tz, day.and_time(anchor.time()));
            prop_assert_eq!(at.to_utc(), expected, "renewal {} of a local anchor {}", k + 1, anchor);
            prop_assert_eq!(detail.price_minor, price);
        }
    }

    /// R-INTERVAL-2: the allowance periods of a yearly subscription tile its billing
    /// period. Asked at the start of each, the quota's period starts there and its last
    /// second still belongs to it; the first starts at the billing period's start, each
    /// next one where the last ended, the twelfth ends at the next yearly renewal, and
    /// each grants the plan's monthly allowance.
    #[test]
    fn allowance_periods_tile_the_yearly_period(
        (zone, start) in zone_and_anchor(),
        plan in 0..PAID.len(),
        year in 0_usize..3,
    ) {
        let c = stable_audio();
        let sub = billed(PAID[plan], start, ZONES[zone], Interval::Year, Currency::Usd);
        let req = api::RenewalsRequest {
            catalogue: None,
            subscription: sub.clone(),
            count: u32::try_from(year + 1).unwrap(),
        };
        let renewals = api::renewals(&c, &req).unwrap().renewals;
        let (from, to) = if year == 0 {
            (start, renewals[0])
        } else {
            (renewals[year - 1], renewals[year])
        };
        let allowance = c.plan(PAID[plan]).unwrap().credits_per_period;
        let mut t = from;
        let mut periods = 0;
        while t.to_utc() < to.to_utc() {
            let q = quota_at(&c, &sub, t);
            prop_assert_eq!(q.period.start.to_utc(), t.to_utc(), "a gap or overlap at {}", t);
            prop_assert!(q.period.end.to_utc() > t.to_utc());
            prop_assert!(q.period.end.to_utc() <= to.to_utc(), "{} runs past the yearly renewal {}", q.period.end, to);
            prop_assert_eq!(q.credits.allowance, allowance);
            let last = quota_at(&c, &sub, q.period.end - Duration::seconds(1));
            prop_assert_eq!(last.period.start.to_utc(), q.period.start.to_utc());
            prop_assert_eq!(last.period.end.to_utc(), q.period.end.to_utc());
            t = q.period.end;
            periods += 1;
            prop_assert!(periods <= 12, "more than 12 allowance periods in a year");
        }
        prop_assert_eq!(t.to_utc(), to.to_utc());
        prop_assert_eq!(periods, 12);
    }

    /// R-CURRENCY-1: any change of plan or interval is priced in the subscription's
    /// currency. `due_now` is in it and is the sum of the lines; a credit never exceeds
    /// the old price and a charge never the new one, in that currency; a new yearly term
    /// (R-INTERVAL-4) or a start from the free plan (R-UPGRADE-3) charges exactly the new
    /// price in it. Replayed in the ledger, the account stays in that currency and the
    /// money booked at the change is what the preview said.
    #[test]
    fn a_subscription_keeps_its_currency_through_any_change(
        start in instant(),
        days in 1_i64..400,
        seconds in 0_i64..86_400,
        zone in 0..ZONES.len(),
        currency in 0..CURRENCIES.len(),
        from in 0..PLANS.len(),
        from_year in any::<bool>(),
        to in 0..PLANS.len(),
        to_year in any::<bool>(),
        tax in proptest::option::of(0_u32..5000),
    ) {
        // The free plan is sold per month only.
        let interval = |plan: usize, year: bool| {
            if plan > 0 && year { Interval::Year } else { Interval::Month }
        };
        let (from_interval, to_interval) = (interval(from, from_year), interval(to, to_year));
        prop_assume!(from != to || from_interval != to_interval);
        let c = stable_audio();
        let currency = CURRENCIES[currency];
        let at = start + Duration::days(days) + Duration::seconds(seconds);
        let req = api::ChangeRequest {
            catalogue: None,
            subscription: billed(PLANS[from], start, ZONES[zone], from_interval, currency),
            to_plan: PLANS[to].to_owned(),
            to_interval: Some(to_interval),
            at,
            tax_rate_bp: tax,
        };
        let p = api::change_preview(&c, &req);
        prop_assert!(p.is_ok(), "{:?}", p);
        let p = p.unwrap();
        prop_assert_eq!(p.due_now.currency, currency);
        prop_assert_eq!(p.lines.iter().map(|l| l.amount_minor).sum::<i64>(), p.due_now.amount_minor);
        let price = |plan: usize, interval: Interval| {
            c.price(c.plan(PLANS[plan]).unwrap(), interval, currency).unwrap()
        };
        for line in &p.lines {
            match line.kind {
                LineKind::Credit => prop_assert!(-line.amount_minor <= price(from, from_interval)),
                LineKind::Charge => prop_assert!(line.amount_minor <= price(to, to_interval)),
                LineKind::Tax => prop_assert!(line.amount_minor >= 0),
            }
        }
        let charge = p.lines.iter().find(|l| l.kind == LineKind::Charge).map(|l| l.amount_minor);
        if p.kind == ChangeKind::IntervalChange || (from == 0 && to > 0) {
            prop_assert_eq!(charge, Some(price(to, to_interval)));
        }
        let ledger: api::LedgerRequest = serde_json::from_value(serde_json::json!({
            "at": at + Duration::days(400),
            "time_zone": ZONES[zone],
            "tax_rate_bp": tax,
            "events": [
                {"type": "subscribe", "at": start, "plan": PLANS[from],
                 "interval": from_interval, "currency": currency},
                {"type": "interval-change", "at": at, "to_plan": PLANS[to], "to_interval": to_interval},
            ],
        })).unwrap();
        let l = api::ledger(&c, &ledger).unwrap();
        prop_assert_eq!(l.currency, currency);
        if matches!(p.kind, ChangeKind::Upgrade | ChangeKind::IntervalChange) {
            let booked: i64 = l
                .timeline
                .iter()
                .filter(|e| e.at.to_utc() == at.to_utc())
                .filter(|e| matches!(e.kind, EntryKind::Charge | EntryKind::Credit | EntryKind::Tax))
                .filter_map(|e| e.amount_minor)
                .sum();
            prop_assert_eq!(booked, p.due_now.amount_minor);
        }
    }

    /// R-INTERVAL-3 and R-DISPLAY-1 for any monthly and yearly price: the shown price is
    /// `price + round(price × rate)`, the monthly equivalent `round(shown / 12)`, and the
    /// saving `floor(100 × (12 × monthly − yearly) / (12 × monthly))` of the tax-exclusive
    /// prices, absent when it is 0 or less.
    #[test]
    fn pricing_rounds_the_saving_down_and_the_tax_half_away(
        prices in proptest::collection::vec((1_i64..2_000_000, 0_i64..15_000), 3),
        rate in proptest::option::of(0_u32..5000),
    ) {
        let mut spec = stable_audio().spec().clone();
        spec.currencies = Vec::new();
        spec.currency_by_region.clear();
        let mut expected = Vec::new();
        for (plan, (month, extra)) in spec.plans.iter_mut().filter(|p| p.price_minor > 0).zip(&prices) {
            // A yearly price from the monthly one to sixteen times it.
            let year = month + month * extra / 1000;
            plan.price_minor = *month;
            plan.prices = vec![
                PriceSpec { interval: Interval::Month, currency: Currency::Usd, amount_minor: *month },
                PriceSpec { interval: Interval::Year, currency: Currency::Usd, amount_minor: year },
            ];
            expected.push((plan.id.clone(), *month, year));
        }
        let c = Catalogue::validate("prop", spec).unwrap();
        let req = api::PricingRequest { tax_inclusive_rate_bp: rate, ..api::PricingRequest::default() };
        let table = api::pricing(&c, &req).unwrap();
        prop_assert_eq!(table.currency, Currency::Usd);
        let shown = |p: i64| p + rounded(p * i64::from(rate.unwrap_or(0)), 10_000);
        let free = &table.plans[0];
        prop_assert_eq!(free.prices.len(), 1);
        prop_assert_eq!((free.prices[0].amount_minor, free.prices[0].shown_minor), (0, 0));
        prop_assert_eq!(free.prices[0].saving_percent, None);
        for (plan, (id, month, year)) in table.plans[1..].iter().zip(&expected) {
            prop_assert_eq!(&plan.id, id);
            prop_assert_eq!(plan.prices.len(), 2);
            let (m, y) = (&plan.prices[0], &plan.prices[1]);
            prop_assert_eq!((m.interval, m.amount_minor, m.shown_minor), (Interval::Month, *month, shown(*month)));
            prop_assert_eq!((y.interval, y.amount_minor, y.shown_minor), (Interval::Year, *year, shown(*year)));
            prop_assert_eq!(y.per_month_minor, Some(rounded(shown(*year), 12)));
            let saving = 100 * (12 * month - year) / (12 * month);
            let saving = (12 * month > *year && saving > 0).then(|| u32::try_from(saving).unwrap());
            prop_assert_eq!(y.saving_percent, saving, "monthly {} yearly {}", month, year);
        }
    }
}
