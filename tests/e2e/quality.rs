//! The quality bar of the served demo pages: axe-core finds no violation on any view, the
//! strict CSP holds and the widget works under it, every view fits a 320-px window, the
//! German locale is complete, and `prefers-reduced-motion` turns transitions off.

use std::sync::Arc;

use serde_json::{Value, json};
use thirtyfour::common::command::{Command, ExtensionCommand};
use thirtyfour::prelude::*;

use crate::layout::{fits_its_window, narrow_window, tier_cards_stack};
use crate::support::{
    Error, Fixture, Outcome, ensure, in_element, screenshot_path, wait_for, widget,
};

/// A Chrome DevTools command sent through chromedriver's `goog/cdp/execute` endpoint.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl ExtensionCommand for Cdp {
    fn parameters_json(&self) -> Option<Value> {
        Some(json!({ "cmd": self.cmd, "params": self.params }))
    }

    fn method(&self) -> reqwest::Method {
        reqwest::Method::POST
    }

    fn endpoint(&self) -> Arc<str> {
        Arc::from("/goog/cdp/execute")
    }
}

async fn cdp(driver: &WebDriver, cmd: &'static str, params: Value) -> Result<(), Error> {
    driver
        .handle()
        .cmd(Command::ExtensionCommand(Box::new(Cdp { cmd, params })))
        .await?;
    Ok(())
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

/// The demo pages, each with the id of its widget and a selector that shows it rendered.
const PAGES: [(&str, &str, &str, &str); 3] = [
    ("tiers", "/", "", "[data-testid=tier]"),
    (
        "checkout",
        "/checkout.html",
        "checkout",
        "[data-testid=due-now]",
    ),
    (
        "support",
        "/support.html",
        "support",
        "[data-testid=history]",
    ),
];

/// A script expression for `selector` inside the widget `id` (see [`widget`]).
fn inside(id: &str, selector: &str) -> String {
    if id.is_empty() {
        format!(
            "({}?.shadowRoot?.querySelector({selector:?}) ?? null)",
            widget(id)
        )
    } else {
        in_element(id, selector)
    }
}

async fn wait_rendered(driver: &WebDriver, id: &str, selector: &str) -> Outcome {
    wait_for(driver, &format!("return {};", inside(id, selector)))
        .await
        .map(|_| ())
}

async fn click_inside(driver: &WebDriver, id: &str, selector: &str) -> Outcome {
    wait_rendered(driver, id, selector).await?;
    driver
        .execute(&format!("return {};", inside(id, selector)), Vec::new())
        .await?
        .element()?
        .click()
        .await?;
    Ok(())
}

/// The text of axe-core's `axe.min.js`, from `AXE_CORE_JS`.
pub(crate) fn axe_source() -> Result<String, Error> {
    let path = std::env::var_os("AXE_CORE_JS").ok_or(
        "AXE_CORE_JS is unset: it must name axe-core's axe.min.js (`cargo xtask test` sets it)",
    )?;
    std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read AXE_CORE_JS={}: {e}",
            std::path::Path::new(&path).display()
        )
        .into()
    })
}

/// Runs axe-core on the whole document (open shadow roots included) and fails with every
/// violation's id, impact, targets and help.
pub(crate) async fn audit(driver: &WebDriver, axe: &str, what: &str) -> Outcome {
    driver.execute(axe, Vec::new()).await?;
    let answer = driver
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(JSON.stringify({ ok: r.violations.map(v => ({
                   id: v.id, impact: v.impact, help: v.help,
                   targets: v.nodes.map(n => n.target) })) })))
               .catch(e => done(JSON.stringify({ error: String(e) })));",
            Vec::new(),
        )
        .await?
        .json()
        .clone();
    let answer: Value = serde_json::from_str(answer.as_str().unwrap_or("null"))?;
    if let Some(error) = answer.get("error") {
        return Err(format!("axe-core failed on {what}: {error}").into());
    }
    let violations = answer["ok"]
        .as_array()
        .ok_or_else(|| format!("axe-core gave no result on {what}: {answer}"))?;
    let report: Vec<String> = violations
        .iter()
        .map(|v| {
            format!(
                "{} ({}) at {}: {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["targets"],
                v["help"].as_str().unwrap_or("?")
            )
        })
        .collect();
    ensure(
        report.is_empty(),
        format!(
            "axe-core found {} violation(s) on {what}:\n      {}",
            report.len(),
            report.join("\n      ")
        ),
    )
}

/// axe-core reports no violation on the demo pages and every view: tiers, checkout (also
/// with its editable form), support after "Load sample", and the error box.
pub async fn axe_finds_no_violations_on_any_view(fixture: &Fixture) -> Outcome {
    let axe = axe_source()?;
    with_browser(fixture, async |driver| {
        for (name, path, id, ready) in PAGES {
            driver.goto(format!("{}{path}", fixture.base)).await?;
            wait_rendered(driver, id, ready).await?;
            if name == "support" {
                click_inside(driver, id, "[data-testid=load-sample]").await?;
                wait_rendered(driver, id, "[data-testid=timeline]").await?;
            }
            audit(driver, &axe, &format!("the {name} page ({path})")).await?;
        }

        driver
            .goto(format!("{}/checkout.html", fixture.base))
            .await?;
        wait_rendered(driver, "checkout", "[data-testid=due-now]").await?;
        driver
            .execute(
                "document.getElementById('checkout').setAttribute('editable', '');",
                Vec::new(),
            )
            .await?;
        wait_rendered(driver, "checkout", "[data-testid=checkout-form]").await?;
        wait_rendered(driver, "checkout", "[data-testid=due-now]").await?;
        audit(driver, &axe, "the editable checkout").await?;

        driver.goto(format!("{}/", fixture.base)).await?;
        wait_rendered(driver, "", "[data-testid=tier]").await?;
        driver
            .execute(
                "document.querySelector('ratecard-widget').setAttribute('tax-rate-bp', 'lots');",
                Vec::new(),
            )
            .await?;
        wait_rendered(driver, "", "[data-testid=error]").await?;
        audit(driver, &axe, "the error box").await
    })
    .await
}

/// The directives of a CSP header, by name.
fn directive<'a>(csp: &'a str, name: &str) -> Option<Vec<&'a str>> {
    csp.split(';').map(str::trim).find_map(|d| {
        let mut words = d.split_whitespace();
        (words.next() == Some(name)).then(|| words.collect())
    })
}

/// Each demo page is served with a CSP whose `script-src` and `style-src` allow no inline
/// code and no `eval` (only `'wasm-unsafe-eval'`), and each view renders and reacts under
/// it with no `securitypolicyviolation`.
pub async fn the_widget_works_under_a_strict_csp(fixture: &Fixture) -> Outcome {
    for (_, path, _, _) in PAGES {
        let response = fixture.get_with_origin(path, &fixture.base).await?;
        let csp = response
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| format!("{path} has no Content-Security-Policy header"))?
            .to_owned();
        let script = directive(&csp, "script-src")
            .ok_or_else(|| format!("the CSP of {path} has no script-src: {csp}"))?;
        let style = directive(&csp, "style-src")
            .ok_or_else(|| format!("the CSP of {path} has no style-src: {csp}"))?;
        for unsafe_source in ["'unsafe-inline'", "'unsafe-eval'"] {
            ensure(
                !script.contains(&unsafe_source) && !style.contains(&unsafe_source),
                format!("the CSP of {path} allows {unsafe_source}: {csp}"),
            )?;
        }
        ensure(
            script.contains(&"'wasm-unsafe-eval'"),
            format!("the CSP of {path} lacks 'wasm-unsafe-eval' in script-src: {csp}"),
        )?;
    }

    with_browser(fixture, async |driver| {
        // Registered before any script of each page runs.
        cdp(
            driver,
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "window.cspViolations = []; \
                document.addEventListener('securitypolicyviolation', e => \
                  window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI), true);" }),
        )
        .await?;
        for (name, path, id, ready) in PAGES {
            driver.goto(format!("{}{path}", fixture.base)).await?;
            wait_rendered(driver, id, ready).await?;
            match name {
                "tiers" => {
                    driver
                        .execute(
                            "const w = document.querySelector('ratecard-widget'); \
                             w.setAttribute('locale', 'de-DE'); w.setAttribute('current-plan', 'pro');",
                            Vec::new(),
                        )
                        .await?;
                    wait_rendered(driver, id, "[data-testid=current-badge]").await?;
                }
                "checkout" => {
                    driver
                        .find(By::Css("input[name=target][value=max]"))
                        .await?
                        .click()
                        .await?;
                    wait_for(
                        driver,
                        &format!(
                            "return {}?.textContent?.includes('Max') ? true : null;",
                            inside(id, "[data-testid=change-title]")
                        ),
                    )
                    .await?;
                }
                _ => {
                    click_inside(driver, id, "[data-testid=load-sample]").await?;
                    wait_rendered(driver, id, "[data-testid=timeline]").await?;
                }
            }
            // The adopted stylesheet applies: the host is a block with the widget's font.
            let styled = driver
                .execute(
                    &format!("return getComputedStyle({}).display;", widget(id)),
                    Vec::new(),
                )
                .await?
                .json()
                .clone();
            ensure(
                styled != "inline",
                format!("the widget on {path} is unstyled (display {styled})"),
            )?;
            let violations = driver
                .execute("return window.cspViolations ?? null;", Vec::new())
                .await?
                .json()
                .clone();
            ensure(
                violations == json!([]),
                format!("CSP violations on {path}: {violations}"),
            )?;
        }
        // The probe does see violations: an inline script is blocked and reported.
        driver
            .execute(
                "const s = document.createElement('script'); \
                 s.textContent = 'window.inlineRan = true;'; document.body.append(s);",
                Vec::new(),
            )
            .await?;
        let caught = wait_for(
            driver,
            "return window.cspViolations.length > 0 \
               ? { ran: window.inlineRan === true, seen: window.cspViolations } : null;",
        )
        .await
        .map_err(|e| format!("an inline script raised no securitypolicyviolation: {e}"))?;
        ensure(
            caught["ran"] == false,
            format!("an inline script ran under the CSP: {caught}"),
        )
    })
    .await
}

/// At 320 px wide every view fits: no horizontal scroll on the page, nothing in the shadow
/// root wider than the element, and the tier cards stacked in one column.
pub async fn every_view_fits_320_px(fixture: &Fixture) -> Outcome {
    with_browser(fixture, async |driver| {
        narrow_window(driver).await?;
        for (name, path, id, ready) in PAGES {
            driver.goto(format!("{}{path}", fixture.base)).await?;
            wait_rendered(driver, id, ready).await?;
            if name == "support" {
                click_inside(driver, id, "[data-testid=load-sample]").await?;
                wait_rendered(driver, id, "[data-testid=timeline]").await?;
            }
            fits_its_window(driver, id, &format!("the {name} page")).await?;
            if name == "tiers" {
                tier_cards_stack(driver, id).await?;
            }
            driver
                .screenshot(&screenshot_path(&format!("narrow-{name}"))?)
                .await?;
        }
        Ok(())
    })
    .await
}

/// With `locale="de-DE"` the tiers view is in German with German prices (in euros, the
/// currency of the locale's region), and so are the checkout's headings.
pub async fn german_is_complete_on_tiers_and_checkout(fixture: &Fixture) -> Outcome {
    with_browser(fixture, async |driver| {
        driver.goto(format!("{}/", fixture.base)).await?;
        wait_rendered(driver, "", "[data-testid=tier]").await?;
        driver
            .execute(
                "document.querySelector('ratecard-widget').setAttribute('locale', 'de-DE');",
                Vec::new(),
            )
            .await?;
        let price = wait_for(
            driver,
            &format!(
                "const t = {}?.textContent; return t && t.includes(',') ? t : null;",
                inside("", "[data-testid=tier][data-plan=pro] [data-testid=tier-price]")
            ),
        )
        .await?;
        // Without a `currency` or `region`, the locale's region (DE) picks euros
        // (R-CURRENCY-2).
        ensure(
            price == "10,99\u{a0}€",
            format!("the Pro price in de-DE is {price}, not 10,99 €"),
        )?;
        let texts = driver
            .execute(
                &format!(
                    "const card = {}; return {{ unit: card.querySelector('.rc-card__unit').textContent, \
                       choose: card.querySelector('[data-testid=choose]').textContent, \
                       renewal: card.querySelector('[data-testid=tier-renewal]').textContent, \
                       credits: card.querySelector('[data-testid=tier-credits]').textContent.endsWith(' Credits pro Monat'), \
                       label: document.querySelector('ratecard-widget').shadowRoot \
                         .querySelector('[data-testid=tiers]').getAttribute('aria-label') }};",
                    inside("", "[data-testid=tier][data-plan=pro]")
                ),
                Vec::new(),
            )
            .await?
            .json()
            .clone();
        let expected = json!({
            "unit": "pro Monat",
            // Pro offers a free trial to a visitor without a plan (R-TRIAL-1).
            "choose": "Kostenlos testen",
            "renewal": "Verlängert sich monatlich am Tag des Abschlusses (in kürzeren Monaten am letzten Tag)",
            "credits": true,
            "label": "Tarife",
        });
        ensure(
            texts == expected,
            format!("the German tier card reads {texts}, expected {expected}"),
        )?;

        driver
            .goto(format!("{}/checkout.html", fixture.base))
            .await?;
        wait_rendered(driver, "checkout", "[data-testid=due-now]").await?;
        driver
            .execute(
                "document.getElementById('checkout').setAttribute('locale', 'de-DE');",
                Vec::new(),
            )
            .await?;
        let headings = wait_for(
            driver,
            "const root = document.getElementById('checkout').shadowRoot; \
             const caption = root.querySelector('caption')?.textContent; \
             if (!caption || caption === 'What is charged now') return null; \
             return { caption, summary: root.querySelector('summary').textContent, \
                      kind: root.querySelector('[data-testid=change-kind]').textContent, \
                      terms: [...root.querySelectorAll('dt')].map(e => e.textContent), \
                      label: root.querySelector('[data-testid=checkout]').getAttribute('aria-label') };",
        )
        .await?;
        let expected = json!({
            "caption": "Was jetzt berechnet wird",
            "summary": "So wird gerechnet",
            "kind": "Upgrade, sofort wirksam",
            "terms": ["Wirksam ab", "Nächste Verlängerung", "Kontingent nach dem Wechsel"],
            "label": "Tarifwechsel",
        });
        ensure(
            headings == expected,
            format!("the German checkout reads {headings}, expected {expected}"),
        )?;
        // The line descriptions and the explanation sentences are German too, with the
        // rule id badges kept.
        let lines = wait_for(
            driver,
            "const root = document.getElementById('checkout').shadowRoot; \
             const items = [...root.querySelectorAll('[data-testid=line] th')].map(e => e.textContent); \
             const sentences = [...root.querySelectorAll('[data-testid=explanation]')] \
                 .map(e => ({ rule: e.dataset.rule, text: e.querySelector('span').textContent })); \
             if (!items.length || !sentences.length) return null; \
             return { items, sentences };",
        )
        .await?;
        let english = [
            "Unused time",
            "Remaining time",
            "first period",
            "Prices exclude tax",
            "takes effect",
        ];
        let text = lines.to_string();
        ensure(
            !english.iter().any(|e| text.contains(e))
                && text.contains("Steuer")
                && lines["sentences"]
                    .as_array()
                    .is_some_and(|s| s.iter().all(|l| l["rule"].as_str().is_some_and(|r| r.starts_with("R-")))),
            format!("the German checkout lines and explanation read {lines}"),
        )
    })
    .await
}

/// With `prefers-reduced-motion: reduce` emulated, nothing in the widget transitions or
/// animates; without it, the buttons do transition (so the probe sees transitions).
pub async fn reduced_motion_turns_transitions_off(fixture: &Fixture) -> Outcome {
    const MOVING: &str = "const root = document.querySelector('ratecard-widget').shadowRoot; \
        const moving = [...root.querySelectorAll('*')].filter(e => { const s = getComputedStyle(e); \
          const secs = v => v.split(',').some(d => parseFloat(d) > 0); \
          return secs(s.transitionDuration) || (s.animationName !== 'none' && secs(s.animationDuration)); }) \
          .map(e => e.tagName + '.' + e.className); \
        return { reduce: matchMedia('(prefers-reduced-motion: reduce)').matches, moving };";
    with_browser(fixture, async |driver| {
        driver.goto(format!("{}/", fixture.base)).await?;
        wait_rendered(driver, "", "[data-testid=choose]").await?;
        let normal = driver.execute(MOVING, Vec::new()).await?.json().clone();
        ensure(
            normal["reduce"] == false && normal["moving"].as_array().is_some_and(|m| !m.is_empty()),
            format!("without reduced motion the buttons should transition: {normal}"),
        )?;

        cdp(
            driver,
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-reduced-motion", "value": "reduce" }] }),
        )
        .await?;
        let reduced = driver.execute(MOVING, Vec::new()).await?.json().clone();
        ensure(
            reduced == json!({ "reduce": true, "moving": [] }),
            format!("with reduced motion something still moves: {reduced}"),
        )
    })
    .await
}
