//! Leptos components. They only arrange and format what [`crate::model`] computed.

pub mod checkout;
pub mod error_box;
pub mod support;
pub mod tiers;
