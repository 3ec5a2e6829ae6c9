//! The wire types of the HTTP API (`API.md`) and one entry function per endpoint.
//!
//! The widget and the server both speak these types, so neither shell redefines them.
//! Field names follow `API.md` exactly; extra fields are additions, never renames.
//! Requests refuse unknown fields. Every response carries an `explanation`: a list of
//! `{rule, text}` lines rendered by the crate's one English renderer from typed
//! [`Reason`]s, which stay available to Rust callers in the skipped `reasons` field.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::catalogue::{Catalogue, CatalogueSpec, DEFAULT_CATALOGUE_ID};
use crate::error::RuleError;
use crate::explain::Reason;
use crate::money::{Currency, Money};

/// An RFC 3339 instant with its offset (R-TIME-1).
pub type Instant = DateTime<FixedOffset>;

/// The most items any list of a request may hold; longer lists are refused with
/// [`RuleError::Impossible`], so every call does bounded work.
pub const MAX_LIST_ITEMS: usize = 10_000;

fn check_len(field: &str, len: usize) -> Result<(), RuleError> {
    if len > MAX_LIST_ITEMS {
        return Err(RuleError::Impossible {
            detail: format!("`{field}` holds {len} items; at most {MAX_LIST_ITEMS} are accepted"),
        });
    }
    Ok(())
}

/// The `catalogue` field of a request: a known id, or a whole catalogue inline.
///
/// It deserialises by hand so that a malformed inline catalogue reports the field at
/// fault rather than "did not match any variant".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum CatalogueRef {
    /// The id of a built-in catalogue such as `stable-audio`.
    Id(String),
    /// A whole catalogue, in the shape `GET /api/v1/catalogues/{id}` returns.
    Inline(Box<CatalogueSpec>),
}

impl<'de> Deserialize<'de> for CatalogueRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(id) => Ok(CatalogueRef::Id(id)),
            v @ serde_json::Value::Object(_) => serde_json::from_value(v)
                .map(|spec| CatalogueRef::Inline(Box::new(spec)))
                .map_err(|e| D::Error::custom(format!("inline catalogue: {e}"))),
            _ => Err(D::Error::custom(
                "`catalogue` is a catalogue id or a whole catalogue object",
            )),
        }
    }
}

/// Resolves the `catalogue` field of a request against the built-in catalogues; an absent
/// field means [`DEFAULT_CATALOGUE_ID`]. An inline catalogue is validated with the source
/// name `request`.
///
/// # Errors
///
/// [`RuleError::UnknownCatalogue`] for an unknown id, and [`RuleError::InvalidCatalogue`]
/// for an inline catalogue that fails validation.
///
/// # Example
///
/// ```
/// use ratecard_rules::api::{CatalogueRef, resolve_catalogue};
/// assert_eq!(resolve_catalogue(None)?.id(), "stable-audio");
/// let r = CatalogueRef::Id("api-credits".into());
/// assert_eq!(resolve_catalogue(Some(&r))?.id(), "api-credits");
/// let bad = serde_json::from_str::<CatalogueRef>(r#"{"id": "x"}"#).unwrap_err();
/// assert!(bad.to_string().contains("inline catalogue: missing field `name`"));
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn resolve_catalogue(catalogue: Option<&CatalogueRef>) -> Result<Catalogue, RuleError> {
    match catalogue {
        None => Catalogue::builtin(DEFAULT_CATALOGUE_ID),
        Some(CatalogueRef::Id(id)) => Catalogue::builtin(id),
        Some(CatalogueRef::Inline(spec)) => Catalogue::validate("request", (**spec).clone()),
    }
}

/// One entry of `GET /api/v1/catalogues`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueSummary {
    /// The catalogue id.
    pub id: String,
    /// The name shown to people.
    pub name: String,
    /// The version label (R-PRICE-LOCK-1).
    pub version: String,
    /// The currency of every price.
    pub currency: Currency,
}

/// The summaries of every built-in catalogue, for `GET /api/v1/catalogues`.
///
/// # Example
///
/// ```
/// let ids: Vec<String> = ratecard_rules::api::catalogue_summaries().into_iter().map(|c| c.id).collect();
/// assert_eq!(ids, ["stable-audio", "api-credits", "pay-as-you-go"]);
/// ```
#[must_use]
pub fn catalogue_summaries() -> Vec<CatalogueSummary> {
    Catalogue::builtin_ids()
        .iter()
        .filter_map(|id| Catalogue::builtin(id).ok())
        .map(|c| CatalogueSummary {
            id: c.id().to_owned(),
            name: c.spec().name.clone(),
            version: c.spec().version.clone(),
            currency: c.currency(),
        })
        .collect()
}

/// A subscription as the API describes it (R-TIME-1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    /// The plan id.
    pub plan: String,
    /// When the subscription started; its anchor (R-CYCLE-1).
    pub started_at: DateTime<FixedOffset>,
    /// The customer's IANA time zone.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
}

pub(crate) fn default_time_zone() -> String {
    "UTC".to_owned()
}

/// One line of an explanation: the rule applied and a sentence with the actual numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExplanationLine {
    /// The rule id, such as `R-UPGRADE-2`.
    pub rule: String,
    /// The sentence, in English.
    pub text: String,
}

/// A half-open period `[start, end)` (R-CYCLE-5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    /// The first instant of the period.
    pub start: DateTime<FixedOffset>,
    /// The first instant after the period: the next renewal.
    pub end: DateTime<FixedOffset>,
}

/// A generation, as a usage event (R-CREDIT-COST-1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GenerationEvent {
    /// The model id.
    pub model: String,
    /// When it was made.
    pub at: DateTime<FixedOffset>,
}

/// An upload, as a usage event (R-UPLOAD-1 to R-UPLOAD-4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UploadEvent {
    /// The length of the uploaded audio, in seconds, before cropping.
    pub seconds: u32,
    /// When it was uploaded.
    pub at: DateTime<FixedOffset>,
    /// Whether the copyright scan flagged it as someone else's (R-UPLOAD-3).
    #[serde(default)]
    pub copyright_flagged: bool,
}

// ---------------------------------------------------------------------------------------
// Renewals (R-CYCLE)
// ---------------------------------------------------------------------------------------

/// `POST /api/v1/renewals`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RenewalsRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The subscription.
    pub subscription: Subscription,
    /// How many renewals to list, 1 to 120.
    pub count: u32,
}

/// One renewal with the price that applies from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewalDetail {
    /// The renewal instant, in the subscriber's local offset.
    pub at: DateTime<FixedOffset>,
    /// The local date and time of the renewal.
    pub local: String,
    /// The price charged at this renewal, tax-exclusive (R-PRICE-LOCK-1, R-PRICE-CHANGE-1).
    pub price_minor: i64,
    /// The catalogue version whose price applies.
    pub catalogue_version: String,
    /// The calendar adjustment applied, if any: `month-end`, `dst-gap` or `dst-fold`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustment: Option<String>,
}

/// The answer of `POST /api/v1/renewals`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewalsResponse {
    /// The first `count` renewals after `started_at`.
    pub renewals: Vec<DateTime<FixedOffset>>,
    /// The same renewals with their local time, price and adjustment.
    pub details: Vec<RenewalDetail>,
    /// The currency of the prices.
    pub currency: Currency,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// Lists the first `count` renewals of a subscription (R-CYCLE-1 to R-CYCLE-4, R-TIME-1),
/// with the price of each (R-PRICE-LOCK-1, R-PRICE-CHANGE-1).
///
/// # Errors
///
/// [`RuleError::UnknownId`] for an unknown plan or time zone, and
/// [`RuleError::Impossible`] for a `count` outside 1 to 120.
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let req: api::RenewalsRequest = serde_json::from_str(r#"{
///     "subscription": {"plan": "pro", "started_at": "2028-01-31T09:00:00Z"}, "count": 2}"#).unwrap();
/// let res = api::renewals(&Catalogue::builtin("stable-audio")?, &req)?;
/// assert_eq!(res.renewals[0].to_rfc3339(), "2028-02-29T09:00:00+00:00");
/// assert_eq!(res.renewals[1].to_rfc3339(), "2028-03-31T09:00:00+00:00");
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn renewals(
    catalogue: &Catalogue,
    req: &RenewalsRequest,
) -> Result<RenewalsResponse, RuleError> {
    crate::plan_change::renewals(catalogue, req)
}

// ---------------------------------------------------------------------------------------
// Plan changes (R-UPGRADE, R-DOWNGRADE, R-CANCEL)
// ---------------------------------------------------------------------------------------

/// `POST /api/v1/previews/upgrade` and `POST /api/v1/previews/downgrade`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanChangeRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The subscription before the change.
    pub subscription: Subscription,
    /// The plan to move to.
    pub to_plan: String,
    /// When the change is made.
    pub at: DateTime<FixedOffset>,
    /// The tax rate in basis points (R-MONEY-3); no tax line when absent.
    #[serde(default)]
    pub tax_rate_bp: Option<u32>,
}

/// `POST /api/v1/previews/cancel`: like a plan change, with `to_plan` optional (it can only
/// be the free plan) and the period's usage optional, to report the allowance lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The subscription being cancelled.
    pub subscription: Subscription,
    /// The free plan, if given; any other plan is refused.
    #[serde(default)]
    pub to_plan: Option<String>,
    /// When the cancellation is made.
    pub at: DateTime<FixedOffset>,
    /// Accepted for symmetry with the other previews; a cancellation charges nothing.
    #[serde(default)]
    pub tax_rate_bp: Option<u32>,
    /// Generations made so far, to compute the allowance lost.
    #[serde(default)]
    pub generations: Vec<GenerationEvent>,
    /// Uploads made so far, to compute the upload time lost.
    #[serde(default)]
    pub uploads: Vec<UploadEvent>,
}

/// The kind of a price line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    /// Money given back; the amount is negative.
    Credit,
    /// Money charged.
    Charge,
    /// Tax on the subtotal (R-MONEY-3).
    Tax,
}

/// One line of a price calculation. The lines always add up to the total (R-MONEY-2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    /// Credit, charge or tax.
    pub kind: LineKind,
    /// The amount in minor units; negative for a credit.
    pub amount_minor: i64,
    /// A short English description.
    pub description: String,
    /// The rule that produced the line.
    pub rule: String,
}

/// The allowances of a plan for one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Allowance {
    /// Credits (R-QUOTA-1).
    pub credits: u64,
    /// Upload seconds (R-UPLOAD-1).
    pub upload_seconds: u64,
}

/// How much of the period is left at the change (R-UPGRADE-2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Remaining {
    /// Seconds from the change to the end of the period: the numerator of `f`.
    pub seconds_left: i64,
    /// Seconds in the whole period: the denominator of `f`.
    pub seconds_in_period: i64,
}

/// The answer of `POST /api/v1/previews/upgrade`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpgradePreview {
    /// The plan before the change.
    pub from_plan: String,
    /// The plan after the change.
    pub to_plan: String,
    /// The sum of the lines.
    pub due_now: Money,
    /// Credit, charge and tax lines.
    pub lines: Vec<Line>,
    /// The billing period the change falls in (a new one from the free plan).
    pub period: Period,
    /// The next renewal after the change.
    pub next_renewal: DateTime<FixedOffset>,
    /// The anchor of renewals after the change (R-UPGRADE-1, R-UPGRADE-3).
    pub anchor: DateTime<FixedOffset>,
    /// The remaining fraction of the period; absent when coming from the free plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<Remaining>,
    /// The allowance for the rest of the period (R-UPGRADE-4).
    pub allowance: Allowance,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// The answer of `POST /api/v1/previews/downgrade`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DowngradePreview {
    /// The plan before the change.
    pub from_plan: String,
    /// The plan after the change.
    pub to_plan: String,
    /// When the new plan takes effect.
    pub effective_at: DateTime<FixedOffset>,
    /// What is charged now: zero under both downgrade policies.
    pub due_now: Money,
    /// Price lines; empty under the end-of-period policy.
    pub lines: Vec<Line>,
    /// The credit balance left for later charges (immediate-credit policy), as a positive
    /// amount; zero otherwise.
    pub credit_balance_minor: i64,
    /// The allowance given up by the change, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowance_lost: Option<Allowance>,
    /// The next renewal, which is on the new plan.
    pub next_renewal: DateTime<FixedOffset>,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// The answer of `POST /api/v1/previews/cancel`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelPreview {
    /// The plan before the cancellation.
    pub from_plan: String,
    /// The free plan the account moves to.
    pub to_plan: String,
    /// When the cancellation takes effect: at once (R-CANCEL-1).
    pub effective_at: DateTime<FixedOffset>,
    /// Nothing is charged.
    pub due_now: Money,
    /// The paid allowance left unused and lost (R-CANCEL-1).
    pub allowance_lost: Option<Allowance>,
    /// The free period that follows, up to the next first of the month (R-CANCEL-2).
    pub free_period: Period,
    /// The free plan's allowance for that period (R-CANCEL-2).
    pub free_allowance: Allowance,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// Previews an upgrade (R-UPGRADE-1 to R-UPGRADE-4, R-MONEY-2, R-MONEY-3, R-PRICE-LOCK-1).
///
/// # Errors
///
/// [`RuleError::UnknownId`] for an unknown plan or zone, [`RuleError::Impossible`] for a
/// change to a plan that is not dearer or an instant before the start, and
/// [`RuleError::Overflow`].
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let req: api::PlanChangeRequest = serde_json::from_str(r#"{
///     "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
///     "to_plan": "studio", "at": "2027-02-15T00:00:00Z"}"#).unwrap();
/// let p = api::upgrade_preview(&Catalogue::builtin("stable-audio")?, &req)?;
/// // 14 of 28 days left: −round(1199/2) + round(2999/2) = −600 + 1500.
/// assert_eq!(p.due_now.amount_minor, 900);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn upgrade_preview(
    catalogue: &Catalogue,
    req: &PlanChangeRequest,
) -> Result<UpgradePreview, RuleError> {
    crate::plan_change::upgrade(catalogue, req)
}

/// Previews a downgrade (R-DOWNGRADE-1; a move to the free plan is a cancellation,
/// R-CANCEL-1).
///
/// # Errors
///
/// [`RuleError::UnknownId`] for an unknown plan or zone, and [`RuleError::Impossible`] for
/// a change to a plan that is not cheaper or an instant before the start.
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let req: api::PlanChangeRequest = serde_json::from_str(r#"{
///     "subscription": {"plan": "max", "started_at": "2027-02-01T00:00:00Z"},
///     "to_plan": "pro", "at": "2027-02-15T00:00:00Z"}"#).unwrap();
/// let p = api::downgrade_preview(&Catalogue::builtin("stable-audio")?, &req)?;
/// assert_eq!(p.effective_at.to_rfc3339(), "2027-03-01T00:00:00+00:00");
/// assert_eq!(p.due_now.amount_minor, 0);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn downgrade_preview(
    catalogue: &Catalogue,
    req: &PlanChangeRequest,
) -> Result<DowngradePreview, RuleError> {
    crate::plan_change::downgrade(catalogue, req)
}

/// Previews a cancellation (R-CANCEL-1, R-CANCEL-2).
///
/// # Errors
///
/// [`RuleError::UnknownId`] for an unknown plan, model or zone, and
/// [`RuleError::Impossible`] when the subscription is already free or the instant is
/// before the start.
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let req: api::CancelRequest = serde_json::from_str(r#"{
///     "subscription": {"plan": "pro", "started_at": "2027-02-10T00:00:00Z"},
///     "at": "2027-02-15T00:00:00Z"}"#).unwrap();
/// let p = api::cancel_preview(&Catalogue::builtin("stable-audio")?, &req)?;
/// assert_eq!(p.free_period.end.to_rfc3339(), "2027-03-01T00:00:00+00:00");
/// assert_eq!(p.allowance_lost.map(|a| a.credits), Some(500));
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn cancel_preview(
    catalogue: &Catalogue,
    req: &CancelRequest,
) -> Result<CancelPreview, RuleError> {
    check_len("generations", req.generations.len())?;
    check_len("uploads", req.uploads.len())?;
    crate::plan_change::cancel(catalogue, req)
}

// ---------------------------------------------------------------------------------------
// Quotas (R-QUOTA, R-UPLOAD)
// ---------------------------------------------------------------------------------------

/// `POST /api/v1/quota`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuotaRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The subscription.
    pub subscription: Subscription,
    /// The instant to report on.
    pub at: DateTime<FixedOffset>,
    /// Generations, in any order.
    #[serde(default)]
    pub generations: Vec<GenerationEvent>,
    /// Uploads, in any order.
    #[serde(default)]
    pub uploads: Vec<UploadEvent>,
}

/// Allowance, use and remainder of one quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Usage {
    /// What the period grants.
    pub allowance: u64,
    /// What was used in the period.
    pub used: u64,
    /// `allowance − used`, never below zero.
    pub remaining: u64,
}

/// What was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RefusalKind {
    /// A generation (R-QUOTA-1).
    Generation,
    /// An upload (R-UPLOAD-4).
    Upload,
}

/// A refused event. A refused event uses nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refusal {
    /// Generation or upload.
    pub kind: RefusalKind,
    /// When it was attempted.
    pub at: DateTime<FixedOffset>,
    /// Why, in English.
    pub reason: String,
    /// The rule that refused it.
    pub rule: String,
    /// How many credits or seconds were missing.
    pub shortfall: u64,
}

/// What became of one upload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadOutcome {
    /// When it was uploaded.
    pub at: DateTime<FixedOffset>,
    /// Its length as uploaded.
    pub seconds: u32,
    /// What it used of the allowance after cropping (R-UPLOAD-2); 0 when refused.
    pub counted_seconds: u64,
    /// Whether it was cropped.
    pub cropped: bool,
    /// Whether it was deleted as someone else's copyright (R-UPLOAD-3).
    pub deleted: bool,
    /// Whether it was refused (R-UPLOAD-4).
    pub refused: bool,
}

/// The answer of `POST /api/v1/quota`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotaResponse {
    /// The current period (R-CYCLE-5).
    pub period: Period,
    /// Credits (R-QUOTA-1).
    pub credits: Usage,
    /// Generations still possible per model id (R-QUOTA-1).
    pub tracks_left: BTreeMap<String, u64>,
    /// Upload seconds (R-UPLOAD-1).
    pub upload_seconds: Usage,
    /// Refused events, in time order.
    pub refused: Vec<Refusal>,
    /// Every upload of the period, in time order.
    pub uploads: Vec<UploadOutcome>,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// Computes credit and upload quotas at an instant (R-CREDIT-COST-1, R-QUOTA-1,
/// R-UPLOAD-1 to R-UPLOAD-4, R-CYCLE-5).
///
/// # Errors
///
/// [`RuleError::UnknownId`] for an unknown plan, model or zone, and
/// [`RuleError::Impossible`] for an instant before the start.
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let req: api::QuotaRequest = serde_json::from_str(r#"{
///     "subscription": {"plan": "free", "started_at": "2027-01-01T00:00:00Z"},
///     "at": "2027-03-10T00:00:00Z",
///     "uploads": [{"seconds": 90, "at": "2027-03-02T00:00:00Z"},
///                 {"seconds": 30, "at": "2027-03-03T00:00:00Z", "copyright_flagged": true}]}"#).unwrap();
/// let q = api::quota(&Catalogue::builtin("stable-audio")?, &req)?;
/// // 90 s is cropped to 30 s; the flagged 30 s still counts: 120 − 60 = 60.
/// assert_eq!(q.upload_seconds.remaining, 60);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn quota(catalogue: &Catalogue, req: &QuotaRequest) -> Result<QuotaResponse, RuleError> {
    check_len("generations", req.generations.len())?;
    check_len("uploads", req.uploads.len())?;
    crate::quota::quota(catalogue, req, None)
}

// ---------------------------------------------------------------------------------------
// Refunds (R-REFUND)
// ---------------------------------------------------------------------------------------

/// Why a refund is asked for (R-REFUND-1 to R-REFUND-3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RefundReason {
    /// No special reason: only R-REFUND-3 can apply.
    #[default]
    None,
    /// Bought by accident by a friend or family member (R-REFUND-1).
    AccidentalPurchase,
    /// Not made by the cardholder or anyone they know (R-REFUND-2).
    UnauthorizedCharge,
}

/// A subscription charge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChargeRef {
    /// When it was charged.
    pub at: DateTime<FixedOffset>,
    /// How much, in minor units.
    pub amount_minor: i64,
}

/// `POST /api/v1/refunds/eligibility`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The subscription that was charged.
    pub subscription: Subscription,
    /// The charge in question.
    pub charge: ChargeRef,
    /// When the request was submitted (R-REFUND-3).
    pub request_at: DateTime<FixedOffset>,
    /// The reason given.
    #[serde(default)]
    pub reason: RefundReason,
    /// Generations, to measure usage since the charge.
    #[serde(default)]
    pub generations: Vec<GenerationEvent>,
    /// Whether the account was terminated for breaching the terms (R-REFUND-7).
    #[serde(default)]
    pub terminated_for_breach: bool,
}

/// A range of business days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessDays {
    /// The fewest business days.
    pub min: u32,
    /// The most business days.
    pub max: u32,
}

/// The answer of `POST /api/v1/refunds/eligibility`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundResponse {
    /// Whether the charge is eligible for review; never "approved" (R-REFUND-4).
    pub eligible: bool,
    /// `eligible-for-review` or `not-eligible`.
    pub status: String,
    /// The R-REFUND ids that decided it.
    pub rules: Vec<String>,
    /// Whole hours from the charge to the request, rounded down.
    pub hours_since_charge: i64,
    /// Seconds from the charge to the request.
    pub seconds_since_charge: i64,
    /// Credits used from the charge to the request.
    pub credits_used: u64,
    /// Those credits as basis points of the monthly allowance, rounded down.
    pub usage_bp: u64,
    /// The latest reply date: the request date plus 3 business days (R-REFUND-5).
    pub reply_by: NaiveDate,
    /// The earliest expected reply date: plus 2 business days (R-REFUND-5).
    pub reply_from: NaiveDate,
    /// Business days from approval to the money reaching the bank (R-REFUND-5).
    pub bank_business_days: BusinessDays,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// Judges whether a charge is eligible for a refund review (R-REFUND-1 to R-REFUND-7).
///
/// # Errors
///
/// [`RuleError::UnknownId`] for an unknown plan, model or zone, and
/// [`RuleError::Impossible`] for a request before the charge.
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let req: api::RefundRequest = serde_json::from_str(r#"{
///     "subscription": {"plan": "pro", "started_at": "2027-03-01T10:00:00Z"},
///     "charge": {"at": "2027-03-01T10:00:00Z", "amount_minor": 1199},
///     "request_at": "2027-03-03T10:00:00Z"}"#).unwrap();
/// let r = api::refund_eligibility(&Catalogue::builtin("stable-audio")?, &req)?;
/// assert!(r.eligible); // exactly 48 h is still within
/// assert_eq!(r.reply_by.to_string(), "2027-03-08");
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn refund_eligibility(
    catalogue: &Catalogue,
    req: &RefundRequest,
) -> Result<RefundResponse, RuleError> {
    check_len("generations", req.generations.len())?;
    crate::refund::eligibility(catalogue, req)
}

// ---------------------------------------------------------------------------------------
// Licences (R-LICENCE)
// ---------------------------------------------------------------------------------------

/// A use of a generated track (R-LICENCE-2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum LicenceUse {
    /// A music release on streaming platforms.
    StreamingRelease,
    /// Social media posts, reels and the like.
    SocialMedia,
    /// A personal podcast.
    Podcast,
    /// A video.
    Video,
    /// A commercial product, limited by monthly active users.
    CommercialProduct,
}

/// `POST /api/v1/licences/check`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LicenceCheckRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The plan the track was generated on (R-LICENCE-3).
    pub plan: String,
    /// The intended use.
    #[serde(rename = "use")]
    pub use_: LicenceUse,
    /// The product's monthly active users, for a commercial product.
    #[serde(default)]
    pub monthly_active_users: Option<u64>,
    /// The subscriber's plan today, if different (R-LICENCE-3: it does not matter).
    #[serde(default)]
    pub current_plan: Option<String>,
}

/// The answer of `POST /api/v1/licences/check`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceCheckResponse {
    /// Whether the use is allowed.
    pub allowed: bool,
    /// The licence id.
    pub licence: String,
    /// The licence name.
    pub licence_name: String,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// Checks a use against the licence of the plan a track was generated on
/// (R-LICENCE-1 to R-LICENCE-3).
///
/// # Errors
///
/// [`RuleError::UnknownId`] for an unknown plan, and [`RuleError::Impossible`] for a
/// commercial product without `monthly_active_users`.
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let req: api::LicenceCheckRequest = serde_json::from_str(
///     r#"{"plan": "pro", "use": "commercial-product", "monthly_active_users": 100000}"#).unwrap();
/// let r = api::licence_check(&Catalogue::builtin("stable-audio")?, &req)?;
/// assert!(!r.allowed); // the limit is strictly below 100,000
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn licence_check(
    catalogue: &Catalogue,
    req: &LicenceCheckRequest,
) -> Result<LicenceCheckResponse, RuleError> {
    crate::licence::check(catalogue, req)
}

// ---------------------------------------------------------------------------------------
// Prepaid credits (R-PREPAID)
// ---------------------------------------------------------------------------------------

/// A grant of prepaid or promotional credits (R-PREPAID-1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// A label for the grant.
    pub id: String,
    /// Credits granted.
    pub credits: u64,
    /// When they were purchased or issued.
    pub granted_at: DateTime<FixedOffset>,
    /// When they expire; one year after `granted_at` when absent.
    #[serde(default)]
    pub expires_at: Option<DateTime<FixedOffset>>,
}

/// Credits spent at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Spend {
    /// Credits spent.
    pub credits: u64,
    /// When.
    pub at: DateTime<FixedOffset>,
}

/// `POST /api/v1/prepaid/balance`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PrepaidRequest {
    /// The grants, in any order.
    #[serde(default)]
    pub grants: Vec<Grant>,
    /// The spends, in any order.
    #[serde(default)]
    pub spends: Vec<Spend>,
    /// The instant to report on.
    pub at: DateTime<FixedOffset>,
    /// Months until a grant without `expires_at` expires; 12 when absent (R-PREPAID-1).
    #[serde(default)]
    pub expiry_months: Option<u32>,
}

/// The credits that expire next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Expiring {
    /// How many credits expire at that instant.
    pub credits: u64,
    /// When.
    pub expires_at: DateTime<FixedOffset>,
}

/// One grant's state at the reported instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantBalance {
    /// The grant's label.
    pub id: String,
    /// Credits granted.
    pub granted: u64,
    /// Credits not yet spent.
    pub remaining: u64,
    /// When it expires.
    pub expires_at: DateTime<FixedOffset>,
    /// Whether it has expired at the reported instant; a grant read at its expiry instant
    /// itself has expired (it is live on `[granted_at, expires_at)`, R-PREPAID-2).
    pub expired: bool,
}

/// The answer of `POST /api/v1/prepaid/balance`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrepaidResponse {
    /// Unexpired, unspent credits.
    pub balance: u64,
    /// What expires next, or `null` when nothing is left.
    pub expiring_next: Option<Expiring>,
    /// Every grant that was issued by the reported instant.
    pub grants: Vec<GrantBalance>,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// Computes a prepaid balance (R-PREPAID-1, R-PREPAID-2).
///
/// # Errors
///
/// [`RuleError::Impossible`] for a spend greater than the balance at its instant or an
/// expiry before its grant, and [`RuleError::Overflow`].
///
/// # Example
///
/// ```
/// use ratecard_rules::api;
/// let req: api::PrepaidRequest = serde_json::from_str(r#"{
///     "grants": [{"id": "a", "credits": 100, "granted_at": "2027-01-10T00:00:00Z"}],
///     "spends": [{"credits": 30, "at": "2027-02-01T00:00:00Z"}],
///     "at": "2027-06-01T00:00:00Z"}"#).unwrap();
/// let r = api::prepaid_balance(&req)?;
/// assert_eq!(r.balance, 70);
/// assert_eq!(r.expiring_next.unwrap().expires_at.to_rfc3339(), "2028-01-10T00:00:00+00:00");
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn prepaid_balance(req: &PrepaidRequest) -> Result<PrepaidResponse, RuleError> {
    check_len("grants", req.grants.len())?;
    check_len("spends", req.spends.len())?;
    crate::prepaid::balance(req)
}

// ---------------------------------------------------------------------------------------
// Top-ups (R-TOPUP)
// ---------------------------------------------------------------------------------------

/// Money used at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UsageCharge {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// How much, in minor units, not negative.
    pub amount_minor: i64,
}

/// `POST /api/v1/topups/simulate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TopUpRequest {
    /// The balance before the first usage.
    pub balance_minor: i64,
    /// A top-up happens when the balance falls below this.
    pub threshold_minor: i64,
    /// The amount credited by each top-up, tax-exclusive.
    pub topup_minor: i64,
    /// The tax rate in basis points (R-MONEY-3).
    #[serde(default)]
    pub tax_rate_bp: Option<u32>,
    /// The currency; USD when absent.
    #[serde(default)]
    pub currency: Option<Currency>,
    /// The usage, in any order.
    #[serde(default)]
    pub usage: Vec<UsageCharge>,
}

/// One automatic top-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopUp {
    /// When it happened: the instant of the usage that triggered it.
    pub at: DateTime<FixedOffset>,
    /// The amount credited.
    pub amount_minor: i64,
    /// The tax on it.
    pub tax_minor: i64,
    /// `amount_minor + tax_minor`, the amount charged.
    pub charged_minor: i64,
    /// The balance right after the top-up.
    pub balance_after_minor: i64,
}

/// The answer of `POST /api/v1/topups/simulate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopUpResponse {
    /// Every top-up, in time order.
    pub topups: Vec<TopUp>,
    /// The balance after the last usage.
    pub final_balance_minor: i64,
    /// The sum of `charged_minor`.
    pub total_charged_minor: i64,
    /// The currency.
    pub currency: Currency,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// Simulates automatic top-ups over a usage series (R-TOPUP-1, R-MONEY-3).
///
/// # Errors
///
/// [`RuleError::Impossible`] for a negative amount or a top-up of zero, and
/// [`RuleError::Overflow`].
///
/// # Example
///
/// ```
/// use ratecard_rules::api;
/// let req: api::TopUpRequest = serde_json::from_str(r#"{
///     "balance_minor": 1000, "threshold_minor": 500, "topup_minor": 2000, "tax_rate_bp": 2000,
///     "usage": [{"at": "2027-01-01T00:00:00Z", "amount_minor": 600}]}"#).unwrap();
/// let r = api::topup_simulation(&req)?;
/// assert_eq!(r.topups[0].charged_minor, 2400);
/// assert_eq!(r.final_balance_minor, 2400);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn topup_simulation(req: &TopUpRequest) -> Result<TopUpResponse, RuleError> {
    check_len("usage", req.usage.len())?;
    crate::topup::simulate(req)
}

// ---------------------------------------------------------------------------------------
// Terms dates (R-TERMS)
// ---------------------------------------------------------------------------------------

/// A payment made by the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// How much, in minor units.
    pub amount_minor: i64,
}

/// `POST /api/v1/terms/dates`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TermsRequest {
    /// When the account was created (R-TERMS-2).
    pub account_created_at: DateTime<FixedOffset>,
    /// When the claim arose (R-TERMS-3); the latest payment when absent.
    #[serde(default)]
    pub claim_at: Option<DateTime<FixedOffset>>,
    /// When a dispute was notified (R-TERMS-6).
    #[serde(default)]
    pub dispute_notified_at: Option<DateTime<FixedOffset>>,
    /// Payments made (R-TERMS-3).
    #[serde(default)]
    pub payments: Vec<Payment>,
    /// The currency of the payments; USD when absent.
    #[serde(default)]
    pub currency: Option<Currency>,
    /// When an update to the arbitration terms took effect (R-TERMS-2).
    #[serde(default)]
    pub arbitration_terms_updated_at: Option<DateTime<FixedOffset>>,
    /// When the account was cancelled (R-TERMS-5).
    #[serde(default)]
    pub cancelled_at: Option<DateTime<FixedOffset>>,
    /// When the account was last active (R-TERMS-4).
    #[serde(default)]
    pub last_active_at: Option<DateTime<FixedOffset>>,
    /// The customer's date of birth (R-TERMS-1).
    #[serde(default)]
    pub date_of_birth: Option<NaiveDate>,
}

/// The answer of `POST /api/v1/terms/dates`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermsResponse {
    /// The minimum age, 18 (R-TERMS-1).
    pub minimum_age: u32,
    /// The date the customer turns 18, when a date of birth was given (R-TERMS-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adult_on: Option<NaiveDate>,
    /// The last instant to opt out of arbitration (R-TERMS-2).
    pub arbitration_opt_out_by: DateTime<FixedOffset>,
    /// The liability cap in minor units of `currency` (R-TERMS-3).
    pub liability_cap_minor: i64,
    /// What was paid in the six months before the claim (R-TERMS-3).
    pub paid_in_window_minor: i64,
    /// The currency of the cap.
    pub currency: Currency,
    /// When either side may start arbitration (R-TERMS-6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arbitration_may_start_at: Option<DateTime<FixedOffset>>,
    /// After this instant the account may be terminated for inactivity (R-TERMS-4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_termination_after: Option<DateTime<FixedOffset>>,
    /// The account's data is deleted by this instant (R-TERMS-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_deleted_by: Option<DateTime<FixedOffset>>,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// Computes the dates and the liability cap of the terms (R-TERMS-1 to R-TERMS-6).
///
/// # Errors
///
/// [`RuleError::Impossible`] for a negative payment or an instant out of range, and
/// [`RuleError::Overflow`].
///
/// # Example
///
/// ```
/// use ratecard_rules::api;
/// let req: api::TermsRequest = serde_json::from_str(
///     r#"{"account_created_at": "2027-01-01T00:00:00Z"}"#).unwrap();
/// let r = api::terms_dates(&req)?;
/// assert_eq!(r.arbitration_opt_out_by.to_rfc3339(), "2027-01-31T00:00:00+00:00");
/// assert_eq!(r.liability_cap_minor, 10_000);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn terms_dates(req: &TermsRequest) -> Result<TermsResponse, RuleError> {
    check_len("payments", req.payments.len())?;
    crate::terms::dates(req)
}

// ---------------------------------------------------------------------------------------
// Support ledger
// ---------------------------------------------------------------------------------------

/// One event of an account's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum LedgerEvent {
    /// A subscription starts (R-CYCLE-1; R-UPGRADE-3 for a paid plan).
    Subscribe {
        /// When.
        at: DateTime<FixedOffset>,
        /// The plan id.
        plan: String,
    },
    /// A move to a dearer plan (R-UPGRADE).
    Upgrade {
        /// When.
        at: DateTime<FixedOffset>,
        /// The plan id.
        to_plan: String,
    },
    /// A move to a cheaper plan (R-DOWNGRADE-1).
    Downgrade {
        /// When.
        at: DateTime<FixedOffset>,
        /// The plan id.
        to_plan: String,
    },
    /// A cancellation (R-CANCEL).
    Cancel {
        /// When.
        at: DateTime<FixedOffset>,
        /// Whether the whole account is closed as well (R-TERMS-5).
        #[serde(default)]
        close_account: bool,
    },
    /// A generation (R-CREDIT-COST-1, R-QUOTA-1).
    Generation {
        /// When.
        at: DateTime<FixedOffset>,
        /// The model id.
        model: String,
    },
    /// An upload (R-UPLOAD).
    Upload {
        /// When.
        at: DateTime<FixedOffset>,
        /// Its length before cropping.
        seconds: u32,
        /// Whether it was flagged as someone else's copyright.
        #[serde(default)]
        copyright_flagged: bool,
    },
    /// A charge made outside the plan calendar, such as a one-off purchase.
    Charge {
        /// When.
        at: DateTime<FixedOffset>,
        /// How much, tax included, in minor units.
        amount_minor: i64,
        /// What it was for.
        #[serde(default)]
        description: Option<String>,
    },
    /// A refund paid out for an earlier charge (R-REFUND-4: granted at the provider's
    /// discretion). It reduces the amount paid (R-TERMS-3).
    Refund {
        /// When it was paid out.
        at: DateTime<FixedOffset>,
        /// How much, tax included, in minor units; above 0.
        amount_minor: i64,
        /// What it was for.
        #[serde(default)]
        description: Option<String>,
    },
    /// A refund request about the latest charge before it (R-REFUND).
    RefundRequest {
        /// When it was submitted.
        at: DateTime<FixedOffset>,
        /// The reason given.
        #[serde(default)]
        reason: RefundReason,
        /// Whether the account was terminated for breach (R-REFUND-7).
        #[serde(default)]
        terminated_for_breach: bool,
    },
    /// A grant of prepaid or promotional credits (R-PREPAID-1).
    Grant {
        /// When.
        at: DateTime<FixedOffset>,
        /// A label; `grant-N` when absent.
        #[serde(default)]
        id: Option<String>,
        /// Credits granted.
        credits: u64,
        /// When they expire; a year later when absent.
        #[serde(default)]
        expires_at: Option<DateTime<FixedOffset>>,
    },
}

impl LedgerEvent {
    /// The instant of the event.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::api::LedgerEvent;
    /// let e: LedgerEvent = serde_json::from_str(
    ///     r#"{"type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": "pro"}"#).unwrap();
    /// assert_eq!(e.at().to_rfc3339(), "2027-02-01T00:00:00+00:00");
    /// ```
    #[must_use]
    pub fn at(&self) -> DateTime<FixedOffset> {
        match self {
            LedgerEvent::Subscribe { at, .. }
            | LedgerEvent::Upgrade { at, .. }
            | LedgerEvent::Downgrade { at, .. }
            | LedgerEvent::Cancel { at, .. }
            | LedgerEvent::Generation { at, .. }
            | LedgerEvent::Upload { at, .. }
            | LedgerEvent::Charge { at, .. }
            | LedgerEvent::Refund { at, .. }
            | LedgerEvent::RefundRequest { at, .. }
            | LedgerEvent::Grant { at, .. } => *at,
        }
    }
}

/// `POST /api/v1/ledger`: an account history to explain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LedgerRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The customer's IANA time zone.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// The instant to report the state at; later events are ignored.
    pub at: DateTime<FixedOffset>,
    /// The tax rate in basis points for charges the ledger computes (R-MONEY-3).
    #[serde(default)]
    pub tax_rate_bp: Option<u32>,
    /// The history, in any order; it is sorted by time, stably.
    pub events: Vec<LedgerEvent>,
}

/// The kind of a timeline entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// Money charged.
    Charge,
    /// Money credited (negative amount).
    Credit,
    /// Tax charged (R-MONEY-3).
    Tax,
    /// An allowance starts afresh (R-CYCLE-5).
    AllowanceReset,
    /// An event was refused.
    Refusal,
    /// The plan changed.
    PlanChange,
    /// A downgrade was scheduled for the end of the period (R-DOWNGRADE-1).
    ChangeScheduled,
    /// Paid allowance was lost (R-CANCEL-1).
    AllowanceLost,
    /// Prepaid credits were granted (R-PREPAID-1).
    Grant,
    /// Prepaid credits were spent (R-PREPAID-2).
    GrantSpend,
    /// Prepaid credits expired (R-PREPAID-1).
    GrantExpiry,
    /// An upload was deleted for copyright (R-UPLOAD-3).
    UploadDeleted,
    /// A refund request was judged (R-REFUND).
    RefundReview,
}

/// One entry of the ledger timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerEntry {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// What happened.
    pub kind: EntryKind,
    /// The plan in force after the entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// The amount of money, for charges, credits and tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_minor: Option<i64>,
    /// The credits or seconds concerned, for allowances, grants and refusals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u64>,
    /// The rules applied.
    pub rules: Vec<String>,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// The refund position of the latest charge, as if asked at the report instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundState {
    /// The charge in question.
    pub charge: ChargeRef,
    /// Whether it is eligible for review.
    pub eligible: bool,
    /// The rules that decided it.
    pub rules: Vec<String>,
    /// Credits used since the charge, in basis points of the monthly allowance.
    pub usage_bp: u64,
    /// The reply date for a request made at the report instant.
    pub reply_by: NaiveDate,
}

/// The licence of the current plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceState {
    /// The licence id.
    pub id: String,
    /// The licence name.
    pub name: String,
    /// Whether commercial use is allowed.
    pub commercial_use: bool,
    /// The MAU limit for commercial products, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mau_limit: Option<u64>,
}

/// The prepaid credits at the report instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrepaidState {
    /// Unexpired, unspent credits.
    pub balance: u64,
    /// What expires next.
    pub expiring_next: Option<Expiring>,
}

/// Key dates of the terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermsState {
    /// The last instant to opt out of arbitration (R-TERMS-2).
    pub arbitration_opt_out_by: DateTime<FixedOffset>,
    /// When the data is deleted by, if the account was closed (R-TERMS-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_deleted_by: Option<DateTime<FixedOffset>>,
    /// The liability cap for a claim arising at the report instant (R-TERMS-3).
    pub liability_cap_minor: i64,
}

/// What a support agent needs to know at the report instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountState {
    /// The current plan, if subscribed.
    pub plan: Option<String>,
    /// The current period.
    pub period: Option<Period>,
    /// A downgrade waiting for the end of the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_plan: Option<String>,
    /// The catalogue version whose prices apply to the current period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue_version: Option<String>,
    /// Credits of the period.
    pub credits: Usage,
    /// Upload seconds of the period.
    pub upload_seconds: Usage,
    /// Money credited and not yet used (immediate-credit downgrades).
    pub credit_balance_minor: i64,
    /// The refund position of the latest charge.
    pub refund: Option<RefundState>,
    /// The licence of the current plan.
    pub licence: Option<LicenceState>,
    /// Prepaid credits.
    pub prepaid: PrepaidState,
    /// Key dates of the terms; absent before the first event.
    pub terms: Option<TermsState>,
}

/// The answer of `POST /api/v1/ledger`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerResponse {
    /// The currency of every amount.
    pub currency: Currency,
    /// Every charge, credit, allowance reset and refusal, in time order.
    pub timeline: Vec<LedgerEntry>,
    /// The state at the report instant.
    pub state: AccountState,
    /// Events after the report instant, which were not applied.
    pub ignored_events: u64,
    /// A summary of the state, sentence by sentence.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}

/// Replays an account history into a timeline and the state at an instant.
///
/// # Errors
///
/// [`RuleError::UnknownId`] for an unknown plan, model or zone, [`RuleError::Impossible`]
/// for a history spanning more renewals than the ledger replays (1,200), and
/// [`RuleError::Overflow`].
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let req: api::LedgerRequest = serde_json::from_str(r#"{
///     "at": "2027-03-15T00:00:00Z",
///     "events": [{"type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": "pro"}]}"#).unwrap();
/// let l = api::ledger(&Catalogue::builtin("stable-audio")?, &req)?;
/// assert_eq!(l.state.plan.as_deref(), Some("pro"));
/// let charges: Vec<i64> = l.timeline.iter().filter_map(|e| e.amount_minor).collect();
/// assert_eq!(charges, [1199, 1199]);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn ledger(catalogue: &Catalogue, req: &LedgerRequest) -> Result<LedgerResponse, RuleError> {
    check_len("events", req.events.len())?;
    crate::ledger::replay(catalogue, req)
}

// ---------------------------------------------------------------------------------------
// Quote: an upgrade preview and the quota right after it
// ---------------------------------------------------------------------------------------

/// A checkout quote: an upgrade and the usage so far, to show the price and the quota the
/// customer will have right after the change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The subscription before the upgrade.
    pub subscription: Subscription,
    /// The plan to move to.
    pub to_plan: String,
    /// When the upgrade is made.
    pub at: DateTime<FixedOffset>,
    /// The tax rate in basis points (R-MONEY-3); no tax line when absent.
    #[serde(default)]
    pub tax_rate_bp: Option<u32>,
    /// Generations made so far, in any order.
    #[serde(default)]
    pub generations: Vec<GenerationEvent>,
    /// Uploads made so far, in any order.
    #[serde(default)]
    pub uploads: Vec<UploadEvent>,
}

/// The answer to a [`QuoteRequest`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteResponse {
    /// What is due now: the preview's `due_now`.
    pub due_now: Money,
    /// The upgrade preview, as [`upgrade_preview`] answers.
    pub preview: UpgradePreview,
    /// The quota at `at` on the new plan, with the allowance of R-UPGRADE-4 under the
    /// catalogue's policy and the period's usage counted against it.
    pub quota: QuotaResponse,
    /// The preview's explanation followed by the quota's.
    pub explanation: Vec<ExplanationLine>,
}

/// Previews an upgrade and the quota right after it (R-UPGRADE-1 to R-UPGRADE-4,
/// R-QUOTA-1, R-UPLOAD-1 to R-UPLOAD-4).
///
/// # Errors
///
/// As [`upgrade_preview`] and [`quota`].
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let req: api::QuoteRequest = serde_json::from_str(r#"{
///     "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
///     "to_plan": "studio", "at": "2027-02-15T00:00:00Z",
///     "generations": [{"model": "stable-audio-2.0", "at": "2027-02-03T00:00:00Z"}]}"#).unwrap();
/// let q = api::quote(&Catalogue::builtin("stable-audio")?, &req)?;
/// assert_eq!(q.due_now.amount_minor, 900);
/// assert_eq!(q.quota.credits.remaining, 1348); // Studio's 1350, less 2 already used
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn quote(catalogue: &Catalogue, req: &QuoteRequest) -> Result<QuoteResponse, RuleError> {
    check_len("generations", req.generations.len())?;
    check_len("uploads", req.uploads.len())?;
    let preview = upgrade_preview(
        catalogue,
        &PlanChangeRequest {
            catalogue: None,
            subscription: req.subscription.clone(),
            to_plan: req.to_plan.clone(),
            at: req.at,
            tax_rate_bp: req.tax_rate_bp,
        },
    )?;
    let quota = crate::quota::quota(
        catalogue,
        &QuotaRequest {
            catalogue: None,
            subscription: Subscription {
                plan: req.to_plan.clone(),
                started_at: preview.anchor,
                time_zone: req.subscription.time_zone.clone(),
            },
            at: req.at,
            generations: req.generations.clone(),
            uploads: req.uploads.clone(),
        },
        Some(preview.allowance.credits),
    )?;
    let explanation = preview
        .explanation
        .iter()
        .chain(&quota.explanation)
        .cloned()
        .collect();
    Ok(QuoteResponse {
        due_now: preview.due_now,
        preview,
        quota,
        explanation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_refuse_unknown_fields() {
        let e = serde_json::from_str::<LedgerRequest>(
            r#"{"at": "2027-01-01T00:00:00Z", "events": [
                {"type": "subscribe", "at": "2027-01-01T00:00:00Z", "plan": "pro", "colour": "red"}]}"#,
        );
        assert!(e.is_err());
        let e = serde_json::from_str::<QuotaRequest>(
            r#"{"subscription": {"plan": "pro", "started_at": "2027-01-01T00:00:00Z"},
                "at": "2027-01-02T00:00:00Z", "generation": []}"#,
        );
        assert!(
            e.unwrap_err()
                .to_string()
                .contains("unknown field `generation`")
        );
    }

    #[test]
    fn long_lists_are_refused() {
        let req = TopUpRequest {
            balance_minor: 0,
            threshold_minor: 0,
            topup_minor: 1,
            tax_rate_bp: None,
            currency: None,
            usage: vec![
                UsageCharge {
                    at: DateTime::default(),
                    amount_minor: 0,
                };
                MAX_LIST_ITEMS + 1
            ],
        };
        assert_eq!(topup_simulation(&req).unwrap_err().code(), "impossible");
    }

    #[test]
    fn the_time_zone_defaults_to_utc() {
        let s: Subscription =
            serde_json::from_str(r#"{"plan": "pro", "started_at": "2027-01-01T00:00:00+02:00"}"#)
                .unwrap();
        assert_eq!(s.time_zone, "UTC");
    }
}
