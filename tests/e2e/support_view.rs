//! The support demo page: the widget's replay of the sample history equals the API's
//! `/api/v1/ledger` answer for the same history.

use serde_json::{Value, json};

use crate::support::{Error, Fixture, Outcome, ensure, in_widget, screenshot_path, wait_for};

fn decimal(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.abs();
    format!("{sign}{}.{:02}", minor / 100, minor % 100)
}

/// Loads the sample, POSTs the same history to the API, and checks every timeline row
/// (kind and amount), the quotas, the refund position and the prepaid balance.
pub async fn sample_history_matches_the_ledger_api(fixture: &Fixture) -> Outcome {
    let driver = fixture.browser().await?;
    let result = async {
        driver
            .goto(format!("{}/support.html", fixture.base))
            .await?;
        let button = in_widget(0, "[data-testid=load-sample]");
        wait_for(&driver, &format!("return {button};")).await?;
        driver
            .execute(&format!("{button}.click();"), Vec::new())
            .await?;
        let rows_script = "const root = document.querySelector('ratecard-widget').shadowRoot; \
             const rows = [...root.querySelectorAll('[data-testid=timeline-row]')]; \
             return rows.length ? rows.map(r => ({kind: r.dataset.kind, \
               amount: r.dataset.amountMinor ?? null, quantity: r.dataset.quantity ?? null, \
               text: r.querySelector('[data-testid=timeline-amount]').textContent})) : null;";
        let rows = wait_for(&driver, rows_script).await?;
        let rows = rows.as_array().ok_or("the rows are not a list")?;

        let history = wait_for(
            &driver,
            &format!(
                "return {}?.value ?? null;",
                in_widget(0, "[data-testid=history]")
            ),
        )
        .await?;
        let history: Value = serde_json::from_str(history.as_str().ok_or("no history text")?)?;
        let api = fixture.post_json("/api/v1/ledger", &history).await?;
        let timeline = api["timeline"]
            .as_array()
            .ok_or("the API's answer has no timeline")?;

        ensure(
            rows.len() == timeline.len(),
            format!(
                "the widget shows {} timeline rows, the API {}",
                rows.len(),
                timeline.len()
            ),
        )?;
        let mut charges = 0;
        for (i, (row, entry)) in rows.iter().zip(timeline).enumerate() {
            let api_kind = entry["kind"].as_str().unwrap_or_default();
            ensure(
                row["kind"] == api_kind,
                format!("row {i}: widget {}, API {api_kind}", row["kind"]),
            )?;
            let widget_amount = row["amount"].as_str().map(str::parse::<i64>).transpose()?;
            let api_amount = entry["amount_minor"].as_i64();
            ensure(
                widget_amount == api_amount,
                format!("row {i} ({api_kind}): widget {widget_amount:?}, API {api_amount:?}"),
            )?;
            if let Some(minor) = api_amount {
                let shown = row["text"].as_str().unwrap_or_default();
                ensure(
                    shown.contains(&decimal(minor).replace('-', "")),
                    format!("row {i}: the widget shows {shown:?} for {minor} minor units"),
                )?;
                charges += usize::from(api_kind == "charge");
            } else {
                let widget_q = row["quantity"]
                    .as_str()
                    .map(str::parse::<u64>)
                    .transpose()?;
                ensure(
                    widget_q == entry["quantity"].as_u64(),
                    format!(
                        "row {i} ({api_kind}): widget quantity {widget_q:?}, API {}",
                        entry["quantity"]
                    ),
                )?;
            }
        }
        ensure(
            charges >= 3,
            format!("only {charges} charges in the sample"),
        )?;

        let state_script = "const root = document.querySelector('ratecard-widget').shadowRoot; \
             const q = s => root.querySelector(s); \
             return {credits: q('[data-testid=credits-remaining]').dataset.value, \
               uploads: q('[data-testid=uploads-remaining]').dataset.value, \
               eligible: q('[data-testid=refund-status]').dataset.eligible, \
               charge: q('[data-testid=refund-charge]').dataset.amountMinor, \
               reply_by: q('[data-testid=reply-by]').dataset.date, \
               prepaid: q('[data-testid=prepaid-balance]').dataset.value, \
               cap: q('[data-testid=liability-cap]').dataset.amountMinor};";
        let widget = driver
            .execute(state_script, Vec::new())
            .await?
            .json()
            .clone();
        let state = &api["state"];
        let expected = json!({
            "credits": state["credits"]["remaining"].to_string(),
            "uploads": state["upload_seconds"]["remaining"].to_string(),
            "eligible": state["refund"]["eligible"].to_string(),
            "charge": state["refund"]["charge"]["amount_minor"].to_string(),
            "reply_by": state["refund"]["reply_by"],
            "prepaid": state["prepaid"]["balance"].to_string(),
            "cap": state["terms"]["liability_cap_minor"].to_string(),
        });
        ensure(
            widget == expected,
            format!("widget state {widget}, API state {expected}"),
        )?;
        ensure(
            state["credits"]["remaining"]
                .as_u64()
                .is_some_and(|n| n > 0),
            format!("the API's credits: {}", state["credits"]),
        )?;
        // Show the answer rather than the pasted history.
        driver
            .execute(
                &format!(
                    "{}.scrollIntoView({{block: 'start'}});",
                    in_widget(0, "[data-testid=support-state]")
                ),
                Vec::new(),
            )
            .await?;
        driver.screenshot(&screenshot_path("support")?).await?;
        Ok::<(), Error>(())
    }
    .await;
    driver.quit().await?;
    result
}
