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
