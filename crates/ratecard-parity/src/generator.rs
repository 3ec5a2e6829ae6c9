//! The deterministic generator of valid API requests and the native oracle.
//!
//! This file is shared, through `#[path]`, by the library and by `build.rs`, so the
//! cases the wasm32 test replays are generated and answered natively by the very same
//! code. It depends only on `ratecard-rules`, `serde_json` and `chrono`.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, SecondsFormat, TimeZone, Utc};
use ratecard_rules::api;
use ratecard_rules::{
    Catalogue, CatalogueKind, CatalogueSpec, Currency, DowngradeTiming, Interval, PriceSpec,
    PriceVersion, UpgradeAllowance, UploadOverflow,
};
use serde_json::{Value, json};

/// The HTTP path of every calculation endpoint of `ratecard_rules::api`, in the order of
/// [`api::Endpoint::ALL`].
pub const ENDPOINTS: [&str; api::Endpoint::ALL.len()] = {
    let mut paths = [""; api::Endpoint::ALL.len()];
    let mut i = 0;
    while i < paths.len() {
        paths[i] = api::Endpoint::ALL[i].path();
        i += 1;
    }
    paths
};

/// How many cases each seed of a seed set contributes.
pub const CASES_PER_SEED: usize = 30;

/// The size of the CI seed set: seeds 1 to 10, 30 cases each.
pub const CI_CASES: usize = 300;

/// The zones cases are placed in.
pub const ZONES: [&str; 12] = [
    "UTC",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Santiago",
    "Europe/Berlin",
    "Pacific/Chatham",
    "Asia/Tokyo",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Pacific/Apia",
];

/// One generated request.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The seed of the generator that produced it.
    pub seed: u64,
    /// The HTTP path, such as `/api/v1/previews/upgrade`.
    pub endpoint: &'static str,
    /// The JSON body.
    pub request: Value,
}

/// SplitMix64: a tiny, well-mixed, deterministic PRNG.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.wrapping_add_unsigned(self.below(span))
    }

    /// True with probability `percent` %.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        &items[i]
    }
}

/// `n` valid random requests, deterministic in `seed`; the endpoints rotate so that every
/// one is covered by any [`ENDPOINTS`]`.len()` consecutive cases.
#[must_use]
pub fn cases(seed: u64, n: usize) -> Vec<Case> {
    let mut rng = Rng::new(seed);
    let start = usize::try_from(rng.below(ENDPOINTS.len() as u64)).unwrap_or(0);
    (0..n)
        .map(|i| {
            let endpoint = api::Endpoint::ALL[(start + i) % ENDPOINTS.len()];
            let request = request(&mut rng, endpoint);
            Case {
                seed,
                endpoint: endpoint.path(),
                request,
            }
        })
        .collect()
}

/// The seed set of `total` cases: seeds 1, 2, … with [`CASES_PER_SEED`] cases each.
#[must_use]
pub fn seed_set(total: usize) -> Vec<Case> {
    seed_set_from(1, total)
}

/// `total` cases from seeds `first`, `first + 1`, … with [`CASES_PER_SEED`] cases each.
#[must_use]
pub fn seed_set_from(first: u64, total: usize) -> Vec<Case> {
    let mut out = Vec::with_capacity(total);
    let mut seed = first;
    while out.len() < total {
        out.extend(cases(seed, CASES_PER_SEED.min(total - out.len())));
        seed += 1;
    }
    out
}

/// The native answer to a case: the compact JSON of the response, or
/// `error:<RuleError::code()>`.
#[must_use]
pub fn answer(case: &Case) -> String {
    answer_for(case.endpoint, &case.request)
}

/// [`answer`] for an endpoint and a JSON body.
#[must_use]
pub fn answer_for(endpoint: &str, request: &Value) -> String {
    let Some(e) = api::Endpoint::from_path(endpoint) else {
        return format!("unknown-endpoint:{endpoint}");
    };
    match e.answer(request) {
        Ok(answer) => answer,
        Err(api::AnswerError::Request(e)) => format!("decode-error:{e}"),
        Err(api::AnswerError::Rule(e)) => format!("error:{}", e.code()),
        Err(api::AnswerError::Encode(e)) => format!("encode-error:{e}"),
    }
}

// ---------------------------------------------------------------------------------------
// Instants
// ---------------------------------------------------------------------------------------

/// Offsets, in minutes, an instant may be written with.
const OFFSETS_MIN: [i32; 12] = [0, 0, 60, -300, 330, 630, -180, 540, -240, 765, 345, -210];

/// Instants (UTC) of DST changes in the zones above, 2026 to 2029.
const DST_CHANGES: [(i32, u32, u32, u32); 20] = [
    (2026, 3, 29, 1),  // Europe/London, Europe/Berlin forward
    (2026, 10, 25, 1), // back
    (2027, 3, 28, 1),
    (2027, 10, 31, 1),
    (2028, 3, 26, 1),
    (2028, 10, 29, 1),
    (2026, 3, 8, 7), // America/New_York forward
    (2026, 11, 1, 6),
    (2027, 3, 14, 7),
    (2027, 11, 7, 6),
    (2028, 3, 12, 7),
    (2028, 11, 5, 6),
    (2026, 4, 4, 15), // Australia/Lord_Howe back (02:00 +11)
    (2026, 10, 3, 15),
    (2027, 4, 3, 15),
    (2027, 10, 2, 15),
    (2026, 4, 5, 3), // America/Santiago back
    (2026, 9, 6, 4),
    (2027, 4, 4, 3),
    (2027, 9, 5, 4),
];

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(28, |d| d.day())
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .unwrap_or_else(|| Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap())
}

/// A random instant in 2026 to 2029, biased toward month ends, 29 February and DST changes.
fn instant(rng: &mut Rng) -> DateTime<Utc> {
    let minute = *rng.pick(&[0u32, 0, 15, 30, 45, 59]);
    match rng.below(10) {
        0..=2 => {
            let y = i32::try_from(rng.range(2026, 2029)).unwrap_or(2027);
            let mo = u32::try_from(rng.range(1, 12)).unwrap_or(1);
            let last = days_in_month(y, mo);
            let d = last - u32::try_from(rng.below(2)).unwrap_or(0);
            let h = u32::try_from(rng.below(24)).unwrap_or(0);
            utc(y, mo, d, h, minute, 0)
        }
        3 => {
            let d = *rng.pick(&[28u32, 29, 29]);
            let h = u32::try_from(rng.below(24)).unwrap_or(0);
            utc(2028, 2, d, h, minute, 0)
        }
        4..=6 => {
            let (y, mo, d, h) = *rng.pick(&DST_CHANGES);
            let jitter = rng.range(-180, 180);
            utc(y, mo, d, h, 0, 0) + Duration::minutes(jitter)
        }
        _ => {
            let base = utc(2026, 1, 1, 0, 0, 0);
            base + Duration::seconds(rng.range(0, 4 * 365 * 86_400))
        }
    }
}

/// Local wall times inside a DST gap (skipped) or fold (repeated): zone, y, m, d, h, min.
const DST_WALLS: [(&str, i32, u32, u32, u32, u32); 12] = [
    ("Europe/London", 2027, 3, 28, 1, 30),
    ("Europe/London", 2027, 10, 31, 1, 30),
    ("Europe/Berlin", 2027, 3, 28, 2, 30),
    ("Europe/Berlin", 2026, 10, 25, 2, 30),
    ("America/New_York", 2027, 3, 14, 2, 30),
    ("America/New_York", 2027, 11, 7, 1, 30),
    ("Australia/Lord_Howe", 2027, 10, 3, 2, 15),
    ("Australia/Lord_Howe", 2027, 4, 4, 1, 45),
    ("America/Santiago", 2027, 9, 5, 0, 30),
    ("America/Santiago", 2027, 4, 3, 23, 30),
    ("Pacific/Chatham", 2027, 9, 26, 3, 0),
    ("America/St_Johns", 2027, 11, 7, 1, 15),
];

/// A subscription anchor and its zone. Three times in ten, the anchor is chosen so that a
/// later monthly renewal falls on a local wall time in a DST gap or fold of its zone;
/// otherwise it is [`instant`] in a random zone.
fn anchor(rng: &mut Rng) -> (DateTime<Utc>, &'static str) {
    if rng.chance(30) {
        let (zone, y, m, d, h, mi) = *rng.pick(&DST_WALLS);
        let back = u32::try_from(rng.range(0, 11)).unwrap_or(0);
        let months = i64::from(y) * 12 + i64::from(m) - 1 - i64::from(back);
        let (yy, mm) = (
            i32::try_from(months / 12).unwrap_or(y),
            u32::try_from(months % 12).unwrap_or(0) + 1,
        );
        let day = d.min(days_in_month(yy, mm));
        let local = NaiveDate::from_ymd_opt(yy, mm, day).and_then(|x| x.and_hms_opt(h, mi, 0));
        if let (Ok(tz), Some(local)) = (zone.parse::<chrono_tz::Tz>(), local)
            && let Some(t) = tz.from_local_datetime(&local).earliest()
        {
            return (t.with_timezone(&Utc), zone);
        }
    }
    (instant(rng), *rng.pick(&ZONES))
}

/// An instant at or after `base`: soon after, near a monthly boundary, or much later.
fn later(rng: &mut Rng, base: DateTime<Utc>) -> DateTime<Utc> {
    match rng.below(4) {
        0 => base + Duration::seconds(rng.range(0, 2 * 86_400)),
        1 => {
            let months = rng.range(0, 14);
            let t = base + Duration::days(months * 30 + rng.range(-1, 2));
            (t + Duration::minutes(rng.range(-120, 120))).max(base)
        }
        2 => base + Duration::seconds(rng.range(0, 45 * 86_400)),
        _ => base + Duration::seconds(rng.range(0, 420 * 86_400)),
    }
}

/// An RFC 3339 string for `t`, in a random offset, sometimes with `Z`.
fn rfc(rng: &mut Rng, t: DateTime<Utc>) -> Value {
    let minutes = *rng.pick(&OFFSETS_MIN);
    if minutes == 0 && rng.chance(50) {
        return Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    let off =
        FixedOffset::east_opt(minutes * 60).unwrap_or_else(|| FixedOffset::east_opt(0).unwrap());
    Value::String(t.with_timezone(&off).to_rfc3339())
}

// ---------------------------------------------------------------------------------------
// Catalogues
// ---------------------------------------------------------------------------------------

/// A catalogue used by a case: the validated catalogue (for ids, currencies and prices)
/// and its request form.
struct Cat {
    catalogue: Catalogue,
    field: Option<Value>,
}

impl Cat {
    fn spec(&self) -> &CatalogueSpec {
        self.catalogue.spec()
    }

    /// The price of `plan` per `interval` in `currency`, when it is sold so.
    fn price(&self, plan: &str, interval: Interval, currency: Currency) -> Option<i64> {
        let p = self.catalogue.plan(plan).ok()?;
        self.catalogue.price(p, interval, currency)
    }

    /// The plans sold per `interval` in `currency`, cheapest first: (id, price).
    fn by_price(&self, interval: Interval, currency: Currency) -> Vec<(String, i64)> {
        let mut p: Vec<(String, i64)> = self
            .spec()
            .plans
            .iter()
            .filter_map(|p| {
                self.catalogue
                    .price(p, interval, currency)
                    .map(|price| (p.id.clone(), price))
            })
            .collect();
        p.sort_by_key(|(_, price)| *price);
        p
    }

    /// The paid plans sold per `interval` in `currency`, cheapest first.
    fn paid(&self, interval: Interval, currency: Currency) -> Vec<(String, i64)> {
        let mut p = self.by_price(interval, currency);
        p.retain(|(_, price)| *price > 0);
        p
    }

    /// The catalogue's currencies, the default first.
    fn currencies(&self) -> Vec<Currency> {
        self.catalogue.currencies().to_vec()
    }

    fn trial_days(&self, plan: &str) -> Option<u32> {
        self.catalogue.plan(plan).ok().and_then(|p| p.trial_days)
    }
}

fn builtin(id: &str) -> CatalogueSpec {
    Catalogue::builtin(id)
        .map(|c| c.spec().clone())
        .expect("a built-in catalogue")
}

/// The request form of a generated spec, with the catalogue it validates to. A spec that
/// fails validation (a bug of the generator) is still sent, so the cases show it; its
/// prices are then read from the built-in it came from.
fn inline(spec: CatalogueSpec, fallback: &str) -> Cat {
    let field = serde_json::to_value(&spec).ok();
    let catalogue = Catalogue::validate("parity", spec)
        .or_else(|_| Catalogue::builtin(fallback))
        .expect("a built-in catalogue");
    Cat { catalogue, field }
}

fn by_id(id: &str, field: Option<Value>) -> Cat {
    Cat {
        catalogue: Catalogue::builtin(id).expect("a built-in catalogue"),
        field,
    }
}

/// A random price in `currency`, above 0.
fn price(rng: &mut Rng, currency: Currency) -> i64 {
    let base = rng.range(1, 400) * 25 - 1;
    match currency {
        Currency::Jpy | Currency::Krw => base * 10,
        Currency::Bhd | Currency::Kwd => base * 4 + rng.range(0, 9),
        _ => base,
    }
}

/// A yearly price for a monthly one: ten, eleven or twelve months' worth, or a little
/// under twelve; never below the monthly price (R-INTERVAL-1).
fn yearly(rng: &mut Rng, monthly: i64) -> i64 {
    match rng.below(4) {
        0 => monthly * 10,
        1 => monthly * 11,
        2 => monthly * 12,
        _ => (monthly * 12 - rng.range(0, monthly * 3)).max(monthly),
    }
}

/// `p`, raised until no price of `taken` equals it, then added to `taken`.
fn distinct(mut p: i64, taken: &mut Vec<i64>) -> i64 {
    while taken.contains(&p) {
        p += 1;
    }
    taken.push(p);
    p
}

/// Regions a pricing table may be asked for (R-CURRENCY-2), mapped or not, in either
/// case.
const REGIONS: [&str; 14] = [
    "DE", "FR", "IE", "GB", "JP", "US", "BR", "CH", "CA", "KR", "AU", "de", "gb", "jp",
];

/// A random subscription catalogue: `stable-audio` itself, or an inline variant of it.
fn subscription_catalogue(rng: &mut Rng) -> Cat {
    match rng.below(10) {
        0 => by_id("stable-audio", None),
        1 | 2 => by_id("stable-audio", Some(json!("stable-audio"))),
        _ => {
            let spec = variant(rng, builtin("stable-audio"));
            inline(spec, "stable-audio")
        }
    }
}

/// An inline variant of a built-in: currencies, prices per interval and currency, trials,
/// the recommended plan, allowances, models and policies.
#[allow(clippy::too_many_lines)]
fn variant(rng: &mut Rng, mut spec: CatalogueSpec) -> CatalogueSpec {
    let subscription = spec.kind == CatalogueKind::Subscription;
    spec.id = format!("parity-{}", rng.below(1000));
    spec.version = format!("v{}", rng.range(2, 9));
    spec.currency = *rng.pick(&Currency::ALL);
    let currency = spec.currency;
    // R-CURRENCY-1: sometimes several currencies, the default first.
    let mut currencies = vec![currency];
    if subscription && rng.chance(50) {
        for _ in 0..rng.range(1, 3) {
            let c = *rng.pick(&Currency::ALL);
            if !currencies.contains(&c) {
                currencies.push(c);
            }
        }
    }
    spec.currencies = if currencies.len() > 1 || rng.chance(20) {
        currencies.clone()
    } else {
        Vec::new()
    };
    // R-CURRENCY-2: some regions see another of the catalogue's currencies.
    spec.currency_by_region = BTreeMap::new();
    if currencies.len() > 1 {
        for region in REGIONS {
            if region.bytes().all(|b| b.is_ascii_uppercase()) && rng.chance(40) {
                spec.currency_by_region
                    .insert(region.to_owned(), *rng.pick(&currencies));
            }
        }
    }
    if subscription && rng.chance(30) {
        let mut extra = spec.plans[1].clone();
        extra.id = "plus".into();
        extra.name = "Plus".into();
        // A Stripe price id names one plan only.
        extra.stripe_price_ids = vec!["price_parity_plus".into()];
        spec.plans.push(extra);
    }
    // Prices distinct per interval and currency, so that "dearer" always decides.
    let mut taken: BTreeMap<(Interval, Currency), Vec<i64>> = BTreeMap::new();
    for plan in &mut spec.plans {
        plan.prices.clear();
        plan.trial_days = None;
        plan.recommended = false;
        if plan.price_minor == 0 {
            if subscription && rng.chance(20) {
                // A free plan may list its zero prices too.
                for c in &currencies {
                    plan.prices.push(PriceSpec {
                        interval: Interval::Month,
                        currency: *c,
                        amount_minor: 0,
                    });
                }
            }
        } else {
            let per_year = subscription && rng.chance(70);
            // A plan sold per year only, now and then.
            let per_month = !per_year || rng.chance(90);
            for c in &currencies {
                let m = price(rng, *c);
                let m = distinct(m, taken.entry((Interval::Month, *c)).or_default());
                if per_month {
                    plan.prices.push(PriceSpec {
                        interval: Interval::Month,
                        currency: *c,
                        amount_minor: m,
                    });
                }
                if per_year {
                    let y = yearly(rng, m);
                    let y = distinct(y, taken.entry((Interval::Year, *c)).or_default());
                    plan.prices.push(PriceSpec {
                        interval: Interval::Year,
                        currency: *c,
                        amount_minor: y,
                    });
                }
            }
            let default_price = |interval: Interval| {
                plan.prices
                    .iter()
                    .find(|p| p.interval == interval && p.currency == currency)
                    .map(|p| p.amount_minor)
            };
            plan.price_minor = default_price(Interval::Month)
                .or_else(|| default_price(Interval::Year))
                .unwrap_or(1);
            // One currency, per month only: the form without `prices` half the time.
            if currencies.len() == 1 && !per_year && rng.chance(50) {
                plan.prices.clear();
            }
            if subscription && rng.chance(35) {
                plan.trial_days = Some(*rng.pick(&[1u32, 3, 7, 7, 14, 30, 31]));
            }
        }
        plan.credits_per_period = u64::try_from(rng.range(0, 5000)).unwrap_or(0);
        if rng.chance(80) {
            plan.upload_seconds_per_period = u32::try_from(rng.range(1, 7200)).unwrap_or(60);
            plan.upload_crop_seconds = u32::try_from(rng.range(1, 600))
                .unwrap_or(30)
                .min(plan.upload_seconds_per_period);
        } else {
            plan.upload_seconds_per_period = 0;
            plan.upload_crop_seconds = 0;
        }
    }
    if rng.chance(60) {
        let i = usize::try_from(rng.below(spec.plans.len() as u64)).unwrap_or(0);
        spec.plans[i].recommended = true;
    }
    for model in &mut spec.models {
        model.credits = u32::try_from(rng.range(1, 5)).unwrap_or(1);
    }
    spec.policy.upgrade_allowance = if rng.chance(50) {
        UpgradeAllowance::Full
    } else {
        UpgradeAllowance::Prorated
    };
    spec.policy.downgrade = if rng.chance(50) {
        DowngradeTiming::EndOfPeriod
    } else {
        DowngradeTiming::ImmediateCredit
    };
    spec.policy.upload_overflow = if rng.chance(50) {
        UploadOverflow::Refuse
    } else {
        UploadOverflow::Crop
    };
    spec.policy.initial_term_periods = *rng.pick(&[1u32, 1, 1, 3, 12]);
    spec.refund_policy.window_hours = *rng.pick(&[24u32, 48, 48, 72, 336]);
    spec.refund_policy.usage_threshold_bp = *rng.pick(&[0u32, 100, 200, 200, 1000, 10_000]);
    let a = u32::try_from(rng.range(0, 5)).unwrap_or(2);
    spec.refund_policy.reply_business_days = [a, a + u32::try_from(rng.range(0, 5)).unwrap_or(0)];
    let b = u32::try_from(rng.range(0, 10)).unwrap_or(5);
    spec.refund_policy.bank_business_days = [b, b + u32::try_from(rng.range(0, 10)).unwrap_or(0)];
    spec.prepaid.expiry_months = u32::try_from(rng.range(1, 36)).unwrap_or(12);
    spec.earlier_versions = Vec::new();
    if rng.chance(40) {
        // An earlier price list, so that R-PRICE-LOCK-1 and R-PRICE-CHANGE-1 apply.
        let newest = utc(2026, 1, 1, 0, 0, 0) + Duration::days(rng.range(0, 730));
        spec.effective_from = newest;
        let mut earlier = PriceVersion {
            version: "v1".into(),
            effective_from: utc(2025, 1, 1, 0, 0, 0),
            prices: Default::default(),
        };
        for plan in &spec.plans {
            if plan.price_minor != 0 && rng.chance(70) {
                earlier.prices.insert(plan.id.clone(), price(rng, currency));
            }
        }
        spec.earlier_versions = vec![earlier];
    }
    spec
}

/// Any catalogue at all, for endpoints that do not need subscriptions.
fn any_catalogue(rng: &mut Rng) -> Cat {
    match rng.below(6) {
        0 => by_id("api-credits", Some(json!("api-credits"))),
        1 => by_id("pay-as-you-go", Some(json!("pay-as-you-go"))),
        2 => {
            let spec = variant(rng, builtin("api-credits"));
            inline(spec, "api-credits")
        }
        _ => subscription_catalogue(rng),
    }
}

fn with_catalogue(mut body: Value, cat: &Cat) -> Value {
    if let (Some(field), Some(obj)) = (&cat.field, body.as_object_mut()) {
        obj.insert("catalogue".into(), field.clone());
    }
    body
}

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

/// How a subscription is billed: its interval and its currency (R-INTERVAL-1,
/// R-CURRENCY-1).
#[derive(Clone, Copy, Debug)]
struct Terms {
    interval: Interval,
    currency: Currency,
}

/// Random terms of `cat` under which at least `min_paid` paid plans are sold: one of its
/// currencies, per year a third of the time. When the pick sells fewer, the first terms
/// that sell enough, monthly before yearly and in the order of the currencies.
fn terms(rng: &mut Rng, cat: &Cat, min_paid: usize) -> Terms {
    let currencies = cat.currencies();
    let currency = if rng.chance(50) {
        currencies[0]
    } else {
        *rng.pick(&currencies)
    };
    let interval = if rng.chance(35) {
        Interval::Year
    } else {
        Interval::Month
    };
    let pick = Terms { interval, currency };
    let enough = |t: &Terms| cat.paid(t.interval, t.currency).len() >= min_paid.max(1);
    if enough(&pick) {
        return pick;
    }
    currencies
        .iter()
        .flat_map(|c| {
            Interval::ALL.map(|interval| Terms {
                interval,
                currency: *c,
            })
        })
        .find(enough)
        .unwrap_or(pick)
}

/// A subscription with its terms; `interval` and `currency` are written when they are not
/// the defaults, and now and then when they are.
fn subscription(
    rng: &mut Rng,
    cat: &Cat,
    terms: Terms,
    plan: &str,
    started: DateTime<Utc>,
    zone: &str,
) -> Value {
    let mut s = json!({"plan": plan, "started_at": rfc(rng, started)});
    if zone != "UTC" || rng.chance(50) {
        s["time_zone"] = json!(zone);
    }
    if terms.interval != Interval::Month || rng.chance(15) {
        s["interval"] = json!(terms.interval);
    }
    if terms.currency != cat.catalogue.currency() || rng.chance(15) {
        s["currency"] = json!(terms.currency);
    }
    s
}

/// A subscription in its trial (R-TRIAL-3), as `POST /api/v1/trials/start` starts it, when
/// `plan` offers a trial; `None` otherwise.
fn trial_subscription(
    cat: &Cat,
    terms: Terms,
    plan: &str,
    started: DateTime<Utc>,
    zone: &str,
) -> Option<Value> {
    cat.trial_days(plan)?;
    let req: api::TrialStartRequest = serde_json::from_value(json!({
        "plan": plan,
        "interval": terms.interval,
        "currency": terms.currency,
        "at": started.to_rfc3339(),
        "time_zone": zone,
        "had_paid_or_trial": false,
    }))
    .ok()?;
    let start = api::trial_start(&cat.catalogue, &req).ok()?;
    start
        .trial
        .then(|| serde_json::to_value(&start.subscription).ok())
        .flatten()
}

/// [`subscription`], or one in its trial `percent` % of the time when the plan has one.
#[allow(clippy::too_many_arguments)]
fn maybe_trial(
    rng: &mut Rng,
    percent: u64,
    cat: &Cat,
    terms: Terms,
    plan: &str,
    started: DateTime<Utc>,
    zone: &str,
) -> Value {
    if rng.chance(percent)
        && let Some(s) = trial_subscription(cat, terms, plan, started, zone)
    {
        return s;
    }
    subscription(rng, cat, terms, plan, started, zone)
}

fn tax(rng: &mut Rng, body: &mut Value) {
    if rng.chance(60) {
        body["tax_rate_bp"] = json!(*rng.pick(&[0u32, 500, 825, 1000, 1750, 2000, 2500]));
    }
}

fn index(rng: &mut Rng, n: usize) -> usize {
    usize::try_from(rng.below(n as u64)).unwrap_or(0)
}

fn generations(rng: &mut Rng, cat: &Cat, from: DateTime<Utc>, to: DateTime<Utc>) -> Value {
    let n = if rng.chance(20) {
        rng.below(200)
    } else {
        rng.below(12)
    };
    let span = (to - from).num_seconds().max(0);
    let list: Vec<Value> = (0..n)
        .map(|_| {
            let at = from + Duration::seconds(rng.range(0, span));
            json!({"model": rng.pick(&cat.spec().models).id, "at": rfc(rng, at)})
        })
        .collect();
    Value::Array(list)
}

fn uploads(rng: &mut Rng, from: DateTime<Utc>, to: DateTime<Utc>) -> Value {
    let n = rng.below(8);
    let span = (to - from).num_seconds().max(0);
    let list: Vec<Value> = (0..n)
        .map(|_| {
            let at = from + Duration::seconds(rng.range(0, span));
            let mut u = json!({"seconds": rng.range(1, 900), "at": rfc(rng, at)});
            if rng.chance(15) {
                u["copyright_flagged"] = json!(true);
            }
            u
        })
        .collect();
    Value::Array(list)
}

#[allow(clippy::too_many_lines)]
fn request(rng: &mut Rng, endpoint: api::Endpoint) -> Value {
    use api::Endpoint as E;
    match endpoint {
        E::Renewals => {
            let cat = subscription_catalogue(rng);
            let t = terms(rng, &cat, 1);
            let plans = cat.by_price(t.interval, t.currency);
            let plan = rng.pick(&plans).0.clone();
            let (started, zone) = anchor(rng);
            let count = if rng.chance(80) {
                rng.range(1, 24)
            } else {
                rng.range(1, 120)
            };
            let sub = maybe_trial(rng, 15, &cat, t, &plan, started, zone);
            let body = json!({"subscription": sub, "count": count});
            with_catalogue(body, &cat)
        }
        E::UpgradePreview | E::DowngradePreview | E::Quote => {
            let cat = subscription_catalogue(rng);
            // Every variant of `stable-audio` sells at least three paid plans, each per
            // month or per year, so some terms sell two.
            let t = terms(rng, &cat, 2);
            // Per month the free plan comes first, and an upgrade from it is R-UPGRADE-3;
            // per year every plan is paid (R-INTERVAL-5, R-INTERVAL-6).
            let plans = cat.by_price(t.interval, t.currency);
            let paid = cat.paid(t.interval, t.currency);
            let up = endpoint != E::DowngradePreview;
            // Upgrades: from any but the dearest to a dearer one. Downgrades: from a paid
            // plan to a cheaper paid one.
            let (from, to) = if up {
                let i = index(rng, plans.len() - 1);
                let j = i + 1 + index(rng, plans.len() - i - 1);
                (plans[i].0.clone(), plans[j].0.clone())
            } else {
                let i = 1 + index(rng, paid.len() - 1);
                let j = index(rng, i);
                (paid[i].0.clone(), paid[j].0.clone())
            };
            let (started, zone) = anchor(rng);
            let at = later(rng, started);
            let mut body = json!({
                "subscription": subscription(rng, &cat, t, &from, started, zone),
                "to_plan": to,
                "at": rfc(rng, at),
            });
            tax(rng, &mut body);
            if endpoint == E::Quote {
                let period_start = at - Duration::days(20);
                let from_t = period_start.max(started);
                body["generations"] = generations(rng, &cat, from_t, at);
                body["uploads"] = uploads(rng, from_t, at);
            }
            with_catalogue(body, &cat)
        }
        E::CancelPreview => {
            let cat = subscription_catalogue(rng);
            let t = terms(rng, &cat, 1);
            let paid = cat.paid(t.interval, t.currency);
            let plan = rng.pick(&paid).0.clone();
            let (started, zone) = anchor(rng);
            let at = later(rng, started);
            let mut body = json!({
                "subscription": maybe_trial(rng, 10, &cat, t, &plan, started, zone),
                "at": rfc(rng, at),
            });
            if rng.chance(50) {
                body["to_plan"] = json!(cat.by_price(Interval::Month, t.currency)[0].0);
            }
            tax(rng, &mut body);
            let from_t = (at - Duration::days(20)).max(started);
            if rng.chance(70) {
                body["generations"] = generations(rng, &cat, from_t, at);
                body["uploads"] = uploads(rng, from_t, at);
            }
            with_catalogue(body, &cat)
        }
        E::Quota => {
            let cat = subscription_catalogue(rng);
            let t = terms(rng, &cat, 1);
            let plans = cat.by_price(t.interval, t.currency);
            let plan = rng.pick(&plans).0.clone();
            let (started, zone) = anchor(rng);
            let at = later(rng, started);
            let from_t = (at - Duration::days(35)).max(started);
            let mut body = json!({
                "subscription": maybe_trial(rng, 15, &cat, t, &plan, started, zone),
                "at": rfc(rng, at),
            });
            body["generations"] = generations(rng, &cat, from_t, at);
            body["uploads"] = uploads(rng, from_t, at);
            with_catalogue(body, &cat)
        }
        E::RefundEligibility => {
            let cat = subscription_catalogue(rng);
            let t = terms(rng, &cat, 1);
            let paid = cat.paid(t.interval, t.currency);
            let (plan, plan_price) = rng.pick(&paid).clone();
            let (started, zone) = anchor(rng);
            let charge_at = if rng.chance(50) {
                started
            } else {
                later(rng, started)
            };
            let request_at = if rng.chance(70) {
                charge_at + Duration::minutes(rng.range(0, 96 * 60))
            } else {
                later(rng, charge_at)
            };
            let amount = if rng.chance(80) {
                plan_price
            } else {
                rng.range(0, 100_000)
            };
            let mut body = json!({
                "subscription": subscription(rng, &cat, t, &plan, started, zone),
                "charge": {"at": rfc(rng, charge_at), "amount_minor": amount},
                "request_at": rfc(rng, request_at),
            });
            if rng.chance(60) {
                body["reason"] =
                    json!(rng.pick(&["none", "accidental-purchase", "unauthorized-charge"]));
            }
            if rng.chance(70) {
                body["generations"] = generations(rng, &cat, charge_at, request_at);
            }
            if rng.chance(10) {
                body["terminated_for_breach"] = json!(true);
            }
            with_catalogue(body, &cat)
        }
        E::LicenceCheck => {
            let cat = any_catalogue(rng);
            let plan = rng.pick(&cat.spec().plans).id.clone();
            let use_ = *rng.pick(&[
                "streaming-release",
                "social-media",
                "podcast",
                "video",
                "commercial-product",
            ]);
            let mut body = json!({"plan": plan, "use": use_});
            if use_ == "commercial-product" || rng.chance(20) {
                body["monthly_active_users"] = json!(
                    *rng.pick(&[0u64, 1, 999, 1000, 10_000, 50_000, 1_000_000]) + rng.below(3)
                );
            }
            if rng.chance(30) {
                body["current_plan"] = json!(rng.pick(&cat.spec().plans).id);
            }
            with_catalogue(body, &cat)
        }
        E::PrepaidBalance => {
            let first = instant(rng);
            let n = rng.range(0, 6);
            let mut grants = Vec::new();
            let mut total = 0u64;
            let mut last = first;
            for i in 0..n {
                let granted = first + Duration::seconds(rng.range(0, 30 * 86_400));
                last = last.max(granted);
                let credits = u64::try_from(rng.range(1, 100_000)).unwrap_or(1);
                total += credits;
                let mut g = json!({"id": format!("g{i}"), "credits": credits, "granted_at": rfc(rng, granted)});
                if rng.chance(40) {
                    g["expires_at"] = {
                        let t = granted + Duration::days(rng.range(90, 800));
                        rfc(rng, t)
                    };
                }
                grants.push(g);
            }
            let mut spends = Vec::new();
            let mut left = total;
            for _ in 0..rng.below(6) {
                if left == 0 {
                    break;
                }
                let c = 1 + rng.below(left.min(50_000));
                left -= c;
                let at = last + Duration::seconds(rng.range(0, 40 * 86_400));
                spends.push(json!({"credits": c, "at": rfc(rng, at)}));
            }
            let at = later(rng, last);
            let mut body = json!({"grants": grants, "spends": spends, "at": rfc(rng, at)});
            if rng.chance(50) {
                body["expiry_months"] = json!(rng.range(3, 36));
            }
            body
        }
        E::TopUpSimulation => {
            let currency = *rng.pick(&Currency::ALL);
            let topup = price(rng, currency) * rng.range(1, 5);
            let threshold = rng.range(0, topup - 1);
            let start = instant(rng);
            let n = if rng.chance(20) {
                rng.below(300)
            } else {
                rng.below(20)
            };
            let usage: Vec<Value> = (0..n)
                .map(|_| {
                    let at = start + Duration::seconds(rng.range(0, 60 * 86_400));
                    json!({"at": rfc(rng, at), "amount_minor": rng.range(0, topup * 2)})
                })
                .collect();
            let mut body = json!({
                "balance_minor": rng.range(0, topup * 3),
                "threshold_minor": threshold,
                "topup_minor": topup,
                "usage": usage,
            });
            tax(rng, &mut body);
            if rng.chance(70) {
                body["currency"] = json!(currency);
            }
            body
        }
        E::TermsDates => terms_dates(rng),
        E::Ledger => ledger(rng),
        E::ChangePreview => change(rng),
        E::TrialStart => trial_start(rng),
        E::Pricing => pricing(rng),
    }
}

fn terms_dates(rng: &mut Rng) -> Value {
    let created = instant(rng);
    let mut body = json!({"account_created_at": rfc(rng, created)});
    let claim = later(rng, created);
    if rng.chance(60) {
        body["claim_at"] = rfc(rng, claim);
    }
    if rng.chance(40) {
        body["dispute_notified_at"] = {
            let t = later(rng, created);
            rfc(rng, t)
        };
    }
    if rng.chance(70) {
        let payments: Vec<Value> = (0..rng.below(14))
            .map(|_| {
                let at = created + Duration::seconds(rng.range(0, 500 * 86_400));
                json!({"at": rfc(rng, at), "amount_minor": rng.range(0, 50_000)})
            })
            .collect();
        body["payments"] = Value::Array(payments);
    }
    if rng.chance(60) {
        body["currency"] = json!(rng.pick(&Currency::ALL));
    }
    if rng.chance(30) {
        body["arbitration_terms_updated_at"] = {
            let t = later(rng, created);
            rfc(rng, t)
        };
    }
    if rng.chance(30) {
        body["cancelled_at"] = {
            let t = later(rng, created);
            rfc(rng, t)
        };
    }
    if rng.chance(30) {
        body["last_active_at"] = {
            let t = later(rng, created);
            rfc(rng, t)
        };
    }
    if rng.chance(40) {
        let y = i32::try_from(rng.range(1940, 2016)).unwrap_or(2000);
        let m = u32::try_from(rng.range(1, 12)).unwrap_or(1);
        let d = if m == 2 && rng.chance(30) && y % 4 == 0 {
            29
        } else {
            u32::try_from(rng.range(1, i64::from(days_in_month(y, m)))).unwrap_or(1)
        };
        if let Some(dob) = NaiveDate::from_ymd_opt(y, m, d) {
            body["date_of_birth"] = json!(dob);
        }
    }
    body
}

/// `POST /api/v1/previews/change`: any change of plan or interval that the rules allow
/// (R-INTERVAL-4 to 6, R-UPGRADE, R-DOWNGRADE-1, R-CANCEL, R-TRIAL-2).
fn change(rng: &mut Rng) -> Value {
    let cat = subscription_catalogue(rng);
    let from_terms = terms(rng, &cat, 1);
    let currency = from_terms.currency;
    let from_plans = cat.by_price(from_terms.interval, currency);
    let (from, from_price) = rng.pick(&from_plans).clone();
    // The target: another plan or interval, sold in the subscription's currency. A
    // monthly plan moves to a yearly one only at a yearly price not below its monthly
    // price (R-INTERVAL-4); a few picks to find one.
    let mut target = None;
    for _ in 0..8 {
        let to_interval = if rng.chance(50) {
            from_terms.interval
        } else {
            *rng.pick(&Interval::ALL)
        };
        let plans = cat.by_price(to_interval, currency);
        if plans.is_empty() {
            continue;
        }
        let (to, to_price) = rng.pick(&plans).clone();
        let same = to == from && to_interval == from_terms.interval;
        let below = from_terms.interval == Interval::Month
            && to_interval == Interval::Year
            && to_price < from_price;
        if !same && !below {
            target = Some((to, to_interval));
            break;
        }
    }
    let (to, to_interval) = target.unwrap_or_else(|| {
        // The free plan is sold per month in every currency: a cancellation.
        (
            cat.by_price(Interval::Month, currency)[0].0.clone(),
            Interval::Month,
        )
    });
    let (started, zone) = anchor(rng);
    let at = later(rng, started);
    let sub = if from_price > 0 {
        maybe_trial(rng, 15, &cat, from_terms, &from, started, zone)
    } else {
        subscription(rng, &cat, from_terms, &from, started, zone)
    };
    let mut body = json!({"subscription": sub, "to_plan": to, "at": rfc(rng, at)});
    if to_interval != from_terms.interval || rng.chance(30) {
        body["to_interval"] = json!(to_interval);
    }
    tax(rng, &mut body);
    with_catalogue(body, &cat)
}

/// `POST /api/v1/trials/start`: a new subscription, with or without a trial (R-TRIAL-1).
fn trial_start(rng: &mut Rng) -> Value {
    let cat = subscription_catalogue(rng);
    let currencies = cat.currencies();
    let currency = *rng.pick(&currencies);
    let interval = if cat.paid(Interval::Year, currency).is_empty() || rng.chance(60) {
        Interval::Month
    } else {
        Interval::Year
    };
    let mut paid = cat.paid(interval, currency);
    // Plans with a trial more often than not.
    if rng.chance(60) {
        let with_trial: Vec<(String, i64)> = paid
            .iter()
            .filter(|(id, _)| cat.trial_days(id).is_some())
            .cloned()
            .collect();
        if !with_trial.is_empty() {
            paid = with_trial;
        }
    }
    let plan = if paid.is_empty() {
        // A catalogue whose currency has no paid plan: the free plan, which cannot start.
        cat.by_price(Interval::Month, currency)[0].0.clone()
    } else {
        rng.pick(&paid).0.clone()
    };
    let (at, zone) = anchor(rng);
    let mut body = json!({
        "plan": plan,
        "at": rfc(rng, at),
        "time_zone": zone,
        "had_paid_or_trial": rng.chance(25),
    });
    if interval != Interval::Month || rng.chance(20) {
        body["interval"] = json!(interval);
    }
    if currency != cat.catalogue.currency() || rng.chance(20) {
        body["currency"] = json!(currency);
    }
    tax(rng, &mut body);
    with_catalogue(body, &cat)
}

/// `POST /api/v1/pricing`: what a pricing table shows (R-INTERVAL-3, R-CURRENCY-2,
/// R-DISPLAY-1).
fn pricing(rng: &mut Rng) -> Value {
    let cat = any_catalogue(rng);
    let mut body = json!({});
    if rng.chance(30) {
        body["currency"] = json!(rng.pick(&cat.currencies()));
    }
    if rng.chance(60) {
        body["region"] = json!(rng.pick(&REGIONS));
    }
    if rng.chance(40) {
        body["tax_inclusive_rate_bp"] = json!(*rng.pick(&[0u32, 500, 700, 1900, 2000, 2100, 2500]));
    }
    with_catalogue(body, &cat)
}

/// Where a ledger's subscription stands while its history is generated.
struct Standing {
    plan: String,
    terms: Terms,
    subscribed: bool,
    /// Whether it was ever billed per year: a change back to monthly may still be
    /// pending, so later changes name their interval.
    was_yearly: bool,
}

fn ledger(rng: &mut Rng) -> Value {
    let cat = subscription_catalogue(rng);
    let first = terms(rng, &cat, 1);
    let (mut t, zone) = anchor(rng);
    let paid = cat.paid(first.interval, first.currency);
    let mut now = Standing {
        plan: rng.pick(&paid).0.clone(),
        terms: first,
        subscribed: true,
        was_yearly: first.interval == Interval::Year,
    };
    let first_at = rfc(rng, t);
    let mut events = vec![subscribe_event(rng, &cat, &now, first_at)];
    let cap = if rng.chance(20) { 80 } else { 20 };
    let n = rng.below(cap);
    for _ in 0..n {
        t += Duration::seconds(rng.range(0, 20 * 86_400));
        let at = rfc(rng, t);
        let e = match rng.below(13) {
            0 | 1 if now.subscribed => plan_change(rng, &cat, &mut now, at),
            2 if now.subscribed && rng.chance(30) => {
                now.subscribed = false;
                json!({"type": "cancel", "at": at, "close_account": rng.chance(30)})
            }
            3 if !now.subscribed => {
                // An account keeps the currency it started in (R-CURRENCY-1).
                let currency = now.terms.currency;
                now.terms.interval = if !cat.paid(Interval::Year, currency).is_empty()
                    && (cat.paid(Interval::Month, currency).is_empty() || rng.chance(35))
                {
                    Interval::Year
                } else {
                    Interval::Month
                };
                now.was_yearly |= now.terms.interval == Interval::Year;
                let paid = cat.paid(now.terms.interval, currency);
                now.plan = rng.pick(&paid).0.clone();
                now.subscribed = true;
                subscribe_event(rng, &cat, &now, at)
            }
            4..=6 => {
                json!({"type": "generation", "at": at, "model": rng.pick(&cat.spec().models).id})
            }
            7 => {
                json!({"type": "upload", "at": at, "seconds": rng.range(1, 600), "copyright_flagged": rng.chance(10)})
            }
            8 => {
                let amount = cat
                    .price(&now.plan, now.terms.interval, now.terms.currency)
                    .unwrap_or(0);
                json!({"type": "charge", "at": at, "amount_minor": amount, "description": "renewal"})
            }
            9 => json!({"type": "refund-request", "at": at,
                "reason": rng.pick(&["none", "accidental-purchase", "unauthorized-charge"])}),
            10 => {
                let mut g = json!({"type": "grant", "at": at, "credits": rng.range(1, 5000)});
                if rng.chance(50) {
                    g["expires_at"] = {
                        let e = t + Duration::days(rng.range(1, 400));
                        rfc(rng, e)
                    };
                }
                g
            }
            11 if rng.chance(50) => {
                let paid = cat
                    .price(&now.plan, now.terms.interval, now.terms.currency)
                    .unwrap_or(1)
                    .max(1);
                json!({"type": "refund", "at": at, "amount_minor": rng.range(1, paid), "description": "refund"})
            }
            _ => {
                json!({"type": "generation", "at": at, "model": rng.pick(&cat.spec().models).id})
            }
        };
        events.push(e);
    }
    // Shuffle a little: the ledger sorts stably by time.
    if events.len() > 2 && rng.chance(30) {
        let last = events.len() - 1;
        let i = 1 + index(rng, last);
        events.swap(i, last);
    }
    let report = if rng.chance(80) {
        later(rng, t)
    } else {
        t - Duration::days(rng.range(0, 30))
    };
    let mut body = json!({"at": rfc(rng, report), "events": events});
    if zone != "UTC" || rng.chance(50) {
        body["time_zone"] = json!(zone);
    }
    tax(rng, &mut body);
    with_catalogue(body, &cat)
}

/// A `subscribe` event to where `now` stands, with its interval, currency and trial
/// written when they are not the defaults (and now and then when they are).
fn subscribe_event(rng: &mut Rng, cat: &Cat, now: &Standing, at: Value) -> Value {
    let mut e = json!({"type": "subscribe", "at": at, "plan": now.plan});
    if now.terms.interval != Interval::Month || rng.chance(10) {
        e["interval"] = json!(now.terms.interval);
    }
    if now.terms.currency != cat.catalogue.currency() || rng.chance(10) {
        e["currency"] = json!(now.terms.currency);
    }
    if cat.trial_days(&now.plan).is_some() && rng.chance(40) {
        e["trial"] = json!(true);
    } else if rng.chance(5) {
        e["trial"] = json!(false);
    }
    e
}

/// An upgrade, a downgrade or an interval change from where `now` stands, in its
/// currency; `now` moves to the target.
fn plan_change(rng: &mut Rng, cat: &Cat, now: &mut Standing, at: Value) -> Value {
    let currency = now.terms.currency;
    let current = cat
        .price(&now.plan, now.terms.interval, currency)
        .unwrap_or(0);
    let monthly = now.terms.interval == Interval::Month;
    let yearly = cat.paid(Interval::Year, currency);
    // From a monthly plan to a yearly one at no less than the current monthly price
    // (R-INTERVAL-4).
    let to_yearly: Vec<(String, i64)> = yearly
        .iter()
        .filter(|(_, p)| *p >= current)
        .cloned()
        .collect();
    if monthly && !to_yearly.is_empty() && rng.chance(25) {
        let (to, _) = rng.pick(&to_yearly).clone();
        now.plan.clone_from(&to);
        now.terms.interval = Interval::Year;
        now.was_yearly = true;
        return json!({"type": "interval-change", "at": at, "to_plan": to, "to_interval": "year"});
    }
    // From a yearly plan to a monthly one: at the end of the year (R-INTERVAL-6).
    if !monthly && rng.chance(20) {
        let monthly_paid = cat.paid(Interval::Month, currency);
        if !monthly_paid.is_empty() {
            let (to, _) = rng.pick(&monthly_paid).clone();
            now.plan.clone_from(&to);
            now.terms.interval = Interval::Month;
            return json!({"type": "downgrade", "at": at, "to_plan": to, "to_interval": "month"});
        }
    }
    // Within the interval: a dearer plan is an upgrade, a cheaper paid one a downgrade.
    let paid = cat.paid(now.terms.interval, currency);
    let dearer: Vec<&(String, i64)> = paid.iter().filter(|(_, p)| *p > current).collect();
    let cheaper: Vec<&(String, i64)> = paid.iter().filter(|(_, p)| *p < current).collect();
    let (kind, list) = if !dearer.is_empty() && (cheaper.is_empty() || rng.chance(50)) {
        ("upgrade", dearer)
    } else if !cheaper.is_empty() {
        ("downgrade", cheaper)
    } else {
        return json!({"type": "generation", "at": at, "model": rng.pick(&cat.spec().models).id});
    };
    let to = rng.pick(&list).0.clone();
    let mut e = json!({"type": kind, "at": at, "to_plan": to});
    if now.was_yearly || rng.chance(10) {
        e["to_interval"] = json!(now.terms.interval);
    }
    now.plan = to;
    e
}
