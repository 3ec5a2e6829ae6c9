//! Leptos components. They only arrange and format what [`crate::model`] computed.

#[cfg(feature = "support")]
pub mod account;
pub mod checkout;
pub mod error_box;
pub mod support;
pub mod tiers;
