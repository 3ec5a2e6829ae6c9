//! The deterministic generator of valid API requests and the native oracle.
//!
//! This file is shared, through `#[path]`, by the library and by `build.rs`, so the
//! cases the wasm32 test replays are generated and answered natively by the very same
//! code. It depends only on `ratecard-rules`, `serde_json` and `chrono`.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, SecondsFormat, TimeZone, Utc};
use ratecard_rules::api;
use ratecard_rules::{
    Catalogue, CatalogueSpec, Currency, DowngradeTiming, PriceVersion, UpgradeAllowance,
    UploadOverflow,
};
use serde_json::{Value, json};

/// The HTTP path of every calculation endpoint of `ratecard_rules::api`, in the order of
/// [`api::Endpoint::ALL`].
pub const ENDPOINTS: [&str; 12] = {
    let mut paths = [""; 12];
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
/// one is covered by any 12 consecutive cases.
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

/// A catalogue used by a case: the spec (for ids and prices) and its request form.
struct Cat {
    spec: CatalogueSpec,
    field: Option<Value>,
}

fn builtin(id: &str) -> CatalogueSpec {
    Catalogue::builtin(id)
        .map(|c| c.spec().clone())
        .expect("a built-in catalogue")
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

/// A random subscription catalogue: `stable-audio` itself, or an inline variant of it.
fn subscription_catalogue(rng: &mut Rng) -> Cat {
    let spec = builtin("stable-audio");
    match rng.below(10) {
        0 => Cat { spec, field: None },
        1 | 2 => Cat {
            spec,
            field: Some(json!("stable-audio")),
        },
        _ => {
            let spec = variant(rng, spec);
            let field = serde_json::to_value(&spec).ok();
            Cat { spec, field }
        }
    }
}

/// An inline variant of a built-in: currency, prices, allowances, models and policies.
fn variant(rng: &mut Rng, mut spec: CatalogueSpec) -> CatalogueSpec {
    spec.id = format!("parity-{}", rng.below(1000));
    spec.version = format!("v{}", rng.range(2, 9));
    spec.currency = *rng.pick(&Currency::ALL);
    let currency = spec.currency;
    if spec.kind == ratecard_rules::CatalogueKind::Subscription && rng.chance(30) {
        let mut extra = spec.plans[1].clone();
        extra.id = "plus".into();
        extra.name = "Plus".into();
        // A Stripe price id names one plan only.
        extra.stripe_price_ids = vec!["price_parity_plus".into()];
        spec.plans.push(extra);
    }
    let mut prices: Vec<i64> = Vec::new();
    for plan in &mut spec.plans {
        if plan.price_minor != 0 {
            let mut p = price(rng, currency);
            while prices.contains(&p) {
                p += 1;
            }
            prices.push(p);
            plan.price_minor = p;
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
        0 => Cat {
            spec: builtin("api-credits"),
            field: Some(json!("api-credits")),
        },
        1 => Cat {
            spec: builtin("pay-as-you-go"),
            field: Some(json!("pay-as-you-go")),
        },
        2 => {
            let spec = variant(rng, builtin("api-credits"));
            let field = serde_json::to_value(&spec).ok();
            Cat { spec, field }
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

fn subscription(rng: &mut Rng, plan: &str, started: DateTime<Utc>, zone: &str) -> Value {
    let mut s = json!({"plan": plan, "started_at": rfc(rng, started)});
    if zone != "UTC" || rng.chance(50) {
        s["time_zone"] = json!(zone);
    }
    s
}

fn tax(rng: &mut Rng, body: &mut Value) {
    if rng.chance(60) {
        body["tax_rate_bp"] = json!(*rng.pick(&[0u32, 500, 825, 1000, 1750, 2000, 2500]));
    }
}

/// Plans sorted by price: (id, price).
fn plans_by_price(spec: &CatalogueSpec) -> Vec<(String, i64)> {
    let mut p: Vec<(String, i64)> = spec
        .plans
        .iter()
        .map(|p| (p.id.clone(), p.price_minor))
        .collect();
    p.sort_by_key(|(_, price)| *price);
    p
}

fn generations(
    rng: &mut Rng,
    spec: &CatalogueSpec,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Value {
    let n = if rng.chance(20) {
        rng.below(200)
    } else {
        rng.below(12)
    };
    let span = (to - from).num_seconds().max(0);
    let list: Vec<Value> = (0..n)
        .map(|_| {
            let at = from + Duration::seconds(rng.range(0, span));
            json!({"model": rng.pick(&spec.models).id, "at": rfc(rng, at)})
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

fn request(rng: &mut Rng, endpoint: api::Endpoint) -> Value {
    use api::Endpoint as E;
    match endpoint {
        E::Renewals => {
            let cat = subscription_catalogue(rng);
            let plan = &rng.pick(&cat.spec.plans).id.clone();
            let (started, zone) = anchor(rng);
            let count = if rng.chance(80) {
                rng.range(1, 24)
            } else {
                rng.range(1, 120)
            };
            let body =
                json!({"subscription": subscription(rng, plan, started, zone), "count": count});
            with_catalogue(body, &cat)
        }
        E::UpgradePreview | E::DowngradePreview | E::Quote => {
            let cat = subscription_catalogue(rng);
            let plans = plans_by_price(&cat.spec);
            let up = endpoint != E::DowngradePreview;
            // Upgrades: from any but the dearest to a dearer one. Downgrades: from a paid
            // plan to a cheaper paid one.
            let (from, to) = if up {
                let i = usize::try_from(rng.below(plans.len() as u64 - 1)).unwrap_or(0);
                let j =
                    i + 1 + usize::try_from(rng.below((plans.len() - i - 1) as u64)).unwrap_or(0);
                (i, j)
            } else {
                let i = 2 + usize::try_from(rng.below(plans.len() as u64 - 2)).unwrap_or(0);
                let j = 1 + usize::try_from(rng.below(i as u64 - 1)).unwrap_or(0);
                (i, j)
            };
            let (started, zone) = anchor(rng);
            let at = later(rng, started);
            let mut body = json!({
                "subscription": subscription(rng, &plans[from].0, started, zone),
                "to_plan": plans[to].0,
                "at": rfc(rng, at),
            });
            tax(rng, &mut body);
            if endpoint == E::Quote {
                let period_start = at - Duration::days(20);
                let from_t = period_start.max(started);
                body["generations"] = generations(rng, &cat.spec, from_t, at);
                body["uploads"] = uploads(rng, from_t, at);
            }
            with_catalogue(body, &cat)
        }
        E::CancelPreview => {
            let cat = subscription_catalogue(rng);
            let plans = plans_by_price(&cat.spec);
            let i = 1 + usize::try_from(rng.below(plans.len() as u64 - 1)).unwrap_or(0);
            let (started, zone) = anchor(rng);
            let at = later(rng, started);
            let mut body = json!({
                "subscription": subscription(rng, &plans[i].0, started, zone),
                "at": rfc(rng, at),
            });
            if rng.chance(50) {
                body["to_plan"] = json!(plans[0].0);
            }
            tax(rng, &mut body);
            let from_t = (at - Duration::days(20)).max(started);
            if rng.chance(70) {
                body["generations"] = generations(rng, &cat.spec, from_t, at);
                body["uploads"] = uploads(rng, from_t, at);
            }
            with_catalogue(body, &cat)
        }
        E::Quota => {
            let cat = subscription_catalogue(rng);
            let plan = rng.pick(&cat.spec.plans).id.clone();
            let (started, zone) = anchor(rng);
            let at = later(rng, started);
            let from_t = (at - Duration::days(35)).max(started);
            let mut body = json!({
                "subscription": subscription(rng, &plan, started, zone),
                "at": rfc(rng, at),
            });
            body["generations"] = generations(rng, &cat.spec, from_t, at);
            body["uploads"] = uploads(rng, from_t, at);
            with_catalogue(body, &cat)
        }
        E::RefundEligibility => {
            let cat = subscription_catalogue(rng);
            let plans = plans_by_price(&cat.spec);
            let i = 1 + usize::try_from(rng.below(plans.len() as u64 - 1)).unwrap_or(0);
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
                plans[i].1
            } else {
                rng.range(0, 100_000)
            };
            let mut body = json!({
                "subscription": subscription(rng, &plans[i].0, started, zone),
                "charge": {"at": rfc(rng, charge_at), "amount_minor": amount},
                "request_at": rfc(rng, request_at),
            });
            if rng.chance(60) {
                body["reason"] =
                    json!(rng.pick(&["none", "accidental-purchase", "unauthorized-charge"]));
            }
            if rng.chance(70) {
                body["generations"] = generations(rng, &cat.spec, charge_at, request_at);
            }
            if rng.chance(10) {
                body["terminated_for_breach"] = json!(true);
            }
            with_catalogue(body, &cat)
        }
        E::LicenceCheck => {
            let cat = any_catalogue(rng);
            let plan = rng.pick(&cat.spec.plans).id.clone();
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
                body["current_plan"] = json!(rng.pick(&cat.spec.plans).id);
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
        E::TermsDates => {
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
        E::Ledger => ledger(rng),
    }
}

fn ledger(rng: &mut Rng) -> Value {
    let cat = subscription_catalogue(rng);
    let plans = plans_by_price(&cat.spec);
    let (mut t, zone) = anchor(rng);
    let mut current = 1 + usize::try_from(rng.below(plans.len() as u64 - 1)).unwrap_or(0);
    let mut subscribed = true;
    let mut events =
        vec![json!({"type": "subscribe", "at": rfc(rng, t), "plan": plans[current].0})];
    let cap = if rng.chance(20) { 80 } else { 20 };
    let n = rng.below(cap);
    for _ in 0..n {
        t += Duration::seconds(rng.range(0, 20 * 86_400));
        let at = rfc(rng, t);
        let e = match rng.below(12) {
            0 if subscribed && current + 1 < plans.len() => {
                current +=
                    1 + usize::try_from(rng.below((plans.len() - current - 1) as u64)).unwrap_or(0);
                json!({"type": "upgrade", "at": at, "to_plan": plans[current].0})
            }
            1 if subscribed && current > 1 => {
                current = 1 + usize::try_from(rng.below(current as u64 - 1)).unwrap_or(0);
                json!({"type": "downgrade", "at": at, "to_plan": plans[current].0})
            }
            2 if subscribed && rng.chance(30) => {
                subscribed = false;
                json!({"type": "cancel", "at": at, "close_account": rng.chance(30)})
            }
            3 if !subscribed => {
                subscribed = true;
                current = 1 + usize::try_from(rng.below(plans.len() as u64 - 1)).unwrap_or(0);
                json!({"type": "subscribe", "at": at, "plan": plans[current].0})
            }
            4..=6 => {
                json!({"type": "generation", "at": at, "model": rng.pick(&cat.spec.models).id})
            }
            7 => {
                json!({"type": "upload", "at": at, "seconds": rng.range(1, 600), "copyright_flagged": rng.chance(10)})
            }
            8 => {
                json!({"type": "charge", "at": at, "amount_minor": plans[current].1, "description": "renewal"})
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
                let paid = plans[current].1.max(1);
                json!({"type": "refund", "at": at, "amount_minor": rng.range(1, paid), "description": "refund"})
            }
            _ => json!({"type": "generation", "at": at, "model": rng.pick(&cat.spec.models).id}),
        };
        events.push(e);
    }
    // Shuffle a little: the ledger sorts stably by time.
    if events.len() > 2 && rng.chance(30) {
        let last = events.len() - 1;
        let i = 1 + usize::try_from(rng.below(last as u64)).unwrap_or(0);
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
