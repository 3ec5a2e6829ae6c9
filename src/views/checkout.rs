//! The checkout view: the upgrade, downgrade or cancel preview, line by line.

use leptos::prelude::*;
use ratecard_rules::Catalogue;
use ratecard_rules::api::LineKind;

use crate::format;
use crate::i18n::explain::{Numbers, line_description, sentences};
use crate::i18n::{self, Msg, text};
use crate::model::attrs::{RawAttributes, WidgetConfig};
use crate::model::checkout::{Change, CheckoutInput, preview};
use crate::views::error_box::ErrorBox;

/// What the host hears when a preview is computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewEvent {
    /// `upgrade`, `downgrade` or `cancel`.
    pub kind: &'static str,
    /// The total due now, in minor units.
    pub due_now_minor: i64,
    /// The ISO 4217 currency code.
    pub currency: &'static str,
    /// Each line as `(kind, amount_minor, rule)`.
    pub lines: Vec<(String, i64, String)>,
}

/// The inputs the configuration gives, or `None` when one is missing.
#[must_use]
pub fn checkout_input(config: &WidgetConfig) -> Option<CheckoutInput> {
    Some(CheckoutInput {
        current_plan: config.current_plan.clone()?,
        started_at: config.started_at?,
        time_zone: config.time_zone.clone(),
        target_plan: config.target_plan.clone()?,
        at: config.at,
        tax_rate_bp: config.tax_rate_bp,
    })
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
    let body = match checkout_input(&config) {
        None => view! { <p class="rc-hint" data-testid="checkout-hint">{text(lang, Msg::ChoosePlans)}</p> }
            .into_any(),
        Some(input) => match preview(&catalogue, &input) {
            Err(error) => view! {
                <ErrorBox
                    lang=lang
                    heading=Msg::CalculationErrorHeading
                    detail=i18n::error_text(lang, &error)
                />
            }
            .into_any(),
            Ok(change) => result_view(&catalogue, &config, &input, &change, on_preview),
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
        lines: summary
            .lines
            .iter()
            .map(|l| (kind_name(l.kind).to_owned(), l.amount_minor, l.rule.clone()))
            .collect(),
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
        _ => text(lang, Msg::CancelToFree),
    };
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
            {from_name.clone()} " → " {to_name.clone()}
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

fn kind_name(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Credit => "credit",
        LineKind::Charge => "charge",
        LineKind::Tax => "tax",
    }
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
