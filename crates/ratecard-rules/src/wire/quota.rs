//! The wire types of quotas (R-QUOTA, R-UPLOAD).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::*;
use crate::reason::Reason;

/// `POST /api/v1/quota`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuotaRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The subscription.
    pub subscription: Subscription,
    /// The instant to report on.
    #[cfg_attr(feature = "openapi", schema(example = "2026-02-10T09:00:00Z"))]
    pub at: DateTime<FixedOffset>,
    /// Generations, in any order.
    #[serde(default)]
    pub generations: Vec<GenerationEvent>,
    /// Uploads, in any order.
    #[serde(default)]
    pub uploads: Vec<UploadEvent>,
}

/// Allowance, use and remainder of one quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Usage {
    /// What the period grants.
    pub allowance: u64,
    /// What was used in the period.
    pub used: u64,
    /// `allowance − used`, never below zero.
    pub remaining: u64,
}

/// What was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RefusalKind {
    /// A generation (R-QUOTA-1).
    Generation,
    /// An upload (R-UPLOAD-4).
    Upload,
}

/// A refused event. A refused event uses nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refusal {
    /// Generation or upload.
    pub kind: RefusalKind,
    /// When it was attempted.
    pub at: DateTime<FixedOffset>,
    /// Why, in English.
    pub reason: String,
    /// The rule that refused it.
    pub rule: String,
    /// How many credits or seconds were missing.
    pub shortfall: u64,
}

/// What became of one upload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadOutcome {
    /// When it was uploaded.
    pub at: DateTime<FixedOffset>,
    /// Its length as uploaded.
    pub seconds: u32,
    /// What it used of the allowance after cropping (R-UPLOAD-2); 0 when refused.
    pub counted_seconds: u64,
    /// Whether it was cropped.
    pub cropped: bool,
    /// Whether it was deleted as someone else's copyright (R-UPLOAD-3).
    pub deleted: bool,
    /// Whether it was refused (R-UPLOAD-4).
    pub refused: bool,
}

/// The answer of `POST /api/v1/quota`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotaResponse {
    /// The current period (R-CYCLE-5).
    pub period: Period,
    /// Credits (R-QUOTA-1).
    pub credits: Usage,
    /// Generations still possible per model id (R-QUOTA-1).
    pub tracks_left: BTreeMap<String, u64>,
    /// Upload seconds (R-UPLOAD-1).
    pub upload_seconds: Usage,
    /// Refused events, in time order.
    pub refused: Vec<Refusal>,
    /// Every upload of the period, in time order.
    pub uploads: Vec<UploadOutcome>,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}
