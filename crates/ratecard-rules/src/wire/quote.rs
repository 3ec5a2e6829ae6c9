//! The wire types of a checkout quote: an upgrade preview and the quota right after it.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::*;
use crate::money::Money;

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
    #[cfg_attr(feature = "openapi", schema(example = "studio"))]
    pub to_plan: String,
    /// When the upgrade is made.
    #[cfg_attr(feature = "openapi", schema(example = "2026-02-10T09:00:00Z"))]
    pub at: DateTime<FixedOffset>,
    /// The tax rate in basis points (R-MONEY-3); no tax line when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 2000))]
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
    /// The upgrade preview, as [`crate::api::upgrade_preview`] answers.
    pub preview: UpgradePreview,
    /// The quota at `at` on the new plan, with the allowance of R-UPGRADE-4 under the
    /// catalogue's policy and the period's usage counted against it.
    pub quota: QuotaResponse,
    /// The preview's explanation followed by the quota's.
    pub explanation: Vec<ExplanationLine>,
}
