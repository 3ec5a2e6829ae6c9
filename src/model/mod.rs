//! View models: plain data derived from the rules crate, with no DOM.
//!
//! Numbers and dates are formatted only through [`crate::format`] (the browser's `Intl`,
//! a plain decimal natively): `support.rs` does so for the meters and the plain-text
//! explanation an agent copies; the other models leave formatting to the views.
//!
//! Everything here is tested natively (`cargo test`), so the components stay thin.

pub mod account;
pub mod attrs;
#[cfg(feature = "plan-change")]
pub mod changes;
pub mod checkout;
pub mod json;
pub mod source;
pub mod support;
pub mod tiers;

/// The quoted strings of the array `const NAME = [...]` in `src/embed/loader.js`, for
/// the tests that keep the loader's copies of Rust lists equal to them.
#[cfg(test)]
fn loader_list(name: &str) -> Vec<&'static str> {
    let loader = include_str!("../embed/loader.js");
    let opening = format!("const {name} = [");
    let start = loader
        .find(&opening)
        .unwrap_or_else(|| panic!("the loader has no `{opening}`"));
    let list = &loader[start..];
    let list = &list[..list.find("];").expect("the list ends")];
    list.split('"').skip(1).step_by(2).collect()
}
