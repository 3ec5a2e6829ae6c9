//! The checkout view: the preview of a change of plan or interval, line by line, or the
//! start of a new subscription with its free trial.

use leptos::prelude::*;
use ratecard_rules::api::{Line, LineKind, TrialStart};
use ratecard_rules::{Catalogue, Interval, RuleError};

use crate::format;
use crate::i18n::explain::{Numbers, line_description, sentences};
use crate::i18n::{self, Msg, text};
use crate::model::attrs::{RawAttributes, WidgetConfig};
use crate::model::checkout::{Change, CheckoutInput, NewSubscription, preview, start};
use crate::model::tiers::asked_currency;
use crate::views::error_box::ErrorBox;

/// What the host hears when a preview is computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewEvent {
    /// `upgrade`, `downgrade`, `cancel` or `interval-change` for a change; `trial` or
    /// `subscribe` for a new subscription.
    pub kind: &'static str,
    /// The total due now, in minor units.
    pub due_now_minor: i64,
    /// The ISO 4217 currency code.
    pub currency: &'static str,
    /// The billing interval after the change: `month` or `year`.
    pub interval: &'static str,
    /// Each line as `(kind, amount_minor, rule)`.
    pub lines: Vec<(String, i64, String)>,
}

/// What the checkout computes for a configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckoutRequest {
    /// A change from the current subscription.
    Change(CheckoutInput),
    /// A new subscription for a customer without a plan.
    New(NewSubscription),
}

/// The inputs the configuration gives, or `None` when one is missing: a change needs the
/// current plan, its start and the target plan; without a current plan, the target plan
/// alone is a new subscription.
///
/// # Errors
///
/// A `currency` the catalogue does not price in, listing those it does.
pub fn checkout_input(
    catalogue: &Catalogue,
    config: &WidgetConfig,
) -> Result<Option<CheckoutRequest>, RuleError> {
    let currency = asked_currency(catalogue, config.currency.as_deref())?;
    let Some(target_plan) = config.target_plan.clone() else {
        return Ok(None);
    };
    let Some(current_plan) = config.current_plan.clone() else {
        return Ok(Some(CheckoutRequest::New(NewSubscription {
            plan: target_plan,
            interval: config.target_interval.unwrap_or(config.interval),
            currency,
            at: config.at,
            time_zone: config.time_zone.clone(),
            tax_rate_bp: config.tax_rate_bp,
        })));
    };
    Ok(config.started_at.map(|started_at| {
        CheckoutRequest::Change(CheckoutInput {
            current_plan,
            current_interval: config.current_interval,
            started_at,
            trial_ends_at: config.trial_ends_at,
            currency,
            time_zone: config.time_zone.clone(),
            target_plan,
            target_interval: config.target_interval,
            at: config.at,
            tax_rate_bp: config.tax_rate_bp,
        })
    }))
}

fn kind_name(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Credit => "credit",
        LineKind::Charge => "charge",
        LineKind::Tax => "tax",
    }
}

fn event_lines(lines: &[Line]) -> Vec<(String, i64, String)> {
    lines
        .iter()
        .map(|l| (kind_name(l.kind).to_owned(), l.amount_minor, l.rule.clone()))
        .collect()
}

/// The checkout view for one configuration.
#[component]
pub fn CheckoutView(
    /// The catalogue.
    catalogue: Catalogue,
    /// The parsed attributes.
    config: WidgetConfig,
    /// The raw attributes, which the form writes to when the view is editable.
    attrs: RwSignal<RawAttributes>,
    /// Called with every computed preview.
    on_preview: Callback<PreviewEvent>,
) -> impl IntoView {
    let lang = config.locale.lang();
    let form = config.editable.then(
        || view! { <CheckoutForm catalogue=catalogue.clone() config=config.clone() attrs=attrs /> },
    );
    let failed = move |error: &RuleError| {
        view! {
            <ErrorBox
                lang=lang
                heading=Msg::CalculationErrorHeading
                detail=i18n::error_text(lang, error)
            />
        }
        .into_any()
    };
    let body = match checkout_input(&catalogue, &config) {
        Err(error) => failed(&error),
        Ok(None) => view! { <p class="rc-hint" data-testid="checkout-hint">{text(lang, Msg::ChoosePlans)}</p> }
            .into_any(),
        Ok(Some(CheckoutRequest::Change(input))) => match preview(&catalogue, &input) {
            Err(error) => failed(&error),
            Ok(change) => result_view(&catalogue, &config, &input, &change, on_preview),
        },
        Ok(Some(CheckoutRequest::New(new))) => match start(&catalogue, &new) {
            Err(error) => failed(&error),
            Ok(started) => new_view(&catalogue, &config, &new, &started, on_preview),
        },
    };
    view! {
        <section class="rc-checkout" aria-label=text(lang, Msg::CheckoutHeading) data-testid="checkout">
            {form}
            <div class="rc-checkout__result" aria-live="polite">{body}</div>
        </section>
    }
}

fn result_view(
    catalogue: &Catalogue,
    config: &WidgetConfig,
    input: &CheckoutInput,
    change: &Change,
    on_preview: Callback<PreviewEvent>,
) -> AnyView {
    let lang = config.locale.lang();
    let locale = config.locale.tag().to_owned();
    let Some(summary) = change.summary() else {
        return view! { <p class="rc-hint" data-testid="no-change">{text(lang, Msg::NoChange)}</p> }
            .into_any();
    };
    on_preview.run(PreviewEvent {
        kind: summary.kind,
        due_now_minor: summary.due_now.amount_minor,
        currency: summary.due_now.currency.code(),
        interval: summary.interval.as_str(),
        lines: event_lines(summary.lines),
    });
    let currency = summary.due_now.currency;
    let display = config.currency_display;
    let money = |minor: i64| format::money(&locale, minor, currency, display);
    let plan_name = |id: &str| {
        catalogue
            .plan(id)
            .map_or_else(|_| id.to_owned(), |p| p.name.clone())
    };
    let kind = match summary.kind {
        "upgrade" => text(lang, Msg::UpgradeNow),
        "downgrade" => text(lang, Msg::DowngradeAtRenewal),
        "interval-change" => text(lang, Msg::IntervalChangeNow),
        _ => text(lang, Msg::CancelToFree),
    };
    // Monthly plans read as before; a yearly side names both intervals.
    let intervals = (input.current_interval == Interval::Year
        || summary.interval == Interval::Year)
        .then(|| {
            let name = |i: Interval| i18n::interval_name(lang, i).to_lowercase();
            (
                format!(" ({})", name(input.current_interval)),
                format!(" ({})", name(summary.interval)),
            )
        });
    let (from_interval, to_interval) = intervals.unwrap_or_default();
    let (from_name, to_name) = (
        plan_name(&input.current_plan),
        plan_name(&input.target_plan),
    );
    let rows = summary
        .lines
        .iter()
        .map(|line| {
            view! {
                <tr data-testid="line" data-kind=kind_name(line.kind) data-rule=line.rule.clone()>
                    <th scope="row">{line_description(lang, line, &from_name, &to_name)}</th>
                    <td class="rc-amount" data-testid="line-amount">{money(line.amount_minor)}</td>
                </tr>
            }
        })
        .collect_view();
    let zone = config.time_zone.as_str();
    let effective = format::date_time(&locale, &summary.effective_at, zone);
    let renewal = format::date_time(&locale, &summary.next_renewal, zone);
    let trial_end = summary
        .trial_ends_at
        .map(|end| format::date_time(&locale, &end, zone));
    let allowance = i18n::allowance(
        lang,
        &format::count(&locale, summary.allowance.credits),
        &format::duration(
            &locale,
            u32::try_from(summary.allowance.upload_seconds).unwrap_or(u32::MAX),
        ),
    );
    let numbers = Numbers {
        locale: &locale,
        time_zone: zone,
        display,
    };
    let explanation = explanation_view(sentences(
        lang,
        &numbers,
        summary.explanation,
        summary.reasons,
    ));
    view! {
        <h2 class="rc-checkout__title" data-testid="change-title">
            {from_name.clone()} {from_interval} " → " {to_name.clone()} {to_interval}
        </h2>
        <p class="rc-checkout__kind" data-testid="change-kind" data-kind=summary.kind>{kind}</p>
        <table class="rc-lines">
            <caption>{text(lang, Msg::LinesCaption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{text(lang, Msg::ColumnItem)}</th>
                    <th scope="col" class="rc-amount">{text(lang, Msg::ColumnAmount)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
            <tfoot>
                <tr>
                    <th scope="row">{text(lang, Msg::DueNow)}</th>
                    <td class="rc-amount rc-total" data-testid="due-now">{money(summary.due_now.amount_minor)}</td>
                </tr>
            </tfoot>
        </table>
        <dl class="rc-facts">
            <dt>{text(lang, Msg::TakesEffect)}</dt>
            <dd data-testid="effective-at">{effective}</dd>
            <dt>{text(lang, Msg::NextRenewal)}</dt>
            <dd data-testid="next-renewal">{renewal}</dd>
            <dt>{text(lang, Msg::AllowanceAfter)}</dt>
            <dd data-testid="allowance-after">{allowance}</dd>
            {trial_end
                .map(|end| {
                    view! {
                        <dt>{text(lang, Msg::TrialEnds)}</dt>
                        <dd data-testid="trial-ends-at">{end}</dd>
                    }
                })}
        </dl>
        <details class="rc-explanation" open>
            <summary>{text(lang, Msg::WhyTheseNumbers)}</summary>
            {explanation}
        </details>
    }
    .into_any()
}

/// A new subscription: a free trial with nothing due now and its first charge later
/// (R-TRIAL-1), or the first charge now.
fn new_view(
    catalogue: &Catalogue,
    config: &WidgetConfig,
    new: &NewSubscription,
    started: &TrialStart,
    on_preview: Callback<PreviewEvent>,
) -> AnyView {
    let lang = config.locale.lang();
    let locale = config.locale.tag().to_owned();
    let zone = new.time_zone.as_str();
    let charge = &started.first_charge;
    let due_now = if started.trial {
        0
    } else {
        charge.amount_minor
    };
    let charged_now: &[Line] = if started.trial { &[] } else { &charge.lines };
    on_preview.run(PreviewEvent {
        kind: if started.trial { "trial" } else { "subscribe" },
        due_now_minor: due_now,
        currency: charge.currency.code(),
        interval: new.interval.as_str(),
        lines: event_lines(charged_now),
    });
    let display = config.currency_display;
    let money = |minor: i64| format::money(&locale, minor, charge.currency, display);
    let plan = catalogue.plan(&new.plan).ok();
    let name = plan.map_or_else(|| new.plan.clone(), |p| p.name.clone());
    let interval = i18n::interval_name(lang, new.interval).to_lowercase();
    let first_at = format::date_time(&locale, &charge.at, zone);
    let kind = match (started.trial, plan.and_then(|p| p.trial_days)) {
        (true, Some(days)) => {
            i18n::trial_until(lang, &format::count(&locale, u64::from(days)), &first_at)
        }
        _ => text(lang, Msg::NewSubscription).to_owned(),
    };
    let rows = charge
        .lines
        .iter()
        .map(|line| {
            view! {
                <tr data-testid="line" data-kind=kind_name(line.kind) data-rule=line.rule.clone()>
                    <th scope="row">{line_description(lang, line, &name, &name)}</th>
                    <td class="rc-amount" data-testid="line-amount">{money(line.amount_minor)}</td>
                </tr>
            }
        })
        .collect_view();
    let (caption, total_label, total_id) = if started.trial {
        (Msg::FirstCharge, Msg::FirstCharge, "first-charge")
    } else {
        (Msg::LinesCaption, Msg::DueNow, "due-now")
    };
    let numbers = Numbers {
        locale: &locale,
        time_zone: zone,
        display,
    };
    let explanation = explanation_view(sentences(
        lang,
        &numbers,
        &started.explanation,
        &started.reasons,
    ));
    let trial_facts = started.trial.then(|| {
        let end = started
            .trial_ends_at
            .map(|end| format::date_time(&locale, &end, zone))
            .unwrap_or_default();
        view! {
            <dt>{text(lang, Msg::DueNow)}</dt>
            <dd data-testid="due-now">{money(0)}</dd>
            <dt>{text(lang, Msg::TrialEnds)}</dt>
            <dd data-testid="trial-ends-at">{end}</dd>
        }
    });
    view! {
        <h2 class="rc-checkout__title" data-testid="change-title">
            {name.clone()} " (" {interval} ")"
        </h2>
        <p class="rc-checkout__kind" data-testid="change-kind" data-kind=if started.trial { "trial" } else { "subscribe" }>
            {kind}
        </p>
        <table class="rc-lines">
            <caption>{text(lang, caption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{text(lang, Msg::ColumnItem)}</th>
                    <th scope="col" class="rc-amount">{text(lang, Msg::ColumnAmount)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
            <tfoot>
                <tr>
                    <th scope="row">{text(lang, total_label)}</th>
                    <td class="rc-amount rc-total" data-testid=total_id>{money(charge.amount_minor)}</td>
                </tr>
            </tfoot>
        </table>
        <dl class="rc-facts">
            {trial_facts}
            <dt>{text(lang, Msg::FirstChargeAt)}</dt>
            <dd data-testid="first-charge-at">{first_at.clone()}</dd>
        </dl>
        <details class="rc-explanation" open>
            <summary>{text(lang, Msg::WhyTheseNumbers)}</summary>
            {explanation}
        </details>
    }
    .into_any()
}

/// The explanation sentences, each with its rule id, as `(rule, text)` from
/// [`sentences`].
pub fn explanation_view(items: Vec<(String, String)>) -> impl IntoView + use<> {
    let items = items
        .into_iter()
        .map(|(rule, text)| {
            let badge = rule.clone();
            view! {
                <li data-testid="explanation" data-rule=rule.clone()>
                    <code class="rc-rule">{badge}</code>
                    " "
                    <span>{text}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="rc-explanation__list">{items}</ol> }
}

/// The inputs of a standalone checkout, written back into the attributes.
#[component]
fn CheckoutForm(
    catalogue: Catalogue,
    config: WidgetConfig,
    attrs: RwSignal<RawAttributes>,
) -> impl IntoView {
    let lang = config.locale.lang();
    let options = move |selected: Option<String>| {
        catalogue
            .plans()
            .iter()
            .map(|plan| {
                let chosen = selected.as_deref() == Some(plan.id.as_str());
                view! { <option value=plan.id.clone() selected=chosen>{plan.name.clone()}</option> }
            })
            .collect_view()
    };
    let interval_options = move |selected: Option<Interval>| {
        Interval::ALL
            .into_iter()
            .map(|interval| {
                let chosen = selected == Some(interval);
                view! {
                    <option value=interval.as_str() selected=chosen>
                        {i18n::interval_name(lang, interval)}
                    </option>
                }
            })
            .collect_view()
    };
    let current_options = options(config.current_plan.clone());
    let target_options = options(config.target_plan.clone());
    let set = move |name: &'static str| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            attrs.update(|a| a.set(name, Some(value)));
        }
    };
    let started = config
        .started_at
        .map(|s| s.to_rfc3339())
        .unwrap_or_default();
    view! {
        <form class="rc-form" data-testid="checkout-form" on:submit=|ev| ev.prevent_default()>
            <label>
                <span>{text(lang, Msg::FieldCurrentPlan)}</span>
                <select data-testid="field-current-plan" on:change=set("current-plan")>
                    {current_options}
                </select>
            </label>
            <label>
                <span>{text(lang, Msg::FieldTargetPlan)}</span>
                <select data-testid="field-target-plan" on:change=set("target-plan")>
                    {target_options}
                </select>
            </label>
            <label>
                <span>{text(lang, Msg::FieldCurrentInterval)}</span>
                <select data-testid="field-current-interval" on:change=set("current-interval")>
                    {interval_options(Some(config.current_interval))}
                </select>
            </label>
            <label>
                <span>{text(lang, Msg::FieldTargetInterval)}</span>
                <select data-testid="field-target-interval" on:change=set("target-interval")>
                    {interval_options(Some(config.target_interval.unwrap_or(config.current_interval)))}
                </select>
            </label>
            <label>
                <span>{text(lang, Msg::FieldStartedAt)}</span>
                <input
                    type="text"
                    inputmode="text"
                    spellcheck="false"
                    data-testid="field-started-at"
                    value=started
                    on:change=set("started-at")
                />
            </label>
            <label>
                <span>{text(lang, Msg::FieldTaxRate)}</span>
                <input
                    type="number"
                    min="0"
                    max="10000"
                    step="1"
                    data-testid="field-tax-rate"
                    value=config.tax_rate_bp.to_string()
                    on:change=set("tax-rate-bp")
                />
            </label>
        </form>
    }
}
