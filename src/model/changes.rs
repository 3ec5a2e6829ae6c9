//! What each plan's button does for a current subscriber, and what is due now: the
//! tier table's side of `POST /api/v1/previews/change`.
//!
//! Every number is [`api::change_preview`]'s for the subscription the host describes
//! (`current-plan`, `current-interval`, `started-at`, `trial-ends-at`, `time-zone`, the
//! currency shown), the card's plan at the interval shown, the instant `at` and
//! `tax-rate-bp`, so a button's amount equals the API's answer to the same request. This
//! module is the `plan-change` feature: the tier table's smallest bundle leaves it out,
//! and with it the plan-change calculation and the zone database.

use ratecard_rules::api::{self, ChangeKind, ChangePreview, ChangeRequest, Subscription};
use ratecard_rules::{Catalogue, Currency, Interval, RuleError};

use crate::model::tiers::{Due, PlanAction, PlanButton, PlanButtons, Subscriber, TierCard, Tiers};

/// The change request of one card at one interval, as the API would receive it.
///
/// Without `started_at` the subscription is taken to start at `at`, which decides the
/// kind of change but no amount worth showing.
#[must_use]
pub fn change_request(
    subscriber: &Subscriber,
    currency: Currency,
    to_plan: &str,
    to_interval: Interval,
) -> ChangeRequest {
    ChangeRequest {
        catalogue: None,
        subscription: Subscription {
            plan: subscriber.plan.clone(),
            started_at: subscriber.started_at.unwrap_or(subscriber.at),
            time_zone: subscriber.time_zone.clone(),
            interval: subscriber.interval,
            currency: Some(currency),
            trial_ends_at: subscriber.trial_ends_at,
        },
        to_plan: to_plan.to_owned(),
        to_interval: Some(to_interval),
        at: subscriber.at,
        tax_rate_bp: Some(subscriber.tax_rate_bp),
    }
}

/// Every card's button at both intervals for `subscriber`.
///
/// A card whose change cannot be computed (an instant before the start, a zone the rules
/// do not know) keeps a plain "Choose" without an amount, and the first error is kept
/// for the table to show.
#[must_use]
pub fn buttons(catalogue: &Catalogue, tiers: &Tiers, subscriber: &Subscriber) -> PlanButtons {
    let mut error = None;
    let buttons = tiers
        .cards
        .iter()
        .map(|card| {
            Interval::ALL.map(|interval| {
                button(catalogue, tiers.currency, card, interval, subscriber).unwrap_or_else(|e| {
                    error.get_or_insert(e);
                    PlanButton {
                        action: PlanAction::Choose,
                        due: None,
                    }
                })
            })
        })
        .collect();
    PlanButtons { buttons, error }
}

/// One card's button when the table shows `interval`.
///
/// # Errors
///
/// The rules crate's error for the change.
pub fn button(
    catalogue: &Catalogue,
    currency: Currency,
    card: &TierCard,
    interval: Interval,
    subscriber: &Subscriber,
) -> Result<PlanButton, RuleError> {
    let to_interval = card.interval_at(interval);
    if card.plan_id == subscriber.plan && to_interval == subscriber.interval {
        return Ok(PlanButton {
            action: PlanAction::Current,
            due: None,
        });
    }
    let request = change_request(subscriber, currency, &card.plan_id, to_interval);
    let preview = api::change_preview(catalogue, &request)?;
    let action = action(catalogue, currency, subscriber, &preview)?;
    let due = subscriber.started_at.map(|_| {
        if preview.effective_at > subscriber.at {
            Due::From {
                effective_at: preview.effective_at,
                due_now: preview.due_now,
            }
        } else {
            Due::Now(preview.due_now)
        }
    });
    Ok(PlanButton { action, due })
}

/// The button's words for a change the rules crate has classified.
///
/// The same plan at the other interval is a switch of billing; a monthly plan to another
/// plan's yearly price is an upgrade when that plan is dearer per month, else a switch to
/// yearly billing; a yearly plan to a monthly one of another plan is a downgrade, as the
/// rules treat it (R-INTERVAL-6).
fn action(
    catalogue: &Catalogue,
    currency: Currency,
    subscriber: &Subscriber,
    preview: &ChangePreview,
) -> Result<PlanAction, RuleError> {
    let same_plan = preview.to_plan == subscriber.plan;
    Ok(match preview.kind {
        ChangeKind::Cancel => PlanAction::Cancel,
        ChangeKind::Upgrade => PlanAction::Upgrade,
        ChangeKind::IntervalChange if same_plan => PlanAction::SwitchToYearly,
        ChangeKind::IntervalChange => {
            let monthly = |id: &str| -> Result<Option<i64>, RuleError> {
                Ok(catalogue.price(catalogue.plan(id)?, Interval::Month, currency))
            };
            if monthly(&preview.to_plan)? > monthly(&subscriber.plan)? {
                PlanAction::Upgrade
            } else {
                PlanAction::SwitchToYearly
            }
        }
        ChangeKind::Downgrade
            if same_plan
                && preview.from_interval == Interval::Year
                && preview.to_interval == Interval::Month =>
        {
            PlanAction::SwitchToMonthly
        }
        ChangeKind::Downgrade => PlanAction::Downgrade,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tiers::{TierRequest, plan_buttons, tiers};

    fn catalogue() -> Catalogue {
        Catalogue::builtin("stable-audio").expect("built in")
    }

    fn subscriber(plan: &str, interval: Interval, started_at: Option<&str>) -> Subscriber {
        Subscriber {
            plan: plan.into(),
            interval,
            started_at: started_at.map(|s| s.parse().expect("instant")),
            trial_ends_at: None,
            time_zone: "Europe/London".into(),
            at: "2026-02-10T09:00:00Z".parse().expect("instant"),
            tax_rate_bp: 2000,
        }
    }

    fn table(currency: &str) -> Tiers {
        tiers(
            &catalogue(),
            &TierRequest {
                currency: Some(currency),
                ..TierRequest::default()
            },
        )
        .expect("priced")
    }

    fn actions(buttons: &PlanButtons, interval: Interval) -> Vec<&'static str> {
        (0..4)
            .map(|i| buttons.at(i, interval).action.as_str())
            .collect()
    }

    #[test]
    fn a_monthly_pro_customer_sees_what_each_plan_does_and_costs() {
        let catalogue = catalogue();
        let table = table("EUR");
        let who = subscriber("pro", Interval::Month, Some("2026-01-31T09:00:00Z"));
        let buttons = plan_buttons(&catalogue, &table, Some(&who));
        assert!(buttons.error.is_none(), "{:?}", buttons.error);
        assert_eq!(
            actions(&buttons, Interval::Month),
            ["cancel", "current", "upgrade", "upgrade"]
        );
        assert_eq!(
            actions(&buttons, Interval::Year),
            ["cancel", "switch-to-yearly", "upgrade", "upgrade"]
        );
        assert_eq!(buttons.at(1, Interval::Month).due, None);
        // Every amount is the API's for the same request.
        for (index, card) in table.cards.iter().enumerate() {
            for interval in Interval::ALL {
                let button = buttons.at(index, interval);
                let Some(due) = button.due else { continue };
                let request = change_request(
                    &who,
                    table.currency,
                    &card.plan_id,
                    card.interval_at(interval),
                );
                let api = api::change_preview(&catalogue, &request).expect("the API answers");
                assert_eq!(due.due_now(), api.due_now, "{} {interval:?}", card.plan_id);
                assert_eq!(due.due_now().currency, Currency::Eur);
            }
        }
    }

    #[test]
    fn a_yearly_studio_customer_downgrades_and_switches_at_the_end_of_the_year() {
        let catalogue = catalogue();
        let table = table("GBP");
        let who = Subscriber {
            tax_rate_bp: 0,
            ..subscriber("studio", Interval::Year, Some("2025-11-20T10:30:00Z"))
        };
        let buttons = plan_buttons(&catalogue, &table, Some(&who));
        assert!(buttons.error.is_none(), "{:?}", buttons.error);
        assert_eq!(
            actions(&buttons, Interval::Year),
            ["cancel", "downgrade", "current", "upgrade"]
        );
        let monthly = actions(&buttons, Interval::Month);
        assert_eq!(&monthly[..3], ["cancel", "downgrade", "switch-to-monthly"]);
        let Some(Due::From {
            effective_at,
            due_now,
        }) = buttons.at(1, Interval::Year).due
        else {
            panic!("a downgrade waits for the end of the year");
        };
        assert_eq!(due_now.amount_minor, 0);
        assert_eq!(
            effective_at.to_utc().to_rfc3339(),
            "2026-11-20T10:30:00+00:00"
        );
    }

    #[test]
    fn without_a_start_the_buttons_name_their_action_only() {
        let catalogue = catalogue();
        let table = table("USD");
        let who = subscriber("studio", Interval::Month, None);
        let buttons = plan_buttons(&catalogue, &table, Some(&who));
        assert_eq!(
            actions(&buttons, Interval::Month),
            ["cancel", "downgrade", "current", "upgrade"]
        );
        assert!(buttons.buttons.iter().flatten().all(|b| b.due.is_none()));
    }

    #[test]
    fn an_instant_before_the_start_keeps_the_buttons_and_says_why() {
        let catalogue = catalogue();
        let table = table("USD");
        let who = subscriber("pro", Interval::Month, Some("2027-01-01T00:00:00Z"));
        let buttons = plan_buttons(&catalogue, &table, Some(&who));
        assert!(buttons.error.is_some());
        assert_eq!(buttons.at(1, Interval::Month).action, PlanAction::Current);
        assert_eq!(buttons.at(2, Interval::Month).action, PlanAction::Choose);
    }
}
