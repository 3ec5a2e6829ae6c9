//! The root component: parses the attributes, loads the catalogue, picks the view.

use leptos::prelude::*;
use ratecard_rules::{Catalogue, Interval};

#[cfg(feature = "remote")]
use crate::fetch::fetch_catalogue;
use crate::i18n::{self, Lang, Locale, Msg};
use crate::model::account::AccessToken;
use crate::model::attrs::{BrowserDefaults, CatalogueSource, RawAttributes, View, WidgetConfig};
use crate::model::tiers::{Subscriber, TierRequest, plan_buttons, tiers};
#[cfg(feature = "checkout")]
use crate::views::checkout::CheckoutView;
use crate::views::checkout::PreviewEvent;
use crate::views::error_box::ErrorBox;
#[cfg(feature = "support")]
use crate::views::support::SupportView;
use crate::views::tiers::{PlanChoice, TableFormat, TierTable};

/// What the host page hears from the widget.
#[derive(Clone, Copy)]
pub struct HostEvents {
    /// Called with the plan id when the customer chooses a plan (the whole choice goes
    /// to [`Widget`]'s `plan_choice`).
    pub plan_chosen: Callback<String>,
    /// Called with every preview the checkout view computes.
    pub preview_computed: Callback<PreviewEvent>,
    /// Called with the id of an account the support view opens from its search.
    pub account_opened: Callback<String>,
}

/// Resolves a built-in catalogue; a remote one is fetched by [`Widget`] instead.
///
/// # Errors
///
/// A readable message when the catalogue is unknown or invalid, or is not built in.
pub fn load_catalogue(config: &WidgetConfig) -> Result<Catalogue, String> {
    match &config.catalogue {
        CatalogueSource::Builtin(id) => {
            Catalogue::builtin(id).map_err(|e| i18n::error_text(config.locale.lang(), &e))
        }
        CatalogueSource::Url { url, .. } => Err(i18n::url_not_loaded(config.locale.lang(), url)),
        CatalogueSource::Server(id) => Err(i18n::id_not_loaded(config.locale.lang(), id)),
    }
}

/// The origin of the page, the fallback `api_base` when the loader passes none.
pub(crate) fn page_origin() -> String {
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
    /// The support key for stored accounts (the element's `accessToken` property).
    #[prop(optional)]
    access_token: Option<RwSignal<AccessToken>>,
    /// Called with the whole choice (plan, interval, currency, action) when a plan's
    /// button is pressed, beside `events.plan_chosen`.
    #[prop(optional)]
    plan_choice: Option<Callback<PlanChoice>>,
) -> impl IntoView {
    let api_base = api_base.unwrap_or_else(page_origin);
    let access_token = access_token.unwrap_or_else(|| RwSignal::new(AccessToken::default()));
    let plan_chosen = events.plan_chosen;
    let events = Events {
        host: events,
        plan_selected: Callback::new(move |choice: PlanChoice| {
            plan_chosen.run(choice.plan.clone());
            if let Some(plan_choice) = plan_choice {
                plan_choice.run(choice);
            }
        }),
        // The visitor's interval is kept in the attributes until the host sets `interval`
        // itself. The table re-renders in place: its elements stay, and so does the focus.
        interval_switched: Callback::new(move |interval: Interval| {
            attrs.update(|a| a.set("interval", Some(interval.as_str().to_owned())));
        }),
    };
    let shell = Shell {
        api_base: StoredValue::new(api_base.clone()),
        access_token,
    };
    let browser_locale = browser.locale.clone();
    let config = Memo::new(move |_| attrs.with(|a| a.parse(&browser)));
    // The language of an attribute error: the `locale` attribute if it is usable, else the
    // browser's.
    let error_lang = Memo::new(move |_| {
        attrs.with(|a| {
            a.get("locale")
                .and_then(Locale::from_tag)
                .or_else(|| Locale::translated(&browser_locale))
                .map_or(Lang::En, |l| l.lang())
        })
    });
    let request = Memo::new(move |_| {
        config.with(|c| c.as_ref().ok().and_then(|c| c.catalogue.request(&api_base)))
    });
    let is_remote = Memo::new(move |_| request.with(Option::is_some));
    // A remote catalogue needs the JSON reader, which the tier table's smallest bundle
    // leaves out (see the `remote` feature); `ratecard.js` never starts that bundle for one.
    #[cfg(feature = "remote")]
    let remote = {
        let fetched = LocalResource::new(move || {
            let request = request.get();
            async move {
                match request {
                    Some(request) => Some(fetch_catalogue(request).await),
                    None => None,
                }
            }
        });
        move || {
            view! {
                <Transition fallback=move || view! { <Loading config=config /> }>
                    {move || Suspend::new(async move {
                        let loaded = fetched.await;
                        match (config.get(), loaded) {
                            (Ok(config), Some(catalogue)) => {
                                let lang = config.locale.lang();
                                let catalogue =
                                    catalogue.map_err(|e| i18n::load_error_text(lang, &e));
                                render(config, catalogue, attrs, events, shell)
                            }
                            (Err(error), _) => {
                                let lang = error_lang.get();
                                view! {
                                    <ErrorBox
                                        lang=lang
                                        detail=i18n::attribute_error_text(lang, &error)
                                    />
                                }
                                .into_any()
                            }
                            (Ok(config), None) => {
                                let catalogue = load_catalogue(&config);
                                render(config, catalogue, attrs, events, shell)
                            }
                        }
                    })}
                </Transition>
            }
            .into_any()
        }
    };
    #[cfg(not(feature = "remote"))]
    let remote = move || {
        let lang = error_lang.get();
        view! { <ErrorBox lang=lang detail=i18n::remote_not_in_bundle(lang) /> }.into_any()
    };
    move || {
        if is_remote.get() {
            remote()
        } else {
            (move || match config.get() {
                Err(error) => {
                    let lang = error_lang.get();
                    view! { <ErrorBox lang=lang detail=i18n::attribute_error_text(lang, &error) /> }
                        .into_any()
                }
                Ok(config) => {
                    let catalogue = load_catalogue(&config);
                    render(config, catalogue, attrs, events, shell)
                }
            })
            .into_any()
        }
    }
}

/// The loading state while a remote catalogue is fetched for the first time.
#[cfg(feature = "remote")]
#[component]
fn Loading(
    config: Memo<Result<WidgetConfig, crate::model::attrs::AttributeError>>,
) -> impl IntoView {
    let lang = move || config.with(|c| c.as_ref().map_or(Lang::En, |c| c.locale.lang()));
    view! {
        <p class="rc-loading" role="status" data-testid="loading">
            {move || i18n::text(lang(), Msg::Loading)}
        </p>
    }
}

/// The host's callbacks and the tier table's own.
#[derive(Clone, Copy)]
struct Events {
    #[cfg_attr(not(any(feature = "checkout", feature = "support")), expect(dead_code))]
    host: HostEvents,
    plan_selected: Callback<PlanChoice>,
    interval_switched: Callback<Interval>,
}

/// What the support view needs of the element beyond its attributes: where the server is
/// and the support key.
#[derive(Clone, Copy)]
struct Shell {
    #[cfg_attr(not(feature = "support"), expect(dead_code))]
    api_base: StoredValue<String>,
    #[cfg_attr(not(feature = "support"), expect(dead_code))]
    access_token: RwSignal<AccessToken>,
}

/// The chosen view for a configuration and its catalogue, or the reason it cannot show.
///
/// A view that computes with the customer's time zone (checkout, support, and a tier table
/// for a current subscriber) waits for that zone's data, which the Wasm fetches the first
/// time it is needed (see [`crate::fetch::ensure_zone`]).
fn render(
    config: WidgetConfig,
    catalogue: Result<Catalogue, String>,
    attrs: RwSignal<RawAttributes>,
    events: Events,
    shell: Shell,
) -> AnyView {
    #[cfg(any(feature = "plan-change", feature = "support"))]
    {
        let needs_zone = catalogue.is_ok()
            && (config.view != View::Tiers || config.current_plan.is_some())
            && matches!(
                ratecard_rules::zone_file_needed(&config.time_zone),
                Ok(Some(_))
            );
        if needs_zone {
            return with_zone(config, catalogue, attrs, events, shell);
        }
    }
    render_now(config, catalogue, attrs, events, shell)
}

/// [`render`] once the time zone's data is at hand, with the loading state meanwhile and
/// a readable error when it cannot be had.
#[cfg(any(feature = "plan-change", feature = "support"))]
fn with_zone(
    config: WidgetConfig,
    catalogue: Result<Catalogue, String>,
    attrs: RwSignal<RawAttributes>,
    events: Events,
    shell: Shell,
) -> AnyView {
    let lang = config.locale.lang();
    // A signal set by a spawned task, not a `Suspense` over a resource: the tier table
    // for a subscriber has no other asynchronous view, and leaving Suspense's machinery
    // out of its bundle saves more than the zone database it replaces.
    let loaded = RwSignal::new(None::<Result<(), String>>);
    let zone = config.time_zone.clone();
    leptos::task::spawn_local(async move {
        let result = crate::fetch::ensure_zone(&zone).await;
        // The widget may be gone by now, its signal with it: then there is nothing to do.
        let _ = loaded.try_set(Some(result));
    });
    let zone = config.time_zone.clone();
    let config = StoredValue::new(config);
    let catalogue = StoredValue::new(catalogue);
    (move || match loaded.get() {
        None => view! {
            <p class="rc-loading" role="status" data-testid="loading">
                {i18n::text(lang, Msg::Loading)}
            </p>
        }
        .into_any(),
        Some(Ok(())) => render_now(
            config.get_value(),
            catalogue.get_value(),
            attrs,
            events,
            shell,
        ),
        Some(Err(detail)) => {
            let detail = i18n::zone_load_error(lang, &zone, &detail);
            view! { <ErrorBox lang=lang heading=Msg::CalculationErrorHeading detail=detail /> }
                .into_any()
        }
    })
    .into_any()
}

/// The chosen view, with every zone it needs at hand.
fn render_now(
    config: WidgetConfig,
    catalogue: Result<Catalogue, String>,
    #[cfg_attr(not(feature = "checkout"), expect(unused_variables))] attrs: RwSignal<RawAttributes>,
    events: Events,
    #[cfg_attr(not(feature = "support"), expect(unused_variables))] shell: Shell,
) -> AnyView {
    let lang = config.locale.lang();
    match catalogue {
        Err(detail) => {
            let heading = match config.view {
                View::Tiers => Msg::ErrorHeading,
                View::Checkout | View::Support => Msg::CalculationErrorHeading,
            };
            view! { <ErrorBox lang=lang heading=heading detail=detail /> }.into_any()
        }
        Ok(catalogue) => match config.view {
            View::Tiers => tier_table(&catalogue, &config, events),
            #[cfg(feature = "checkout")]
            View::Checkout => view! {
                <CheckoutView
                    catalogue=catalogue
                    config=config
                    attrs=attrs
                    on_preview=events.host.preview_computed
                />
            }
            .into_any(),
            #[cfg(feature = "support")]
            View::Support => view! {
                <SupportView
                    catalogue=catalogue
                    config=config
                    api_base=shell.api_base.get_value()
                    access_token=shell.access_token
                    on_account_opened=events.host.account_opened
                />
            }
            .into_any(),
            #[cfg(not(feature = "checkout"))]
            View::Checkout => not_in_bundle(lang, "checkout"),
            #[cfg(not(feature = "support"))]
            View::Support => not_in_bundle(lang, "support"),
        },
    }
}

/// The tier table for a configuration, or why its currency cannot be shown.
fn tier_table(catalogue: &Catalogue, config: &WidgetConfig, events: Events) -> AnyView {
    let lang = config.locale.lang();
    let request = TierRequest {
        current_plan: config.current_plan.as_deref(),
        currency: config.currency.as_deref(),
        region: config.region.as_deref(),
        tax_inclusive_rate_bp: config.tax_inclusive_rate_bp,
    };
    let table = match tiers(catalogue, &request) {
        Ok(table) => table,
        Err(error) => {
            let detail = i18n::error_text(lang, &error);
            return view! { <ErrorBox lang=lang detail=detail /> }.into_any();
        }
    };
    let subscriber = config.current_plan.as_ref().map(|plan| Subscriber {
        plan: plan.clone(),
        interval: config.current_interval,
        started_at: config.started_at,
        trial_ends_at: config.trial_ends_at,
        time_zone: config.time_zone.clone(),
        at: config.at,
        tax_rate_bp: config.tax_rate_bp,
    });
    let buttons = plan_buttons(catalogue, &table, subscriber.as_ref());
    let format = TableFormat {
        locale: config.locale.tag().to_owned(),
        lang,
        currency_display: config.currency_display,
        time_zone: config.time_zone.clone(),
    };
    view! {
        <TierTable
            tiers=table
            buttons=buttons
            format=format
            interval=config.interval
            toggle=config.interval_toggle
            on_select=events.plan_selected
            on_interval=events.interval_switched
        />
    }
    .into_any()
}

/// The message of a view this bundle was built without (see the `checkout` and `support`
/// features).
#[cfg(not(all(feature = "checkout", feature = "support")))]
fn not_in_bundle(lang: Lang, view: &str) -> AnyView {
    let detail = i18n::view_not_in_bundle(lang, view);
    view! { <ErrorBox lang=lang heading=Msg::CalculationErrorHeading detail=detail /> }.into_any()
}
