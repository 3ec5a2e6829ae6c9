//! The wire types of licences (R-LICENCE).

use serde::{Deserialize, Serialize};

use super::*;
use crate::reason::Reason;

/// A use of a generated track (R-LICENCE-2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", schema(example = "podcast"))]
pub enum LicenceUse {
    /// A music release on streaming platforms.
    StreamingRelease,
    /// Social media posts, reels and the like.
    SocialMedia,
    /// A personal podcast.
    Podcast,
    /// A video.
    Video,
    /// A commercial product, limited by monthly active users.
    CommercialProduct,
}

/// `POST /api/v1/licences/check`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LicenceCheckRequest {
    /// The catalogue; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<CatalogueRef>,
    /// The plan the track was generated on (R-LICENCE-3).
    #[cfg_attr(feature = "openapi", schema(example = "pro"))]
    pub plan: String,
    /// The intended use.
    #[serde(rename = "use")]
    pub use_: LicenceUse,
    /// The product's monthly active users, for a commercial product.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 5000))]
    pub monthly_active_users: Option<u64>,
    /// The subscriber's plan today, if different (R-LICENCE-3: it does not matter).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "pro"))]
    pub current_plan: Option<String>,
}

/// The answer of `POST /api/v1/licences/check`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceCheckResponse {
    /// Whether the use is allowed.
    pub allowed: bool,
    /// The licence id.
    pub licence: String,
    /// The licence name.
    pub licence_name: String,
    /// Why.
    pub explanation: Vec<ExplanationLine>,
    /// The typed reasons behind `explanation`, for Rust callers.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub reasons: Vec<Reason>,
}
