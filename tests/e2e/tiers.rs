//! The tier table on the served demo page, checked against the API's numbers.

use serde_json::Value;

use crate::support::{Fixture, Outcome, ensure, in_widget, screenshot_path, wait_for};

fn usd(minor: i64) -> String {
    format!("${}.{:02}", minor / 100, minor % 100)
}

fn plan<'a>(catalogue: &'a Value, id: &str) -> Result<&'a Value, String> {
    catalogue["plans"]
        .as_array()
        .and_then(|plans| plans.iter().find(|p| p["id"] == id))
        .ok_or_else(|| format!("the API's catalogue has no plan `{id}`"))
}

/// The Pro price the widget shows equals the API's `price_minor`, formatted for en-US.
pub async fn pro_price_matches_the_api(fixture: &Fixture) -> Outcome {
    let catalogue = fixture.get_json("/api/v1/catalogues/stable-audio").await?;
    ensure(
        catalogue["currency"] == "USD",
        "the default catalogue is in USD",
    )?;
    let pro = plan(&catalogue, "pro")?;
    let price_minor = pro["price_minor"]
        .as_i64()
        .ok_or("price_minor is not an integer")?;

    let driver = fixture.browser().await?;
    let result = async {
        driver.goto(format!("{}/", fixture.base)).await?;
        let selector = "[data-testid=tier][data-plan=pro] [data-testid=tier-price]";
        let shown = wait_for(
            &driver,
            &format!("return {}?.textContent ?? null;", in_widget(0, selector)),
        )
        .await?;
        ensure(
            shown == usd(price_minor),
            format!("the widget shows {shown} for Pro; the API says {price_minor} minor units"),
        )?;

        let names = driver
            .execute(
                &format!(
                    "return [...{}.querySelectorAll('[data-testid=tier-name]')].map(e => e.textContent);",
                    "document.querySelector('ratecard-widget').shadowRoot"
                ),
                Vec::new(),
            )
            .await?
            .json()
            .clone();
        let api_names: Vec<Value> = catalogue["plans"]
            .as_array()
            .map(|plans| plans.iter().map(|p| p["name"].clone()).collect())
            .unwrap_or_default();
        ensure(
            names == Value::Array(api_names.clone()),
            format!("plan names {names} differ from the API's {api_names:?}"),
        )?;
        // The demo page loads the embed with Subresource Integrity; since the widget
        // rendered, the browser checked the hash of ratecard.js (and the loader the Wasm's).
        let integrity = driver
            .execute(
                "return document.querySelector('script[src=\"ratecard.js\"]')?.integrity ?? null;",
                Vec::new(),
            )
            .await?
            .json()
            .clone();
        ensure(
            integrity.as_str().is_some_and(|i| i.starts_with("sha384-")),
            format!("the demo page's script has no sha384 integrity: {integrity}"),
        )?;
        driver.screenshot(&screenshot_path("tiers")?).await?;
        Ok(())
    }
    .await;
    driver.quit().await?;
    result
}

/// Pressing a plan's button fires `ratecard:plan-selected` on the element with its id.
pub async fn choosing_a_plan_fires_an_event(fixture: &Fixture) -> Outcome {
    let driver = fixture.browser().await?;
    let result = async {
        driver.goto(format!("{}/", fixture.base)).await?;
        driver
            .execute(
                "window.chosen = []; document.addEventListener('ratecard:plan-selected', e => window.chosen.push(e.detail.plan));",
                Vec::new(),
            )
            .await?;
        let button = wait_for(
            &driver,
            &format!(
                "return {};",
                in_widget(0, "[data-plan=studio] [data-testid=choose]")
            ),
        )
        .await?;
        ensure(!button.is_null(), "the studio card has a button")?;
        let element = driver
            .execute(
                &format!("return {};", in_widget(0, "[data-plan=studio] [data-testid=choose]")),
                Vec::new(),
            )
            .await?
            .element()?;
        element.click().await?;
        let chosen = driver.execute("return window.chosen;", Vec::new()).await?;
        ensure(
            chosen.json() == &serde_json::json!(["studio"]),
            format!("expected one event for studio, got {}", chosen.json()),
        )
    }
    .await;
    driver.quit().await?;
    result
}
