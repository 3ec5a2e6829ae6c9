//! Pricing tables with billing intervals, several currencies, tax-inclusive prices and the
//! amount due now on each plan's button (R-INTERVAL, R-CURRENCY, R-DISPLAY), on a host
//! page of another origin (`tests/e2e/host/pricing.html`), checked against
//! `POST /api/v1/pricing` and `POST /api/v1/previews/change`, with axe-core and at 320 px.
//!
//! Amounts are compared through the browser's own `Intl.NumberFormat`, so the tests hold
//! the widget to the currency's formatting without spelling every string out.

use serde_json::{Value, json};
use thirtyfour::prelude::*;

use crate::layout::{fits_its_window, narrow_window, tier_cards_stack};
use crate::quality::{audit, axe_source};
use crate::support::{Error, Fixture, Outcome, ensure, in_element, screenshot_path, wait_for};

/// The id of the widget each scenario mounts on the host page.
const ID: &str = "pricing";
/// The instant the due-now amounts and the checkout are computed for.
const AT: &str = "2026-02-10T09:00:00Z";
/// The customer's zone in the due-now cases.
const ZONE: &str = "Europe/London";
/// Every plan of the default catalogue, in its order.
const PLANS: [&str; 4] = ["free", "pro", "studio", "max"];
/// The currencies of the default catalogue (RULES.md, "Default catalogue").
const CURRENCIES: [&str; 4] = ["USD", "EUR", "GBP", "JPY"];

/// Runs `body` with a fresh en-US browser and always quits it.
async fn with_browser<F>(fixture: &Fixture, body: F) -> Outcome
where
    F: AsyncFnOnce(&WebDriver) -> Outcome,
{
    with_browser_in(fixture, "en-US", body).await
}

/// Runs `body` with a fresh browser whose language is `lang`, and always quits it.
async fn with_browser_in<F>(fixture: &Fixture, lang: &str, body: F) -> Outcome
where
    F: AsyncFnOnce(&WebDriver) -> Outcome,
{
    let driver = fixture.browser_in(lang).await?;
    let result = body(&driver).await;
    driver.quit().await?;
    result
}

/// A script expression for the first match of `selector` in the mounted widget.
fn inside(selector: &str) -> String {
    in_element(ID, selector)
}

/// A selector for the element `testid` in the card of `plan`.
fn in_card(plan: &str, testid: &str) -> String {
    format!("[data-testid=tier][data-plan={plan}] [data-testid={testid}]")
}

/// Opens the host page and adds one `<ratecard-widget id="pricing">` with `attributes`
/// (set before it is connected), then waits for `ready` inside it.
async fn mount(
    driver: &WebDriver,
    fixture: &Fixture,
    attributes: &[(&str, &str)],
    ready: &str,
) -> Outcome {
    driver
        .goto(format!("{}/pricing.html", fixture.host))
        .await?;
    let attributes: serde_json::Map<String, Value> = attributes
        .iter()
        .map(|(name, value)| ((*name).to_owned(), json!(value)))
        .collect();
    driver
        .execute(
            &format!(
                "const w = document.createElement('ratecard-widget'); w.id = {ID:?}; \
                 for (const [name, value] of Object.entries(arguments[0])) w.setAttribute(name, value); \
                 document.getElementById('slot').append(w);"
            ),
            vec![Value::Object(attributes.clone())],
        )
        .await?;
    if let Err(e) = wait_for(driver, &format!("return {};", inside(ready))).await {
        let shown = driver
            .execute(
                &format!(
                    "return document.getElementById({ID:?})?.shadowRoot?.textContent?.slice(0, 400) ?? null;"
                ),
                Vec::new(),
            )
            .await?
            .json()
            .clone();
        return Err(format!(
            "the widget with {} never showed {ready} ({e}); it shows: {shown}",
            Value::Object(attributes)
        )
        .into());
    }
    Ok(())
}

/// The text of `selector` in the widget, or `None` when it is absent.
async fn text(driver: &WebDriver, selector: &str) -> Result<Option<String>, Error> {
    let value = driver
        .execute(
            &format!("return {}?.textContent ?? null;", inside(selector)),
            Vec::new(),
        )
        .await?
        .json()
        .clone();
    Ok(value.as_str().map(str::to_owned))
}

/// Waits until the text of `selector` equals `expected`; fails with what is shown.
async fn wait_text(driver: &WebDriver, selector: &str, expected: &str, what: &str) -> Outcome {
    let script = format!(
        "const t = {}?.textContent; return t === {expected:?} ? t : null;",
        inside(selector)
    );
    if wait_for(driver, &script).await.is_ok() {
        return Ok(());
    }
    let shown = text(driver, selector).await?;
    Err(format!("{what}: expected {expected:?}, the widget shows {shown:?}").into())
}

/// Waits until the text of `selector` contains `part`; returns the text.
async fn wait_containing(
    driver: &WebDriver,
    selector: &str,
    part: &str,
    what: &str,
) -> Result<String, Error> {
    let script = format!(
        "const t = {}?.textContent; return t && t.includes({part:?}) ? t : null;",
        inside(selector)
    );
    if let Ok(found) = wait_for(driver, &script).await {
        return Ok(found.as_str().unwrap_or_default().to_owned());
    }
    let shown = text(driver, selector).await?;
    Err(format!("{what}: expected a text containing {part:?}, the widget shows {shown:?}").into())
}

/// `minor` units of `currency` as the browser's `Intl.NumberFormat` writes them for
/// `locale`; the minor unit's size comes from `Intl` too (none for JPY).
async fn intl(
    driver: &WebDriver,
    locale: &str,
    currency: &str,
    minor: i64,
) -> Result<String, Error> {
    let value = driver
        .execute(
            "const f = new Intl.NumberFormat(arguments[0], { style: 'currency', currency: arguments[1] }); \
             return f.format(arguments[2] / 10 ** f.resolvedOptions().maximumFractionDigits);",
            vec![json!(locale), json!(currency), json!(minor)],
        )
        .await?
        .json()
        .clone();
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("Intl gave {value} for {minor} {currency}").into())
}

/// Clicks the element `selector` in the widget, as a user would.
async fn click(driver: &WebDriver, selector: &str) -> Outcome {
    let found = wait_for(driver, &format!("return {};", inside(selector))).await;
    if found.is_err() {
        return Err(format!("there is no {selector} to press").into());
    }
    driver
        .execute(&format!("return {};", inside(selector)), Vec::new())
        .await?
        .element()?
        .click()
        .await?;
    Ok(())
}

/// The toggle's state: its role and each button's `aria-pressed`, and which of its
/// buttons has the focus (the page's focus being on the widget).
async fn toggle_state(driver: &WebDriver) -> Result<Value, Error> {
    Ok(driver
        .execute(
            &format!(
                "const host = document.getElementById({ID:?}); const root = host.shadowRoot; \
                 const toggle = root.querySelector('[data-testid=interval-toggle]'); \
                 const pressed = id => root.querySelector(`[data-testid=${{id}}]`)?.getAttribute('aria-pressed') ?? null; \
                 const inner = document.activeElement === host ? root.activeElement : null; \
                 return {{ role: toggle?.getAttribute('role') ?? null, \
                          month: pressed('interval-month'), year: pressed('interval-year'), \
                          focused: inner?.dataset?.testid ?? null }};"
            ),
            Vec::new(),
        )
        .await?
        .json()
        .clone())
}

/// Waits until the toggle shows `interval` pressed (and the other not) with the focus on
/// `interval`'s button; fails with the state seen.
async fn wait_pressed_and_focused(driver: &WebDriver, interval: &str) -> Outcome {
    let other = if interval == "year" { "month" } else { "year" };
    let expected = json!({
        "role": "group",
        interval: "true",
        other: "false",
        "focused": format!("interval-{interval}"),
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let state = toggle_state(driver).await?;
        if state == expected {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            return Err(format!(
                "after choosing {interval}: expected the toggle {expected}, saw {state}"
            )
            .into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// `POST /api/v1/pricing` with `body`.
async fn api_pricing(fixture: &Fixture, body: &Value) -> Result<Value, Error> {
    fixture.post_json("/api/v1/pricing", body).await
}

/// One price of `plan` in a `/api/v1/pricing` answer.
fn api_price<'a>(pricing: &'a Value, plan: &str, interval: &str) -> Result<&'a Value, Error> {
    pricing["plans"]
        .as_array()
        .and_then(|plans| plans.iter().find(|p| p["id"] == plan))
        .and_then(|p| p["prices"].as_array())
        .and_then(|prices| prices.iter().find(|p| p["interval"] == interval))
        .ok_or_else(|| format!("the API prices no {interval}ly {plan}: {pricing}").into())
}

/// A field of an API price as an integer.
fn minor(price: &Value, field: &str) -> Result<i64, Error> {
    price[field]
        .as_i64()
        .ok_or_else(|| format!("the API's price has no integer {field}: {price}").into())
}

/// Whether `text` shows the whole percentage `percent` ("16 %", "16%", "-16 %", …).
fn shows_percent(text: &str, percent: i64) -> bool {
    let digits = percent.to_string();
    text.match_indices(&digits).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + digits.len()..].trim_start_matches([' ', '\u{a0}', '\u{202f}']);
        !before.is_some_and(|c| c.is_ascii_digit()) && after.starts_with('%')
    })
}

/// The toggle switches the table from monthly to yearly prices: Pro shows its yearly
/// total, its monthly equivalent and the 16 % saving, as the API computes them; the focus
/// stays on the pressed button, by mouse and by keyboard; the chosen plan's event carries
/// the interval and currency; `interval-toggle="off"` hides the toggle.
pub async fn the_toggle_switches_prices_and_keeps_focus(fixture: &Fixture) -> Outcome {
    let pricing = api_pricing(fixture, &json!({ "currency": "USD" })).await?;
    let month = api_price(&pricing, "pro", "month")?;
    let year = api_price(&pricing, "pro", "year")?;
    // The default catalogue: 11.99 a month, 119.90 a year, round(11990 / 12) = 999 a
    // month, floor(100 × (14388 − 11990) / 14388) = 16 % (R-INTERVAL-3).
    ensure(
        minor(month, "shown_minor")? == 1199
            && minor(year, "shown_minor")? == 11990
            && minor(year, "per_month_minor")? == 999
            && minor(year, "saving_percent")? == 16,
        format!("the API's Pro prices in USD are {month} and {year}"),
    )?;

    with_browser(fixture, async |driver| {
        mount(
            driver,
            fixture,
            &[
                ("view", "tiers"),
                ("catalogue", "stable-audio"),
                ("locale", "en-US"),
            ],
            &in_card("pro", "tier-price"),
        )
        .await?;
        let state = toggle_state(driver).await?;
        ensure(
            state["role"] == "group" && state["month"] == "true" && state["year"] == "false",
            format!("the table opens with the toggle {state}, not a group with month pressed"),
        )?;
        let monthly = intl(driver, "en-US", "USD", 1199).await?;
        wait_text(
            driver,
            &in_card("pro", "tier-price"),
            &monthly,
            "Pro per month",
        )
        .await?;

        driver
            .execute(
                "window.chosen = []; document.addEventListener('ratecard:plan-selected', \
                   e => window.chosen.push({ plan: e.detail.plan, interval: e.detail.interval, \
                                             currency: e.detail.currency }));",
                Vec::new(),
            )
            .await?;
        click(driver, "[data-testid=interval-year]").await?;
        wait_pressed_and_focused(driver, "year").await?;
        let yearly = intl(driver, "en-US", "USD", minor(year, "shown_minor")?).await?;
        wait_text(
            driver,
            &in_card("pro", "tier-price"),
            &yearly,
            "Pro per year",
        )
        .await?;
        let per_month = intl(driver, "en-US", "USD", minor(year, "per_month_minor")?).await?;
        wait_containing(
            driver,
            &in_card("pro", "tier-per-month"),
            &per_month,
            "Pro's monthly equivalent",
        )
        .await?;
        let saving = text(driver, &in_card("pro", "tier-saving"))
            .await?
            .unwrap_or_default();
        ensure(
            shows_percent(&saving, 16),
            format!("Pro's saving reads {saving:?}, not 16 %"),
        )?;
        for plan in ["studio", "max"] {
            let price = api_price(&pricing, plan, "year")?;
            let shown = intl(driver, "en-US", "USD", minor(price, "shown_minor")?).await?;
            wait_text(
                driver,
                &in_card(plan, "tier-price"),
                &shown,
                &format!("{plan} per year"),
            )
            .await?;
            let saving = text(driver, &in_card(plan, "tier-saving"))
                .await?
                .unwrap_or_default();
            let percent = minor(price, "saving_percent")?;
            ensure(
                shows_percent(&saving, percent),
                format!("{plan}'s saving reads {saving:?}; the API says {percent} %"),
            )?;
        }
        // The focus is still where the user pressed, after the table re-rendered.
        wait_pressed_and_focused(driver, "year").await?;
        driver
            .screenshot(&screenshot_path("pricing-yearly")?)
            .await?;

        // Back to monthly by keyboard: the month button focused, then Space.
        driver
            .execute(
                &format!("{}.focus();", inside("[data-testid=interval-month]")),
                Vec::new(),
            )
            .await?;
        driver.action_chain().send_keys(" ").perform().await?;
        wait_pressed_and_focused(driver, "month").await?;
        wait_text(
            driver,
            &in_card("pro", "tier-price"),
            &monthly,
            "Pro per month again",
        )
        .await?;

        // The chosen plan's event names the interval and currency it was chosen at.
        click(driver, "[data-testid=interval-year]").await?;
        wait_pressed_and_focused(driver, "year").await?;
        click(driver, &in_card("studio", "choose")).await?;
        let chosen = wait_for(
            driver,
            "return window.chosen.length ? window.chosen : null;",
        )
        .await?;
        ensure(
            chosen == json!([{ "plan": "studio", "interval": "year", "currency": "USD" }]),
            format!("choosing yearly Studio fired {chosen}"),
        )?;

        // With the toggle off, the host's interval holds and no toggle is shown.
        mount(
            driver,
            fixture,
            &[
                ("view", "tiers"),
                ("catalogue", "stable-audio"),
                ("locale", "en-US"),
                ("interval", "year"),
                ("interval-toggle", "off"),
            ],
            &in_card("pro", "tier-price"),
        )
        .await?;
        wait_text(
            driver,
            &in_card("pro", "tier-price"),
            &yearly,
            "Pro with interval=year",
        )
        .await?;
        let toggle = text(driver, "[data-testid=interval-toggle]").await?;
        ensure(
            toggle.is_none(),
            format!("interval-toggle=\"off\" still shows a toggle: {toggle:?}"),
        )
    })
    .await
}

/// Every plan's monthly price in the widget equals the API's for `currency`, formatted by
/// `Intl` for one of `locales`; returns the Pro price as shown.
async fn prices_match(
    driver: &WebDriver,
    pricing: &Value,
    currency: &str,
    locales: &[&str],
    what: &str,
) -> Result<String, Error> {
    ensure(
        pricing["currency"] == currency,
        format!(
            "{what}: the API picks {}, not {currency}",
            pricing["currency"]
        ),
    )?;
    let mut pro = String::new();
    for plan in PLANS {
        let amount = minor(api_price(pricing, plan, "month")?, "shown_minor")?;
        let mut expected = Vec::new();
        for locale in locales {
            expected.push(intl(driver, locale, currency, amount).await?);
        }
        let script = format!(
            "const t = {}?.textContent; return t && {}.includes(t) ? t : null;",
            inside(&in_card(plan, "tier-price")),
            json!(expected)
        );
        let shown = match wait_for(driver, &script).await {
            Ok(shown) => shown.as_str().unwrap_or_default().to_owned(),
            Err(_) => {
                let shown = text(driver, &in_card(plan, "tier-price")).await?;
                return Err(format!(
                    "{what}: {plan} shows {shown:?}; the API says {amount} minor units of \
                     {currency}, that is {}",
                    expected.join(" or ")
                )
                .into());
            }
        };
        if plan == "pro" {
            pro = shown;
        }
    }
    Ok(pro)
}

/// `currency` and `region` pick the table's currency: GBP shows £, region DE shows €,
/// a Japanese locale without a region shows ¥ with no decimals, an English locale without
/// a region follows the browser's language; CHF is a readable error naming the four
/// currencies the catalogue prices in.
pub async fn currency_and_region_pick_the_currency(fixture: &Fixture) -> Outcome {
    let base = [("view", "tiers"), ("catalogue", "stable-audio")];
    let pro = in_card("pro", "tier-price");
    with_browser(fixture, async |driver| {
        // currency="GBP"
        let pricing = api_pricing(fixture, &json!({ "currency": "GBP" })).await?;
        let mut attributes = base.to_vec();
        attributes.extend([("locale", "en-US"), ("currency", "GBP")]);
        mount(driver, fixture, &attributes, &pro).await?;
        let shown = prices_match(driver, &pricing, "GBP", &["en-US"], "currency=GBP").await?;
        ensure(
            shown.contains('£'),
            format!("currency=GBP: Pro shows {shown:?}, without £"),
        )?;

        // region="DE" (the locale's own region is US)
        let pricing = api_pricing(fixture, &json!({ "region": "DE" })).await?;
        let mut attributes = base.to_vec();
        attributes.extend([("locale", "en-US"), ("region", "DE")]);
        mount(driver, fixture, &attributes, &pro).await?;
        let shown = prices_match(driver, &pricing, "EUR", &["en-US"], "region=DE").await?;
        ensure(
            shown.contains('€'),
            format!("region=DE: Pro shows {shown:?}, without €"),
        )?;

        // locale="ja-JP", no region: the locale's region JP maps to JPY.
        let pricing = api_pricing(fixture, &json!({ "region": "JP" })).await?;
        ensure(
            minor(api_price(&pricing, "pro", "month")?, "shown_minor")? == 1800,
            format!("the API's Pro price in JPY is not 1800: {pricing}"),
        )?;
        let mut attributes = base.to_vec();
        attributes.push(("locale", "ja-JP"));
        mount(driver, fixture, &attributes, &pro).await?;
        let shown =
            prices_match(driver, &pricing, "JPY", &["ja-JP", "en-US"], "locale=ja-JP").await?;
        let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
        ensure(
            (shown.contains('¥') || shown.contains('\u{ffe5}')) && digits == "1800",
            format!("locale=ja-JP: Pro shows {shown:?}, not ¥1,800 without decimals"),
        )
    })
    .await?;

    // locale="en", no region: the browser's language (de-DE) gives the region.
    with_browser_in(fixture, "de-DE", async |driver| {
        let mut attributes = base.to_vec();
        attributes.push(("locale", "en"));
        mount(driver, fixture, &attributes, &pro).await?;
        let language = driver
            .execute("return navigator.language;", Vec::new())
            .await?
            .json()
            .clone();
        ensure(
            language == "de-DE",
            format!("the browser's language is {language}, not de-DE"),
        )?;
        let pricing = api_pricing(fixture, &json!({ "region": "DE" })).await?;
        let shown = prices_match(
            driver,
            &pricing,
            "EUR",
            &["en", "en-US", "de-DE"],
            "locale=en in a de-DE browser",
        )
        .await?;
        ensure(
            shown.contains('€'),
            format!("locale=en in a de-DE browser: Pro shows {shown:?}, without €"),
        )
    })
    .await?;

    // currency="CHF": the API refuses it, and the widget says why instead of going blank.
    let (status, problem) = fixture
        .post_status("/api/v1/pricing", &json!({ "currency": "CHF" }))
        .await?;
    let detail = problem["detail"].as_str().unwrap_or_default();
    ensure(
        status == reqwest::StatusCode::UNPROCESSABLE_ENTITY
            && CURRENCIES.iter().all(|c| detail.contains(c)),
        format!("the API answers CHF with {status}: {problem}"),
    )?;
    with_browser(fixture, async |driver| {
        let mut attributes = base.to_vec();
        attributes.extend([("locale", "en-US"), ("currency", "CHF")]);
        mount(driver, fixture, &attributes, "[data-testid=error]").await?;
        let shown = driver
            .execute(
                &format!(
                    "const root = document.getElementById({ID:?}).shadowRoot; \
                     const error = root.querySelector('[data-testid=error]'); const r = error.getBoundingClientRect(); \
                     return {{ text: error.innerText, visible: r.width > 0 && r.height > 0, \
                              cards: root.querySelectorAll('[data-testid=tier]').length }};"
                ),
                Vec::new(),
            )
            .await?
            .json()
            .clone();
        let message = shown["text"].as_str().unwrap_or_default();
        ensure(
            shown["visible"] == true
                && shown["cards"] == 0
                && message.contains("CHF")
                && CURRENCIES.iter().all(|c| message.contains(c)),
            format!(
                "currency=CHF: expected a visible message naming CHF and {}, got {shown}",
                CURRENCIES.join(", ")
            ),
        )
    })
    .await
}

/// With `tax-inclusive-rate-bp="1900"` in EUR, each price includes tax: Pro's 10.99 is
/// shown as 13.08 (1099 + round(208.81)), yearly as the API says, under one tax label;
/// without the attribute there is no label and the plain price.
pub async fn tax_inclusive_prices_carry_a_label(fixture: &Fixture) -> Outcome {
    let plain = api_pricing(fixture, &json!({ "currency": "EUR" })).await?;
    let taxed = api_pricing(
        fixture,
        &json!({ "currency": "EUR", "tax_inclusive_rate_bp": 1900 }),
    )
    .await?;
    let month = api_price(&taxed, "pro", "month")?;
    ensure(
        minor(month, "amount_minor")? == 1099 && minor(month, "shown_minor")? == 1308,
        format!("the API's tax-inclusive Pro price in EUR is {month}, not 1099 shown as 1308"),
    )?;
    let base = [
        ("view", "tiers"),
        ("catalogue", "stable-audio"),
        ("locale", "en-US"),
        ("currency", "EUR"),
    ];
    let pro = in_card("pro", "tier-price");
    with_browser(fixture, async |driver| {
        mount(driver, fixture, &base, &pro).await?;
        prices_match(driver, &plain, "EUR", &["en-US"], "EUR without tax").await?;
        let labels = count(driver, "[data-testid=tax-label]").await?;
        ensure(
            labels == 0,
            format!("without tax-inclusive-rate-bp the table shows {labels} tax label(s)"),
        )?;

        let mut attributes = base.to_vec();
        attributes.push(("tax-inclusive-rate-bp", "1900"));
        mount(driver, fixture, &attributes, &pro).await?;
        let shown = prices_match(driver, &taxed, "EUR", &["en-US"], "EUR with 19 % tax").await?;
        ensure(
            shown == intl(driver, "en-US", "EUR", 1308).await?,
            format!("Pro with 19 % tax shows {shown:?}, not 13.08"),
        )?;
        let labels = count(driver, "[data-testid=tax-label]").await?;
        let label = text(driver, "[data-testid=tax-label]")
            .await?
            .unwrap_or_default();
        let lower = label.to_lowercase();
        ensure(
            labels == 1 && (lower.contains("tax") || lower.contains("vat")),
            format!("the tax-inclusive table has {labels} tax label(s), reading {label:?}"),
        )?;

        click(driver, "[data-testid=interval-year]").await?;
        for plan in ["pro", "studio", "max"] {
            let year = api_price(&taxed, plan, "year")?;
            let total = intl(driver, "en-US", "EUR", minor(year, "shown_minor")?).await?;
            wait_text(
                driver,
                &in_card(plan, "tier-price"),
                &total,
                &format!("{plan} per year with tax"),
            )
            .await?;
            let per_month = intl(driver, "en-US", "EUR", minor(year, "per_month_minor")?).await?;
            wait_containing(
                driver,
                &in_card(plan, "tier-per-month"),
                &per_month,
                &format!("{plan}'s monthly equivalent with tax"),
            )
            .await?;
            let saving = text(driver, &in_card(plan, "tier-saving"))
                .await?
                .unwrap_or_default();
            let percent = minor(year, "saving_percent")?;
            ensure(
                shows_percent(&saving, percent),
                format!("{plan}'s saving with tax reads {saving:?}; the API says {percent} %"),
            )?;
        }
        let labels = count(driver, "[data-testid=tax-label]").await?;
        ensure(
            labels == 1,
            format!("the yearly tax-inclusive table has {labels} tax labels, not one"),
        )?;
        driver
            .screenshot(&screenshot_path("pricing-tax-inclusive")?)
            .await?;
        Ok(())
    })
    .await
}

/// How many elements match `selector` in the widget.
async fn count(driver: &WebDriver, selector: &str) -> Result<u64, Error> {
    let n = driver
        .execute(
            &format!(
                "return document.getElementById({ID:?}).shadowRoot.querySelectorAll({selector:?}).length;"
            ),
            Vec::new(),
        )
        .await?
        .json()
        .clone();
    n.as_u64()
        .ok_or_else(|| format!("cannot count {selector}: {n}").into())
}

/// A page of the accessibility audit: what it is, the widget's attributes, and a selector
/// that shows it rendered.
type Page = (&'static str, Vec<(&'static str, &'static str)>, String);

/// A subscription the due-now amounts are computed for.
struct Customer {
    plan: &'static str,
    interval: &'static str,
    currency: &'static str,
    started_at: &'static str,
    /// The `tax-rate-bp` attribute, and `tax_rate_bp` of the API request.
    tax_rate_bp: Option<&'static str>,
}

impl Customer {
    /// The widget's attributes for this customer, with the table at `interval`.
    fn attributes(&self, interval: &'static str) -> Vec<(&'static str, &'static str)> {
        let mut attributes = vec![
            ("view", "tiers"),
            ("catalogue", "stable-audio"),
            ("locale", "en-US"),
            ("time-zone", ZONE),
            ("at", AT),
            ("current-plan", self.plan),
            ("current-interval", self.interval),
            ("started-at", self.started_at),
            ("currency", self.currency),
            ("interval", interval),
        ];
        if let Some(bp) = self.tax_rate_bp {
            attributes.push(("tax-rate-bp", bp));
        }
        attributes
    }

    /// `POST /api/v1/previews/change` from this subscription to `plan` at `interval`.
    async fn preview(&self, fixture: &Fixture, plan: &str, interval: &str) -> Result<Value, Error> {
        let mut request = json!({
            "subscription": {
                "plan": self.plan,
                "started_at": self.started_at,
                "time_zone": ZONE,
                "interval": self.interval,
                "currency": self.currency,
            },
            "to_plan": plan,
            "to_interval": interval,
            "at": AT,
        });
        if let Some(bp) = self.tax_rate_bp {
            request["tax_rate_bp"] = json!(bp.parse::<u32>()?);
        }
        fixture.post_json("/api/v1/previews/change", &request).await
    }
}

/// The buttons of the mounted table: plan, action, due-now and currency of each card.
const BUTTONS: &str = "const root = document.getElementById('pricing')?.shadowRoot; \
    const cards = root ? [...root.querySelectorAll('[data-testid=tier]')] : []; \
    return cards.map(c => { const b = c.querySelector('[data-testid=choose]'); \
      return { plan: c.dataset.plan, action: b?.dataset.action ?? null, \
               due: b?.dataset.dueMinor ?? null, currency: b?.dataset.currency ?? null, \
               text: c.textContent }; });";

/// Checks one table of due-now amounts: each card's action is as `actions` says (`None`:
/// either way), every change away from the current plan and interval carries a due-now,
/// and each due-now equals the API's for the same change.
async fn due_now_matches(
    driver: &WebDriver,
    fixture: &Fixture,
    customer: &Customer,
    interval: &'static str,
    actions: &[(&str, Option<&str>)],
) -> Outcome {
    let what = format!(
        "{} {}ly in {}, the table {}ly",
        customer.plan, customer.interval, customer.currency, interval
    );
    mount(
        driver,
        fixture,
        &customer.attributes(interval),
        "[data-testid=choose][data-action]",
    )
    .await
    .map_err(|e| format!("{what}: {e}"))?;
    let current = |plan: &str| plan == customer.plan && interval == customer.interval;
    let required: Vec<&str> = actions
        .iter()
        .map(|(plan, _)| *plan)
        .filter(|plan| *plan != "free" && !current(plan))
        .collect();
    let wait = format!(
        "const buttons = (() => {{ {BUTTONS} }})(); \
         return {}.every(p => buttons.some(b => b.plan === p && b.due !== null)) ? buttons : null;",
        json!(required)
    );
    let buttons = match wait_for(driver, &wait).await {
        Ok(buttons) => buttons,
        Err(_) => {
            let mut seen = driver.execute(BUTTONS, Vec::new()).await?.json().clone();
            if let Some(buttons) = seen.as_array_mut() {
                for button in buttons {
                    if let Some(button) = button.as_object_mut() {
                        button.remove("text");
                    }
                }
            }
            return Err(format!(
                "{what}: the buttons of {required:?} should carry data-due-minor; saw {seen}"
            )
            .into());
        }
    };
    let buttons = buttons.as_array().cloned().unwrap_or_default();
    let plans: Vec<&str> = buttons.iter().filter_map(|b| b["plan"].as_str()).collect();
    ensure(
        plans == PLANS,
        format!("{what}: the table shows the plans {plans:?}"),
    )?;
    for (plan, action) in actions {
        let button = buttons
            .iter()
            .find(|b| b["plan"] == *plan)
            .ok_or_else(|| format!("{what}: no {plan} card"))?;
        if let Some(action) = action {
            ensure(
                button["action"] == *action,
                format!(
                    "{what}: {plan}'s button says {}, not {action}",
                    button["action"]
                ),
            )?;
        }
        if current(plan) {
            ensure(
                button["due"].is_null(),
                format!("{what}: the current plan's button carries a due-now: {button}"),
            )?;
            continue;
        }
        let Some(due) = button["due"].as_str() else {
            continue;
        };
        let due: i64 = due
            .parse()
            .map_err(|_| format!("{what}: {plan}'s data-due-minor is not an integer: {button}"))?;
        // The free plan is sold per month only, so its card stays monthly in a yearly table.
        let to_interval = if *plan == "free" { "month" } else { interval };
        let api = customer.preview(fixture, plan, to_interval).await?;
        let api_due = api["due_now"]["amount_minor"]
            .as_i64()
            .ok_or_else(|| format!("{what}: the API's preview has no due_now: {api}"))?;
        let api_currency = api["due_now"]["currency"].clone();
        ensure(
            due == api_due && button["currency"] == api_currency,
            format!(
                "{what}: {plan}'s button says {due} {}; POST /api/v1/previews/change says \
                 {api_due} {api_currency} ({} from {}ly {} to {to_interval}ly {plan})",
                button["currency"], api["kind"], customer.interval, customer.plan
            ),
        )?;
        if due > 0 {
            let amount = intl(driver, "en-US", customer.currency, due).await?;
            let card = button["text"].as_str().unwrap_or_default();
            ensure(
                card.contains(&amount),
                format!("{what}: {plan}'s card does not show the {amount} due now: {card:?}"),
            )?;
        }
    }
    Ok(())
}

/// With a current subscription, each button's due-now amount (data-due-minor,
/// data-currency) equals `POST /api/v1/previews/change` for the same subscription, plan,
/// interval, instant and tax: a monthly Pro customer in EUR with 20 % tax, and a yearly
/// Studio customer in GBP without tax, each on both tables.
pub async fn due_now_on_each_button_matches_the_api(fixture: &Fixture) -> Outcome {
    let monthly_pro = Customer {
        plan: "pro",
        interval: "month",
        currency: "EUR",
        started_at: "2026-01-31T09:00:00Z",
        tax_rate_bp: Some("2000"),
    };
    let yearly_studio = Customer {
        plan: "studio",
        interval: "year",
        currency: "GBP",
        started_at: "2025-11-20T10:30:00Z",
        tax_rate_bp: None,
    };
    with_browser(fixture, async |driver| {
        due_now_matches(
            driver,
            fixture,
            &monthly_pro,
            "year",
            &[
                ("free", Some("cancel")),
                ("pro", Some("switch-to-yearly")),
                ("studio", Some("upgrade")),
                ("max", Some("upgrade")),
            ],
        )
        .await?;
        driver
            .screenshot(&screenshot_path("pricing-due-now")?)
            .await?;
        due_now_matches(
            driver,
            fixture,
            &monthly_pro,
            "month",
            &[
                ("free", Some("cancel")),
                ("pro", Some("current")),
                ("studio", Some("upgrade")),
                ("max", Some("upgrade")),
            ],
        )
        .await?;
        due_now_matches(
            driver,
            fixture,
            &yearly_studio,
            "year",
            &[
                ("free", Some("cancel")),
                ("pro", Some("downgrade")),
                ("studio", Some("current")),
                ("max", Some("upgrade")),
            ],
        )
        .await?;
        due_now_matches(
            driver,
            fixture,
            &yearly_studio,
            "month",
            &[
                ("free", Some("cancel")),
                ("pro", Some("downgrade")),
                ("studio", Some("switch-to-monthly")),
                ("max", None),
            ],
        )
        .await
    })
    .await
}

/// The checkout's attributes: monthly Pro in EUR since 31 January, to `target` yearly.
fn checkout_attributes(target: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("view", "checkout"),
        ("catalogue", "stable-audio"),
        ("locale", "en-US"),
        ("time-zone", ZONE),
        ("at", AT),
        ("current-plan", "pro"),
        ("current-interval", "month"),
        ("started-at", "2026-01-31T09:00:00Z"),
        ("currency", "EUR"),
        ("tax-rate-bp", "2000"),
        ("target-plan", target),
        ("target-interval", "year"),
    ]
}

/// The checkout with `target-interval="year"`: due now, the lines and the
/// `ratecard:preview` event (with its interval and currency) equal
/// `POST /api/v1/previews/change`; the editable form offers the target interval.
pub async fn checkout_to_yearly_matches_the_api(fixture: &Fixture) -> Outcome {
    let customer = Customer {
        plan: "pro",
        interval: "month",
        currency: "EUR",
        started_at: "2026-01-31T09:00:00Z",
        tax_rate_bp: Some("2000"),
    };
    with_browser(fixture, async |driver| {
        for target in ["pro", "studio"] {
            let api = customer.preview(fixture, target, "year").await?;
            let due = api["due_now"]["amount_minor"]
                .as_i64()
                .ok_or_else(|| format!("the API's preview has no due_now: {api}"))?;
            ensure(
                api["due_now"]["currency"] == "EUR",
                format!(
                    "the API prices the change in {}",
                    api["due_now"]["currency"]
                ),
            )?;
            let lines: Vec<i64> = api["lines"]
                .as_array()
                .map(|l| {
                    l.iter()
                        .filter_map(|l| l["amount_minor"].as_i64())
                        .collect()
                })
                .unwrap_or_default();
            // Listen before the widget exists, so its first preview is heard.
            driver
                .goto(format!("{}/pricing.html", fixture.host))
                .await?;
            driver
                .execute(
                    "window.previews = []; document.addEventListener('ratecard:preview', \
                       e => window.previews.push(e.detail));",
                    Vec::new(),
                )
                .await?;
            let attributes: serde_json::Map<String, Value> = checkout_attributes(target)
                .into_iter()
                .map(|(n, v)| (n.to_owned(), json!(v)))
                .collect();
            driver
                .execute(
                    &format!(
                        "const w = document.createElement('ratecard-widget'); w.id = {ID:?}; \
                         for (const [n, v] of Object.entries(arguments[0])) w.setAttribute(n, v); \
                         document.getElementById('slot').append(w);"
                    ),
                    vec![Value::Object(attributes)],
                )
                .await?;
            let event = wait_for(
                driver,
                &format!(
                    "const p = window.previews.at(-1); \
                     return p && p.due_now_minor === {due} ? p : null;"
                ),
            )
            .await;
            let event = match event {
                Ok(event) => event,
                Err(_) => {
                    let seen = driver
                        .execute("return window.previews;", Vec::new())
                        .await?;
                    let shown = text(driver, "[data-testid=checkout]").await?;
                    return Err(format!(
                        "checkout pro monthly → {target} yearly: the API says {due} EUR due \
                         ({}); the widget reported {} and shows {shown:?}",
                        api["kind"],
                        seen.json()
                    )
                    .into());
                }
            };
            let widget_lines: Vec<i64> = event["lines"]
                .as_array()
                .map(|l| {
                    l.iter()
                        .filter_map(|l| l["amount_minor"].as_i64())
                        .collect()
                })
                .unwrap_or_default();
            ensure(
                event["interval"] == "year" && event["currency"] == "EUR" && widget_lines == lines,
                format!(
                    "checkout to {target} yearly: the event is {event}; the API says lines \
                     {lines:?} ({}), currency EUR, interval year",
                    api["kind"]
                ),
            )?;
            let amount = intl(driver, "en-US", "EUR", due).await?;
            wait_containing(
                driver,
                "[data-testid=due-now]",
                &amount,
                &format!("checkout to {target} yearly: due now"),
            )
            .await?;
        }
        driver
            .execute(
                &format!("document.getElementById({ID:?}).setAttribute('editable', '');"),
                Vec::new(),
            )
            .await?;
        let field = wait_for(
            driver,
            &format!("return {};", inside("[data-testid=field-target-interval]")),
        )
        .await;
        ensure(
            field.is_ok(),
            "the editable checkout has no field-target-interval",
        )
    })
    .await
}

/// axe-core finds no violation on any of these tables: yearly with the toggle pressed,
/// GBP, region DE, Japanese, the CHF error, tax-inclusive, the due-now buttons, and the
/// editable checkout to a yearly plan.
pub async fn axe_finds_no_violations_on_the_pricing_pages(fixture: &Fixture) -> Outcome {
    let axe = axe_source()?;
    let tiers = [("view", "tiers"), ("catalogue", "stable-audio")];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut all = tiers.to_vec();
        all.extend_from_slice(extra);
        all
    };
    let pro = in_card("pro", "tier-price");
    let pages: Vec<Page> = vec![
        (
            "the GBP table",
            with(&[("locale", "en-US"), ("currency", "GBP")]),
            pro.clone(),
        ),
        (
            "the region DE table",
            with(&[("locale", "en-US"), ("region", "DE")]),
            pro.clone(),
        ),
        (
            "the Japanese table",
            with(&[("locale", "ja-JP")]),
            pro.clone(),
        ),
        (
            "the CHF error",
            with(&[("locale", "en-US"), ("currency", "CHF")]),
            "[data-testid=error]".to_owned(),
        ),
        (
            "the tax-inclusive EUR table",
            with(&[
                ("locale", "en-US"),
                ("currency", "EUR"),
                ("tax-inclusive-rate-bp", "1900"),
            ]),
            "[data-testid=tax-label]".to_owned(),
        ),
        (
            "the due-now buttons",
            with(&[
                ("locale", "en-US"),
                ("time-zone", ZONE),
                ("at", AT),
                ("current-plan", "pro"),
                ("current-interval", "month"),
                ("started-at", "2026-01-31T09:00:00Z"),
                ("currency", "EUR"),
                ("tax-rate-bp", "2000"),
                ("interval", "year"),
            ]),
            "[data-testid=choose][data-due-minor]".to_owned(),
        ),
        (
            "the editable checkout to yearly Studio",
            {
                let mut all = checkout_attributes("studio");
                all.push(("editable", ""));
                all
            },
            "[data-testid=due-now]".to_owned(),
        ),
    ];
    with_browser(fixture, async |driver| {
        mount(
            driver,
            fixture,
            &with(&[("locale", "en-US")]),
            "[data-testid=interval-year]",
        )
        .await?;
        click(driver, "[data-testid=interval-year]").await?;
        wait_pressed_and_focused(driver, "year").await?;
        audit(driver, &axe, "the yearly table with the toggle pressed").await?;
        for (what, attributes, ready) in pages {
            mount(driver, fixture, &attributes, &ready)
                .await
                .map_err(|e| format!("{what}: {e}"))?;
            audit(driver, &axe, what).await?;
        }
        Ok(())
    })
    .await
}

/// At 320 px the yearly EUR table, with its toggle, savings and due-now buttons, fits
/// the window and its cards stack.
pub async fn the_yearly_eur_table_fits_320_px(fixture: &Fixture) -> Outcome {
    with_browser(fixture, async |driver| {
        narrow_window(driver).await?;
        for (what, extra) in [
            ("the yearly EUR table", vec![]),
            (
                "the yearly EUR table with due-now buttons and tax",
                vec![
                    ("time-zone", ZONE),
                    ("at", AT),
                    ("current-plan", "pro"),
                    ("current-interval", "month"),
                    ("started-at", "2026-01-31T09:00:00Z"),
                    ("tax-rate-bp", "2000"),
                    ("tax-inclusive-rate-bp", "1900"),
                ],
            ),
        ] {
            let mut attributes = vec![
                ("view", "tiers"),
                ("catalogue", "stable-audio"),
                ("locale", "en-US"),
                ("currency", "EUR"),
                ("interval", "year"),
            ];
            attributes.extend(extra);
            mount(driver, fixture, &attributes, &in_card("pro", "tier-saving")).await?;
            let price = text(driver, &in_card("pro", "tier-price"))
                .await?
                .unwrap_or_default();
            ensure(
                price.contains('€'),
                format!("{what}: Pro shows {price:?}, not a euro price"),
            )?;
            wait_for(
                driver,
                &format!("return {};", inside("[data-testid=interval-toggle]")),
            )
            .await
            .map_err(|_| format!("{what}: no interval toggle"))?;
            fits_its_window(driver, ID, what).await?;
            tier_cards_stack(driver, ID).await?;
        }
        driver
            .screenshot(&screenshot_path("narrow-pricing-yearly-eur")?)
            .await?;
        Ok(())
    })
    .await
}
