//! The widget embedded in plain host pages (`tests/e2e/host/`) served from another origin
//! than `ratecard-server`: every view, two instances, a themed host, hostile catalogue
//! names, broken inputs, keyboard-only use, and the CORS allow-list.

use std::time::Duration;

use serde_json::{Value, json};
use thirtyfour::prelude::*;

use crate::support::{Error, Fixture, Outcome, ensure, in_element, screenshot_path, wait_for};

fn decimal(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.abs();
    format!("{sign}{}.{:02}", minor / 100, minor % 100)
}

/// Waits for the text of `selector` inside element `id`'s shadow root.
async fn text_in(driver: &WebDriver, id: &str, selector: &str) -> Result<String, Error> {
    let value = wait_for(
        driver,
        &format!("return {}?.textContent ?? null;", in_element(id, selector)),
    )
    .await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

/// The texts of every match of `selector` inside element `id`'s shadow root.
async fn texts_in(driver: &WebDriver, id: &str, selector: &str) -> Result<Value, Error> {
    Ok(driver
        .execute(
            &format!(
                "const root = document.getElementById({id:?})?.shadowRoot; \
                 return root ? [...root.querySelectorAll({selector:?})].map(e => e.textContent) : [];"
            ),
            Vec::new(),
        )
        .await?
        .json()
        .clone())
}

/// Waits until the texts of `selector` in element `id` equal `expected`.
async fn wait_texts(driver: &WebDriver, id: &str, selector: &str, expected: &Value) -> Outcome {
    let script = format!(
        "const root = document.getElementById({id:?})?.shadowRoot; \
         const texts = root ? [...root.querySelectorAll({selector:?})].map(e => e.textContent) : []; \
         return JSON.stringify(texts) === {:?} ? texts : null;",
        expected.to_string()
    );
    match wait_for(driver, &script).await {
        Ok(_) => Ok(()),
        Err(e) => {
            let seen = texts_in(driver, id, selector).await?;
            Err(format!("{id} {selector}: expected {expected}, saw {seen} ({e})").into())
        }
    }
}

async fn element(driver: &WebDriver, id: &str) -> Result<WebElement, Error> {
    Ok(driver.find(By::Id(id)).await?)
}

/// Runs `body` with a fresh browser and always quits it.
async fn with_browser<F>(fixture: &Fixture, body: F) -> Outcome
where
    F: AsyncFnOnce(&WebDriver) -> Outcome,
{
    let driver = fixture.browser().await?;
    let result = body(&driver).await;
    driver.quit().await?;
    result
}

/// Tiers, checkout and support on one page of another origin: their numbers match the API.
pub async fn all_views_render_on_a_cross_origin_page(fixture: &Fixture) -> Outcome {
    let catalogue = fixture.get_json("/api/v1/catalogues/stable-audio").await?;
    let pro_minor = catalogue["plans"]
        .as_array()
        .and_then(|plans| plans.iter().find(|p| p["id"] == "pro"))
        .and_then(|p| p["price_minor"].as_i64())
        .ok_or("the API has no Pro price")?;
    let preview = fixture
        .post_json(
            "/api/v1/previews/upgrade",
            &json!({
                "subscription": {
                    "plan": "pro",
                    "started_at": "2026-01-31T09:00:00Z",
                    "time_zone": "Europe/London"
                },
                "to_plan": "studio",
                "at": "2026-02-10T09:00:00Z",
                "tax_rate_bp": 2000
            }),
        )
        .await?;
    let due_minor = preview["due_now"]["amount_minor"]
        .as_i64()
        .ok_or("the API's preview has no due_now")?;

    with_browser(fixture, async |driver| {
        driver
            .goto(format!("{}/all-views.html", fixture.host))
            .await?;
        let origin = driver
            .execute("return location.origin;", Vec::new())
            .await?
            .json()
            .clone();
        ensure(
            origin == fixture.host.as_str() && fixture.host != fixture.base,
            format!(
                "the host page is on {origin}, the server on {}",
                fixture.base
            ),
        )?;

        let price = text_in(
            driver,
            "tiers",
            "[data-testid=tier][data-plan=pro] [data-testid=tier-price]",
        )
        .await?;
        ensure(
            price == format!("${}", decimal(pro_minor)),
            format!("tiers: Pro shows {price}; the API says {pro_minor} minor units"),
        )?;

        let due = text_in(driver, "checkout", "[data-testid=due-now]").await?;
        ensure(
            due.contains(&decimal(due_minor)),
            format!("checkout: due now shows {due}; the API says {due_minor} minor units"),
        )?;

        let load = in_element("support", "[data-testid=load-sample]");
        wait_for(driver, &format!("return {load};")).await?;
        driver
            .execute(&format!("{load}.click();"), Vec::new())
            .await?;
        let rows = wait_for(
            driver,
            "const n = document.getElementById('support').shadowRoot \
               .querySelectorAll('[data-testid=timeline-row]').length; return n > 0 ? n : null;",
        )
        .await?;
        let history = wait_for(
            driver,
            &format!(
                "return {}?.value ?? null;",
                in_element("support", "[data-testid=history]")
            ),
        )
        .await?;
        let history: Value = serde_json::from_str(history.as_str().ok_or("no history text")?)?;
        let ledger = fixture.post_json("/api/v1/ledger", &history).await?;
        let api_rows = ledger["timeline"].as_array().map_or(0, Vec::len);
        ensure(
            rows.as_u64() == Some(api_rows as u64),
            format!("support: the widget shows {rows} rows, the API's timeline {api_rows}"),
        )?;

        for (id, name) in [
            ("tiers", "cross-origin-tiers"),
            ("checkout", "cross-origin-checkout"),
            ("support", "cross-origin-support"),
        ] {
            let widget = element(driver, id).await?;
            widget.scroll_into_view().await?;
            widget.screenshot(&screenshot_path(name)?).await?;
        }
        Ok(())
    })
    .await
}

/// Two widgets on one page: a change to one leaves the other as it was.
pub async fn two_instances_work_independently(fixture: &Fixture) -> Outcome {
    with_browser(fixture, async |driver| {
        driver.goto(format!("{}/two.html", fixture.host)).await?;
        let stock = json!(["Free", "Pro", "Studio", "Max"]);
        // The second loads a JSON catalogue by a URL relative to the host page.
        let hosted = json!(["Starter", "Band", "Label", "Network"]);
        wait_texts(driver, "first", "[data-testid=tier-name]", &stock).await?;
        wait_texts(driver, "second", "[data-testid=tier-name]", &hosted).await?;
        let band = "[data-testid=tier][data-plan=pro] [data-testid=tier-price]";
        ensure(
            text_in(driver, "second", band).await? == "$15.00",
            "the second widget shows the host catalogue's price",
        )?;

        driver
            .execute(
                "document.getElementById('first').setAttribute('locale', 'de-DE'); \
                 document.getElementById('second').setAttribute('current-plan', 'studio');",
                Vec::new(),
            )
            .await?;
        wait_texts(
            driver,
            "first",
            "[data-testid=tier][data-plan=pro] [data-testid=tier-price]",
            // de-DE also brings the region DE, so euros (R-CURRENCY-2).
            &json!(["10,99\u{a0}€"]),
        )
        .await?;
        wait_texts(
            driver,
            "second",
            "[data-testid=tier][data-plan=studio] [data-testid=current-badge]",
            &json!(["Current plan"]),
        )
        .await?;
        ensure(
            text_in(driver, "second", band).await? == "$15.00",
            "changing the first widget's locale changed the second's prices",
        )?;
        let first_badges = texts_in(driver, "first", "[data-testid=current-badge]").await?;
        ensure(
            first_badges == json!([]),
            format!("the first widget shows a current plan it was never given: {first_badges}"),
        )?;

        // Switching the second to a catalogue on the server keeps its previous render on
        // screen while the new one loads (a <Transition>), rather than a loading box.
        driver
            .execute(
                "const root = document.getElementById('second').shadowRoot; \
                 window.blankOrLoading = 0; \
                 new MutationObserver(() => { \
                   if (root.querySelector('[data-testid=loading]') \
                       || !root.querySelector('[data-testid=tier-name]')) window.blankOrLoading += 1; \
                 }).observe(root, {subtree: true, childList: true, characterData: true}); \
                 document.getElementById('second').setAttribute('catalogue', 'hostile');",
                Vec::new(),
            )
            .await?;
        wait_texts(
            driver,
            "second",
            "[data-testid=tier][data-plan=max] [data-testid=tier-name]",
            &json!(["Max"]),
        )
        .await?;
        wait_texts(
            driver,
            "second",
            "[data-testid=tier][data-plan=pro] [data-testid=tier-price]",
            &json!(["$11.99"]),
        )
        .await?;
        let blank = driver
            .execute("return window.blankOrLoading;", Vec::new())
            .await?
            .json()
            .clone();
        ensure(
            blank == json!(0),
            format!("the second widget went blank or showed loading {blank} times"),
        )
    })
    .await
}

/// A trap in the Wasm (a panic, with `panic = "abort"`) kills the one instance every
/// widget shares: each of them, and any added later, shows the readable failure shell,
/// and the page keeps working. The trap is raised as the browser reports one from a
/// widget's event handler: an `error` event on `window` carrying a
/// `WebAssembly.RuntimeError`.
pub async fn a_trap_marks_every_widget_as_failed(fixture: &Fixture) -> Outcome {
    with_browser(fixture, async |driver| {
        driver.goto(format!("{}/two.html", fixture.host)).await?;
        for id in ["first", "second"] {
            text_in(driver, id, "[data-testid=tier-name]").await?;
        }
        driver
            .execute(
                "window.dispatchEvent(new ErrorEvent('error', \
                   {error: new WebAssembly.RuntimeError('unreachable'), message: 'unreachable'})); \
                 const late = document.createElement('ratecard-widget'); \
                 late.id = 'late'; document.body.append(late);",
                Vec::new(),
            )
            .await?;
        for id in ["first", "second", "late"] {
            let message = text_in(driver, id, "[data-testid=error]").await?;
            ensure(
                message.contains("stopped") && message.contains("unreachable"),
                format!("{id}: the failure shell says `{message}`"),
            )?;
            let names = texts_in(driver, id, "[data-testid=tier-name]").await?;
            ensure(
                names == json!([]),
                format!("{id}: a dead widget still shows {names}"),
            )?;
        }
        let title = driver.execute("return document.title;", Vec::new()).await?;
        ensure(
            title.json() == "Two widgets on one page",
            "the page stopped answering",
        )
    })
    .await
}

/// A host that themes through the documented custom properties; its own element styles
/// do not leak in.
pub async fn a_host_page_themes_the_widget(fixture: &Fixture) -> Outcome {
    with_browser(fixture, async |driver| {
        driver.goto(format!("{}/themed.html", fixture.host)).await?;
        let style = wait_for(
            driver,
            "const b = document.querySelector('ratecard-widget')?.shadowRoot \
               ?.querySelector('[data-testid=choose]'); \
             if (!b) return null; const s = getComputedStyle(b); \
             const card = getComputedStyle(b.closest('[data-testid=tier]')); \
             return {background: s.backgroundColor, color: s.color, font: s.fontFamily, \
                     radius: card.borderTopLeftRadius, border: card.borderTopColor};",
        )
        .await?;
        ensure(
            style["background"] == "rgb(0, 90, 60)",
            format!(
                "the button background is {}, not the host's --ratecard-accent",
                style["background"]
            ),
        )?;
        ensure(
            style["color"] == "rgb(255, 255, 255)",
            format!("the button text is {}", style["color"]),
        )?;
        ensure(
            style["font"]
                .as_str()
                .unwrap_or_default()
                .contains("Georgia"),
            format!(
                "the font is {}, not the host's --ratecard-font",
                style["font"]
            ),
        )?;
        ensure(
            style["radius"] == "2px" && style["border"] == "rgb(120, 100, 70)",
            format!("the card is {style}"),
        )?;
        driver.screenshot(&screenshot_path("themed-host")?).await?;
        Ok(())
    })
    .await
}

/// A server catalogue whose plan names are markup renders them as literal text, and no
/// script of theirs runs.
pub async fn injected_names_render_as_text(fixture: &Fixture) -> Outcome {
    let catalogue = fixture.get_json("/api/v1/catalogues/hostile").await?;
    let names: Vec<Value> = catalogue["plans"]
        .as_array()
        .map(|plans| plans.iter().map(|p| p["name"].clone()).collect())
        .unwrap_or_default();
    ensure(
        names.first() == Some(&json!("<img src=x onerror=\"window.pwned=1\">"))
            && names.get(1) == Some(&json!("</script><script>window.pwned=2</script>")),
        format!("the fixture catalogue has the names {names:?}"),
    )?;
    with_browser(fixture, async |driver| {
        driver
            .goto(format!("{}/hostile.html", fixture.host))
            .await?;
        let script = "const root = document.querySelector('ratecard-widget')?.shadowRoot; \
             const names = root ? [...root.querySelectorAll('[data-testid=tier-name]')] \
               .map(e => e.textContent) : []; return names.length ? names : null;";
        let shown = wait_for(driver, script).await?;
        ensure(
            shown == Value::Array(names.clone()),
            format!("the widget shows {shown}; the catalogue says {names:?}"),
        )?;
        // Give an injected `onerror` time to fire, had an <img> been created.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let state = driver
            .execute(
                "const root = document.querySelector('ratecard-widget').shadowRoot; \
                 return {pwned: typeof window.pwned, \
                         elements: root.querySelectorAll('img, script').length \
                           + document.querySelectorAll('img').length};",
                Vec::new(),
            )
            .await?
            .json()
            .clone();
        ensure(
            state == json!({"pwned": "undefined", "elements": 0}),
            format!("the names were interpreted as markup: {state}"),
        )
    })
    .await
}

/// A 404 catalogue URL, a catalogue of the wrong shape, an absurd attribute and a server
/// that is down each say what is wrong inside the widget; the host page keeps working.
pub async fn broken_inputs_show_messages_and_the_host_keeps_working(fixture: &Fixture) -> Outcome {
    with_browser(fixture, async |driver| {
        driver.goto(format!("{}/broken.html", fixture.host)).await?;
        for (id, expected) in [
            ("missing", vec!["missing.json", "HTTP 404"]),
            (
                "wrong-shape",
                vec!["invalid catalogue", "wrong-shape.json", "plans"],
            ),
            ("absurd", vec!["tax-rate-bp", "-99999999999999999999"]),
            ("down", vec!["could not be fetched", fixture.dead.as_str()]),
        ] {
            let detail = text_in(driver, id, "[data-testid=error] [data-testid=error-detail]")
                .await
                .map_err(|e| format!("{id}: no error message: {e}"))?;
            for part in expected {
                ensure(
                    detail.contains(part),
                    format!("{id}: the message `{detail}` does not mention `{part}`"),
                )?;
            }
        }
        let button = element(driver, "host-button").await?;
        button.click().await?;
        button.click().await?;
        let count = element(driver, "host-count").await?.text().await?;
        ensure(
            count == "2",
            format!("the host's own button counted {count} clicks, not 2"),
        )
    })
    .await
}

/// Tab from the top of the page reaches a plan button with a visible focus ring; Enter
/// chooses that plan.
pub async fn keyboard_only_reaches_and_chooses_a_plan(fixture: &Fixture) -> Outcome {
    with_browser(fixture, async |driver| {
        driver.goto(format!("{}/keyboard.html", fixture.host)).await?;
        wait_for(
            driver,
            "return document.querySelector('ratecard-widget')?.shadowRoot \
               ?.querySelector('[data-testid=choose]') ?? null;",
        )
        .await?;
        driver
            .execute(
                "window.chosen = []; \
                 document.addEventListener('ratecard:plan-selected', e => window.chosen.push(e.detail.plan));",
                Vec::new(),
            )
            .await?;
        let focused_script = "const host = document.activeElement; \
             const inner = host?.shadowRoot?.activeElement; \
             if (host?.localName !== 'ratecard-widget' || inner?.dataset.testid !== 'choose') return null; \
             const s = getComputedStyle(inner); \
             return {plan: inner.closest('[data-plan]')?.dataset.plan ?? null, \
                     visible: inner.matches(':focus-visible'), \
                     outline: s.outlineStyle, width: s.outlineWidth};";
        let mut focused = Value::Null;
        for _ in 0..10 {
            driver.action_chain().send_keys(Key::Tab).perform().await?;
            focused = driver.execute(focused_script, Vec::new()).await?.json().clone();
            if !focused.is_null() {
                break;
            }
        }
        ensure(!focused.is_null(), "ten Tabs never reached a plan button")?;
        ensure(
            focused["visible"] == true
                && focused["outline"] != "none"
                && focused["width"] != "0px",
            format!("the focused plan button shows no focus ring: {focused}"),
        )?;
        let plan = focused["plan"].clone();
        driver.action_chain().send_keys(Key::Enter).perform().await?;
        let chosen = wait_for(
            driver,
            "return window.chosen.length ? window.chosen : null;",
        )
        .await?;
        ensure(
            chosen == json!([plan]),
            format!("Enter on {plan} fired {chosen}"),
        )
    })
    .await
}

/// The allow-listed host origin gets `Access-Control-Allow-Origin`, on the API and on the
/// widget's script; any other origin gets none.
pub async fn cors_allows_only_the_listed_origin(fixture: &Fixture) -> Outcome {
    let stranger = "http://127.0.0.1:9";
    for path in ["/api/v1/catalogues/stable-audio", "/ratecard.js"] {
        let allowed = fixture.get_with_origin(path, &fixture.host).await?;
        let header = allowed
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        ensure(
            allowed.status().is_success() && header.as_deref() == Some(fixture.host.as_str()),
            format!(
                "{path} from {}: {} with Access-Control-Allow-Origin {header:?}",
                fixture.host,
                allowed.status()
            ),
        )?;
        let refused = fixture.get_with_origin(path, stranger).await?;
        let header = refused
            .headers()
            .get("access-control-allow-origin")
            .cloned();
        ensure(
            header.is_none(),
            format!("{path} from {stranger}: Access-Control-Allow-Origin {header:?}"),
        )?;
    }
    Ok(())
}

/// The README's embed snippet pasted into a page of another origin, against a second
/// server started with the default flags (no `--allow-origin`): the widget's files and
/// the public endpoints answer any origin, so the element renders its tier cards.
pub async fn the_snippet_renders_from_a_server_with_default_flags(fixture: &Fixture) -> Outcome {
    let open = fixture.start_open_server().await?;
    let snippet = fixture.embed_snippet(&open.base)?;
    let catalogue = fixture.get_json("/api/v1/catalogues/stable-audio").await?;
    let api_names: Vec<Value> = catalogue["plans"]
        .as_array()
        .map(|plans| plans.iter().map(|p| p["name"].clone()).collect())
        .unwrap_or_default();
    with_browser(fixture, async |driver| {
        driver
            .goto(format!("{}/empty.html", fixture.host))
            .await?;
        // A fragment made by a Range runs its scripts once inserted, as pasted HTML would.
        driver
            .execute(
                "document.body.append(document.createRange().createContextualFragment(arguments[0]));",
                vec![json!(snippet)],
            )
            .await?;
        let names = wait_for(
            driver,
            "const root = document.querySelector('ratecard-widget')?.shadowRoot; \
             const names = root ? [...root.querySelectorAll('[data-testid=tier] [data-testid=tier-name]')] \
               .map(e => e.textContent) : []; \
             return names.length ? names : null;",
        )
        .await;
        let names = match names {
            Ok(names) => names,
            Err(e) => {
                let path = screenshot_path("default-flags-empty")?;
                driver.screenshot(&path).await?;
                return Err(format!(
                    "no tier cards from {} on {} ({e}); screenshot {}",
                    open.base,
                    fixture.host,
                    path.display()
                )
                .into());
            }
        };
        ensure(
            names == Value::Array(api_names.clone()),
            format!("plan names {names} differ from the API's {api_names:?}"),
        )
    })
    .await
}
