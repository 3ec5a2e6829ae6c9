//! View models: plain data derived from the rules crate, with no DOM and no formatting.
//!
//! Everything here is tested natively (`cargo test`), so the components stay thin.

pub mod attrs;
pub mod checkout;
pub mod source;
pub mod support;
pub mod tiers;
