//! The Trunk entry point. The widget starts from `ratecard.js`, which calls
//! `ratecard::embed::mount` for every `<ratecard-widget>` element.

fn main() {
    #[cfg(target_arch = "wasm32")]
    ratecard::embed::install_panic_hook();
}
