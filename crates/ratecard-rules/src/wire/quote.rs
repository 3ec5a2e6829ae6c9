//! The wire types of a checkout quote: an upgrade preview and the quota right after it.

use serde::{Deserialize, Serialize};

use super::*;
use crate::money::Money;

plan_change_request! {
    /// A checkout quote: an upgrade and the usage so far, to show the price and the quota the
    /// customer will have right after the change.
    pub struct QuoteRequest {
        /// The subscription before the upgrade.
        subscription,
        /// When the upgrade is made.
        at,
        /// Generations made so far, in any order.
        #[serde(default)]
        pub generations: Vec<GenerationEvent>,
        /// Uploads made so far, in any order.
        #[serde(default)]
        pub uploads: Vec<UploadEvent>,
    }
}

/// The answer to a [`QuoteRequest`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteResponse {
    /// What is due now: the preview's `due_now`.
    pub due_now: Money,
    /// The upgrade preview, as [`crate::api::upgrade_preview`] answers.
    pub preview: UpgradePreview,
    /// The quota at `at` on the new plan, with the allowance of R-UPGRADE-4 under the
    /// catalogue's policy and the period's usage counted against it.
    pub quota: QuotaResponse,
    /// The preview's explanation followed by the quota's.
    pub explanation: Vec<ExplanationLine>,
}
