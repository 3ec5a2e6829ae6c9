//! One entry function per endpoint of the HTTP API (`API.md`), and its wire types.
//!
//! The wire types live in [`crate::wire`] and are re-exported here, so the shells name
//! them `api::LedgerRequest` and so on. This module only dispatches: it checks list
//! lengths and calls the rule module of each endpoint. No rule module imports it.

use crate::catalogue::{Catalogue, DEFAULT_CATALOGUE_ID};
use crate::error::RuleError;
use crate::wire::check_len;
pub use crate::wire::*;

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
        .map(|c| CatalogueSummary::of(&c))
        .collect()
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
    crate::quota::quota(catalogue, req)
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
    crate::quote::quote(catalogue, req)
}

/// Previews any change of plan or interval (R-INTERVAL-4 to R-INTERVAL-6, R-UPGRADE,
/// R-DOWNGRADE-1, R-CANCEL, R-TRIAL-2), priced in the subscription's currency
/// (R-CURRENCY-1).
///
/// # Errors
///
/// [`RuleError::UnknownId`] for an unknown plan, zone or currency, and
/// [`RuleError::Impossible`] for no change at all, a yearly price below the current
/// monthly one (R-INTERVAL-4), a plan not sold per the interval asked for, or an instant
/// before the start.
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let req: api::ChangeRequest = serde_json::from_str(r#"{
///     "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
///     "to_plan": "pro", "to_interval": "year", "at": "2027-02-15T00:00:00Z"}"#).unwrap();
/// let p = api::change_preview(&Catalogue::builtin("stable-audio")?, &req)?;
/// // 14 of 28 days left: −round(1199 / 2) + 11990 = −600 + 11990.
/// assert_eq!(p.kind, api::ChangeKind::IntervalChange);
/// assert_eq!(p.due_now.amount_minor, 11_390);
/// assert_eq!(p.next_renewal.to_rfc3339(), "2028-02-15T00:00:00+00:00");
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn change_preview(
    catalogue: &Catalogue,
    req: &ChangeRequest,
) -> Result<ChangePreview, RuleError> {
    crate::interval::change(catalogue, req)
}

/// Starts a subscription, with a free trial when the plan offers one and the account is
/// eligible (R-TRIAL-1, R-TRIAL-3).
///
/// # Errors
///
/// [`RuleError::UnknownId`] for an unknown plan, zone or currency, and
/// [`RuleError::Impossible`] for the free plan or a plan not sold per the interval.
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let req: api::TrialStartRequest = serde_json::from_str(r#"{
///     "plan": "pro", "at": "2027-03-25T09:00:00+01:00", "time_zone": "Europe/Berlin",
///     "had_paid_or_trial": false}"#).unwrap();
/// let t = api::trial_start(&Catalogue::builtin("stable-audio")?, &req)?;
/// // Seven days later at the same local time, across the change to summer time.
/// assert_eq!(t.trial_ends_at.unwrap().to_rfc3339(), "2027-04-01T09:00:00+02:00");
/// assert_eq!(t.first_charge.amount_minor, 1199);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn trial_start(
    catalogue: &Catalogue,
    req: &TrialStartRequest,
) -> Result<TrialStart, RuleError> {
    crate::trial::start(catalogue, req)
}

/// What a pricing table shows: the currency (R-CURRENCY-2), each plan's prices with the
/// yearly saving (R-INTERVAL-3), tax included if asked (R-DISPLAY-1).
///
/// # Errors
///
/// [`RuleError::UnknownId`] for a currency the catalogue does not price in, listing those
/// it does.
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let req: api::PricingRequest = serde_json::from_str(r#"{"region": "DE"}"#).unwrap();
/// let t = api::pricing(&Catalogue::builtin("stable-audio")?, &req)?;
/// assert_eq!(t.currency.code(), "EUR");
/// let pro_yearly = &t.plans[1].prices[1];
/// assert_eq!((pro_yearly.amount_minor, pro_yearly.per_month_minor), (10_990, Some(916)));
/// assert_eq!(pro_yearly.saving_percent, Some(16));
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn pricing(catalogue: &Catalogue, req: &PricingRequest) -> Result<PricingTable, RuleError> {
    crate::pricing::table(catalogue, req)
}

/// [`pricing`] without the English `explanation`, which is left empty: the same numbers
/// and the same typed `reasons`, for a caller that words the reasons itself. The widget
/// uses it so that a pricing page does not download the English renderer.
///
/// # Errors
///
/// As [`pricing`].
///
/// # Example
///
/// ```
/// use ratecard_rules::{Catalogue, api};
/// let c = Catalogue::builtin("stable-audio")?;
/// let req = api::PricingRequest { region: Some("JP".into()), ..Default::default() };
/// let t = api::pricing_without_text(&c, &req)?;
/// assert!(t.explanation.is_empty());
/// assert_eq!(t.plans, api::pricing(&c, &req)?.plans);
/// assert_eq!(t.reasons, api::pricing(&c, &req)?.reasons);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn pricing_without_text(
    catalogue: &Catalogue,
    req: &PricingRequest,
) -> Result<PricingTable, RuleError> {
    crate::pricing::table_without_text(catalogue, req)
}

/// One calculation endpoint of `API.md`: its name in the golden files, its HTTP path, its
/// request type and its function. [`Endpoint::ALL`] is the one list of them that the
/// golden runners, the parity generator and the fuzz target share.
///
/// # Example
///
/// ```
/// use ratecard_rules::api::Endpoint;
/// let e = Endpoint::from_path("/api/v1/previews/upgrade").unwrap();
/// assert_eq!(e, Endpoint::UpgradePreview);
/// assert_eq!(e.name(), "upgrade");
/// let answer = e.answer(&serde_json::json!({
///     "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
///     "to_plan": "studio", "at": "2027-02-15T00:00:00Z"})).unwrap();
/// let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
/// assert_eq!(answer["due_now"]["amount_minor"], 900);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    /// `POST /api/v1/renewals`: [`renewals`].
    Renewals,
    /// `POST /api/v1/previews/upgrade`: [`upgrade_preview`].
    UpgradePreview,
    /// `POST /api/v1/previews/downgrade`: [`downgrade_preview`].
    DowngradePreview,
    /// `POST /api/v1/previews/cancel`: [`cancel_preview`].
    CancelPreview,
    /// `POST /api/v1/quota`: [`quota`].
    Quota,
    /// `POST /api/v1/refunds/eligibility`: [`refund_eligibility`].
    RefundEligibility,
    /// `POST /api/v1/licences/check`: [`licence_check`].
    LicenceCheck,
    /// `POST /api/v1/prepaid/balance`: [`prepaid_balance`].
    PrepaidBalance,
    /// `POST /api/v1/topups/simulate`: [`topup_simulation`].
    TopUpSimulation,
    /// `POST /api/v1/terms/dates`: [`terms_dates`].
    TermsDates,
    /// `POST /api/v1/ledger`: [`ledger`].
    Ledger,
    /// `POST /api/v1/quote`: [`quote`].
    Quote,
    /// `POST /api/v1/previews/change`: [`change_preview`].
    ChangePreview,
    /// `POST /api/v1/trials/start`: [`trial_start`].
    TrialStart,
    /// `POST /api/v1/pricing`: [`pricing`].
    Pricing,
}

/// Why [`Endpoint::answer`] has no answer.
#[derive(Debug)]
pub enum AnswerError {
    /// The JSON is not a request of the endpoint (the server says 400).
    Request(serde_json::Error),
    /// The rules refused it: [`resolve_catalogue`] or the endpoint's function.
    Rule(RuleError),
    /// The answer did not serialise (no answer of this crate fails to).
    Encode(serde_json::Error),
}

impl Endpoint {
    /// Every endpoint, in a fixed order (the fuzz target's first byte picks one by it).
    pub const ALL: [Endpoint; 15] = [
        Endpoint::Renewals,
        Endpoint::UpgradePreview,
        Endpoint::DowngradePreview,
        Endpoint::CancelPreview,
        Endpoint::Quota,
        Endpoint::RefundEligibility,
        Endpoint::LicenceCheck,
        Endpoint::PrepaidBalance,
        Endpoint::TopUpSimulation,
        Endpoint::TermsDates,
        Endpoint::Ledger,
        Endpoint::Quote,
        Endpoint::ChangePreview,
        Endpoint::TrialStart,
        Endpoint::Pricing,
    ];

    /// The short name the golden files use, such as `upgrade`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Endpoint::Renewals => "renewals",
            Endpoint::UpgradePreview => "upgrade",
            Endpoint::DowngradePreview => "downgrade",
            Endpoint::CancelPreview => "cancel",
            Endpoint::Quota => "quota",
            Endpoint::RefundEligibility => "refund",
            Endpoint::LicenceCheck => "licence",
            Endpoint::PrepaidBalance => "prepaid",
            Endpoint::TopUpSimulation => "topup",
            Endpoint::TermsDates => "terms",
            Endpoint::Ledger => "ledger",
            Endpoint::Quote => "quote",
            Endpoint::ChangePreview => "change",
            Endpoint::TrialStart => "trial",
            Endpoint::Pricing => "pricing",
        }
    }

    /// The HTTP path of `API.md`, such as `/api/v1/previews/upgrade`.
    #[must_use]
    pub const fn path(self) -> &'static str {
        match self {
            Endpoint::Renewals => "/api/v1/renewals",
            Endpoint::UpgradePreview => "/api/v1/previews/upgrade",
            Endpoint::DowngradePreview => "/api/v1/previews/downgrade",
            Endpoint::CancelPreview => "/api/v1/previews/cancel",
            Endpoint::Quota => "/api/v1/quota",
            Endpoint::RefundEligibility => "/api/v1/refunds/eligibility",
            Endpoint::LicenceCheck => "/api/v1/licences/check",
            Endpoint::PrepaidBalance => "/api/v1/prepaid/balance",
            Endpoint::TopUpSimulation => "/api/v1/topups/simulate",
            Endpoint::TermsDates => "/api/v1/terms/dates",
            Endpoint::Ledger => "/api/v1/ledger",
            Endpoint::Quote => "/api/v1/quote",
            Endpoint::ChangePreview => "/api/v1/previews/change",
            Endpoint::TrialStart => "/api/v1/trials/start",
            Endpoint::Pricing => "/api/v1/pricing",
        }
    }

    /// The endpoint of a short name ([`Endpoint::name`]).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Endpoint> {
        Endpoint::ALL.into_iter().find(|e| e.name() == name)
    }

    /// The endpoint of an HTTP path ([`Endpoint::path`]).
    #[must_use]
    pub fn from_path(path: &str) -> Option<Endpoint> {
        Endpoint::ALL.into_iter().find(|e| e.path() == path)
    }

    /// Answers a JSON request as the server does: decodes it as the endpoint's request,
    /// resolves its catalogue ([`resolve_catalogue`]), calls the endpoint's function and
    /// writes the answer as compact JSON, fields in the order of the response type.
    ///
    /// # Errors
    ///
    /// [`AnswerError::Request`] when the JSON is not such a request, and
    /// [`AnswerError::Rule`] for the [`RuleError`] of the catalogue or the calculation.
    pub fn answer(self, request: &serde_json::Value) -> Result<String, AnswerError> {
        fn run<Req, Res>(
            request: &serde_json::Value,
            f: impl FnOnce(&Req) -> Result<Res, RuleError>,
        ) -> Result<String, AnswerError>
        where
            Req: serde::de::DeserializeOwned,
            Res: serde::Serialize,
        {
            let req = serde_json::from_value(request.clone()).map_err(AnswerError::Request)?;
            let res = f(&req).map_err(AnswerError::Rule)?;
            serde_json::to_string(&res).map_err(AnswerError::Encode)
        }
        let cat = resolve_catalogue;
        match self {
            Endpoint::Renewals => run(request, |r: &RenewalsRequest| {
                renewals(&cat(r.catalogue.as_ref())?, r)
            }),
            Endpoint::UpgradePreview => run(request, |r: &PlanChangeRequest| {
                upgrade_preview(&cat(r.catalogue.as_ref())?, r)
            }),
            Endpoint::DowngradePreview => run(request, |r: &PlanChangeRequest| {
                downgrade_preview(&cat(r.catalogue.as_ref())?, r)
            }),
            Endpoint::CancelPreview => run(request, |r: &CancelRequest| {
                cancel_preview(&cat(r.catalogue.as_ref())?, r)
            }),
            Endpoint::Quota => run(request, |r: &QuotaRequest| {
                quota(&cat(r.catalogue.as_ref())?, r)
            }),
            Endpoint::RefundEligibility => run(request, |r: &RefundRequest| {
                refund_eligibility(&cat(r.catalogue.as_ref())?, r)
            }),
            Endpoint::LicenceCheck => run(request, |r: &LicenceCheckRequest| {
                licence_check(&cat(r.catalogue.as_ref())?, r)
            }),
            Endpoint::PrepaidBalance => run(request, prepaid_balance),
            Endpoint::TopUpSimulation => run(request, topup_simulation),
            Endpoint::TermsDates => run(request, terms_dates),
            Endpoint::Ledger => run(request, |r: &LedgerRequest| {
                ledger(&cat(r.catalogue.as_ref())?, r)
            }),
            Endpoint::Quote => run(request, |r: &QuoteRequest| {
                quote(&cat(r.catalogue.as_ref())?, r)
            }),
            Endpoint::ChangePreview => run(request, |r: &ChangeRequest| {
                change_preview(&cat(r.catalogue.as_ref())?, r)
            }),
            Endpoint::TrialStart => run(request, |r: &TrialStartRequest| {
                trial_start(&cat(r.catalogue.as_ref())?, r)
            }),
            Endpoint::Pricing => run(request, |r: &PricingRequest| {
                pricing(&cat(r.catalogue.as_ref())?, r)
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

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
    fn endpoints_are_listed_once_by_name_and_by_path() {
        for (i, e) in Endpoint::ALL.into_iter().enumerate() {
            assert_eq!(Endpoint::from_name(e.name()), Some(e));
            assert_eq!(Endpoint::from_path(e.path()), Some(e));
            assert!(
                Endpoint::ALL[..i]
                    .iter()
                    .all(|o| o.name() != e.name() && o.path() != e.path())
            );
        }
        assert_eq!(Endpoint::from_name("catalogue"), None);
        assert_eq!(Endpoint::from_path("/api/v1/echo"), None);
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
