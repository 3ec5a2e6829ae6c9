//! The root component: parses the attributes, loads the catalogue, picks the view.

use leptos::prelude::*;
use ratecard_rules::Catalogue;

use crate::i18n::Msg;
use crate::model::attrs::{CatalogueSource, RawAttributes, WidgetConfig};
use crate::model::tiers::tier_cards;
use crate::views::error_box::ErrorBox;
use crate::views::tiers::TierTable;

/// What the host page hears from the widget.
#[derive(Clone, Copy)]
pub struct HostEvents {
    /// Called with the plan id when the customer chooses a plan.
    pub plan_chosen: Callback<String>,
}

/// Resolves the catalogue a configuration names.
///
/// # Errors
///
/// A readable message when the catalogue is unknown or invalid.
pub fn load_catalogue(config: &WidgetConfig) -> Result<Catalogue, String> {
    match &config.catalogue {
        CatalogueSource::Builtin(id) => Catalogue::builtin(id).map_err(|e| e.to_string()),
    }
}

/// The whole widget, driven by the element's attributes.
#[component]
pub fn Widget(
    /// The element's attributes; writing to it re-renders the widget.
    attrs: RwSignal<RawAttributes>,
    /// The browser's language, the fallback for a missing `locale`.
    browser_locale: String,
    /// Callbacks into the host page.
    events: HostEvents,
) -> impl IntoView {
    let config = Memo::new(move |_| attrs.with(|a| a.parse(&browser_locale)));
    move || match config.get() {
        Err(error) => {
            view! { <ErrorBox lang=crate::i18n::Lang::En detail=error.to_string() /> }.into_any()
        }
        Ok(config) => {
            let lang = config.locale.lang();
            match load_catalogue(&config) {
                Err(detail) => view! { <ErrorBox lang=lang detail=detail /> }.into_any(),
                Ok(catalogue) => {
                    let cards = tier_cards(&catalogue, config.current_plan.as_deref());
                    view! {
                        <TierTable
                            cards=cards
                            locale=config.locale.tag().to_owned()
                            lang=lang
                            on_select=events.plan_chosen
                        />
                    }
                    .into_any()
                }
            }
        }
    }
}

/// The placeholder text shown by the loader while the Wasm starts.
#[must_use]
pub fn loading_text(lang: crate::i18n::Lang) -> &'static str {
    crate::i18n::text(lang, Msg::Loading)
}
