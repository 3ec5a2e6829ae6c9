//! The JavaScript API for hosts that prefer code: element properties and `mount`.

use serde_json::{Value, json};

use crate::support::{Error, Fixture, Outcome, ensure, wait_for};

/// What the API says is due now for the upgrade both scenarios below preview: Pro since
/// 31 January 2026 in London to Max on 10 February, with 20 % tax.
async fn pro_to_max_due_now(fixture: &Fixture) -> Result<i64, Error> {
    let api = fixture
        .post_json(
            "/api/v1/previews/upgrade",
            &json!({
                "subscription": {"plan": "pro", "started_at": "2026-01-31T09:00:00Z", "time_zone": "Europe/London"},
                "to_plan": "max", "at": "2026-02-10T09:00:00Z", "tax_rate_bp": 2000
            }),
        )
        .await?;
    Ok(api["due_now"]["amount_minor"]
        .as_i64()
        .ok_or("the API's due_now has no amount_minor")?)
}

/// Properties mirror the attributes, and setting one updates the widget like the attribute.
pub async fn properties_mirror_attributes(fixture: &Fixture) -> Outcome {
    let driver = fixture.browser().await?;
    let result = async {
        driver.goto(format!("{}/checkout.html", fixture.base)).await?;
        wait_for(
            &driver,
            "return document.getElementById('checkout').shadowRoot?.querySelector('[data-testid=due-now]') ?? null;",
        )
        .await?;
        let read = driver
            .execute(
                "const w = document.getElementById('checkout'); \
                 return [w.view, w.currentPlan, w.targetPlan, w.taxRateBp, w.timeZone, w.editable];",
                Vec::new(),
            )
            .await?
            .json()
            .clone();
        ensure(
            read == json!(["checkout", "pro", "studio", "2000", "Europe/London", false]),
            format!("the properties read {read}"),
        )?;

        let due = pro_to_max_due_now(fixture).await?;
        driver
            .execute(
                "const w = document.getElementById('checkout'); window.previews = []; \
                 w.addEventListener('ratecard:preview', e => window.previews.push(e.detail)); \
                 w.at = '2026-02-10T09:00:00Z'; w.targetPlan = 'max'; w.editable = true;",
                Vec::new(),
            )
            .await?;
        wait_for(
            &driver,
            &format!("return window.previews.some(p => p.due_now_minor === {due}) ? true : null;"),
        )
        .await?;
        let reflected = driver
            .execute(
                "const w = document.getElementById('checkout'); \
                 return [w.getAttribute('target-plan'), w.hasAttribute('editable'), \
                 !!w.shadowRoot.querySelector('[data-testid=checkout-form]')];",
                Vec::new(),
            )
            .await?
            .json()
            .clone();
        ensure(
            reflected == json!(["max", true, true]),
            format!("setting properties gave {reflected}"),
        )?;
        driver
            .execute(
                "document.getElementById('checkout').targetPlan = null;",
                Vec::new(),
            )
            .await?;
        let removed = driver
            .execute(
                "return document.getElementById('checkout').hasAttribute('target-plan');",
                Vec::new(),
            )
            .await?
            .json()
            .clone();
        ensure(removed == Value::Bool(false), "setting null removes the attribute")
    }
    .await;
    driver.quit().await?;
    result
}

/// `mount(element, options)` puts a configured widget into any element and refuses
/// unknown options with a readable error.
pub async fn mount_builds_a_widget_from_options(fixture: &Fixture) -> Outcome {
    let driver = fixture.browser().await?;
    let result = async {
        driver.goto(format!("{}/", fixture.base)).await?;
        let made = driver
            .execute(
                "const { mount } = await import('./ratecard.js'); \
                 const host = document.createElement('div'); host.id = 'coded'; \
                 document.body.append(host); \
                 const el = mount(host, { view: 'tiers', currentPlan: 'max', locale: 'en-US' }); \
                 let refused; \
                 try { mount(host, { colour: 'red' }); refused = 'accepted'; } \
                 catch (e) { refused = `${e.name}: ${e.message}`; } \
                 return [el.localName, el.parentElement.id, el.getAttribute('current-plan'), refused];",
                Vec::new(),
            )
            .await?
            .json()
            .clone();
        ensure(
            made[0] == "ratecard-widget" && made[1] == "coded" && made[2] == "max",
            format!("mount made {made}"),
        )?;
        ensure(
            made[3]
                .as_str()
                .is_some_and(|m| m.starts_with("TypeError: ratecard: unknown option `colour`")),
            format!("an unknown option gave {}", made[3]),
        )?;
        wait_for(
            &driver,
            "return document.querySelector('#coded ratecard-widget').shadowRoot\
             ?.querySelector('[data-plan=max] [data-testid=current-badge]') ? true : null;",
        )
        .await?;
        Ok(())
    }
    .await;
    driver.quit().await?;
    result
}

/// The Wasm bundles a page has downloaded, by bundle name (`tiers`, `checkout`, `support`).
const LOADED_BUNDLES: &str = "return performance.getEntriesByType('resource') \
     .map(e => new URL(e.name).pathname.match(/ratecard-([a-z]+)-[0-9a-f]{16}_bg\\.wasm$/)) \
     .filter(m => m).map(m => m[1]).sort();";

/// The zone files a page has downloaded (`zones/zone-<digest>.bin`), as their paths.
const LOADED_ZONES: &str = "return performance.getEntriesByType('resource') \
     .map(e => new URL(e.name).pathname).filter(p => /\\/zones\\/zone-[0-9a-f]{16}\\.bin$/.test(p)).sort();";

/// A pricing page with a built-in catalogue downloads the tier table's bundle only, and no
/// time zone. A
/// catalogue from the server, or a `view` the running bundle lacks, starts a bundle that
/// has it (with the same numbers as the API), and what a started bundle has downloads
/// nothing more. The checkout downloads the one zone it computes in, once.
pub async fn each_view_downloads_only_its_bundle(fixture: &Fixture) -> Outcome {
    let driver = fixture.browser().await?;
    let result = async {
        driver.goto(format!("{}/", fixture.base)).await?;
        wait_for(
            &driver,
            "return document.querySelector('ratecard-widget').shadowRoot\
             ?.querySelector('[data-testid=tier]') ? true : null;",
        )
        .await?;
        let loaded = driver.execute(LOADED_BUNDLES, Vec::new()).await?.json().clone();
        ensure(
            loaded == json!(["tiers"]),
            format!("the pricing page downloaded the bundles {loaded}"),
        )?;
        let zones = driver.execute(LOADED_ZONES, Vec::new()).await?.json().clone();
        ensure(
            zones == json!([]),
            format!("the pricing page downloaded the zone files {zones}"),
        )?;

        // A catalogue that is not built in needs the bundle with the JSON reader.
        driver
            .execute(
                "document.querySelector('ratecard-widget').catalogue = 'hostile';",
                Vec::new(),
            )
            .await?;
        wait_for(
            &driver,
            "const root = document.querySelector('ratecard-widget').shadowRoot; \
             return [...root.querySelectorAll('[data-testid=tier]')] \
               .some(t => t.textContent.includes('<img')) ? true : null;",
        )
        .await?;
        let loaded = driver.execute(LOADED_BUNDLES, Vec::new()).await?.json().clone();
        ensure(
            loaded == json!(["remote", "tiers"]),
            format!("a server catalogue downloaded the bundles {loaded}"),
        )?;

        let due = pro_to_max_due_now(fixture).await?;
        driver
            .execute(
                "const w = document.querySelector('ratecard-widget'); window.previews = []; \
                 w.addEventListener('ratecard:preview', e => window.previews.push(e.detail)); \
                 Object.assign(w, { catalogue: 'stable-audio', currentPlan: 'pro', startedAt: '2026-01-31T09:00:00Z', \
                   timeZone: 'Europe/London', targetPlan: 'max', at: '2026-02-10T09:00:00Z', \
                   taxRateBp: '2000' }); \
                 w.view = 'checkout';",
                Vec::new(),
            )
            .await?;
        wait_for(
            &driver,
            &format!(
                "const w = document.querySelector('ratecard-widget'); \
                 return w.shadowRoot.querySelector('[data-testid=due-now]') \
                   && window.previews.some(p => p.due_now_minor === {due}) ? true : null;"
            ),
        )
        .await?;
        let loaded = driver.execute(LOADED_BUNDLES, Vec::new()).await?.json().clone();
        ensure(
            loaded == json!(["checkout", "remote", "tiers"]),
            format!("after the change to checkout the page had the bundles {loaded}"),
        )?;
        let zones = driver.execute(LOADED_ZONES, Vec::new()).await?.json().clone();
        let london = format!("/zones/{}", ratecard_rules::zone_file_name("Europe/London")?);
        ensure(
            zones == json!([london]),
            format!("the checkout in Europe/London downloaded the zone files {zones}, not {london}"),
        )?;

        // Back to the tier table, which the checkout bundle has too, and a second widget
        // with the tier table: neither downloads another bundle.
        driver
            .execute(
                "document.querySelector('ratecard-widget').view = 'tiers'; \
                 const more = document.createElement('ratecard-widget'); more.id = 'more'; \
                 document.body.append(more);",
                Vec::new(),
            )
            .await?;
        wait_for(
            &driver,
            "const shows = (w) => w.shadowRoot?.querySelector('[data-testid=tier]'); \
             return [...document.querySelectorAll('ratecard-widget')].every(shows) ? true : null;",
        )
        .await?;
        let loaded = driver.execute(LOADED_BUNDLES, Vec::new()).await?.json().clone();
        ensure(
            loaded == json!(["checkout", "remote", "tiers"]),
            format!("showing tiers again downloaded more: {loaded}"),
        )?;
        let again = driver.execute(LOADED_ZONES, Vec::new()).await?.json().clone();
        ensure(
            again == zones,
            format!("showing tiers again downloaded zone files: {again}"),
        )?;

        driver
            .execute("document.getElementById('more').view = 'support';", Vec::new())
            .await?;
        wait_for(
            &driver,
            "return document.getElementById('more').shadowRoot\
             .querySelector('[data-testid=support-hint]') ? true : null;",
        )
        .await?;
        let loaded = driver.execute(LOADED_BUNDLES, Vec::new()).await?.json().clone();
        ensure(
            loaded == json!(["checkout", "remote", "support", "tiers"]),
            format!("after the change to support the page had the bundles {loaded}"),
        )
    }
    .await;
    driver.quit().await?;
    result
}

/// A zone whose data cannot be fetched leaves a readable message, not a blank box, and
/// the next zone that can be fetched computes as usual.
pub async fn a_zone_that_cannot_be_fetched_is_explained(fixture: &Fixture) -> Outcome {
    let driver = fixture.browser().await?;
    let result = async {
        driver.goto(format!("{}/", fixture.base)).await?;
        wait_for(
            &driver,
            "return document.querySelector('ratecard-widget').shadowRoot\
             ?.querySelector('[data-testid=tier]') ? true : null;",
        )
        .await?;
        // The host's `fetch` answers 503 for zone files while `window.zonesDown` is set.
        driver
            .execute(
                "const fetched = window.fetch.bind(window); window.zonesDown = true; \
                 window.fetch = (url, init) => window.zonesDown && String(url).includes('/zones/') \
                   ? Promise.resolve(new Response('down', { status: 503 })) : fetched(url, init); \
                 Object.assign(document.querySelector('ratecard-widget'), { catalogue: 'stable-audio', \
                   currentPlan: 'pro', startedAt: '2026-01-31T09:00:00Z', timeZone: 'Asia/Tokyo', \
                   targetPlan: 'max', at: '2026-02-10T09:00:00Z', view: 'checkout' });",
                Vec::new(),
            )
            .await?;
        let detail = wait_for(
            &driver,
            "return document.querySelector('ratecard-widget').shadowRoot\
             ?.querySelector('[data-testid=error] [data-testid=error-detail]')?.textContent ?? null;",
        )
        .await?;
        let detail = detail.as_str().unwrap_or_default().to_owned();
        ensure(
            detail.contains("Asia/Tokyo") && detail.contains("HTTP 503"),
            format!("the message for an unreachable zone was `{detail}`"),
        )?;
        driver
            .execute(
                "window.zonesDown = false; \
                 document.querySelector('ratecard-widget').timeZone = 'Asia/Seoul';",
                Vec::new(),
            )
            .await?;
        wait_for(
            &driver,
            "return document.querySelector('ratecard-widget').shadowRoot\
             ?.querySelector('[data-testid=due-now]') ? true : null;",
        )
        .await?;
        Ok(())
    }
    .await;
    driver.quit().await?;
    result
}
