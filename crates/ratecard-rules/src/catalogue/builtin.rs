//! The three built-in catalogues.

use chrono::{DateTime, Utc};

use crate::catalogue::spec::{
    CatalogueKind, CatalogueSpec, LicenceSpec, ModelSpec, PlanSpec, Policy, PrepaidSettings,
    RefundPolicy, TopUpSettings,
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
    }
}

/// `plan` with one Stripe price id (API.md, "Accounts").
fn sold_as(mut plan: PlanSpec, stripe_price_id: &str) -> PlanSpec {
    plan.stripe_price_ids.push(stripe_price_id.into());
    plan
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
        // R-UPLOAD-1 and R-UPLOAD-2: allowances and crop lengths per plan.
        plans: vec![
            plan("free", "Free", 0, 20, 2, 30, "personal"),
            sold_as(
                plan("pro", "Pro", 1199, 500, 30, 180, "creator"),
                "price_stable_audio_pro_monthly",
            ),
            sold_as(
                plan("studio", "Studio", 2999, 1350, 60, 180, "creator"),
                "price_stable_audio_studio_monthly",
            ),
            sold_as(
                plan("max", "Max", 8999, 2700, 90, 180, "creator"),
                "price_stable_audio_max_monthly",
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
