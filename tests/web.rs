//! Component tests in headless Chromium (`wasm-bindgen-test`): the widget mounted into a
//! real DOM, queried by `data-testid`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use ratecard::app::{HostEvents, Widget};
use ratecard::model::attrs::RawAttributes;
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

fn mount(raw: RawAttributes) -> (HtmlElement, RwSignal<RawAttributes>, RwSignal<Vec<String>>) {
    let root = container();
    let attrs = RwSignal::new(raw);
    let chosen = RwSignal::new(Vec::new());
    let events = HostEvents {
        plan_chosen: Callback::new(move |plan: String| chosen.update(|c| c.push(plan))),
    };
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <Widget attrs=attrs browser_locale="en-US".to_owned() events=events /> }
    });
    handle.forget();
    (root, attrs, chosen)
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
    let (root, _, _) = mount(attrs(&[("locale", "en-US")]));
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
    let (root, _, _) = mount(attrs(&[("locale", "de-DE")]));
    leptos::task::tick().await;
    let prices = texts(&root, "[data-testid=tier-price]");
    assert_eq!(prices[1], "11,99\u{a0}$");
    let credits = texts(&root, "[data-testid=tier-credits]");
    assert_eq!(credits[2], "1.350 Credits pro Monat");
}

#[wasm_bindgen_test]
async fn changing_an_attribute_updates_the_view() {
    let (root, attrs_signal, _) = mount(attrs(&[("locale", "en-US")]));
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
    let (root, _, _) = mount(attrs(&[("catalogue", "platinum")]));
    leptos::task::tick().await;
    let detail = texts(&root, "[data-testid=error-detail]");
    assert_eq!(detail.len(), 1);
    assert!(detail[0].contains("unknown catalogue `platinum`"), "{detail:?}");
}

#[wasm_bindgen_test]
async fn choosing_a_plan_reports_its_id() {
    let (root, _, chosen) = mount(attrs(&[("locale", "en-US")]));
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
