//! # ratecard widget
//!
//! The embeddable pricing widget: a `<ratecard-widget>` custom element whose numbers all
//! come from [`ratecard_rules`], computed in the browser.
//!
//! * [`model`]: plain view models derived from the rules crate, tested natively.
//! * [`fetch`]: the browser `fetch` of a remote catalogue.
//! * [`format`]: amounts, counts and durations through the browser's `Intl`.
//! * [`i18n`]: every string, in English and German.
//! * [`views`] and [`app`]: Leptos components that arrange the view models.
//! * [`stylesheet`]: the views' styles as the Wasm carries them.
//! * `embed` (wasm32 only): the JavaScript-facing `mount` and the element's handle.

pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod embed;
pub mod fetch;
pub mod format;
pub mod i18n;
pub mod model;
pub mod stylesheet;
pub mod views;

// The model tests marked `wasm_bindgen_test` as well as `test` (the JSON readers, whose
// Wasm side is the browser's `JSON.parse`) run in headless Chromium too.
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
