//! `--catalogues DIR`: every file loads, or the server refuses to start.

mod common;

use axum::http::StatusCode;
use common::*;
use ratecard_rules::Catalogue;
use ratecard_server::registry::LoadError;
use ratecard_server::{AppState, Config, Registry, app};
use serde_json::{Value, json};
use std::sync::Arc;

fn stable_audio_as(id: &str, name: &str) -> Value {
    let mut v: Value = serde_json::from_str(
        &Catalogue::builtin("stable-audio")
            .expect("builtin")
            .to_json(),
    )
    .expect("json");
    v["id"] = json!(id);
    v["name"] = json!(name);
    v
}

#[tokio::test]
async fn a_valid_directory_adds_its_catalogues() {
    let tmp = temp_dir("cat-ok");
    let dir = tmp.path().to_path_buf();
    let mut json_cat = stable_audio_as("shop-json", "Shop JSON");
    // Pro repriced: `price_minor` is its monthly price in the default currency, listed
    // with its other prices.
    json_cat["plans"][1]["price_minor"] = json!(1500);
    for price in json_cat["plans"][1]["prices"]
        .as_array_mut()
        .expect("pro has prices")
    {
        if price["interval"] == "month" && price["currency"] == "USD" {
            price["amount_minor"] = json!(1500);
        }
    }
    std::fs::write(dir.join("shop.json"), json_cat.to_string()).expect("write");
    let toml_cat = Catalogue::validate(
        "x",
        serde_json::from_value(stable_audio_as("shop-toml", "Shop TOML")).expect("spec"),
    )
    .expect("valid")
    .to_toml()
    .expect("toml");
    std::fs::write(dir.join("shop.toml"), toml_cat).expect("write");
    std::fs::write(dir.join("README.md"), "not a catalogue").expect("write");

    let registry = Registry::with_dir(&dir).expect("loads");
    let ids = registry.ids();
    assert!(ids.contains(&"shop-json".to_owned()), "{ids:?}");
    assert!(ids.contains(&"shop-toml".to_owned()), "{ids:?}");
    assert!(ids.contains(&"stable-audio".to_owned()), "{ids:?}");

    let app = app(AppState {
        registry: Arc::new(registry),
        config: Arc::new(Config::default()),
        accounts: None,
    });
    let list = get(&app, "/api/v1/catalogues").await.json();
    assert!(
        list.as_array()
            .expect("list")
            .iter()
            .any(|c| c["id"] == "shop-json" && c["name"] == "Shop JSON")
    );
    let a = get(&app, "/api/v1/catalogues/shop-toml").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["name"], "Shop TOML");
}

#[test]
fn one_broken_file_refuses_the_whole_directory() {
    let tmp = temp_dir("cat-broken");
    let dir = tmp.path().to_path_buf();
    std::fs::write(
        dir.join("a-good.json"),
        stable_audio_as("good", "Good").to_string(),
    )
    .expect("write");
    let mut bad = stable_audio_as("bad", "Bad");
    bad["plans"][2]["licence"] = json!("platinum");
    std::fs::write(dir.join("b-bad.json"), bad.to_string()).expect("write");
    let err = Registry::with_dir(&dir).expect_err("refused");
    let msg = err.to_string();
    assert!(matches!(err, LoadError::Invalid(_)), "{err:?}");
    assert!(msg.contains("b-bad.json"), "{msg}");
    assert!(msg.contains("plans[2].licence"), "{msg}");
    assert!(msg.contains("platinum"), "{msg}");
}

#[test]
fn malformed_toml_names_the_file() {
    let tmp = temp_dir("cat-toml");
    let dir = tmp.path().to_path_buf();
    std::fs::write(dir.join("broken.toml"), "id = \"x\"\nplans = [").expect("write");
    let msg = Registry::with_dir(&dir).expect_err("refused").to_string();
    assert!(msg.contains("broken.toml"), "{msg}");
}

#[test]
fn an_id_reused_from_a_builtin_is_refused() {
    let tmp = temp_dir("cat-dup");
    let dir = tmp.path().to_path_buf();
    std::fs::write(
        dir.join("mine.json"),
        stable_audio_as("stable-audio", "Mine").to_string(),
    )
    .expect("write");
    let err = Registry::with_dir(&dir).expect_err("refused");
    assert!(matches!(err, LoadError::Duplicate { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("mine.json") && msg.contains("stable-audio"),
        "{msg}"
    );
}

#[test]
fn two_files_with_one_id_are_refused() {
    let tmp = temp_dir("cat-dup2");
    let dir = tmp.path().to_path_buf();
    for f in ["one.json", "two.json"] {
        std::fs::write(dir.join(f), stable_audio_as("same", "Same").to_string()).expect("write");
    }
    let msg = Registry::with_dir(&dir).expect_err("refused").to_string();
    assert!(
        msg.contains("two.json") && msg.contains("one.json"),
        "{msg}"
    );
}

#[test]
fn a_missing_directory_is_refused() {
    let tmp = temp_dir("cat-missing");
    let dir = tmp.path().join("nope");
    let err = Registry::with_dir(&dir).expect_err("refused");
    assert!(matches!(err, LoadError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("nope"));
}
