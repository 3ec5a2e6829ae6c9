//! The readable message shown instead of a view when something is wrong.

use leptos::prelude::*;

use crate::i18n::{Lang, Msg, text};

/// A message box that says what is wrong, in place of a blank element.
#[component]
pub fn ErrorBox(
    /// The language of the heading.
    lang: Lang,
    /// The heading: the tier table's by default, or a view's own.
    #[prop(default = Msg::ErrorHeading)]
    heading: Msg,
    /// What is wrong, shown as text.
    detail: String,
) -> impl IntoView {
    view! {
        <div class="rc-error" role="alert" data-testid="error">
            <p class="rc-error__title">{text(lang, heading)}</p>
            <p class="rc-error__detail" data-testid="error-detail">{detail}</p>
        </div>
    }
}
