//! The checkout demo page: the widget's preview equals the API's for the same input.

use serde_json::{Value, json};

use crate::support::{Fixture, Outcome, ensure, in_widget, screenshot_path, wait_for};

const AT: &str = "2026-02-10T09:00:00Z";

fn decimal(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.abs();
    format!("{sign}{}.{:02}", minor / 100, minor % 100)
}

async fn api_preview(fixture: &Fixture, to_plan: &str) -> Result<Value, crate::support::Error> {
    let request = json!({
        "subscription": {
            "plan": "pro",
            "started_at": "2026-01-31T09:00:00Z",
            "time_zone": "Europe/London"
        },
        "to_plan": to_plan,
        "at": AT,
        "tax_rate_bp": 2000
    });
    let path = if to_plan == "free" {
        "/api/v1/previews/cancel"
    } else {
        "/api/v1/previews/upgrade"
    };
    fixture.post_json(path, &request).await
}

/// Due now and every line, for Studio and then Max, match the API; the host hears the
/// same amounts through `ratecard:preview`.
pub async fn upgrade_preview_matches_the_api(fixture: &Fixture) -> Outcome {
    let driver = fixture.browser().await?;
    let result = async {
        driver
            .goto(format!("{}/checkout.html", fixture.base))
            .await?;
        wait_for(
            &driver,
            &format!("return {};", in_widget(0, "[data-testid=checkout]")),
        )
        .await?;
        driver
            .execute(
                &format!(
                    "window.previews = []; const w = document.getElementById('checkout'); \
                     w.addEventListener('ratecard:preview', e => window.previews.push(e.detail)); \
                     w.setAttribute('at', '{AT}');"
                ),
                Vec::new(),
            )
            .await?;
        for plan in ["studio", "max"] {
            driver
                .execute(
                    &format!("document.querySelector('input[value={plan}]').click();"),
                    Vec::new(),
                )
                .await?;
            let api = api_preview(fixture, plan).await?;
            let due = api["due_now"]["amount_minor"]
                .as_i64()
                .ok_or("the API's due_now has no amount_minor")?;
            let event = wait_for(
                &driver,
                &format!(
                    "const p = window.previews.filter(p => p.lines.length > 0).at(-1); \
                     return p && p.due_now_minor === {due} ? p : null;"
                ),
            )
            .await;
            let event = match event {
                Ok(event) => event,
                Err(e) => {
                    let seen = driver
                        .execute("return window.previews;", Vec::new())
                        .await?;
                    return Err(format!("{e}; the widget reported {}", seen.json()).into());
                }
            };
            let api_lines: Vec<i64> = api["lines"]
                .as_array()
                .map(|lines| {
                    lines
                        .iter()
                        .filter_map(|l| l["amount_minor"].as_i64())
                        .collect()
                })
                .unwrap_or_default();
            let widget_lines: Vec<i64> = event["lines"]
                .as_array()
                .map(|lines| {
                    lines
                        .iter()
                        .filter_map(|l| l["amount_minor"].as_i64())
                        .collect()
                })
                .unwrap_or_default();
            ensure(
                widget_lines == api_lines,
                format!("{plan}: widget lines {widget_lines:?}, API lines {api_lines:?}"),
            )?;
            let shown = wait_for(
                &driver,
                &format!(
                    "return {}?.textContent ?? null;",
                    in_widget(0, "[data-testid=due-now]")
                ),
            )
            .await?;
            let shown = shown.as_str().unwrap_or_default();
            ensure(
                shown.contains(&decimal(due)),
                format!("{plan}: the widget shows {shown}; the API says {due} minor units"),
            )?;
        }
        driver.screenshot(&screenshot_path("checkout")?).await?;
        Ok(())
    }
    .await;
    driver.quit().await?;
    result
}
