//! The three built-in catalogues.

use chrono::{DateTime, Utc};

use std::collections::BTreeMap;

use crate::catalogue::spec::{
    CatalogueKind, CatalogueSpec, Interval, LicenceSpec, ModelSpec, PlanSpec, Policy,
    PrepaidSettings, PriceSpec, RefundPolicy, TopUpSettings,
};
use crate::money::Currency;

/// The id of the default catalogue.
pub const DEFAULT_CATALOGUE_ID: &str = "stable-audio";

/// The id of the built-in prepaid API credits catalogue (R-PREPAID).
pub const API_CREDITS_ID: &str = "api-credits";

/// The id of the built-in pay-as-you-go catalogue with automatic top-up (R-TOPUP).
pub const PAY_AS_YOU_GO_ID: &str = "pay-as-you-go";

fn plan(
    id: &str,
    name: &str,
    price_minor: i64,
    credits_per_period: u64,
    upload_minutes: u32,
    upload_crop_seconds: u32,
    licence: &str,
) -> PlanSpec {
    PlanSpec {
        id: id.into(),
        name: name.into(),
        price_minor,
        credits_per_period,
        upload_seconds_per_period: upload_minutes * 60,
        upload_crop_seconds,
        licence: licence.into(),
        stripe_price_ids: Vec::new(),
        prices: Vec::new(),
        trial_days: None,
        recommended: false,
    }
}

/// The currencies of the default catalogue, the default first (R-CURRENCY-1).
const STABLE_AUDIO_CURRENCIES: [Currency; 4] =
    [Currency::Usd, Currency::Eur, Currency::Gbp, Currency::Jpy];

/// `plan` sold per month and per year at the monthly prices given in the order of
/// [`STABLE_AUDIO_CURRENCIES`], each year at ten months' price (R-INTERVAL-1,
/// R-CURRENCY-1), with a Stripe price id per interval.
fn priced(mut plan: PlanSpec, monthly: [i64; 4]) -> PlanSpec {
    for interval in Interval::ALL {
        for (currency, month) in STABLE_AUDIO_CURRENCIES.into_iter().zip(monthly) {
            let amount_minor = match interval {
                Interval::Month => month,
                Interval::Year => month * 10,
            };
            plan.prices.push(PriceSpec {
                interval,
                currency,
                amount_minor,
            });
        }
        let suffix = match interval {
            Interval::Month => "monthly",
            Interval::Year => "yearly",
        };
        plan.stripe_price_ids
            .push(format!("price_stable_audio_{}_{suffix}", plan.id));
    }
    plan
}

/// The regions whose visitors see a currency other than the default (R-CURRENCY-2).
fn stable_audio_regions() -> BTreeMap<String, Currency> {
    let euro = ["AT", "BE", "DE", "ES", "FI", "FR", "IE", "IT", "NL", "PT"];
    // Inserted one by one: `collect` would sort first, and that sort would be code a
    // pricing page downloads for nothing.
    let mut map = BTreeMap::new();
    for region in euro {
        map.insert(region.to_owned(), Currency::Eur);
    }
    map.insert("GB".into(), Currency::Gbp);
    map.insert("JP".into(), Currency::Jpy);
    map
}

fn model(id: &str, name: &str, credits: u32) -> ModelSpec {
    ModelSpec {
        id: id.into(),
        name: name.into(),
        credits,
    }
}

fn licence(id: &str, name: &str, commercial_use: bool, mau_limit: Option<u64>) -> LicenceSpec {
    LicenceSpec {
        id: id.into(),
        name: name.into(),
        commercial_use,
        mau_limit,
        by_agreement: id == "enterprise",
    }
}

/// The models of the Stable Audio FAQ and their credit costs (R-CREDIT-COST-1).
fn stable_audio_models() -> Vec<ModelSpec> {
    vec![
        model("stable-audio-1.0", "Stable Audio 1.0", 1),
        model("stable-audio-1.1", "Stable Audio 1.1", 1),
        model("stable-audio-2.0", "Stable Audio 2.0", 2),
    ]
}

/// The three licence tiers (R-LICENCE-1, R-LICENCE-2).
fn stable_audio_licences() -> Vec<LicenceSpec> {
    vec![
        licence("personal", "Personal", false, None),
        licence("creator", "Creator", true, Some(100_000)),
        licence("enterprise", "Enterprise", true, None),
    ]
}

/// 2026-01-01T00:00:00Z, when the example catalogues take effect.
fn example_effective_from() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default()
}

/// The default catalogue: the example table at the end of RULES.md.
pub(super) fn stable_audio() -> CatalogueSpec {
    CatalogueSpec {
        id: DEFAULT_CATALOGUE_ID.into(),
        name: "Stable Audio".into(),
        version: "2026-01".into(),
        effective_from: example_effective_from(),
        currency: Currency::Usd,
        currencies: STABLE_AUDIO_CURRENCIES.to_vec(),
        currency_by_region: stable_audio_regions(),
        // R-UPLOAD-1 and R-UPLOAD-2: allowances and crop lengths per plan. The prices per
        // currency are RULES.md's second table; Pro has a 7-day trial (R-TRIAL-1) and
        // Studio is recommended.
        plans: vec![
            plan("free", "Free", 0, 20, 2, 30, "personal"),
            PlanSpec {
                trial_days: Some(7),
                ..priced(
                    plan("pro", "Pro", 1199, 500, 30, 180, "creator"),
                    [1199, 1099, 999, 1800],
                )
            },
            PlanSpec {
                recommended: true,
                ..priced(
                    plan("studio", "Studio", 2999, 1350, 60, 180, "creator"),
                    [2999, 2799, 2499, 4500],
                )
            },
            priced(
                plan("max", "Max", 8999, 2700, 90, 180, "creator"),
                [8999, 8499, 7499, 13_500],
            ),
        ],
        models: stable_audio_models(),
        licences: stable_audio_licences(),
        kind: CatalogueKind::Subscription,
        policy: Policy::default(),
        refund_policy: RefundPolicy::default(),
        prepaid: PrepaidSettings::default(),
        topup: None,
        earlier_versions: Vec::new(),
    }
}

/// Prepaid API credits that expire a year after purchase (R-PREPAID-1, R-REFUND-6). Each
/// plan is a credit pack; `credits_per_period` is the pack size.
pub(super) fn api_credits() -> CatalogueSpec {
    CatalogueSpec {
        id: API_CREDITS_ID.into(),
        name: "API credits (prepaid)".into(),
        version: "2026-01".into(),
        effective_from: example_effective_from(),
        currency: Currency::Usd,
        currencies: Vec::new(),
        currency_by_region: BTreeMap::new(),
        plans: vec![
            plan("pack-1k", "1,000 credits", 1000, 1000, 0, 0, "creator"),
            plan("pack-10k", "10,000 credits", 9500, 10_000, 0, 0, "creator"),
            plan(
                "pack-100k",
                "100,000 credits",
                90_000,
                100_000,
                0,
                0,
                "creator",
            ),
        ],
        models: stable_audio_models(),
        licences: stable_audio_licences(),
        kind: CatalogueKind::Prepaid,
        policy: Policy::default(),
        refund_policy: RefundPolicy::default(),
        prepaid: PrepaidSettings { expiry_months: 12 },
        topup: None,
        earlier_versions: Vec::new(),
    }
}

/// Pay-as-you-go usage against a balance, topped up automatically by USD 20 when it falls
/// below USD 5 (R-TOPUP-1, R-REFUND-6).
pub(super) fn pay_as_you_go() -> CatalogueSpec {
    CatalogueSpec {
        id: PAY_AS_YOU_GO_ID.into(),
        name: "Pay as you go".into(),
        version: "2026-01".into(),
        effective_from: example_effective_from(),
        currency: Currency::Usd,
        currencies: Vec::new(),
        currency_by_region: BTreeMap::new(),
        plans: vec![plan("metered", "Metered", 0, 0, 0, 0, "creator")],
        models: stable_audio_models(),
        licences: stable_audio_licences(),
        kind: CatalogueKind::PayAsYouGo,
        policy: Policy::default(),
        refund_policy: RefundPolicy::default(),
        prepaid: PrepaidSettings::default(),
        topup: Some(TopUpSettings {
            threshold_minor: 500,
            topup_minor: 2000,
        }),
        earlier_versions: Vec::new(),
    }
}
