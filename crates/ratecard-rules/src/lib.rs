//! # ratecard-rules
//!
//! The pure rules engine behind ratecard. It computes every rule of the rule book
//! (`RULES.md`) from integers and calendars alone: no I/O, no floating point, no clock.
//! The widget runs it in the browser as WebAssembly and the server runs it natively, so a
//! customer, a checkout page and a support agent always see the same numbers.
//!
//! ## Money
//!
//! * [`Currency`] and [`Money`]: integer minor units with ISO 4217 exponents (R-MONEY-1).
//! * [`Fraction`]: exact fractions, rounded once, half away from zero (R-MONEY-2).
//!
//! ## Catalogues
//!
//! * [`CatalogueSpec`]: the serialisable shape shared by TOML, JSON and the HTTP API.
//! * [`Catalogue`]: a validated catalogue, and the built-in ones ([`Catalogue::builtin`]).
//!
//! ## Errors
//!
//! * [`RuleError`]: one enum with a stable [`RuleError::code`] per kind.

#![deny(missing_docs)]

pub mod catalogue;
mod error;
pub mod money;

pub use crate::catalogue::{
    Catalogue, CatalogueSpec, DEFAULT_CATALOGUE_ID, LicenceSpec, ModelSpec, PlanSpec,
};
pub use crate::error::RuleError;
pub use crate::money::{Currency, Fraction, Money};
