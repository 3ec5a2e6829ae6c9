//! End-to-end tests: the real `ratecard-server` serving the built widget, driven in
//! headless Chromium through chromedriver. Run them with `cargo xtask test`, which builds
//! the widget and the server first and passes their paths in `RATECARD_DIST` and
//! `RATECARD_SERVER_BIN`.
//!
//! The suite has its own small runner (the target sets `harness = false`) so that one
//! server and one chromedriver serve every scenario.

mod checkout;
mod console;
mod embedding;
mod host_server;
mod js_api;
mod layout;
mod pricing;
mod quality;
mod support;
mod support_view;
mod tiers;

use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;

use support::{Fixture, Outcome};

type Scenario = for<'a> fn(&'a Fixture) -> Pin<Box<dyn Future<Output = Outcome> + 'a>>;

macro_rules! scenarios {
    ($($path:path),* $(,)?) => {
        vec![$((stringify!($path), (|f| Box::pin($path(f))) as Scenario)),*]
    };
}

fn main() -> ExitCode {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("e2e: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(filter))
}

async fn run(filter: Option<String>) -> ExitCode {
    let all: Vec<(&str, Scenario)> = scenarios![
        tiers::pro_price_matches_the_api,
        tiers::choosing_a_plan_fires_an_event,
        js_api::properties_mirror_attributes,
        js_api::mount_builds_a_widget_from_options,
        js_api::each_view_downloads_only_its_bundle,
        js_api::a_zone_that_cannot_be_fetched_is_explained,
        checkout::upgrade_preview_matches_the_api,
        support_view::sample_history_matches_the_ledger_api,
        console::agent_signs_in_searches_and_reads_a_refund,
        console::a_wrong_key_shows_the_401_message,
        embedding::all_views_render_on_a_cross_origin_page,
        embedding::two_instances_work_independently,
        embedding::a_host_page_themes_the_widget,
        embedding::injected_names_render_as_text,
        embedding::broken_inputs_show_messages_and_the_host_keeps_working,
        embedding::keyboard_only_reaches_and_chooses_a_plan,
        embedding::cors_allows_only_the_listed_origin,
        embedding::a_trap_marks_every_widget_as_failed,
        embedding::the_snippet_renders_from_a_server_with_default_flags,
        quality::axe_finds_no_violations_on_any_view,
        quality::the_widget_works_under_a_strict_csp,
        quality::every_view_fits_320_px,
        quality::german_is_complete_on_tiers_and_checkout,
        quality::reduced_motion_turns_transitions_off,
        pricing::the_toggle_switches_prices_and_keeps_focus,
        pricing::currency_and_region_pick_the_currency,
        pricing::tax_inclusive_prices_carry_a_label,
        pricing::due_now_on_each_button_matches_the_api,
        pricing::checkout_to_yearly_matches_the_api,
        pricing::axe_finds_no_violations_on_the_pricing_pages,
        pricing::the_yearly_eur_table_fits_320_px,
    ];
    let selected: Vec<_> = all
        .into_iter()
        .filter(|(name, _)| filter.as_deref().is_none_or(|f| name.contains(f)))
        .collect();
    let fixture = match Fixture::start().await {
        Ok(fixture) => fixture,
        Err(e) => {
            eprintln!("e2e: cannot start the fixture: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "\nrunning {} end-to-end scenarios against {}",
        selected.len(),
        fixture.base
    );
    let (mut passed, mut failed) = (0, 0);
    for (name, scenario) in selected {
        match scenario(&fixture).await {
            Ok(()) => {
                passed += 1;
                println!("test {name} ... ok");
            }
            Err(e) => {
                failed += 1;
                println!("test {name} ... FAILED\n    {e}");
            }
        }
    }
    fixture.stop().await;
    println!("\ne2e: {passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
