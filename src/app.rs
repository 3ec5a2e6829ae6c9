//! The root component: parses the attributes, loads the catalogue, picks the view.

use leptos::prelude::*;
use ratecard_rules::Catalogue;

use crate::fetch::fetch_catalogue;
use crate::i18n::{Lang, Msg, text};
use crate::model::attrs::{
    AttributeError, BrowserDefaults, CatalogueSource, RawAttributes, View, WidgetConfig,
};
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

/// Resolves a built-in catalogue; a remote one is fetched by [`Widget`] instead.
///
/// # Errors
///
/// A readable message when the catalogue is unknown or invalid, or is not built in.
pub fn load_catalogue(config: &WidgetConfig) -> Result<Catalogue, String> {
    match &config.catalogue {
        CatalogueSource::Builtin(id) => Catalogue::builtin(id).map_err(|e| e.to_string()),
        CatalogueSource::Url { url, .. } => Err(format!("the catalogue at {url} is not loaded")),
        CatalogueSource::Server(id) => Err(format!("the catalogue `{id}` is not loaded")),
    }
}

/// The origin of the page, the fallback `api_base` when the loader passes none.
fn page_origin() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        String::new()
    }
}

/// The whole widget, driven by the element's attributes.
///
/// A built-in catalogue renders synchronously. A remote one (a URL, or an id on the
/// server) is fetched by a [`LocalResource`] keyed on the request, inside a
/// [`Transition`] so the previous render stays while the next catalogue loads.
#[component]
pub fn Widget(
    /// The element's attributes; writing to it re-renders the widget.
    attrs: RwSignal<RawAttributes>,
    /// The browser's language, time zone and clock, for absent attributes.
    browser: BrowserDefaults,
    /// Callbacks into the host page.
    events: HostEvents,
    /// The origin that served `ratecard.js`, where server catalogue ids are fetched from;
    /// the page's origin when absent.
    #[prop(default = None)]
    api_base: Option<String>,
) -> impl IntoView {
    let api_base = api_base.unwrap_or_else(page_origin);
    let config = Memo::new(move |_| attrs.with(|a| a.parse(&browser)));
    let request = Memo::new(move |_| {
        config.with(|c| c.as_ref().ok().and_then(|c| c.catalogue.request(&api_base)))
    });
    let is_remote = Memo::new(move |_| request.with(Option::is_some));
    let fetched = LocalResource::new(move || {
        let request = request.get();
        async move {
            match request {
                Some(request) => Some(fetch_catalogue(request).await.map_err(|e| e.to_string())),
                None => None,
            }
        }
    });
    move || {
        if is_remote.get() {
            view! {
                <Transition fallback=move || view! { <Loading config=config /> }>
                    {move || Suspend::new(async move {
                        let loaded = fetched.await;
                        match (config.get(), loaded) {
                            (Ok(config), Some(catalogue)) => {
                                render(config, catalogue, attrs, events)
                            }
                            (Err(error), _) => {
                                view! { <ErrorBox lang=Lang::En detail=error.to_string() /> }
                                    .into_any()
                            }
                            (Ok(config), None) => {
                                let catalogue = load_catalogue(&config);
                                render(config, catalogue, attrs, events)
                            }
                        }
                    })}
                </Transition>
            }
            .into_any()
        } else {
            (move || match config.get() {
                Err(error) => {
                    view! { <ErrorBox lang=Lang::En detail=error.to_string() /> }.into_any()
                }
                Ok(config) => {
                    let catalogue = load_catalogue(&config);
                    render(config, catalogue, attrs, events)
                }
            })
            .into_any()
        }
    }
}

/// The loading state while a remote catalogue is fetched for the first time.
#[component]
fn Loading(config: Memo<Result<WidgetConfig, AttributeError>>) -> impl IntoView {
    let lang = move || config.with(|c| c.as_ref().map_or(Lang::En, |c| c.locale.lang()));
    view! {
        <p class="rc-loading" role="status" data-testid="loading">
            {move || text(lang(), Msg::Loading)}
        </p>
    }
}

/// The chosen view for a configuration and its catalogue, or the reason it cannot show.
fn render(
    config: WidgetConfig,
    catalogue: Result<Catalogue, String>,
    attrs: RwSignal<RawAttributes>,
    events: HostEvents,
) -> AnyView {
    let lang = config.locale.lang();
    match catalogue {
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
