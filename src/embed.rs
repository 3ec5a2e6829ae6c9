//! The JavaScript-facing shell: mounting into a `<ratecard-widget>` element's shadow root.
//!
//! `ratecard.js` (generated from `src/embed/loader.js` at build time) defines the custom
//! element, attaches an open shadow root and calls [`mount`]; attribute changes arrive
//! through [`WidgetHandle::set_attribute`].

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, CustomEvent, CustomEventInit, HtmlElement, ShadowRoot};

use crate::app::{HostEvents, Widget};
use crate::model::account::AccessToken;
use crate::model::attrs::{BrowserDefaults, RawAttributes, attribute_names};
// Adopted by every shadow root (no inline `<style>`, so a strict Content-Security-Policy
// on the host page does not block it).
use crate::stylesheet::STYLESHEET;
use crate::views::checkout::PreviewEvent;
use crate::views::tiers::PlanChoice;
use chrono::DateTime;

/// A mounted widget. Dropping it (or calling [`WidgetHandle::unmount`]) removes the view.
#[wasm_bindgen]
pub struct WidgetHandle {
    attrs: RwSignal<RawAttributes>,
    // Read by the support view only (see `set_access_token`).
    #[cfg_attr(not(feature = "support"), expect(dead_code))]
    access_token: RwSignal<AccessToken>,
    mounted: Option<Box<dyn core::any::Any>>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Passes an attribute change on to the widget; `null` removes the attribute.
    pub fn set_attribute(&self, name: &str, value: Option<String>) {
        self.attrs.update(|a| a.set(name, value));
    }

    /// Sets the support key the support view sends to the server (`Authorization:
    /// Bearer`); `null` or blank clears it. Setting it, even to the same key, loads the
    /// search and the opened account again. The key is never an attribute.
    pub fn set_access_token(&self, key: Option<String>) {
        // Only the support view sends the key; another bundle keeps nothing.
        #[cfg(feature = "support")]
        self.access_token.update(|t| t.set(key));
        #[cfg(not(feature = "support"))]
        let _ = key;
    }

    /// Removes the view from the shadow root.
    pub fn unmount(&mut self) {
        self.mounted = None;
    }
}

/// Mounts the widget into `root`, the shadow root of `host`.
///
/// `options` is an optional object; its `apiBase` (a string such as
/// `https://prices.example`) is the origin that served `ratecard.js`, where catalogue ids
/// that are not built in and stored accounts are fetched from. Without it, the page's own
/// origin is used. Its `accessToken` is the support key (see
/// [`WidgetHandle::set_access_token`]). Its `zonesBase` is the folder of the zone files
/// (see [`crate::fetch::ensure_zone`]); without it, `zones/` at `apiBase`.
///
/// # Errors
///
/// A JavaScript error when the browser refuses to create the stylesheet or the container.
#[wasm_bindgen(js_name = mountWidget)]
pub fn mount(
    host: HtmlElement,
    root: ShadowRoot,
    options: Option<js_sys::Object>,
) -> Result<WidgetHandle, JsValue> {
    let option = |name: &str| {
        options
            .as_ref()
            .and_then(|o| js_sys::Reflect::get(o, &name.into()).ok())
            .and_then(|v| v.as_string())
    };
    let api_base = option("apiBase");
    #[cfg(any(feature = "plan-change", feature = "support"))]
    crate::fetch::set_zones_base(option("zonesBase").unwrap_or_else(|| {
        format!(
            "{}/zones/",
            api_base.clone().unwrap_or_else(crate::app::page_origin)
        )
    }));
    let mut token = AccessToken::default();
    token.set(option("accessToken"));
    let access_token = RwSignal::new(token);
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(STYLESHEET)?;
    root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));

    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let container: HtmlElement = document.create_element("div")?.dyn_into()?;
    container.set_class_name("rc-root");
    root.replace_children_with_node_1(&container);

    let mut raw = RawAttributes::default();
    for name in attribute_names() {
        raw.set(name, host.get_attribute(name));
    }
    let attrs = RwSignal::new(raw);
    let browser = browser_defaults();

    let host_for_events = host.clone();
    // `ratecard:plan-selected` carries the whole choice, so it is sent from `plan_choice`.
    let plan_choice = Callback::new(move |choice: PlanChoice| {
        let detail = js_sys::Object::new();
        let set = |key: &str, value: JsValue| {
            let _ = js_sys::Reflect::set(&detail, &key.into(), &value);
        };
        set("plan", choice.plan.into());
        set("interval", choice.interval.as_str().into());
        set("currency", choice.currency.code().into());
        set("action", choice.action.as_str().into());
        emit(&host_for_events, "ratecard:plan-selected", &detail);
    });
    // Only the checkout view computes previews and only the support view opens accounts:
    // a bundle without them sends neither event and leaves their code out.
    #[cfg(feature = "checkout")]
    let preview_computed = {
        let host = host.clone();
        Callback::new(move |preview: PreviewEvent| {
            emit(&host, "ratecard:preview", &preview_detail(&preview));
        })
    };
    #[cfg(not(feature = "checkout"))]
    let preview_computed = Callback::new(|_: PreviewEvent| {});
    #[cfg(feature = "support")]
    let account_opened = {
        let host = host.clone();
        Callback::new(move |account: String| {
            let detail = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&detail, &"account".into(), &account.into());
            emit(&host, "ratecard:account-opened", &detail);
        })
    };
    #[cfg(not(feature = "support"))]
    let account_opened = Callback::new(|_: String| {});
    let events = HostEvents {
        plan_chosen: Callback::new(|_: String| {}),
        preview_computed,
        account_opened,
    };
    let handle = leptos::mount::mount_to(container.clone(), move || {
        view! {
            <Widget
                attrs=attrs
                browser=browser
                events=events
                api_base=api_base
                access_token=access_token
                plan_choice=plan_choice
            />
        }
    });
    mark_painted_after_first_frame(&container);
    Ok(WidgetHandle {
        attrs,
        access_token,
        mounted: Some(Box::new(handle)),
    })
}

/// Sets `data-painted` on the root once its first frame has been painted, which releases
/// the height reserved by `--ratecard-reserved-height` (see `style/widget.css`).
fn mark_painted_after_first_frame(container: &HtmlElement) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = container.clone();
    let window_inner = window.clone();
    // The callback of the first frame runs before that frame is painted; the second one
    // runs after it.
    let after_paint = Closure::once_into_js(move || {
        let _ = container.set_attribute("data-painted", "");
    });
    let first_frame = Closure::once_into_js(move || {
        let _ = window_inner.request_animation_frame(after_paint.unchecked_ref());
    });
    let _ = window.request_animation_frame(first_frame.unchecked_ref());
}

/// The browser's language, time zone and current instant.
fn browser_defaults() -> BrowserDefaults {
    let locale = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_else(|| "en-US".to_owned());
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    let time_zone = js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_else(|| "UTC".to_owned());
    // `toISOString` gives an exact RFC 3339 instant without going through a float.
    let now = String::from(js_sys::Date::new_0().to_iso_string());
    let now = DateTime::parse_from_rfc3339(&now).unwrap_or_default();
    BrowserDefaults {
        locale,
        time_zone,
        now,
    }
}

/// The `detail` of a `ratecard:preview` event.
#[cfg(feature = "checkout")]
fn preview_detail(preview: &PreviewEvent) -> JsValue {
    let detail = js_sys::Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&detail, &key.into(), &value);
    };
    set("kind", preview.kind.into());
    set("due_now_minor", js_integer(preview.due_now_minor));
    set("currency", preview.currency.into());
    set("interval", preview.interval.into());
    let lines = js_sys::Array::new();
    for (kind, amount_minor, rule) in &preview.lines {
        let line = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&line, &"kind".into(), &kind.into());
        let _ = js_sys::Reflect::set(&line, &"amount_minor".into(), &js_integer(*amount_minor));
        let _ = js_sys::Reflect::set(&line, &"rule".into(), &rule.into());
        lines.push(&line);
    }
    set("lines", lines.into());
    detail.into()
}

/// The largest integer a JavaScript number holds exactly, 2^53 − 1.
#[cfg(feature = "checkout")]
const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// An amount as a JavaScript number when it is exact as one, else as a `BigInt`.
///
/// This is the only place the widget hands an integer to JavaScript as a number. A number
/// is a double, so the conversion is guarded to the range where a double is exact; nothing
/// is computed with it.
#[cfg(feature = "checkout")]
fn js_integer(value: i64) -> JsValue {
    if let Ok(small) = i32::try_from(value) {
        JsValue::from(small)
    } else if value.unsigned_abs() <= MAX_SAFE_INTEGER.unsigned_abs() {
        #[allow(clippy::cast_precision_loss)]
        JsValue::from_f64(value as f64)
    } else {
        JsValue::from(value)
    }
}

/// Dispatches a bubbling, composed `CustomEvent` on the host element.
fn emit(host: &HtmlElement, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}

/// Installs the panic hook once, so a panic is reported in the console.
pub fn install_panic_hook() {
    console_error_panic_hook::set_once();
}
