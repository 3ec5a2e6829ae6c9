//! A bare Leptos counter: the size floor for the widget payload.

use leptos::prelude::*;

/// One button that counts its clicks.
#[component]
fn Counter() -> impl IntoView {
    let (count, set_count) = signal(0);
    view! {
        <button on:click=move |_| set_count.update(|n| *n += 1)>
            "Clicked " {count} " times"
        </button>
    }
}

fn main() {
    mount_to_body(Counter);
}
