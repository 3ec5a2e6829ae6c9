//! The 320 px layout checks that the quality and pricing scenarios share: a window 320 px
//! wide, a widget that fits it, and tier cards stacked in one column.

use serde_json::json;
use thirtyfour::prelude::*;

use crate::support::{Outcome, ensure, widget};

/// The narrowest window the widget supports, in CSS pixels.
const NARROW_PX: u32 = 320;

/// Resizes the window to 320 px wide and fails unless the page sees that width.
pub async fn narrow_window(driver: &WebDriver) -> Outcome {
    driver.set_window_rect(0, 0, NARROW_PX, 800).await?;
    let width = driver
        .execute("return window.innerWidth;", Vec::new())
        .await?
        .json()
        .clone();
    ensure(
        width.as_i64().is_some_and(|w| w <= i64::from(NARROW_PX)),
        format!("the window is {width} px wide, not {NARROW_PX}"),
    )
}

/// Fails unless the widget `id` (see [`widget`]) fits the window: no horizontal scroll on
/// the page and nothing in its shadow root wider than the element (the timeline's own
/// scroll box excepted).
pub async fn fits_its_window(driver: &WebDriver, id: &str, what: &str) -> Outcome {
    let overflow = driver
        .execute(
            &format!(
                "const host = {}; const box = host.getBoundingClientRect(); \
                 const wide = [...host.shadowRoot.querySelectorAll('*')] \
                   .filter(e => !e.closest('.rc-timeline__scroll') || e.matches('.rc-timeline__scroll')) \
                   .filter(e => {{ const r = e.getBoundingClientRect(); \
                     return r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5); }}) \
                   .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width)); \
                 return {{ page: document.documentElement.scrollWidth, inner: window.innerWidth, \
                          host: Math.round(box.width), wide: wide.slice(0, 8) }};",
                widget(id)
            ),
            Vec::new(),
        )
        .await?
        .json()
        .clone();
    ensure(
        overflow["page"].as_i64() <= overflow["inner"].as_i64() && overflow["wide"] == json!([]),
        format!("{what} overflows at {} px: {overflow}", overflow["inner"]),
    )
}

/// Fails unless the tier cards of the widget `id` (see [`widget`]) stand in one column.
pub async fn tier_cards_stack(driver: &WebDriver, id: &str) -> Outcome {
    let lefts = driver
        .execute(
            &format!(
                "return [...{}.shadowRoot.querySelectorAll('[data-testid=tier]')] \
                   .map(e => Math.round(e.getBoundingClientRect().left));",
                widget(id)
            ),
            Vec::new(),
        )
        .await?
        .json()
        .clone();
    let lefts = lefts.as_array().cloned().unwrap_or_default();
    ensure(
        lefts.len() > 1 && lefts.iter().all(|l| *l == lefts[0]),
        format!("the tier cards do not stack at 320 px: left edges {lefts:?}"),
    )
}
