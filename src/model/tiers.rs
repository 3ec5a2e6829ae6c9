//! The tier table: one card per plan of a catalogue.

use ratecard_rules::{Catalogue, Currency, LicenceSpec, PlanSpec};

/// What a plan's credits buy with models of one credit cost (R-CREDIT-COST-1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelYield {
    /// The names of the models that share this cost, in catalogue order.
    pub model_names: Vec<String>,
    /// Credits per generation.
    pub credits_each: u32,
    /// Whole generations the monthly credits buy: `floor(credits / cost)` (R-QUOTA-1).
    pub tracks: u64,
}

/// How a plan renews (R-CYCLE-1, R-CYCLE-4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenewalRule {
    /// The free plan renews at 00:00 local time on the first of every month (R-CYCLE-4).
    FirstOfMonth,
    /// A paid plan renews on the day of the month it started (R-CYCLE-1, R-CYCLE-2).
    AnchorDay,
}

/// What a licence allows, in the terms the tier table shows (R-LICENCE-1, R-LICENCE-2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LicenceScope {
    /// No commercial use.
    PersonalOnly,
    /// Commercial use, with products strictly below this many monthly active users.
    Commercial {
        /// The exclusive MAU limit, if any.
        mau_limit: Option<u64>,
    },
    /// Granted by individual agreement.
    ByAgreement,
}

/// One card of the tier table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierCard {
    /// The plan id.
    pub plan_id: String,
    /// The plan name, shown as text (never as HTML).
    pub name: String,
    /// The monthly price in minor units.
    pub price_minor: i64,
    /// The catalogue currency.
    pub currency: Currency,
    /// Credits per month (R-QUOTA-1).
    pub credits: u64,
    /// What the credits buy, cheapest model first.
    pub yields: Vec<ModelYield>,
    /// Upload seconds per month (R-UPLOAD-1).
    pub upload_seconds: u32,
    /// The crop length of one upload in seconds (R-UPLOAD-2).
    pub crop_seconds: u32,
    /// The licence name.
    pub licence_name: String,
    /// What the licence allows.
    pub licence_scope: LicenceScope,
    /// How the plan renews.
    pub renewal: RenewalRule,
    /// Whether this is the plan the host says the customer has now.
    pub is_current: bool,
}

/// Builds the cards of a catalogue's tier table, in catalogue order.
///
/// `current_plan` marks the customer's plan when the host passes one.
///
/// # Example
///
/// ```
/// use ratecard::model::tiers::tier_cards;
/// use ratecard_rules::Catalogue;
/// let cards = tier_cards(&Catalogue::builtin("stable-audio")?, Some("pro"));
/// assert_eq!(cards[1].price_minor, 1199);
/// assert!(cards[1].is_current);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
#[must_use]
pub fn tier_cards(catalogue: &Catalogue, current_plan: Option<&str>) -> Vec<TierCard> {
    catalogue
        .plans()
        .iter()
        .map(|plan| card(catalogue, plan, current_plan))
        .collect()
}

fn card(catalogue: &Catalogue, plan: &PlanSpec, current_plan: Option<&str>) -> TierCard {
    let licence = catalogue.licence(&plan.licence).ok();
    TierCard {
        plan_id: plan.id.clone(),
        name: plan.name.clone(),
        price_minor: plan.price_minor,
        currency: catalogue.currency(),
        credits: plan.credits_per_period,
        yields: yields(catalogue, plan.credits_per_period),
        upload_seconds: plan.upload_seconds_per_period,
        crop_seconds: plan.upload_crop_seconds,
        licence_name: licence.map_or_else(|| plan.licence.clone(), |l| l.name.clone()),
        licence_scope: licence.map_or(LicenceScope::PersonalOnly, scope),
        renewal: if plan.price_minor == 0 {
            RenewalRule::FirstOfMonth
        } else {
            RenewalRule::AnchorDay
        },
        is_current: current_plan == Some(plan.id.as_str()),
    }
}

fn scope(licence: &LicenceSpec) -> LicenceScope {
    if licence.by_agreement {
        LicenceScope::ByAgreement
    } else if licence.commercial_use {
        LicenceScope::Commercial {
            mau_limit: licence.mau_limit,
        }
    } else {
        LicenceScope::PersonalOnly
    }
}

/// Groups the models by credit cost and counts whole generations per group.
fn yields(catalogue: &Catalogue, credits: u64) -> Vec<ModelYield> {
    let mut groups: Vec<ModelYield> = Vec::new();
    for model in catalogue.models() {
        match groups.iter_mut().find(|g| g.credits_each == model.credits) {
            Some(group) => group.model_names.push(model.name.clone()),
            None => groups.push(ModelYield {
                model_names: vec![model.name.clone()],
                credits_each: model.credits,
                // A validated catalogue has no zero-cost model; `max(1)` keeps this total.
                tracks: credits / u64::from(model.credits.max(1)),
            }),
        }
    }
    groups.sort_by_key(|g| g.credits_each);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cards() -> Vec<TierCard> {
        let catalogue = Catalogue::builtin("stable-audio").expect("the default catalogue is valid");
        tier_cards(&catalogue, Some("studio"))
    }

    #[test]
    fn one_card_per_plan_in_catalogue_order() {
        let ids: Vec<String> = cards().into_iter().map(|c| c.plan_id).collect();
        assert_eq!(ids, ["free", "pro", "studio", "max"]);
    }

    #[test]
    fn pro_credits_buy_500_tracks_on_1x_and_250_on_2_0() {
        let pro = &cards()[1];
        assert_eq!(pro.credits, 500);
        assert_eq!(pro.yields.len(), 2);
        assert_eq!(
            pro.yields[0].model_names,
            ["Stable Audio 1.0", "Stable Audio 1.1"]
        );
        assert_eq!(pro.yields[0].tracks, 500);
        assert_eq!(pro.yields[1].model_names, ["Stable Audio 2.0"]);
        assert_eq!(pro.yields[1].tracks, 250);
    }

    #[test]
    fn studio_odd_credits_round_down_on_2_0() {
        // 1,350 credits at 2 credits a track buy 675 tracks.
        assert_eq!(cards()[2].yields[1].tracks, 675);
    }

    #[test]
    fn free_plan_is_personal_and_renews_on_the_first() {
        let free = &cards()[0];
        assert_eq!(free.licence_scope, LicenceScope::PersonalOnly);
        assert_eq!(free.renewal, RenewalRule::FirstOfMonth);
        assert_eq!(free.upload_seconds, 120);
        assert_eq!(free.crop_seconds, 30);
    }

    #[test]
    fn paid_plans_are_creator_below_100k_mau_and_renew_on_the_anchor() {
        for card in &cards()[1..] {
            assert_eq!(
                card.licence_scope,
                LicenceScope::Commercial {
                    mau_limit: Some(100_000)
                }
            );
            assert_eq!(card.renewal, RenewalRule::AnchorDay);
            assert_eq!(card.crop_seconds, 180);
        }
    }

    #[test]
    fn only_the_hosts_current_plan_is_marked() {
        let marked: Vec<bool> = cards().iter().map(|c| c.is_current).collect();
        assert_eq!(marked, [false, false, true, false]);
    }
}
