//! `docs/RULES.md` and `docs/API.md` are the repository's copies of the rule book and the
//! HTTP contract, so a fresh clone's links work. Where the shared originals sit beside
//! the repository (`../shared`, as on the team's machines and in CI), the copies must
//! match them byte for byte.

use std::path::Path;

#[test]
fn the_copies_under_docs_match_the_shared_originals() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared");
    for name in ["RULES.md", "API.md"] {
        let copy = std::fs::read_to_string(root.join("docs").join(name))
            .unwrap_or_else(|e| panic!("docs/{name} is missing: {e}"));
        assert!(copy.starts_with("# "), "docs/{name} is not the document");
        let Ok(original) = std::fs::read_to_string(shared.join(name)) else {
            eprintln!(
                "note: ../shared/{name} is not beside the repository; only the copy was checked"
            );
            continue;
        };
        assert!(
            copy == original,
            "docs/{name} differs from ../shared/{name}: copy it again (`cp ../shared/{name} docs/`)"
        );
    }
}
