//! Component tests in headless Chromium (`wasm-bindgen-test`): the widget mounted into a
//! real DOM, queried by `data-testid`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use ratecard::app::{HostEvents, Widget};
use ratecard::model::attrs::{BrowserDefaults, RawAttributes};
use ratecard::views::checkout::PreviewEvent;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser has a document");
    let div: HtmlElement = document
        .create_element("div")
        .expect("can create a div")
        .dyn_into()
        .expect("a div is an HtmlElement");
    document
        .body()
        .expect("the test page has a body")
        .append_child(&div)
        .expect("can append");
    div
}

fn texts(root: &HtmlElement, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).expect("valid selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

struct Mounted {
    root: HtmlElement,
    attrs: RwSignal<RawAttributes>,
    chosen: RwSignal<Vec<String>>,
    previews: RwSignal<Vec<PreviewEvent>>,
}

fn mount(raw: RawAttributes) -> Mounted {
    let root = container();
    let attrs = RwSignal::new(raw);
    let chosen = RwSignal::new(Vec::new());
    let previews = RwSignal::new(Vec::new());
    let events = HostEvents {
        plan_chosen: Callback::new(move |plan: String| chosen.update(|c| c.push(plan))),
        preview_computed: Callback::new(move |p: PreviewEvent| previews.update(|v| v.push(p))),
        account_opened: Callback::new(|_: String| {}),
    };
    let browser = BrowserDefaults {
        locale: "en-US".into(),
        time_zone: "UTC".into(),
        now: "2027-02-15T00:00:00Z".parse().expect("valid instant"),
    };
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <Widget attrs=attrs browser=browser events=events /> }
    });
    handle.forget();
    Mounted {
        root,
        attrs,
        chosen,
        previews,
    }
}

fn attrs(pairs: &[(&str, &str)]) -> RawAttributes {
    let mut raw = RawAttributes::default();
    for (name, value) in pairs {
        raw.set(name, Some((*value).to_owned()));
    }
    raw
}

#[wasm_bindgen_test]
async fn tier_table_shows_every_plan_with_intl_prices() {
    let Mounted { root, .. } = mount(attrs(&[("locale", "en-US")]));
    leptos::task::tick().await;
    assert_eq!(
        texts(&root, "[data-testid=tier-name]"),
        ["Free", "Pro", "Studio", "Max"]
    );
    assert_eq!(
        texts(&root, "[data-testid=tier-price]"),
        ["$0.00", "$11.99", "$29.99", "$89.99"]
    );
    let credits = texts(&root, "[data-testid=tier-credits]");
    assert_eq!(credits[2], "1,350 credits per month");
}

#[wasm_bindgen_test]
async fn german_locale_formats_with_intl_and_translates() {
    let Mounted { root, .. } = mount(attrs(&[("locale", "de-DE")]));
    leptos::task::tick().await;
    let prices = texts(&root, "[data-testid=tier-price]");
    // Without `region`, the region of `locale` picks the currency (R-CURRENCY-2): euros
    // for `de-DE`.
    assert_eq!(prices[1], "10,99\u{a0}€");
    let credits = texts(&root, "[data-testid=tier-credits]");
    assert_eq!(credits[2], "1.350 Credits pro Monat");
}

#[wasm_bindgen_test]
async fn changing_an_attribute_updates_the_view() {
    let Mounted {
        root,
        attrs: attrs_signal,
        ..
    } = mount(attrs(&[("locale", "en-US")]));
    leptos::task::tick().await;
    assert!(texts(&root, "[data-testid=current-badge]").is_empty());
    attrs_signal.update(|a| a.set("current-plan", Some("studio".into())));
    leptos::task::tick().await;
    let current = root
        .query_selector("[data-testid=tier][data-plan=studio] [data-testid=current-badge]")
        .expect("valid selector");
    assert!(current.is_some(), "the studio card is marked as current");
}

#[wasm_bindgen_test]
async fn a_bad_attribute_shows_a_readable_error_instead_of_a_blank_box() {
    let Mounted { root, .. } = mount(attrs(&[("catalogue", "javascript:alert(1)")]));
    leptos::task::tick().await;
    let detail = texts(&root, "[data-testid=error-detail]");
    assert_eq!(detail.len(), 1);
    assert!(
        detail[0].contains("attribute `catalogue` has the value `javascript:alert(1)`"),
        "{detail:?}"
    );
}

/// Waits until `selector` matches inside `root`, for at most 5 s.
async fn wait_for_texts(root: &HtmlElement, selector: &str) -> Vec<String> {
    for _ in 0..250 {
        leptos::task::tick().await;
        let found = texts(root, selector);
        if !found.is_empty() {
            return found;
        }
        sleep_briefly().await;
    }
    panic!("nothing matched {selector} within 5 s");
}

#[wasm_bindgen_test]
async fn a_missing_catalogue_url_names_the_http_status() {
    let Mounted { root, .. } = mount(attrs(&[("catalogue", "no-such-catalogue.json")]));
    leptos::task::tick().await;
    // While the fetch runs, the widget says it is loading rather than staying blank.
    let detail = wait_for_texts(&root, "[data-testid=error-detail]").await;
    assert!(
        detail[0].contains("no-such-catalogue.json") && detail[0].contains("HTTP 404"),
        "{detail:?}"
    );
}

#[wasm_bindgen_test]
async fn a_catalogue_id_that_is_not_built_in_is_fetched_and_its_failure_shown() {
    // The test page's origin has no ratecard API, so the answer is a plain 404.
    let Mounted { root, attrs, .. } = mount(attrs(&[("catalogue", "platinum")]));
    let detail = wait_for_texts(&root, "[data-testid=error-detail]").await;
    assert!(
        detail[0].contains("/api/v1/catalogues/platinum") && detail[0].contains("HTTP 404"),
        "{detail:?}"
    );
    // Back to a built-in id: synchronous again, and the error is gone.
    attrs.update(|a| a.set("catalogue", Some("stable-audio".into())));
    leptos::task::tick().await;
    assert!(texts(&root, "[data-testid=error-detail]").is_empty());
    assert_eq!(texts(&root, "[data-testid=tier-name]").len(), 4);
}

#[wasm_bindgen_test]
async fn the_root_reserves_its_height_until_the_first_paint() {
    let host = container();
    let shadow = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .expect("a shadow root");
    host.style()
        .set_property("--ratecard-reserved-height", "640px")
        .expect("can set a custom property");
    let handle = ratecard::embed::mount(host.clone(), shadow.clone(), None).expect("mounts");
    let root: HtmlElement = shadow
        .query_selector(".rc-root")
        .expect("valid selector")
        .expect("the root")
        .dyn_into()
        .expect("an element");
    let min_height = |root: &HtmlElement| {
        web_sys::window()
            .and_then(|w| w.get_computed_style(root).ok().flatten())
            .and_then(|s| s.get_property_value("min-height").ok())
            .unwrap_or_default()
    };
    assert!(!root.has_attribute("data-painted"));
    assert_eq!(min_height(&root), "640px");
    for _ in 0..50 {
        if root.has_attribute("data-painted") {
            break;
        }
        sleep_briefly().await;
    }
    assert!(
        root.has_attribute("data-painted"),
        "never marked as painted"
    );
    assert_eq!(min_height(&root), "0px");
    drop(handle);
}

#[wasm_bindgen_test]
async fn choosing_a_plan_reports_its_id() {
    let Mounted { root, chosen, .. } = mount(attrs(&[("locale", "en-US")]));
    leptos::task::tick().await;
    let button: HtmlElement = root
        .query_selector("[data-plan=max] [data-testid=choose]")
        .expect("valid selector")
        .expect("the max card has a button")
        .dyn_into()
        .expect("a button is an HtmlElement");
    button.click();
    assert_eq!(chosen.get_untracked(), ["max"]);
}

fn checkout(pairs: &[(&str, &str)]) -> RawAttributes {
    let mut all = vec![
        ("view", "checkout"),
        ("locale", "en-US"),
        ("current-plan", "pro"),
        ("started-at", "2027-02-01T00:00:00Z"),
        ("at", "2027-02-15T00:00:00Z"),
    ];
    all.extend_from_slice(pairs);
    attrs(&all)
}

#[wasm_bindgen_test]
async fn checkout_shows_the_upgrade_lines_with_tax_and_due_now() {
    // Pro to Studio with 14 of 28 days left: -$6.00 + $15.00, 20 % tax $1.80, due $10.80.
    let Mounted { root, previews, .. } = mount(checkout(&[
        ("target-plan", "studio"),
        ("tax-rate-bp", "2000"),
    ]));
    leptos::task::tick().await;
    assert_eq!(
        texts(&root, "[data-testid=line-amount]"),
        ["-$6.00", "$15.00", "$1.80"]
    );
    assert_eq!(texts(&root, "[data-testid=due-now]"), ["$10.80"]);
    let rules = root
        .query_selector_all("[data-testid=explanation]")
        .expect("valid selector");
    assert!(rules.length() > 0, "the preview is explained");
    let events = previews.get_untracked();
    assert_eq!(
        events.last().map(|p| (p.kind, p.due_now_minor)),
        Some(("upgrade", 1080))
    );
}

#[wasm_bindgen_test]
async fn checkout_switches_to_a_downgrade_when_the_target_changes() {
    let Mounted { root, attrs, .. } = mount(checkout(&[("target-plan", "studio")]));
    leptos::task::tick().await;
    attrs.update(|a| a.set("target-plan", Some("free".into())));
    leptos::task::tick().await;
    let kind = root
        .query_selector("[data-testid=change-kind]")
        .expect("valid selector")
        .and_then(|e| e.get_attribute("data-kind"));
    assert_eq!(kind.as_deref(), Some("cancel"));
    assert_eq!(texts(&root, "[data-testid=due-now]"), ["$0.00"]);
}

#[wasm_bindgen_test]
async fn the_editable_form_drives_the_preview() {
    let Mounted { root, .. } = mount(checkout(&[("target-plan", "studio"), ("editable", "")]));
    leptos::task::tick().await;
    let select: web_sys::HtmlSelectElement = root
        .query_selector("[data-testid=field-target-plan]")
        .expect("valid selector")
        .expect("the form has a target plan field")
        .dyn_into()
        .expect("a select");
    select.set_value("max");
    let event = web_sys::Event::new("change").expect("can create an event");
    select.dispatch_event(&event).expect("can dispatch");
    leptos::task::tick().await;
    // Pro to Max with 14 of 28 days left: -$6.00 + $45.00 = $39.00 (-599.5 and 4499.5 round away).
    assert_eq!(texts(&root, "[data-testid=due-now]"), ["$39.00"]);
}

fn support() -> Mounted {
    mount(attrs(&[("view", "support"), ("locale", "en-US")]))
}

fn click(root: &HtmlElement, selector: &str) {
    let button: HtmlElement = root
        .query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .expect("an HtmlElement");
    button.click();
}

fn type_history(root: &HtmlElement, value: &str) -> web_sys::HtmlTextAreaElement {
    let area: web_sys::HtmlTextAreaElement = root
        .query_selector("[data-testid=history]")
        .expect("valid selector")
        .expect("the history field")
        .dyn_into()
        .expect("a textarea");
    area.set_value(value);
    let event = web_sys::Event::new("input").expect("can create an event");
    area.dispatch_event(&event).expect("can dispatch");
    area
}

fn attribute_values(root: &HtmlElement, selector: &str, name: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).expect("valid selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|e| e.get_attribute(name))
        .collect()
}

#[wasm_bindgen_test]
async fn support_starts_empty_and_the_sample_fills_the_timeline() {
    let Mounted { root, .. } = support();
    leptos::task::tick().await;
    assert_eq!(texts(&root, "[data-testid=support-hint]").len(), 1);
    assert!(texts(&root, "[data-testid=timeline-row]").is_empty());
    click(&root, "[data-testid=load-sample]");
    leptos::task::tick().await;
    let kinds = attribute_values(&root, "[data-testid=timeline-row]", "data-kind");
    assert!(kinds.len() > 10, "{kinds:?}");
    assert_eq!(kinds[0], "allowance-reset");
    assert!(kinds.iter().any(|k| k == "refusal"), "{kinds:?}");
    // Free → Pro on 10 Jan 2027 charges the full $11.99 (R-UPGRADE-3), 19 % tax $2.28.
    let amounts = texts(&root, "[data-testid=timeline-amount]");
    assert!(amounts.iter().any(|a| a == "$11.99"), "{amounts:?}");
    assert!(amounts.iter().any(|a| a == "$2.28"), "{amounts:?}");
    // The upgrade to Studio credits 14 of 28 days of Pro: −$6.00.
    assert!(amounts.iter().any(|a| a == "-$6.00"), "{amounts:?}");
    assert_eq!(
        attribute_values(&root, "[data-testid=credits-remaining]", "data-value"),
        ["1348"]
    );
    assert_eq!(
        texts(&root, "[data-testid=credits-remaining]"),
        ["2 of 1,350 used, 1,348 left"]
    );
    assert_eq!(
        attribute_values(&root, "[data-testid=refund-status]", "data-eligible"),
        ["true"]
    );
    assert_eq!(
        attribute_values(&root, "[data-testid=reply-by]", "data-date"),
        ["2027-03-16"]
    );
    let meter: web_sys::Element = root
        .query_selector("meter[data-testid=meter-credits]")
        .expect("valid selector")
        .expect("a credits meter");
    assert_eq!(meter.get_attribute("max").as_deref(), Some("1350"));
    assert_eq!(meter.get_attribute("value").as_deref(), Some("2"));
    assert!(
        root.query_selector("[style]")
            .expect("valid selector")
            .is_none(),
        "no inline styles under a strict CSP"
    );
}

#[wasm_bindgen_test]
async fn invalid_json_shows_a_readable_error_and_keeps_the_field() {
    let Mounted { root, .. } = support();
    leptos::task::tick().await;
    let area = type_history(&root, "{\"at\": 2027");
    leptos::task::tick().await;
    let detail = texts(&root, "[data-testid=error-detail]");
    assert_eq!(detail.len(), 1, "{detail:?}");
    assert!(
        detail[0].starts_with("The account history is not valid ledger JSON"),
        "{detail:?}"
    );
    assert!(detail[0].contains("line 1"), "{detail:?}");
    // The field is the same element: typing does not re-create it.
    let again = root
        .query_selector("[data-testid=history]")
        .expect("valid selector")
        .expect("the history field");
    assert!(
        again.is_same_node(Some(&area)),
        "the textarea was re-created"
    );
    assert_eq!(area.value(), "{\"at\": 2027");
    // Fixing it brings the timeline back.
    type_history(
        &root,
        r#"{"at": "2027-03-15T00:00:00Z",
            "events": [{"type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": "pro"}]}"#,
    );
    leptos::task::tick().await;
    assert!(texts(&root, "[data-testid=error-detail]").is_empty());
    assert_eq!(
        attribute_values(
            &root,
            "[data-testid=timeline-row][data-kind=charge]",
            "data-amount-minor"
        ),
        ["1199", "1199"]
    );
}

#[wasm_bindgen_test]
async fn an_unknown_plan_in_the_history_is_a_readable_error() {
    let Mounted { root, .. } = support();
    leptos::task::tick().await;
    type_history(
        &root,
        r#"{"at": "2027-03-15T00:00:00Z",
            "events": [{"type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": "gold"}]}"#,
    );
    leptos::task::tick().await;
    let detail = texts(&root, "[data-testid=error-detail]");
    assert_eq!(detail.len(), 1, "{detail:?}");
    assert!(detail[0].contains("free, pro, studio, max"), "{detail:?}");
}

#[wasm_bindgen_test]
async fn the_licence_form_checks_the_mau_limit() {
    let Mounted { root, .. } = support();
    leptos::task::tick().await;
    click(&root, "[data-testid=load-sample]");
    leptos::task::tick().await;
    // The sample ends on Studio: Creator licence, streaming releases allowed.
    assert_eq!(
        attribute_values(&root, "[data-testid=licence-result]", "data-allowed"),
        ["true"]
    );
    let select: web_sys::HtmlSelectElement = root
        .query_selector("[data-testid=licence-use]")
        .expect("valid selector")
        .expect("the use field")
        .dyn_into()
        .expect("a select");
    select.set_value("commercial-product");
    select
        .dispatch_event(&web_sys::Event::new("change").expect("an event"))
        .expect("can dispatch");
    let mau: web_sys::HtmlInputElement = root
        .query_selector("[data-testid=licence-mau]")
        .expect("valid selector")
        .expect("the MAU field")
        .dyn_into()
        .expect("an input");
    mau.set_value("100000");
    mau.dispatch_event(&web_sys::Event::new("input").expect("an event"))
        .expect("can dispatch");
    leptos::task::tick().await;
    assert_eq!(
        attribute_values(&root, "[data-testid=licence-result]", "data-allowed"),
        ["false"]
    );
    mau.set_value("99999");
    mau.dispatch_event(&web_sys::Event::new("input").expect("an event"))
        .expect("can dispatch");
    leptos::task::tick().await;
    assert_eq!(
        attribute_values(&root, "[data-testid=licence-result]", "data-allowed"),
        ["true"]
    );
}

#[wasm_bindgen_test]
async fn copy_explanation_copies_or_shows_the_text_selected() {
    let Mounted { root, .. } = support();
    leptos::task::tick().await;
    click(&root, "[data-testid=load-sample]");
    leptos::task::tick().await;
    click(&root, "[data-testid=copy-explanation]");
    let mut state = Vec::new();
    for _ in 0..50 {
        leptos::task::tick().await;
        state = attribute_values(&root, "[data-testid=copy-status]", "data-state");
        if !state.is_empty() {
            break;
        }
        sleep_briefly().await;
    }
    match state.first().map(String::as_str) {
        Some("copied") => {}
        Some("failed") => {
            let area: web_sys::HtmlTextAreaElement = root
                .query_selector("[data-testid=copy-fallback]")
                .expect("valid selector")
                .expect("the fallback text")
                .dyn_into()
                .expect("a textarea");
            let value = area.value();
            assert!(value.contains("[R-UPGRADE-2] "), "{value}");
            assert!(value.contains("[R-REFUND-3] "), "{value}");
        }
        other => panic!("the copy button did nothing: {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn german_support_explains_the_ledger_in_german() {
    let Mounted { root, .. } = mount(attrs(&[("view", "support"), ("locale", "de-DE")]));
    leptos::task::tick().await;
    click(&root, "[data-testid=load-sample]");
    leptos::task::tick().await;
    assert!(
        attribute_values(&root, "[data-testid=timeline-row]", "data-kind").len() > 10,
        "the sample fills the timeline"
    );
    let timeline = texts(&root, ".rc-timeline__why [data-testid=explanation]").join("\n");
    assert!(timeline.contains("Der Antrag ging"), "{timeline}");
    let sentences = texts(&root, "[data-testid=explanation]").join("\n");
    assert!(sentences.contains("Der Antrag ging"), "{sentences}");
    let page = root.text_content().unwrap_or_default();
    assert!(page.contains("Der Antrag ging"), "{page}");
    assert!(!page.contains("The request came"), "{page}");
    let badges = attribute_values(&root, "[data-testid=explanation]", "data-rule");
    assert!(badges.iter().any(|r| r == "R-REFUND-3"), "{badges:?}");
}

/// Waits 20 ms through a `setTimeout` promise.
async fn sleep_briefly() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn german_checkout_explains_and_describes_lines_in_german() {
    // Pro to Studio with 14 of 28 days left, 20 % tax, in German.
    let Mounted { root, .. } = mount(checkout(&[
        ("target-plan", "studio"),
        ("tax-rate-bp", "2000"),
        ("locale", "de-DE"),
    ]));
    leptos::task::tick().await;
    let items: Vec<String> = texts(&root, "tbody [data-testid=line] th");
    assert_eq!(
        items,
        [
            "Gutschrift für ungenutzte Zeit im Tarif Pro",
            "Restlaufzeit im Tarif Studio",
            "Steuer"
        ]
    );
    let sentences = texts(&root, "[data-testid=explanation]").join("\n");
    assert!(
        sentences.contains("Vom Zeitraum waren noch 14 von 28 Tagen übrig"),
        "{sentences}"
    );
    assert!(sentences.contains("6,00\u{a0}$"), "{sentences}");
    assert!(!sentences.contains("Unused time"), "{sentences}");
    assert!(
        !sentences.contains("were left in the period"),
        "{sentences}"
    );
    let page = root.text_content().unwrap_or_default();
    assert!(!page.contains("Unused time"), "{page}");
    assert!(!page.contains("Remaining time"), "{page}");
    let badges = attribute_values(&root, "[data-testid=explanation]", "data-rule");
    assert!(badges.iter().any(|r| r == "R-UPGRADE-2"), "{badges:?}");
}

#[wasm_bindgen_test]
async fn errors_read_in_german_with_a_heading_for_the_view() {
    let Mounted { root, .. } = mount(checkout(&[("target-plan", "gold"), ("locale", "de-DE")]));
    leptos::task::tick().await;
    assert_eq!(
        texts(&root, ".rc-error__title"),
        ["Das lässt sich nicht berechnen"]
    );
    let detail = texts(&root, "[data-testid=error-detail]").join("");
    assert!(
        detail.starts_with("Unbekannte Angabe für Tarif: `gold`; gültige Tarife:"),
        "{detail}"
    );

    let Mounted { root, .. } = mount(attrs(&[("locale", "de-DE"), ("view", "chart")]));
    leptos::task::tick().await;
    let detail = texts(&root, "[data-testid=error-detail]").join("");
    assert_eq!(
        detail,
        "Das Attribut `view` hat den Wert `chart`; erwartet: `tiers`, `checkout` oder `support`"
    );
    assert_eq!(
        texts(&root, ".rc-error__title"),
        ["Diese Preistabelle kann nicht angezeigt werden"]
    );
}

/// Mounts the widget with `api_base` as the server of the account endpoints.
fn mount_with_api(raw: RawAttributes, api_base: &str) -> HtmlElement {
    let root = container();
    let attrs = RwSignal::new(raw);
    let events = HostEvents {
        plan_chosen: Callback::new(|_: String| {}),
        preview_computed: Callback::new(|_: PreviewEvent| {}),
        account_opened: Callback::new(|_: String| {}),
    };
    let browser = BrowserDefaults {
        locale: "en-US".into(),
        time_zone: "UTC".into(),
        now: "2027-02-15T00:00:00Z".parse().expect("valid instant"),
    };
    let api_base = Some(api_base.to_owned());
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <Widget attrs=attrs browser=browser events=events api_base=api_base /> }
    });
    handle.forget();
    root
}

#[wasm_bindgen_test]
async fn without_an_account_the_support_view_offers_a_search_and_the_paste() {
    let Mounted { root, .. } = support();
    leptos::task::tick().await;
    assert_eq!(texts(&root, "[data-testid=account-search-hint]").len(), 1);
    assert!(
        root.query_selector("[data-testid=account-search]")
            .ok()
            .flatten()
            .is_some()
    );
    let paste = root
        .query_selector("[data-testid=paste-history]")
        .ok()
        .flatten()
        .expect("the paste section");
    assert!(paste.has_attribute("open"), "the paste section starts open");
}

#[wasm_bindgen_test]
async fn an_account_on_an_unreachable_server_says_so_instead_of_going_blank() {
    // Nothing listens on port 9 of loopback: the fetch fails without an answer.
    let root = mount_with_api(
        attrs(&[
            ("view", "support"),
            ("locale", "en-US"),
            ("account", "cus_1"),
        ]),
        "http://127.0.0.1:9",
    );
    leptos::task::tick().await;
    assert!(
        root.query_selector("[data-testid=account-search]")
            .ok()
            .flatten()
            .is_none()
    );
    let paste = root
        .query_selector("[data-testid=paste-history]")
        .ok()
        .flatten()
        .expect("the paste section");
    assert!(
        !paste.has_attribute("open"),
        "an opened account folds the paste away"
    );
    let detail = wait_for_texts(
        &root,
        "[data-testid=account-error] [data-testid=error-detail]",
    )
    .await;
    assert!(
        detail[0].starts_with("The server could not be reached"),
        "{detail:?}"
    );
    let kind = root
        .query_selector("[data-testid=account-error]")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("data-kind"));
    assert_eq!(kind.as_deref(), Some("network"));
}
