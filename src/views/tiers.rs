//! The tier table of a pricing page: one card per plan.

use leptos::prelude::*;

use crate::format::{self, CurrencyDisplay};
use crate::i18n::{self, Lang, Msg, text};
use crate::model::tiers::{LicenceScope, RenewalRule, TierCard};

/// One card per plan, with price, credits, what they buy, uploads, licence and renewal.
#[component]
pub fn TierTable(
    /// The cards, in catalogue order.
    cards: Vec<TierCard>,
    /// The locale tag for `Intl`.
    locale: String,
    /// The language of the strings.
    lang: Lang,
    /// How currencies are named.
    currency_display: CurrencyDisplay,
    /// Called with the plan id when a plan's button is pressed.
    on_select: Callback<String>,
) -> impl IntoView {
    let cards = cards
        .into_iter()
        .map(|card| {
            view! {
                <TierCardView
                    card=card
                    locale=locale.clone()
                    lang=lang
                    currency_display=currency_display
                    on_select=on_select
                />
            }
        })
        .collect_view();
    view! {
        <section class="rc-tiers" aria-label=text(lang, Msg::PlansHeading) data-testid="tiers">
            <ul class="rc-tiers__list" role="list">{cards}</ul>
        </section>
    }
}

#[component]
fn TierCardView(
    card: TierCard,
    locale: String,
    lang: Lang,
    currency_display: CurrencyDisplay,
    on_select: Callback<String>,
) -> impl IntoView {
    let price = format::money(&locale, card.price_minor, card.currency, currency_display);
    let credits = i18n::credits_per_month(lang, &format::count(&locale, card.credits));
    let yields = card
        .yields
        .iter()
        .map(|y| {
            let models = y.model_names.join(i18n::or_word(lang));
            let line = i18n::tracks_with(lang, &format::count(&locale, y.tracks), &models);
            view! { <li data-testid="yield">{line}</li> }
        })
        .collect_view();
    let uploads = i18n::uploads(
        lang,
        &format::duration(&locale, card.upload_seconds),
        &format::duration(&locale, card.crop_seconds),
    );
    let licence = match &card.licence_scope {
        LicenceScope::PersonalOnly => text(lang, Msg::PersonalUseOnly).to_owned(),
        LicenceScope::ByAgreement => text(lang, Msg::ByAgreement).to_owned(),
        LicenceScope::Commercial { mau_limit } => {
            let limit = mau_limit.map(|m| format::count(&locale, m));
            i18n::commercial_below(lang, limit.as_deref())
        }
    };
    let renewal = match card.renewal {
        RenewalRule::FirstOfMonth => text(lang, Msg::RenewsFirstOfMonth),
        RenewalRule::AnchorDay => text(lang, Msg::RenewsOnAnchorDay),
    };
    let plan_id = card.plan_id.clone();
    let button_label = if card.is_current {
        text(lang, Msg::YourPlan).to_owned()
    } else {
        text(lang, Msg::Choose).to_owned()
    };
    let aria_label = i18n::choose_plan_label(lang, &card.name);
    let heading_id = format!("rc-plan-{}", card.plan_id);
    let labelled_by = heading_id.clone();
    view! {
        <li
            class="rc-card"
            class:rc-card--current=card.is_current
            data-testid="tier"
            data-plan=card.plan_id.clone()
            aria-labelledby=labelled_by
        >
            <h2 class="rc-card__name" id=heading_id data-testid="tier-name">
                {card.name.clone()}
            </h2>
            {card
                .is_current
                .then(|| {
                    view! {
                        <p class="rc-card__badge" data-testid="current-badge">
                            {text(lang, Msg::CurrentPlan)}
                        </p>
                    }
                })}
            <p class="rc-card__price">
                <span class="rc-card__amount" data-testid="tier-price">{price}</span>
                " "
                <span class="rc-card__unit">{text(lang, Msg::PerMonth)}</span>
            </p>
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
                aria-label=aria_label
                aria-pressed=if card.is_current { "true" } else { "false" }
                on:click=move |_| on_select.run(plan_id.clone())
            >
                {button_label}
            </button>
        </li>
    }
}
