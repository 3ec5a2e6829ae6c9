//! The root component: parses the attributes, loads the catalogue, picks the view.

use leptos::prelude::*;
use ratecard_rules::Catalogue;

use crate::i18n::Lang;
use crate::model::attrs::{BrowserDefaults, CatalogueSource, RawAttributes, View, WidgetConfig};
use crate::model::tiers::tier_cards;
use crate::views::checkout::{CheckoutView, PreviewEvent};
use crate::views::error_box::ErrorBox;
use crate::views::support::SupportView;
use crate::views::tiers::TierTable;

/// What the host page hears from the widget.
#[derive(Clone, Copy)]
pub struct HostEvents {
    /// Called with the plan id when the customer chooses a plan.
    pub plan_chosen: Callback<String>,
    /// Called with every preview the checkout view computes.
    pub preview_computed: Callback<PreviewEvent>,
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
    /// The browser's language, time zone and clock, for absent attributes.
    browser: BrowserDefaults,
    /// Callbacks into the host page.
    events: HostEvents,
) -> impl IntoView {
    let config = Memo::new(move |_| attrs.with(|a| a.parse(&browser)));
    move || match config.get() {
        Err(error) => view! { <ErrorBox lang=Lang::En detail=error.to_string() /> }.into_any(),
        Ok(config) => {
            let lang = config.locale.lang();
            match load_catalogue(&config) {
                Err(detail) => view! { <ErrorBox lang=lang detail=detail /> }.into_any(),
                Ok(catalogue) => match config.view {
                    View::Tiers => {
                        let cards = tier_cards(&catalogue, config.current_plan.as_deref());
                        view! {
                            <TierTable
                                cards=cards
                                locale=config.locale.tag().to_owned()
                                lang=lang
                                currency_display=config.currency_display
                                on_select=events.plan_chosen
                            />
                        }
                        .into_any()
                    }
                    View::Checkout => view! {
                        <CheckoutView
                            catalogue=catalogue
                            config=config
                            attrs=attrs
                            on_preview=events.preview_computed
                        />
                    }
                    .into_any(),
                    View::Support => view! {
                        <SupportView catalogue=catalogue config=config />
                    }
                    .into_any(),
                },
            }
        }
    }
}
