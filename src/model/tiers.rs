//! The tier table: one card per plan of a catalogue, with its prices per interval in the
//! currency shown, and what each card's button does.
//!
//! The prices are [`api::pricing`]'s, the answer of `POST /api/v1/pricing` for the same
//! request (R-INTERVAL-3, R-CURRENCY-2, R-DISPLAY-1). What a button does for a current
//! subscriber, and what is then due, comes from [`crate::model::changes`] (the
//! `plan-change` feature), which a pricing page without `current-plan` never downloads.

use ratecard_rules::api::{self, PricingRequest, ShownPrice};
use ratecard_rules::{Catalogue, Currency, Interval, LicenceSpec, Money, PlanSpec, RuleError};

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

/// How a plan renews (R-CYCLE-1, R-CYCLE-4, R-INTERVAL-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenewalRule {
    /// The free plan renews at 00:00 local time on the first of every month (R-CYCLE-4).
    FirstOfMonth,
    /// A paid plan renews on the day of the month it started (R-CYCLE-1, R-CYCLE-2), every
    /// month or every year by its interval.
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
    /// The currency of every price on the table.
    pub currency: Currency,
    /// The plan's prices as the table shows them, monthly first (R-INTERVAL-3,
    /// R-DISPLAY-1).
    pub prices: Vec<ShownPrice>,
    /// The length of the plan's free trial, if it offers one (R-TRIAL-1).
    pub trial_days: Option<u32>,
    /// Whether the catalogue recommends this plan.
    pub recommended: bool,
    /// Credits per month (R-QUOTA-1, R-INTERVAL-2).
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
    /// Whether this is the plan the host says the customer has now (at any interval).
    pub is_current: bool,
}

impl TierCard {
    /// The interval the card shows when the table shows `interval`: that one if the plan
    /// is sold at it, else the plan's first (the free plan is monthly only).
    #[must_use]
    pub fn interval_at(&self, interval: Interval) -> Interval {
        if self.prices.iter().any(|p| p.interval == interval) {
            interval
        } else {
            self.prices.first().map_or(interval, |p| p.interval)
        }
    }

    /// The price the card shows when the table shows `interval`.
    #[must_use]
    pub fn price_at(&self, interval: Interval) -> Option<&ShownPrice> {
        let interval = self.interval_at(interval);
        self.prices.iter().find(|p| p.interval == interval)
    }
}

/// What the host asks of the tier table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TierRequest<'a> {
    /// The customer's current plan, if the host says.
    pub current_plan: Option<&'a str>,
    /// The currency asked for, an ISO 4217 code (R-CURRENCY-2).
    pub currency: Option<&'a str>,
    /// The visitor's region, ISO 3166-1 alpha-2 (R-CURRENCY-2).
    pub region: Option<&'a str>,
    /// Show prices including tax at this rate (R-DISPLAY-1).
    pub tax_inclusive_rate_bp: Option<u32>,
}

/// The whole tier table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tiers {
    /// The currency shown (R-CURRENCY-2).
    pub currency: Currency,
    /// The tax rate the prices include, if any (R-DISPLAY-1).
    pub tax_inclusive_rate_bp: Option<u32>,
    /// Whether any plan is sold per year, so the table can offer both intervals.
    pub sells_yearly: bool,
    /// One card per plan, in catalogue order.
    pub cards: Vec<TierCard>,
}

/// Builds the tier table of a catalogue from [`api::pricing`].
///
/// # Errors
///
/// [`RuleError::UnknownId`] listing the catalogue's currencies when the currency asked for
/// is not one it prices in (R-CURRENCY-2), whether or not the code is one ratecard knows.
///
/// # Example
///
/// ```
/// use ratecard::model::tiers::{TierRequest, tiers};
/// use ratecard_rules::{Catalogue, Interval};
/// let request = TierRequest { current_plan: Some("pro"), region: Some("DE"), ..TierRequest::default() };
/// let table = tiers(&Catalogue::builtin("stable-audio")?, &request)?;
/// assert_eq!(table.currency.code(), "EUR");
/// let pro = &table.cards[1];
/// assert_eq!(pro.price_at(Interval::Year).map(|p| p.shown_minor), Some(10_990));
/// assert!(pro.is_current);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn tiers(catalogue: &Catalogue, request: &TierRequest<'_>) -> Result<Tiers, RuleError> {
    let currency = asked_currency(catalogue, request.currency)?;
    let table = api::pricing_without_text(
        catalogue,
        &PricingRequest {
            catalogue: None,
            currency,
            region: request.region.map(str::to_owned),
            tax_inclusive_rate_bp: request.tax_inclusive_rate_bp,
        },
    )?;
    let cards: Vec<TierCard> = catalogue
        .plans()
        .iter()
        .map(|plan| {
            let pricing = table.plans.iter().find(|p| p.id == plan.id);
            card(
                catalogue,
                plan,
                table.currency,
                pricing,
                request.current_plan,
            )
        })
        .collect();
    Ok(Tiers {
        currency: table.currency,
        tax_inclusive_rate_bp: table.tax_inclusive_rate_bp,
        sells_yearly: cards
            .iter()
            .any(|c| c.prices.iter().any(|p| p.interval == Interval::Year)),
        cards,
    })
}

/// The currency the host asks for, if the catalogue prices in it (R-CURRENCY-1).
///
/// # Errors
///
/// [`RuleError::UnknownId`] listing the catalogue's currencies, in the rules crate's
/// words, for a code it does not price in, whether or not ratecard knows the code.
///
/// # Example
///
/// ```
/// use ratecard::model::tiers::asked_currency;
/// use ratecard_rules::{Catalogue, Currency};
/// let c = Catalogue::builtin("stable-audio")?;
/// assert_eq!(asked_currency(&c, Some("GBP"))?, Some(Currency::Gbp));
/// let err = asked_currency(&c, Some("XYZ")).unwrap_err().to_string();
/// assert!(err.contains("`XYZ`") && err.contains("USD, EUR, GBP, JPY"), "{err}");
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn asked_currency(
    catalogue: &Catalogue,
    code: Option<&str>,
) -> Result<Option<Currency>, RuleError> {
    let Some(code) = code.map(|c| c.trim().to_ascii_uppercase()) else {
        return Ok(None);
    };
    let not_priced = || RuleError::UnknownId {
        kind: "currency",
        id: code.clone(),
        valid: catalogue
            .currencies()
            .iter()
            .map(|c| c.code().to_owned())
            .collect(),
    };
    let currency = code.parse::<Currency>().map_err(|_| not_priced())?;
    catalogue.priced_currency(Some(currency)).map(Some)
}

fn card(
    catalogue: &Catalogue,
    plan: &PlanSpec,
    currency: Currency,
    pricing: Option<&api::PlanPricing>,
    current_plan: Option<&str>,
) -> TierCard {
    let licence = catalogue.licence(&plan.licence).ok();
    TierCard {
        plan_id: plan.id.clone(),
        name: plan.name.clone(),
        currency,
        prices: pricing.map(|p| p.prices.clone()).unwrap_or_default(),
        trial_days: pricing.and_then(|p| p.trial_days),
        recommended: pricing.is_some_and(|p| p.recommended),
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
///
/// Each new cost is inserted at its place, cheapest first, so the groups need no sort
/// (a sort would add a generic sort routine to the Wasm of every pricing page).
fn yields(catalogue: &Catalogue, credits: u64) -> Vec<ModelYield> {
    let mut groups: Vec<ModelYield> = Vec::new();
    for model in catalogue.models() {
        match groups.iter_mut().find(|g| g.credits_each == model.credits) {
            Some(group) => group.model_names.push(model.name.clone()),
            None => {
                let at = groups
                    .iter()
                    .position(|g| g.credits_each > model.credits)
                    .unwrap_or(groups.len());
                groups.insert(
                    at,
                    ModelYield {
                        model_names: vec![model.name.clone()],
                        credits_each: model.credits,
                        // A validated catalogue has no zero-cost model; `max(1)` keeps this
                        // total.
                        tracks: credits / u64::from(model.credits.max(1)),
                    },
                );
            }
        }
    }
    groups
}

/// What a plan's button does, in its `data-action` words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanAction {
    /// The customer's plan at the interval shown: nothing to do.
    Current,
    /// A dearer plan, at once (R-UPGRADE, R-INTERVAL-5, R-INTERVAL-4 to a dearer plan).
    Upgrade,
    /// A cheaper plan, from the end of the period (R-DOWNGRADE-1, R-INTERVAL-6).
    Downgrade,
    /// Yearly billing, at once with a new anchor (R-INTERVAL-4).
    SwitchToYearly,
    /// The same plan billed monthly, from the end of the yearly period (R-INTERVAL-6).
    SwitchToMonthly,
    /// The free plan: a cancellation (R-CANCEL-1).
    Cancel,
    /// A plan for a visitor without one.
    Choose,
    /// A plan with a free trial, for a visitor without one (R-TRIAL-1).
    StartTrial,
}

impl PlanAction {
    /// The `data-action` value.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PlanAction::Current => "current",
            PlanAction::Upgrade => "upgrade",
            PlanAction::Downgrade => "downgrade",
            PlanAction::SwitchToYearly => "switch-to-yearly",
            PlanAction::SwitchToMonthly => "switch-to-monthly",
            PlanAction::Cancel => "cancel",
            PlanAction::Choose => "choose",
            PlanAction::StartTrial => "start-trial",
        }
    }
}

/// What a change costs, as its button says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    /// Taking effect now, with this amount due now (possibly zero).
    Now(Money),
    /// Taking effect later, with nothing due now: from this instant.
    From {
        /// When the change takes effect.
        effective_at: chrono::DateTime<chrono::FixedOffset>,
        /// What is due now (zero under R-DOWNGRADE-1).
        due_now: Money,
    },
}

impl Due {
    /// The amount due now.
    #[must_use]
    pub fn due_now(&self) -> Money {
        match self {
            Due::Now(m) | Due::From { due_now: m, .. } => *m,
        }
    }
}

/// One card's button at one interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanButton {
    /// What pressing it does.
    pub action: PlanAction,
    /// What it costs now, when the subscription's start is known.
    pub due: Option<Due>,
}

/// The customer the buttons speak to: the current subscription and the instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscriber {
    /// The current plan id.
    pub plan: String,
    /// How it is billed.
    pub interval: Interval,
    /// When it started (its anchor); without it the buttons name their action only.
    pub started_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The end of its free trial, while one runs (R-TRIAL-3).
    pub trial_ends_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The customer's IANA time zone.
    pub time_zone: String,
    /// The instant the amounts are computed for.
    pub at: chrono::DateTime<chrono::FixedOffset>,
    /// The tax rate of the charges, in basis points (R-MONEY-3).
    pub tax_rate_bp: u32,
}

/// Every card's button at both intervals, and why amounts are missing if they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanButtons {
    /// Per card (in card order): the button when the table shows monthly, then yearly.
    pub buttons: Vec<[PlanButton; 2]>,
    /// The first error of the plan-change calculation, whose buttons then show their
    /// action without an amount.
    pub error: Option<RuleError>,
}

impl PlanButtons {
    /// The button of card `index` when the table shows `interval`.
    #[must_use]
    pub fn at(&self, index: usize, interval: Interval) -> PlanButton {
        let slot = usize::from(interval == Interval::Year);
        self.buttons.get(index).map_or(
            PlanButton {
                action: PlanAction::Choose,
                due: None,
            },
            |b| b[slot],
        )
    }
}

/// The buttons of a table: for a visitor without a plan, "Choose" or "Start free trial";
/// for a subscriber, what each change does and costs (the `plan-change` feature; without
/// it, only the current plan is marked).
///
/// # Example
///
/// ```
/// use ratecard::model::tiers::{PlanAction, TierRequest, plan_buttons, tiers};
/// use ratecard_rules::{Catalogue, Interval};
/// let catalogue = Catalogue::builtin("stable-audio")?;
/// let table = tiers(&catalogue, &TierRequest::default())?;
/// let buttons = plan_buttons(&catalogue, &table, None);
/// assert_eq!(buttons.at(0, Interval::Month).action, PlanAction::Choose);
/// assert_eq!(buttons.at(1, Interval::Year).action, PlanAction::StartTrial);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
#[must_use]
pub fn plan_buttons(
    #[cfg_attr(not(feature = "plan-change"), expect(unused_variables))] catalogue: &Catalogue,
    tiers: &Tiers,
    subscriber: Option<&Subscriber>,
) -> PlanButtons {
    let Some(subscriber) = subscriber else {
        let buttons = tiers
            .cards
            .iter()
            .map(|card| Interval::ALL.map(|i| visitor_button(card, i)))
            .collect();
        return PlanButtons {
            buttons,
            error: None,
        };
    };
    #[cfg(feature = "plan-change")]
    {
        crate::model::changes::buttons(catalogue, tiers, subscriber)
    }
    #[cfg(not(feature = "plan-change"))]
    {
        let buttons = tiers
            .cards
            .iter()
            .map(|card| {
                Interval::ALL.map(|i| PlanButton {
                    action: if card.plan_id == subscriber.plan
                        && card.interval_at(i) == subscriber.interval
                    {
                        PlanAction::Current
                    } else {
                        PlanAction::Choose
                    },
                    due: None,
                })
            })
            .collect();
        PlanButtons {
            buttons,
            error: None,
        }
    }
}

/// A visitor's button: the trial when the plan offers one and costs something at the
/// interval, else "Choose".
fn visitor_button(card: &TierCard, interval: Interval) -> PlanButton {
    let paid = card.price_at(interval).is_some_and(|p| p.amount_minor > 0);
    PlanButton {
        action: if paid && card.trial_days.is_some() {
            PlanAction::StartTrial
        } else {
            PlanAction::Choose
        },
        due: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::builtin("stable-audio").expect("the default catalogue is valid")
    }

    fn table(request: &TierRequest<'_>) -> Tiers {
        tiers(&catalogue(), request).expect("the default table")
    }

    #[test]
    fn yields_are_cheapest_first_whatever_the_catalogue_order() {
        let mut spec = catalogue().spec().clone();
        spec.models.reverse();
        let reversed = Catalogue::validate("reversed", spec).expect("still valid");
        let costs: Vec<u32> = yields(&reversed, 1_000)
            .iter()
            .map(|y| y.credits_each)
            .collect();
        let mut sorted = costs.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(costs, sorted);
        assert!(costs.len() > 1, "the catalogue has models of several costs");
        assert_eq!(
            yields(&reversed, 1_000)[0].model_names,
            ["Stable Audio 1.1", "Stable Audio 1.0"],
            "models of one cost keep the catalogue's order"
        );
    }

    fn cards() -> Vec<TierCard> {
        table(&TierRequest {
            current_plan: Some("studio"),
            ..TierRequest::default()
        })
        .cards
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

    #[test]
    fn prices_are_the_pricing_endpoints_in_the_currency_shown() {
        let catalogue = catalogue();
        let request = TierRequest {
            currency: Some("eur"),
            tax_inclusive_rate_bp: Some(1900),
            ..TierRequest::default()
        };
        let table = tiers(&catalogue, &request).expect("EUR is priced");
        let api = api::pricing(
            &catalogue,
            &PricingRequest {
                catalogue: None,
                currency: Some(Currency::Eur),
                region: None,
                tax_inclusive_rate_bp: Some(1900),
            },
        )
        .expect("the API answers");
        assert_eq!(table.currency, Currency::Eur);
        assert_eq!(table.tax_inclusive_rate_bp, Some(1900));
        for (card, plan) in table.cards.iter().zip(&api.plans) {
            assert_eq!(card.plan_id, plan.id);
            assert_eq!(card.prices, plan.prices);
            assert_eq!(card.trial_days, plan.trial_days);
            assert_eq!(card.recommended, plan.recommended);
        }
        // Pro: 10.99 with 19 % is 10.99 + round(2.0881) = 13.08.
        let pro = &table.cards[1];
        assert_eq!(
            pro.price_at(Interval::Month).map(|p| p.shown_minor),
            Some(1308)
        );
        assert!(table.sells_yearly);
    }

    #[test]
    fn studio_is_recommended_and_pro_has_a_seven_day_trial() {
        let cards = cards();
        let recommended: Vec<&str> = cards
            .iter()
            .filter(|c| c.recommended)
            .map(|c| c.plan_id.as_str())
            .collect();
        assert_eq!(recommended, ["studio"]);
        assert_eq!(cards[1].trial_days, Some(7));
    }

    #[test]
    fn the_free_plan_shows_its_monthly_price_on_the_yearly_table() {
        let free = &cards()[0];
        assert_eq!(free.interval_at(Interval::Year), Interval::Month);
        assert_eq!(
            free.price_at(Interval::Year).map(|p| p.shown_minor),
            Some(0)
        );
    }

    #[test]
    fn a_currency_the_catalogue_does_not_price_in_lists_those_it_does() {
        for code in ["CHF", "XYZ"] {
            let err = tiers(
                &catalogue(),
                &TierRequest {
                    currency: Some(code),
                    ..TierRequest::default()
                },
            )
            .expect_err("not priced");
            let message = err.to_string();
            assert!(
                message.contains(&format!("`{code}`")) && message.contains("USD, EUR, GBP, JPY"),
                "{message}"
            );
        }
    }

    #[test]
    fn the_region_picks_the_currency() {
        let table = table(&TierRequest {
            region: Some("GB"),
            ..TierRequest::default()
        });
        assert_eq!(table.currency, Currency::Gbp);
    }

    #[test]
    fn visitors_choose_or_start_a_trial() {
        let catalogue = catalogue();
        let table = table(&TierRequest::default());
        let buttons = plan_buttons(&catalogue, &table, None);
        let actions: Vec<&str> = (0..4)
            .map(|i| buttons.at(i, Interval::Month).action.as_str())
            .collect();
        assert_eq!(actions, ["choose", "start-trial", "choose", "choose"]);
        assert!(buttons.error.is_none());
    }
}
