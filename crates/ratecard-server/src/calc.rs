//! The calculation endpoints of API.md, the support ledger and the quote.
//!
//! Each handler reads its request, a JSON object, with [`JsonObject`], resolves the
//! `catalogue` field against the [`Registry`](crate::Registry) (absent: `stable-audio`;
//! an id the server does not know: 404; an inline catalogue: validated like a file, 422
//! when invalid, its `detail` naming the field as `catalogue.plans[0].price_minor`),
//! checks the list limits, and calls the entry function of `ratecard_rules::api`: inline
//! for the calculations that take microseconds, on the blocking pool for a whole ledger,
//! so that even a long history cannot stall the request timeout.

use std::sync::Arc;

use axum::extract::State;
use ratecard_rules::api::{self, CatalogueRef};
use ratecard_rules::{Catalogue, RuleError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::extract::{AppJson, JsonObject};
use crate::problem::{AppError, Problem};

/// The most items any list of a request may hold. The 64 KiB body limit already keeps
/// real lists far below it; this is the documented bound behind it, the rules crate's own
/// [`ratecard_rules::api::MAX_LIST_ITEMS`].
pub const MAX_LIST_LEN: usize = ratecard_rules::api::MAX_LIST_ITEMS;

impl AppState {
    /// Resolves a request's `catalogue` field: absent means `stable-audio`, an id must be
    /// known to the server (built-in or `--catalogues`), and an inline catalogue is
    /// validated with the source name `request`.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownCatalogue`] (404) or [`RuleError::InvalidCatalogue`] (422).
    pub fn resolve(&self, catalogue: Option<CatalogueRef>) -> Result<Arc<Catalogue>, RuleError> {
        match catalogue {
            None => self.registry.default_catalogue(),
            Some(CatalogueRef::Id(id)) => self.registry.get(&id),
            Some(CatalogueRef::Inline(spec)) => {
                Catalogue::validate(crate::problem::INLINE_SOURCE, *spec).map(Arc::new)
            }
        }
    }
}

/// Checks that no list of a request is longer than [`MAX_LIST_LEN`].
pub(crate) fn check_lists(lists: &[(&str, usize)]) -> Result<(), AppError> {
    for (name, len) in lists {
        if *len > MAX_LIST_LEN {
            return Err(AppError::InvalidField {
                field: Some((*name).to_owned()),
                detail: format!(
                    "`{name}` has {len} items; a request may carry at most {MAX_LIST_LEN}"
                ),
            });
        }
    }
    Ok(())
}

/// Runs a calculation on the request's own task and turns its answer into a response.
///
/// A calculation takes microseconds (see `BENCHMARKS.md`), far less than handing it to
/// another thread would cost, so it runs inline; only the one whose size grows with
/// the request, a whole account history, goes through [`compute_long`].
async fn compute<T, F>(f: F) -> Result<AppJson<T>, AppError>
where
    F: FnOnce() -> Result<T, RuleError>,
{
    answer(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|_| ()))
}

/// Runs a calculation that may take milliseconds on the blocking pool, so it never holds
/// up the other requests of its worker.
async fn compute_long<T, F>(f: F) -> Result<AppJson<T>, AppError>
where
    F: FnOnce() -> Result<T, RuleError> + Send + 'static,
    T: Send + 'static,
{
    answer(tokio::task::spawn_blocking(f).await.map_err(|_| ()))
}

/// A calculation's answer, its rule error, or a 500 when it panicked (a bug, logged).
fn answer<T>(outcome: Result<Result<T, RuleError>, ()>) -> Result<AppJson<T>, AppError> {
    match outcome {
        Ok(Ok(answer)) => Ok(AppJson(answer)),
        Ok(Err(e)) => Err(AppError::Rule(e)),
        Err(()) => {
            tracing::error!("a calculation panicked");
            Err(AppError::Internal)
        }
    }
}

/// Defines one calculation endpoint: the handler and its OpenAPI entry.
macro_rules! endpoint {
    (
        $(#[$doc:meta])*
        $name:ident, $path:literal, $req:ty => $res:ty,
        |$state:ident, $r:ident| $body:block
    ) => {
        $(#[$doc])*
        #[utoipa::path(
            post,
            path = $path,
            tag = "calculations",
            request_body = $req,
            responses(
                (status = 200, description = "The answer, with its explanation", body = $res),
                (status = 400, description = "Malformed JSON, a wrong type, a missing or unknown field, an impossible date, an interval other than `month` or `year`, a list over 10,000 items, or no `Content-Type: application/json`; `field` is the path of the field at fault, inside an inline catalogue too", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "An unknown catalogue id", body = Problem, content_type = "application/problem+json"),
                (status = 408, description = "The request took longer than the request timeout", body = Problem, content_type = "application/problem+json"),
                (status = 413, description = "A body over 64 KiB", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "Well-formed but impossible: an unknown plan, model, zone or licence (the detail lists the valid ids), a currency the catalogue does not price in (the detail lists its currencies), an instant before the start, an out-of-range count, an amount outside the 64-bit range or one that overflows (`overflow`), an inline catalogue that fails validation (`invalid-catalogue`, with `field`)", body = Problem, content_type = "application/problem+json"),
            )
        )]
        pub async fn $name(
            State($state): State<AppState>,
            JsonObject($r): JsonObject<$req>,
        ) -> Result<AppJson<$res>, AppError> {
            #[allow(unused_mut)]
            let mut $r = $r;
            $body
        }
    };
}

endpoint! {
    /// R-CYCLE: the first `count` (1 to 120) renewals after `started_at`.
    renewals, "/api/v1/renewals", api::RenewalsRequest => api::RenewalsResponse,
    |state, req| {
        let catalogue = state.resolve(req.catalogue.take())?;
        compute(move || api::renewals(&catalogue, &req)).await
    }
}

endpoint! {
    /// R-UPGRADE: what an upgrade costs now, line by line.
    upgrade_preview, "/api/v1/previews/upgrade", api::PlanChangeRequest => api::UpgradePreview,
    |state, req| {
        let catalogue = state.resolve(req.catalogue.take())?;
        compute(move || api::upgrade_preview(&catalogue, &req)).await
    }
}

endpoint! {
    /// R-DOWNGRADE: when a downgrade takes effect and what is given up.
    downgrade_preview, "/api/v1/previews/downgrade", api::PlanChangeRequest => api::DowngradePreview,
    |state, req| {
        let catalogue = state.resolve(req.catalogue.take())?;
        compute(move || api::downgrade_preview(&catalogue, &req)).await
    }
}

endpoint! {
    /// R-CANCEL: what a cancellation does now and what is lost.
    cancel_preview, "/api/v1/previews/cancel", api::CancelRequest => api::CancelPreview,
    |state, req| {
        check_lists(&[("generations", req.generations.len()), ("uploads", req.uploads.len())])?;
        let catalogue = state.resolve(req.catalogue.take())?;
        compute(move || api::cancel_preview(&catalogue, &req)).await
    }
}

endpoint! {
    /// R-QUOTA and R-UPLOAD: credits, tracks and upload time left in the current period.
    quota, "/api/v1/quota", api::QuotaRequest => api::QuotaResponse,
    |state, req| {
        check_lists(&[("generations", req.generations.len()), ("uploads", req.uploads.len())])?;
        let catalogue = state.resolve(req.catalogue.take())?;
        compute(move || api::quota(&catalogue, &req)).await
    }
}

endpoint! {
    /// R-REFUND: whether a charge is eligible for a refund review, and by when to reply.
    refund_eligibility, "/api/v1/refunds/eligibility", api::RefundRequest => api::RefundResponse,
    |state, req| {
        check_lists(&[("generations", req.generations.len())])?;
        let catalogue = state.resolve(req.catalogue.take())?;
        compute(move || api::refund_eligibility(&catalogue, &req)).await
    }
}

endpoint! {
    /// R-LICENCE: whether a plan's licence allows a use.
    licence_check, "/api/v1/licences/check", api::LicenceCheckRequest => api::LicenceCheckResponse,
    |state, req| {
        let catalogue = state.resolve(req.catalogue.take())?;
        compute(move || api::licence_check(&catalogue, &req)).await
    }
}

endpoint! {
    /// R-PREPAID: the prepaid credit balance at an instant and what expires next.
    prepaid_balance, "/api/v1/prepaid/balance", api::PrepaidRequest => api::PrepaidResponse,
    |_state, req| {
        check_lists(&[("grants", req.grants.len()), ("spends", req.spends.len())])?;
        compute(move || api::prepaid_balance(&req)).await
    }
}

endpoint! {
    /// R-TOPUP: every automatic top-up over a usage series.
    topup_simulation, "/api/v1/topups/simulate", api::TopUpRequest => api::TopUpResponse,
    |_state, req| {
        check_lists(&[("usage", req.usage.len())])?;
        compute(move || api::topup_simulation(&req)).await
    }
}

endpoint! {
    /// R-TERMS: the dates and the liability cap the terms set.
    terms_dates, "/api/v1/terms/dates", api::TermsRequest => api::TermsResponse,
    |_state, req| {
        check_lists(&[("payments", req.payments.len())])?;
        compute(move || api::terms_dates(&req)).await
    }
}

endpoint! {
    /// The support ledger: a customer's history replayed into a timeline and the account
    /// state, every entry with the rules that produced it.
    ledger, "/api/v1/ledger", api::LedgerRequest => api::LedgerResponse,
    |state, req| {
        check_lists(&[("events", req.events.len())])?;
        let catalogue = state.resolve(req.catalogue.take())?;
        compute_long(move || api::ledger(&catalogue, &req)).await
    }
}

endpoint! {
    /// A quote for an integrator's checkout: the upgrade preview (R-UPGRADE) and the
    /// quota the customer will have right after it (R-QUOTA, R-UPLOAD), in one call.
    ///
    /// The quota's credit allowance follows the catalogue's R-UPGRADE-4 policy
    /// (`policy.upgrade_allowance`): the new plan's full allowance by default, or under
    /// `prorated` the old allowance for the time before the change plus the new one for
    /// the time after. Usage already made in the period counts against it either way.
    quote, "/api/v1/quote", api::QuoteRequest => api::QuoteResponse,
    |state, req| {
        check_lists(&[("generations", req.generations.len()), ("uploads", req.uploads.len())])?;
        let catalogue = state.resolve(req.catalogue.take())?;
        compute(move || api::quote(&catalogue, &req)).await
    }
}

endpoint! {
    /// Any change of plan or interval, priced in the subscription's currency: a monthly
    /// plan to a yearly one at once with a new anchor (R-INTERVAL-4), an upgrade
    /// (R-UPGRADE, R-INTERVAL-5), a downgrade at the end of the period (R-DOWNGRADE-1,
    /// R-INTERVAL-6), a cancellation for the free plan (R-CANCEL), and during a trial
    /// nothing charged now (R-TRIAL-2).
    change_preview, "/api/v1/previews/change", api::ChangeRequest => api::ChangePreview,
    |state, req| {
        let catalogue = state.resolve(req.catalogue.take())?;
        compute(move || api::change_preview(&catalogue, &req)).await
    }
}

endpoint! {
    /// R-TRIAL-1: a new subscription, with the plan's free trial when the account is
    /// eligible, its end (R-TRIAL-3) and its first charge.
    trial_start, "/api/v1/trials/start", api::TrialStartRequest => api::TrialStart,
    |state, req| {
        let catalogue = state.resolve(req.catalogue.take())?;
        compute(move || api::trial_start(&catalogue, &req)).await
    }
}

endpoint! {
    /// What a pricing table shows: the currency for the host page or the visitor's
    /// region (R-CURRENCY-2), every plan's monthly and yearly prices with the yearly
    /// saving (R-INTERVAL-3), tax included when a rate is given (R-DISPLAY-1).
    pricing, "/api/v1/pricing", api::PricingRequest => api::PricingTable,
    |state, req| {
        let catalogue = state.resolve(req.catalogue.take())?;
        compute(move || api::pricing(&catalogue, &req)).await
    }
}

/// Adds the calculation routes.
pub fn routes(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    router
        .routes(routes!(renewals))
        .routes(routes!(upgrade_preview))
        .routes(routes!(downgrade_preview))
        .routes(routes!(cancel_preview))
        .routes(routes!(quota))
        .routes(routes!(refund_eligibility))
        .routes(routes!(licence_check))
        .routes(routes!(prepaid_balance))
        .routes(routes!(topup_simulation))
        .routes(routes!(terms_dates))
        .routes(routes!(ledger))
        .routes(routes!(quote))
        .routes(routes!(change_preview))
        .routes(routes!(trial_start))
        .routes(routes!(pricing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_bounded() {
        assert!(check_lists(&[("events", MAX_LIST_LEN)]).is_ok());
        let err = check_lists(&[("spends", 3), ("events", MAX_LIST_LEN + 1)]).unwrap_err();
        let p = err.to_problem();
        assert_eq!(p.status, 400);
        assert_eq!(p.type_uri, "https://ratecard.dev/problems/invalid-field");
        assert!(
            p.detail.contains("`events` has 10001 items"),
            "{}",
            p.detail
        );
    }
}
