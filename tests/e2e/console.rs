//! The support console with stored accounts: an agent signs in with a support key on
//! `support.html`, searches by email, opens the account and reads the refund position
//! the widget computed in Wasm; it equals the server's
//! `GET /api/v1/accounts/{id}/ledger`. A wrong key shows the 401 message.

use serde_json::{Value, json};
use thirtyfour::prelude::*;

use crate::support::{
    E2E_ACCOUNT, E2E_EMAIL, E2E_NAME, Error, Fixture, Outcome, ensure, in_element, screenshot_path,
    wait_for,
};

/// Opens the console and waits until the widget's search is running.
async fn open_console(fixture: &Fixture, driver: &WebDriver) -> Outcome {
    driver
        .goto(format!("{}/support.html", fixture.base))
        .await?;
    wait_for(
        driver,
        &format!(
            "return {};",
            in_element("support", "[data-testid=account-search]")
        ),
    )
    .await?;
    Ok(())
}

/// Types `key` into the page's sign-in field and submits it.
async fn sign_in(driver: &WebDriver, key: &str) -> Outcome {
    let field = driver.find(By::Css("[data-testid=signin-key]")).await?;
    field.send_keys(key).await?;
    driver
        .find(By::Css("[data-testid=signin-submit]"))
        .await?
        .click()
        .await?;
    Ok(())
}

/// Types `query` into the widget's search field and submits the search.
async fn search(driver: &WebDriver, query: &str) -> Outcome {
    let script = format!(
        "const root = document.getElementById('support').shadowRoot; \
         const input = root.querySelector('[data-testid=account-search]'); \
         input.focus(); input.value = {query:?}; \
         input.dispatchEvent(new Event('input', {{bubbles: true, composed: true}})); \
         root.querySelector('[data-testid=account-search-submit]').click();"
    );
    driver.execute(&script, Vec::new()).await?;
    Ok(())
}

pub async fn agent_signs_in_searches_and_reads_a_refund(fixture: &Fixture) -> Outcome {
    let driver = fixture.browser().await?;
    let result = async {
        open_console(fixture, &driver).await?;
        driver
            .execute(
                "window.__opened = []; document.getElementById('support')\
                 .addEventListener('ratecard:account-opened', e => window.__opened.push(e.detail.account));",
                Vec::new(),
            )
            .await?;
        sign_in(&driver, &fixture.support_key).await?;
        // Search by part of the email.
        search(&driver, &E2E_EMAIL[..E2E_EMAIL.find('@').unwrap_or(4)]).await?;
        let ids = wait_for(
            &driver,
            "const root = document.getElementById('support').shadowRoot; \
             const found = [...root.querySelectorAll('[data-testid=account-result]')]; \
             return found.length ? found.map(b => b.dataset.accountId) : null;",
        )
        .await?;
        ensure(
            ids == json!([E2E_ACCOUNT]),
            format!("the search found {ids}"),
        )?;
        driver
            .execute(
                &format!(
                    "{}.click();",
                    in_element("support", "[data-testid=account-result]")
                ),
                Vec::new(),
            )
            .await?;

        let report = "const root = document.getElementById('support').shadowRoot; \
             const q = s => root.querySelector('[data-testid=account-report] ' + s); \
             const status = q('[data-testid=refund-status]'); \
             const error = q('[data-testid=error-detail]'); \
             if (error) return {error: error.textContent}; \
             if (!status) return null; \
             return {eligible: status.dataset.eligible ?? null, \
               charge: q('[data-testid=refund-charge]')?.dataset.amountMinor ?? null, \
               reply_by: q('[data-testid=reply-by]')?.dataset.date ?? null, \
               rows: root.querySelectorAll('[data-testid=account-report] [data-testid=timeline-row]').length, \
               id: q('[data-testid=account-id]').textContent, \
               name: q('[data-testid=account-name]').textContent, \
               email: q('[data-testid=account-email]').textContent, \
               plan: q('[data-testid=account-plan]').dataset.plan ?? null};";
        let widget = wait_for(&driver, report).await?;
        ensure(
            widget.get("error").is_none(),
            format!("the widget shows an error: {widget}"),
        )?;

        let api = fixture
            .send_with_key(
                reqwest::Method::GET,
                &format!("/api/v1/accounts/{E2E_ACCOUNT}/ledger"),
                &fixture.support_key,
                None,
            )
            .await?;
        let refund = &api["state"]["refund"];
        ensure(
            refund.is_object(),
            format!("the server's ledger has no refund state: {}", api["state"]),
        )?;
        let expected = json!({
            "eligible": refund["eligible"].to_string(),
            "charge": refund["charge"]["amount_minor"].to_string(),
            "reply_by": refund["reply_by"],
            "rows": api["timeline"].as_array().map_or(0, Vec::len),
            "id": E2E_ACCOUNT,
            "name": E2E_NAME,
            "email": E2E_EMAIL,
            "plan": api["state"]["plan"],
        });
        ensure(
            widget == expected,
            format!("the widget shows {widget}, the server's ledger says {expected}"),
        )?;

        let opened = driver
            .execute("return window.__opened;", Vec::new())
            .await?
            .json()
            .clone();
        ensure(
            opened == json!([E2E_ACCOUNT]),
            format!("ratecard:account-opened fired with {opened}"),
        )?;

        // The key is in no attribute, no storage and no URL.
        let leaks = driver
            .execute(
                "const key = arguments[0]; \
                 const html = document.documentElement.outerHTML; \
                 const widget = document.getElementById('support'); \
                 const attrs = [...widget.attributes].map(a => a.value).join(' '); \
                 return {html: html.includes(key), attrs: attrs.includes(key), \
                   local: JSON.stringify({...localStorage}).includes(key), \
                   session: JSON.stringify({...sessionStorage}).includes(key), \
                   url: location.href.includes(key), \
                   attribute: widget.hasAttribute('access-token')};",
                vec![Value::String(fixture.support_key.clone())],
            )
            .await?
            .json()
            .clone();
        ensure(
            leaks
                .as_object()
                .is_some_and(|o| o.values().all(|v| v == &json!(false))),
            format!("the key leaked: {leaks}"),
        )?;
        driver
            .execute(
                &format!(
                    "{}.scrollIntoView({{block: 'start'}});",
                    in_element("support", "[data-testid=account-header]")
                ),
                Vec::new(),
            )
            .await?;
        driver.screenshot(&screenshot_path("console")?).await?;

        // Signing out drops the account: the widget asks again without a key and says so.
        driver
            .find(By::Css("[data-testid=signout]"))
            .await?
            .click()
            .await?;
        let kind = wait_for(
            &driver,
            &format!(
                "return {}?.dataset.kind ?? null;",
                in_element("support", "[data-testid=account-report] [data-testid=account-error]")
            ),
        )
        .await?;
        ensure(
            kind == "401",
            format!("after signing out the widget shows {kind}"),
        )?;
        Ok::<(), Error>(())
    }
    .await;
    driver.quit().await?;
    result
}

pub async fn a_wrong_key_shows_the_401_message(fixture: &Fixture) -> Outcome {
    let driver = fixture.browser().await?;
    let result = async {
        open_console(fixture, &driver).await?;
        sign_in(&driver, "rk_not_a_real_key").await?;
        search(&driver, "ada").await?;
        let shown = wait_for(
            &driver,
            &format!(
                "const box = {}; return box ? {{kind: box.dataset.kind, \
                   text: box.querySelector('[data-testid=error-detail]').textContent}} : null;",
                in_element("support", "[data-testid=account-error]")
            ),
        )
        .await?;
        ensure(
            shown["kind"] == "401",
            format!("a wrong key shows {shown}"),
        )?;
        let text = shown["text"].as_str().unwrap_or_default();
        ensure(
            text == "The support key was refused (401): sign in again with a valid key.",
            format!("the 401 message reads {text:?}"),
        )?;
        // An ingest key is a key of the wrong role: 403, with its own message.
        driver
            .execute(
                "document.getElementById('support').accessToken = arguments[0];",
                vec![Value::String(fixture.ingest_key.clone())],
            )
            .await?;
        let kind = wait_for(
            &driver,
            &format!(
                "const box = {}; return box && box.dataset.kind !== '401' ? box.dataset.kind : null;",
                in_element("support", "[data-testid=account-error]")
            ),
        )
        .await?;
        ensure(kind == "403", format!("an ingest key shows {kind}"))?;

        // `mount()` takes the key as an option and keeps it a property: an
        // `access-token` attribute is neither written nor read.
        let mounted = driver
            .execute(
                "return import(new URL('ratecard.js', location.href).href).then(m => { \
                   const el = m.mount(document.body.appendChild(document.createElement('div')), \
                     {view: 'support', accessToken: 'rk_from_mount'}); \
                   const before = el.hasAttribute('access-token'); \
                   el.setAttribute('access-token', 'rk_from_attribute'); \
                   return {property: el.accessToken, attribute: before}; });",
                Vec::new(),
            )
            .await?
            .json()
            .clone();
        ensure(
            mounted == json!({"property": "rk_from_mount", "attribute": false}),
            format!("mount() with accessToken gave {mounted}"),
        )?;
        Ok::<(), Error>(())
    }
    .await;
    driver.quit().await?;
    result
}
