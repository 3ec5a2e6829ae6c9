//! The tier table of a pricing page: one card per plan, a toggle between monthly and
//! yearly prices, and a button per card that says what it does.

use leptos::prelude::*;
use ratecard_rules::{Currency, Interval};

use crate::format::{self, CurrencyDisplay};
use crate::i18n::{self, Lang, Msg, text};
#[cfg(feature = "plan-change")]
use crate::model::tiers::Due;
use crate::model::tiers::{
    LicenceScope, PlanAction, PlanButton, PlanButtons, RenewalRule, TierCard, Tiers,
};

/// What the host hears when a plan's button is pressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanChoice {
    /// The plan id.
    pub plan: String,
    /// The interval the card showed.
    pub interval: Interval,
    /// The currency of the table.
    pub currency: Currency,
    /// What the button does.
    pub action: PlanAction,
}

/// How the table formats: the locale for `Intl`, the language of the strings, how
/// currencies are named and the customer's zone for dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableFormat {
    /// The BCP 47 locale tag.
    pub locale: String,
    /// The language of the strings.
    pub lang: Lang,
    /// How currencies are named.
    pub currency_display: CurrencyDisplay,
    /// The customer's IANA zone, for the day a later change takes effect.
    pub time_zone: String,
}

/// One card per plan, with price, credits, what they buy, uploads, licence and renewal.
#[component]
pub fn TierTable(
    /// The table: currency, tax and the cards, in catalogue order.
    tiers: Tiers,
    /// Each card's button at both intervals.
    buttons: PlanButtons,
    /// How numbers, dates and strings are written.
    format: TableFormat,
    /// The interval shown first.
    interval: Interval,
    /// Whether the table offers a toggle between monthly and yearly prices.
    toggle: bool,
    /// Called when a plan's button is pressed.
    on_select: Callback<PlanChoice>,
    /// Called with the interval the visitor switches to.
    on_interval: Callback<Interval>,
) -> impl IntoView {
    let lang = format.lang;
    let toggle = (toggle && tiers.sells_yearly).then(|| {
        view! { <IntervalToggle lang=lang shown=interval on_interval=on_interval /> }
    });
    let tax_label = tiers.tax_inclusive_rate_bp.map(|bp| {
        let rate = format::percent(&format.locale, u64::from(bp));
        note(
            "rc-tiers__tax",
            "tax-label",
            None,
            i18n::prices_include_tax(lang, &rate),
        )
    });
    // Only a subscriber's buttons compute amounts (the `plan-change` feature).
    #[cfg(feature = "plan-change")]
    let due_error = buttons.error.as_ref().map(|e| {
        let detail = i18n::due_unavailable(lang, &i18n::error_text(lang, e));
        note("rc-tiers__note", "due-error", None, detail)
    });
    #[cfg(not(feature = "plan-change"))]
    let due_error: Option<()> = None;
    let currency = tiers.currency;
    let cards = tiers
        .cards
        .iter()
        .enumerate()
        .map(|(index, card)| {
            card_view(
                card,
                interval,
                buttons.at(index, interval),
                &format,
                currency,
                on_select,
            )
        })
        .collect_view();
    let bar = (toggle.is_some() || tax_label.is_some())
        .then(|| view! { <div class="rc-tiers__bar">{toggle} {tax_label}</div> });
    view! {
        <section class="rc-tiers" aria-label=text(lang, Msg::PlansHeading) data-testid="tiers">
            {bar}
            {due_error}
            <ul class="rc-tiers__list" role="list">{cards}</ul>
        </section>
    }
}

/// A line of text with its class, test id and, if given, its element id: one element
/// type for every optional line of the table, which keeps the Wasm small.
fn note(
    class: &'static str,
    testid: &'static str,
    id: Option<String>,
    text: String,
) -> impl IntoView + use<> {
    view! { <p class=class data-testid=testid id=id>{text}</p> }
}

/// The monthly and yearly buttons. Switching re-renders the table in place, so the
/// pressed button keeps its element and the focus.
#[component]
fn IntervalToggle(lang: Lang, shown: Interval, on_interval: Callback<Interval>) -> impl IntoView {
    let pressed = |interval: Interval| if shown == interval { "true" } else { "false" };
    view! {
        <div
            class="rc-interval"
            role="group"
            aria-label=text(lang, Msg::BillingInterval)
            data-testid="interval-toggle"
        >
            <button
                type="button"
                class="rc-interval__option"
                data-testid="interval-month"
                aria-pressed=pressed(Interval::Month)
                on:click=move |_| on_interval.run(Interval::Month)
            >
                {text(lang, Msg::Monthly)}
            </button>
            <button
                type="button"
                class="rc-interval__option"
                data-testid="interval-year"
                aria-pressed=pressed(Interval::Year)
                on:click=move |_| on_interval.run(Interval::Year)
            >
                {text(lang, Msg::Yearly)}
            </button>
        </div>
    }
}

/// The visible text of a plan's button.
fn button_text(lang: Lang, button: PlanButton, format: &TableFormat) -> String {
    let action = match button.action {
        PlanAction::Current => text(lang, Msg::CurrentPlan),
        PlanAction::Upgrade => text(lang, Msg::ActionUpgrade),
        PlanAction::Downgrade => text(lang, Msg::ActionDowngrade),
        PlanAction::SwitchToYearly => text(lang, Msg::ActionSwitchToYearly),
        PlanAction::SwitchToMonthly => text(lang, Msg::ActionSwitchToMonthly),
        PlanAction::Cancel => text(lang, Msg::ActionCancel),
        PlanAction::Choose => text(lang, Msg::Choose),
        PlanAction::StartTrial => text(lang, Msg::ActionStartTrial),
    };
    #[cfg(feature = "plan-change")]
    {
        match button.due {
            None => action.to_owned(),
            Some(Due::Now(m)) => {
                let amount = format::money(
                    &format.locale,
                    m.amount_minor,
                    m.currency,
                    format.currency_display,
                );
                i18n::due_today(lang, action, &amount)
            }
            Some(Due::From { effective_at, .. }) => {
                let day = format::day_month(&format.locale, &effective_at, &format.time_zone);
                i18n::due_from(lang, action, &day)
            }
        }
    }
    #[cfg(not(feature = "plan-change"))]
    {
        let _ = (button.due, format);
        action.to_owned()
    }
}

/// One card at one interval.
fn card_view(
    card: &TierCard,
    interval: Interval,
    button: PlanButton,
    format: &TableFormat,
    currency: Currency,
    on_select: Callback<PlanChoice>,
) -> impl IntoView + use<> {
    let lang = format.lang;
    let locale = format.locale.as_str();
    let money = |minor: i64| format::money(locale, minor, currency, format.currency_display);
    let interval = card.interval_at(interval);
    let price = card.price_at(interval).copied();
    let unit = match interval {
        Interval::Month => text(lang, Msg::PerMonth),
        Interval::Year => text(lang, Msg::PerYear),
    };
    let yearly = price.filter(|p| p.interval == Interval::Year);
    let per_month = yearly
        .and_then(|p| p.per_month_minor)
        .map(|m| i18n::per_month_equivalent(lang, &money(m)));
    let saving = yearly
        .and_then(|p| p.saving_percent)
        .map(|p| i18n::saving(lang, &format::percent(locale, u64::from(p) * 100)));
    let trial = card
        .trial_days
        .map(|days| i18n::trial_days(lang, &format::count(locale, u64::from(days))));
    let credits = i18n::credits_per_month(lang, &format::count(locale, card.credits));
    let yields = card
        .yields
        .iter()
        .map(|y| {
            let models = y.model_names.join(i18n::or_word(lang));
            let line = i18n::tracks_with(lang, &format::count(locale, y.tracks), &models);
            view! { <li data-testid="yield">{line}</li> }
        })
        .collect_view();
    let uploads = i18n::uploads(
        lang,
        &format::duration(locale, card.upload_seconds),
        &format::duration(locale, card.crop_seconds),
    );
    let licence = match &card.licence_scope {
        LicenceScope::PersonalOnly => text(lang, Msg::PersonalUseOnly).to_owned(),
        LicenceScope::ByAgreement => text(lang, Msg::ByAgreement).to_owned(),
        LicenceScope::Commercial { mau_limit } => {
            let limit = mau_limit.map(|m| format::count(locale, m));
            i18n::commercial_below(lang, limit.as_deref())
        }
    };
    let renewal = match (card.renewal, interval) {
        (RenewalRule::FirstOfMonth, _) => text(lang, Msg::RenewsFirstOfMonth),
        (RenewalRule::AnchorDay, Interval::Month) => text(lang, Msg::RenewsOnAnchorDay),
        (RenewalRule::AnchorDay, Interval::Year) => text(lang, Msg::RenewsYearlyOnAnchorDay),
    };
    let label = button_text(lang, button, format);
    // The accessible name starts with the visible text and adds the plan.
    let aria_label = i18n::plan_button_label(lang, &label, &card.name);
    let due = button.due.map(|d| d.due_now());
    let heading_id = format!("rc-plan-{}", card.plan_id);
    let labelled_by = heading_id.clone();
    let badge_id = format!("rc-recommended-{}", card.plan_id);
    let described_by = card.recommended.then(|| badge_id.clone());
    let choice = PlanChoice {
        plan: card.plan_id.clone(),
        interval,
        currency,
        action: button.action,
    };
    let class = match (card.is_current, card.recommended) {
        (false, false) => "rc-card",
        (true, false) => "rc-card rc-card--current",
        (false, true) => "rc-card rc-card--recommended",
        (true, true) => "rc-card rc-card--current rc-card--recommended",
    };
    // The badges above the price, then what the price means below it.
    let mut badges = Vec::new();
    if card.recommended {
        badges.push(note(
            "rc-card__badge rc-card__badge--recommended",
            "recommended-badge",
            Some(badge_id),
            text(lang, Msg::Recommended).to_owned(),
        ));
    }
    if card.is_current {
        badges.push(note(
            "rc-card__badge",
            "current-badge",
            None,
            text(lang, Msg::CurrentPlan).to_owned(),
        ));
    }
    let extras: Vec<_> = [
        ("rc-card__per-month", "tier-per-month", per_month),
        ("rc-card__saving", "tier-saving", saving),
        ("rc-card__trial", "tier-trial", trial),
    ]
    .into_iter()
    .filter_map(|(class, testid, text)| text.map(|t| note(class, testid, None, t)))
    .collect();
    view! {
        <li
            class=class
            data-testid="tier"
            data-plan=card.plan_id.clone()
            aria-labelledby=labelled_by
            aria-describedby=described_by
        >
            <h2 class="rc-card__name" id=heading_id data-testid="tier-name">
                {card.name.clone()}
            </h2>
            {badges}
            <p class="rc-card__price">
                <span class="rc-card__amount" data-testid="tier-price">
                    {price.map(|p| money(p.shown_minor))}
                </span>
                " "
                <span class="rc-card__unit">{unit}</span>
            </p>
            {extras}
            <p class="rc-card__credits" data-testid="tier-credits">{credits}</p>
            <ul class="rc-card__yields" role="list">{yields}</ul>
            <p class="rc-card__uploads" data-testid="tier-uploads">{uploads}</p>
            <p class="rc-card__licence" data-testid="tier-licence">
                <strong>{card.licence_name.clone()}</strong>
                ": "
                {licence}
            </p>
            <p class="rc-card__renewal" data-testid="tier-renewal">{renewal}</p>
            <button
                type="button"
                class="rc-card__choose"
                data-testid="choose"
                data-action=button.action.as_str()
                data-due-minor=due.map(|d| d.amount_minor.to_string())
                data-currency=due.map(|d| d.currency.code())
                aria-label=aria_label
                aria-pressed=if button.action == PlanAction::Current { "true" } else { "false" }
                on:click=move |_| on_select.run(choice.clone())
            >
                {label}
            </button>
        </li>
    }
}
