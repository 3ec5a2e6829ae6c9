//! The flags: defaults, repetition and validation.

use clap::Parser;
use ratecard_server::{Cli, Config};

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(std::iter::once("ratecard-server").chain(args.iter().copied()))
}

#[test]
fn defaults_need_nothing() {
    let cli = parse(&[]).expect("parses");
    assert_eq!(cli.listen.to_string(), "127.0.0.1:8787");
    assert!(cli.catalogues.is_none() && cli.widget.is_none());
    assert!(cli.allow_origin.is_empty() && cli.frame_ancestors.is_empty());
    assert_eq!(cli.request_timeout_secs, 10);
    assert_eq!(cli.header_timeout_secs, 10);
    let config = Config::from_cli(&cli).expect("valid");
    assert!(config.allow_origins.is_empty());
    assert!(config.frame_ancestors.is_empty());
}

#[test]
fn repeatable_flags_collect() {
    let cli = parse(&[
        "--listen",
        "0.0.0.0:9000",
        "--allow-origin",
        "https://a.example",
        "--allow-origin",
        "http://localhost:3000",
        "--frame-ancestors",
        "https://a.example",
        "--frame-ancestors",
        "'self'",
        "--widget",
        "dist",
        "--catalogues",
        "catalogues",
    ])
    .expect("parses");
    let config = Config::from_cli(&cli).expect("valid");
    assert_eq!(config.allow_origins.len(), 2);
    assert_eq!(config.frame_ancestors, ["https://a.example", "'self'"]);
    assert_eq!(
        config.widget_dir.as_deref(),
        Some(std::path::Path::new("dist"))
    );
}

#[test]
fn bad_values_are_refused() {
    assert!(parse(&["--listen", "localhost"]).is_err());
    assert!(parse(&["--request-timeout-secs", "0"]).is_err());
    assert!(parse(&["--header-timeout-secs", "100000"]).is_err());
    let cli = parse(&["--allow-origin", "*"]).expect("parses");
    assert!(Config::from_cli(&cli).is_err());
    let cli = parse(&["--frame-ancestors", "https://a.example; script-src *"]).expect("parses");
    let err = Config::from_cli(&cli).expect_err("refused");
    assert!(err.contains("--frame-ancestors"), "{err}");
}
