//! Licence checks: R-LICENCE-1 to R-LICENCE-3.

use crate::catalogue::Catalogue;
use crate::error::RuleError;
use crate::explain::lines;
use crate::reason::Reason;
use crate::wire::{LicenceCheckRequest, LicenceCheckResponse, LicenceUse};

fn use_name(u: LicenceUse) -> &'static str {
    match u {
        LicenceUse::StreamingRelease => "music releases on streaming platforms",
        LicenceUse::SocialMedia => "social media",
        LicenceUse::Podcast => "personal podcasts",
        LicenceUse::Video => "videos",
        LicenceUse::CommercialProduct => "commercial products",
    }
}

/// `POST /api/v1/licences/check`.
pub(crate) fn check(
    catalogue: &Catalogue,
    req: &LicenceCheckRequest,
) -> Result<LicenceCheckResponse, RuleError> {
    let plan = catalogue.plan(&req.plan)?;
    let licence = catalogue.licence(&plan.licence)?;
    let current = match &req.current_plan {
        Some(id) => Some(catalogue.plan(id)?.name.clone()),
        None => None,
    };
    let product = req.use_ == LicenceUse::CommercialProduct;
    let mau = if product {
        req.monthly_active_users
    } else {
        None
    };
    // R-LICENCE-2: the MAU limit bounds commercial products only; views and follows of
    // posts, reels and videos do not count.
    let allowed = if licence.by_agreement {
        true
    } else if !licence.commercial_use {
        false
    } else if product {
        match (licence.mau_limit, mau) {
            (Some(limit), Some(users)) => users < limit,
            (Some(_), None) => {
                return Err(RuleError::Impossible {
                    detail: "a commercial product needs `monthly_active_users` to be checked against the licence".to_owned(),
                });
            }
            (None, _) => true,
        }
    } else {
        true
    };
    let reasons = vec![
        Reason::LicenceOfPlan {
            plan: plan.name.clone(),
            licence: licence.name.clone(),
            by_agreement: licence.by_agreement,
        },
        Reason::LicenceUse {
            licence: licence.name.clone(),
            use_: use_name(req.use_).to_owned(),
            allowed,
            commercial: licence.commercial_use,
            mau,
            limit: if licence.by_agreement {
                None
            } else {
                licence.mau_limit
            },
        },
        Reason::LicenceFollowsTrack {
            plan: plan.name.clone(),
            current,
        },
    ];
    Ok(LicenceCheckResponse {
        allowed,
        licence: licence.id.clone(),
        licence_name: licence.name.clone(),
        explanation: lines(&reasons),
        reasons,
    })
}
