//! # ratecard-rules
//!
//! The pure rules engine behind ratecard. It computes every rule of the rule book
//! (`RULES.md`) from integers and calendars alone: no I/O, no floating point, no clock
//! (the caller passes every instant). The widget runs it in the browser as WebAssembly
//! and the server runs it natively, so a customer, a checkout page and a support agent
//! always see the same numbers.
//!
//! ## A short tour
//!
//! * **The HTTP API, as functions.** [`api`] holds one function per endpoint of `API.md`
//!   and re-exports the wire types of [`wire`]: [`api::renewals`], [`api::upgrade_preview`],
//!   [`api::downgrade_preview`], [`api::cancel_preview`], [`api::quota`],
//!   [`api::refund_eligibility`], [`api::licence_check`], [`api::prepaid_balance`],
//!   [`api::topup_simulation`], [`api::terms_dates`], the support [`api::ledger`] and a
//!   checkout [`api::quote`]. [`api::resolve_catalogue`] turns a request's `catalogue`
//!   field into a [`Catalogue`]; every list is bounded by [`api::MAX_LIST_ITEMS`].
//!   [`api::Endpoint`] is the one table of the calculation endpoints (name, HTTP path,
//!   request type, function) that the test runners, the parity generator and the fuzz
//!   target share.
//! * **Money** (R-MONEY-1 to R-MONEY-4). [`Currency`] and [`Money`] are integer minor
//!   units with ISO 4217 exponents; [`Fraction::apply`] is the one place that rounds,
//!   half away from zero; [`money::allocate`] splits without losing a unit; overflow is
//!   [`RuleError::Overflow`].
//! * **Catalogues.** [`CatalogueSpec`] is the serialisable shape shared by TOML, JSON and
//!   the API; [`Catalogue`] is a validated one, with three built-ins
//!   ([`Catalogue::builtin_ids`]) and the policy settings of the rule book ([`Policy`]).
//! * **Explanations.** Every result carries [`Reason`]s: a rule id plus its numbers,
//!   rendered to English in one module so a shell can localise them.
//! * **Errors.** [`RuleError`] is one enum with a stable [`RuleError::code`] per kind.
//!
//! ```
//! use ratecard_rules::{Catalogue, api};
//! let catalogue = Catalogue::builtin("stable-audio")?;
//! let req: api::PlanChangeRequest = serde_json::from_str(r#"{
//!     "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
//!     "to_plan": "studio", "at": "2027-02-15T00:00:00Z", "tax_rate_bp": 2000}"#).unwrap();
//! let preview = api::upgrade_preview(&catalogue, &req)?;
//! // −$6.00 credit, +$15.00 charge, $1.80 tax.
//! assert_eq!(preview.due_now.amount_minor, 1080);
//! assert_eq!(preview.explanation[3].rule, "R-UPGRADE-1");
//! # Ok::<(), ratecard_rules::RuleError>(())
//! ```
//!
//! ## Invariants
//!
//! * No I/O, no clock, no floating point; every amount is an `i64` of minor units.
//! * Same input, same output, natively and on `wasm32-unknown-unknown`.
//! * Every rule id of the rule book is a [`RuleId`] (all of them in [`RuleId::ALL`]) and
//!   is named by the reasons of the results it affects.

#![deny(missing_docs)]

// The modules form layers, from `rule_id` and `currency` at the bottom to `api` at the
// top; a module imports only modules of lower layers. `tests/layering.rs` lists the
// layers and checks every import.
pub mod api;
mod calendar;
pub mod catalogue;
mod currency;
mod error;
mod explain;
mod interval;
mod ledger;
mod licence;
pub mod money;
mod plan_change;
mod prepaid;
mod pricing;
mod quota;
mod quote;
mod reason;
mod refund;
mod rule_id;
mod subscription;
mod terms;
mod topup;
mod trial;
pub mod wire;
mod zone;

pub use crate::catalogue::{
    API_CREDITS_ID, Catalogue, CatalogueDocument, CatalogueKind, CatalogueSpec,
    DEFAULT_CATALOGUE_ID, DowngradeTiming, Interval, LicenceSpec, ModelSpec, PAY_AS_YOU_GO_ID,
    PlanSpec, Policy, PrepaidSettings, PriceSpec, PriceVersion, RefundPolicy, TopUpSettings,
    UpgradeAllowance, UploadOverflow,
};
pub use crate::error::RuleError;
pub use crate::money::{Currency, Fraction, Money};
pub use crate::reason::{Action, Problem, Reason, RefundWindow};
pub use crate::rule_id::{RuleId, UnknownRuleId};
pub use crate::zone::{Zone, ZoneOffset, install_zone, zone_file_name, zone_file_needed};
#[cfg(feature = "tzdata")]
pub use crate::zone::{zone_files, zone_index};
