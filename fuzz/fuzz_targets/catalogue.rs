//! Catalogue loading and validation, TOML and JSON (issue 7).
//!
//! The input, as UTF-8, is offered to both `Catalogue::from_json` and
//! `Catalogue::from_toml`. Any `Err` is fine; a panic is a bug. Whenever one loader accepts
//! the text, the catalogue must survive every round trip unchanged:
//! JSON → JSON, TOML → TOML, and across formats, and re-validating its own spec must give
//! it back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratecard_rules::Catalogue;

fn round_trips(origin: &str, c: &Catalogue) {
    // Validation is idempotent: a validated spec validates again to the same catalogue.
    let again = Catalogue::validate("fuzz", c.spec().clone())
        .unwrap_or_else(|e| panic!("{origin}: a validated spec fails validation again: {e}"));
    assert_eq!(&again, c, "{origin}: re-validation changed the catalogue");

    // JSON round trip.
    let json = c.to_json();
    let from_json = Catalogue::from_json("fuzz.json", &json).unwrap_or_else(|e| {
        panic!("{origin}: to_json output does not load back: {e}\n--- json ---\n{json}")
    });
    assert_eq!(
        &from_json, c,
        "{origin}: JSON round trip changed the catalogue"
    );
    assert_eq!(from_json.to_json(), json, "{origin}: to_json is not stable");

    // TOML round trip. `to_toml` is documented as fallible, so a refusal is tolerated;
    // whatever it does write must load back to the same catalogue.
    if let Ok(toml) = c.to_toml() {
        let from_toml = Catalogue::from_toml("fuzz.toml", &toml).unwrap_or_else(|e| {
            panic!("{origin}: to_toml output does not load back: {e}\n--- toml ---\n{toml}")
        });
        assert_eq!(
            &from_toml, c,
            "{origin}: TOML round trip changed the catalogue"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(c) = Catalogue::from_json("fuzz.json", text) {
        round_trips("from_json", &c);
    }
    if let Ok(c) = Catalogue::from_toml("fuzz.toml", text) {
        round_trips("from_toml", &c);
    }
});
