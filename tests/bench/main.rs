//! Browser benchmarks run by `cargo xtask bench`: the first render of the tier table
//! against a static HTML copy of the same table, and the checkout's input-to-repaint time.
//!
//! The real `ratecard-server` serves `RATECARD_DIST`, a copy of the built widget that this
//! binary adds its pages to; chromedriver drives headless Chromium. Every cold load is a
//! fresh browser session with an empty profile, so nothing is cached. The samples go to
//! `RATECARD_BENCH_OUT` as `name value` lines, one sample a line, for xtask to summarise.
//!
//! `RATECARD_BENCH_LOADS` sets the cold loads per page (default 20) and
//! `RATECARD_BENCH_REPAINTS` the plan changes (default 20).

#![allow(clippy::float_arithmetic)]

#[path = "../e2e/host_server.rs"]
#[allow(dead_code)]
mod host_server;
#[path = "../e2e/support.rs"]
#[allow(dead_code)]
mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};
use support::{Error, Fixture, ensure, in_widget, wait_for};

/// The mark both pages set once the tier table is painted.
const MARK: &str = "ratecard:tiers-painted";
/// The static floor: the widget's tier table as plain HTML.
const STATIC_PAGE: &str = "bench-static-tiers.html";
const STATIC_CSS: &str = "bench-static-tiers.css";
const STATIC_SCRIPT: &str = "bench-static-mark.js";
/// The checkout page with the widget's own inputs.
const CHECKOUT_PAGE: &str = "bench-checkout.html";

/// The two plans the repaint benchmark switches between.
const PLANS: [&str; 2] = ["max", "studio"];

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("bench: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn env_count(name: &str, default: usize) -> Result<usize, Error> {
    match std::env::var(name) {
        Ok(text) => Ok(text
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or(format!("{name} must be a positive number, not {text:?}"))?),
        Err(_) => Ok(default),
    }
}

async fn run() -> Result<(), Error> {
    let loads = env_count("RATECARD_BENCH_LOADS", 20)?;
    let repaints = env_count("RATECARD_BENCH_REPAINTS", 20)?;
    let out = std::env::var_os("RATECARD_BENCH_OUT")
        .map(PathBuf::from)
        .ok_or("RATECARD_BENCH_OUT is not set; run the benchmarks with `cargo xtask bench`")?;
    let site = std::env::var_os("RATECARD_DIST")
        .map(PathBuf::from)
        .ok_or("RATECARD_DIST is not set; run the benchmarks with `cargo xtask bench`")?;

    let fixture = Fixture::start().await?;
    let result = measure(&fixture, &site, loads, repaints).await;
    fixture.stop().await;
    let samples = result?;
    std::fs::write(&out, samples).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("bench: samples written to {}", out.display());
    Ok(())
}

async fn measure(
    fixture: &Fixture,
    site: &Path,
    loads: usize,
    repaints: usize,
) -> Result<String, Error> {
    let mut samples = String::new();
    let tiers = write_static_page(fixture, site).await?;
    println!("bench: the static floor shows the same {tiers} tiers");

    println!("bench: first render, {loads} cold loads of each page");
    let widget_url = format!("{}/", fixture.base);
    let static_url = format!("{}/{STATIC_PAGE}", fixture.base);
    for _ in 0..loads {
        let widget = cold_load(fixture, &widget_url, "ratecard-widget", tiers).await?;
        let floor = cold_load(fixture, &static_url, "ratecard-static", tiers).await?;
        println!("bench:   widget {widget:.1} ms, static {floor:.1} ms");
        let _ = writeln!(samples, "first_render_widget_ms {widget}");
        let _ = writeln!(samples, "first_render_static_ms {floor}");
    }

    println!("bench: input to repaint, {repaints} plan changes in the checkout");
    for ms in input_to_repaint(fixture, site, repaints).await? {
        let _ = writeln!(samples, "input_to_repaint_ms {ms}");
    }
    Ok(samples)
}

/// The script that answers the mark's time since navigation start, or `null`.
fn mark_script() -> String {
    format!("const m = performance.getEntriesByName({MARK:?})[0]; return m ? m.startTime : null;")
}

/// The number of tiers in the shadow root of the first `tag` element, or `null`.
fn tier_count_script(tag: &str) -> String {
    format!(
        "const r = document.querySelector({tag:?})?.shadowRoot; \
         const n = r ? r.querySelectorAll('[data-testid=tier]').length : 0; \
         return n > 0 ? n : null;"
    )
}

/// Renders the widget's tier table once and writes the static floor from it: the same
/// host page, with the widget replaced by a declarative shadow root holding the rendered
/// markup and the widget's style sheets. Returns the number of tiers.
async fn write_static_page(fixture: &Fixture, site: &Path) -> Result<usize, Error> {
    let driver = fixture.browser().await?;
    let grabbed = async {
        driver.goto(format!("{}/", fixture.base)).await?;
        wait_for(&driver, &mark_script()).await?;
        let value = driver
            .execute(
                "const r = document.querySelector('ratecard-widget').shadowRoot; \
                 const css = r.adoptedStyleSheets \
                   .map(s => Array.from(s.cssRules).map(rule => rule.cssText).join('\\n')) \
                   .join('\\n'); \
                 return { html: r.innerHTML, css, \
                          tiers: r.querySelectorAll('[data-testid=tier]').length, \
                          text: r.textContent };",
                Vec::new(),
            )
            .await?
            .json()
            .clone();
        Ok::<Value, Error>(value)
    }
    .await;
    driver.quit().await?;
    let grabbed = grabbed?;
    let html = grabbed["html"].as_str().unwrap_or_default();
    let css = grabbed["css"].as_str().unwrap_or_default();
    let tiers = grabbed["tiers"]
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    let text = grabbed["text"].as_str().unwrap_or_default();
    ensure(tiers >= 2, format!("the widget painted {tiers} tiers"))?;
    ensure(
        text.contains("Pro") && text.contains("Studio"),
        "the widget's tier table does not name the Pro and Studio plans",
    )?;
    ensure(!css.is_empty(), "the widget adopted no style sheet")?;

    let index = std::fs::read_to_string(site.join("index.html"))?;
    let mut page = String::new();
    let (mut replaced_widget, mut replaced_script) = (false, false);
    for line in index.lines() {
        if line.contains("<ratecard-widget") {
            replaced_widget = true;
            let _ = writeln!(
                page,
                "<ratecard-static><template shadowrootmode=\"open\">\
                 <link rel=\"stylesheet\" href=\"{STATIC_CSS}\" />{html}</template></ratecard-static>"
            );
        } else if line.contains("ratecard.js") {
            replaced_script = true;
            let _ = writeln!(
                page,
                "    <script type=\"module\" src=\"{STATIC_SCRIPT}\"></script>"
            );
        } else {
            let _ = writeln!(page, "{line}");
        }
    }
    ensure(
        replaced_widget && replaced_script,
        "dist/index.html no longer has one <ratecard-widget> line and one ratecard.js line",
    )?;
    std::fs::write(site.join(STATIC_PAGE), page)?;
    std::fs::write(
        site.join(STATIC_CSS),
        format!("ratecard-static {{ display: block; }}\n{css}\n"),
    )?;
    std::fs::write(
        site.join(STATIC_SCRIPT),
        format!(
            "// The floor sets the widget's mark the same way: after the first frame.\n\
             requestAnimationFrame(() => setTimeout(() => performance.mark({MARK:?}), 0));\n"
        ),
    )?;
    Ok(tiers)
}

/// One cold load of `url` in a fresh session: the mark's time in ms since navigation start,
/// after checking that the page shows `tiers` tiers.
async fn cold_load(fixture: &Fixture, url: &str, tag: &str, tiers: usize) -> Result<f64, Error> {
    let driver = fixture.browser().await?;
    let measured = async {
        driver.goto(url).await?;
        let mark = wait_for(&driver, &mark_script()).await?;
        let shown = wait_for(&driver, &tier_count_script(tag)).await?;
        ensure(
            shown.as_u64() == u64::try_from(tiers).ok(),
            format!("{url} shows {shown} tiers, not {tiers}"),
        )?;
        let ms = mark
            .as_f64()
            .filter(|ms| ms.is_finite() && *ms > 0.0)
            .ok_or(format!("{url}: the mark's time is {mark}"))?;
        Ok::<f64, Error>(ms)
    }
    .await;
    driver.quit().await?;
    measured
}

/// Changes the checkout's target plan `repaints` times, alternating between two plans, and
/// returns for each change the ms from just before the change event to the animation
/// frame callback that first sees the new total (its `performance.now()`, taken right
/// before that frame paints; the callback's own timestamp can precede the event).
async fn input_to_repaint(
    fixture: &Fixture,
    site: &Path,
    repaints: usize,
) -> Result<Vec<f64>, Error> {
    let page = "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n\
        \x20   <title>Checkout benchmark</title>\n    <link rel=\"stylesheet\" href=\"demo.css\" />\n\
        \x20   <script type=\"module\" src=\"ratecard.js\"></script>\n  </head>\n  <body>\n\
        \x20   <ratecard-widget view=\"checkout\" editable catalogue=\"stable-audio\" \
        current-plan=\"pro\" started-at=\"2026-01-31T09:00:00Z\" time-zone=\"Europe/London\" \
        target-plan=\"studio\" tax-rate-bp=\"2000\" locale=\"en-GB\" \
        at=\"2026-02-10T09:00:00Z\"></ratecard-widget>\n  </body>\n</html>\n";
    std::fs::write(site.join(CHECKOUT_PAGE), page)?;
    let driver = fixture.browser().await?;
    let measured = async {
        driver
            .goto(format!("{}/{CHECKOUT_PAGE}", fixture.base))
            .await?;
        let due = in_widget(0, "[data-testid=due-now]");
        let select = in_widget(0, "[data-testid=field-target-plan]");
        wait_for(
            &driver,
            &format!("return ({due})?.textContent && ({select}) ? true : null;"),
        )
        .await?;
        let script = format!(
            "const [plan, done] = arguments; \
             const root = document.querySelector('ratecard-widget').shadowRoot; \
             const select = {select}; \
             const before = {due}.textContent; \
             const t0 = performance.now(); \
             select.value = plan; \
             select.dispatchEvent(new Event('input', {{ bubbles: true }})); \
             select.dispatchEvent(new Event('change', {{ bubbles: true }})); \
             const check = () => {{ \
               const now = root.querySelector('[data-testid=due-now]')?.textContent ?? null; \
               if (now !== null && now !== before) {{ done({{ ms: performance.now() - t0, before, after: now }}); return; }} \
               if (performance.now() - t0 > 5000) {{ done({{ error: 'the total did not change', before }}); return; }} \
               requestAnimationFrame(check); \
             }}; \
             requestAnimationFrame(check);"
        );
        let mut samples = Vec::new();
        let mut totals: [Option<String>; 2] = [None, None];
        for i in 0..repaints {
            let which = i % PLANS.len();
            let answer = driver
                .execute_async(&script, vec![json!(PLANS[which])])
                .await?
                .json()
                .clone();
            if let Some(error) = answer["error"].as_str() {
                return Err(format!("changing to {}: {error}", PLANS[which]).into());
            }
            let after = answer["after"].as_str().unwrap_or_default().to_owned();
            ensure(
                after.chars().any(|c| c.is_ascii_digit()),
                format!("the new total {after:?} is not an amount"),
            )?;
            // Each plan must always show the same total.
            match &totals[which] {
                Some(seen) => ensure(
                    *seen == after,
                    format!("{} showed {seen:?} and then {after:?}", PLANS[which]),
                )?,
                None => totals[which] = Some(after.clone()),
            }
            let ms = answer["ms"]
                .as_f64()
                .filter(|ms| ms.is_finite() && *ms >= 0.0)
                .ok_or(format!("no finite time in {answer}"))?;
            samples.push(ms);
        }
        println!(
            "bench:   totals: {} for {}, {} for {}",
            totals[0].as_deref().unwrap_or("?"),
            PLANS[0],
            totals[1].as_deref().unwrap_or("?"),
            PLANS[1]
        );
        Ok::<Vec<f64>, Error>(samples)
    }
    .await;
    driver.quit().await?;
    measured
}
