//! The rules crate's imports go one way: from the endpoint functions down to the wire
//! types, the reasons, money and the calendar, never back up.
//!
//! Every module of `src/` belongs to one layer below. A module may import (`crate::…`)
//! only modules of lower layers, never one of its own layer or a higher one, and never a
//! root re-export (`crate::Catalogue`), which would hide the edge. So no rule module
//! imports `api` or `quote`, the wire types call no rule, and there is no import circle.
//! A new module fails this test until it is given a layer.
//!
//! It reads the sources from disk, so it runs natively only.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The layers, lowest first.
const LAYERS: &[&[&str]] = &[
    // Names and units that need nothing.
    &["rule_id", "currency"],
    &["error"],
    &["zone", "money"],
    &["calendar", "catalogue"],
    // Data: why a result is what it is, and the wire types.
    &["reason"],
    &["wire"],
    // The one English renderer.
    &["explain"],
    // The rules.
    &["subscription"],
    &["licence", "prepaid", "topup", "terms", "quota", "pricing"],
    &["refund", "plan_change"],
    &["trial", "interval"],
    &["ledger"],
    // Compositions of rules, then the endpoint functions.
    &["quote"],
    &["api"],
];

/// The rule modules: they apply the rule book and never import the endpoint functions.
const RULE_MODULES: &[&str] = &[
    "subscription",
    "licence",
    "prepaid",
    "topup",
    "terms",
    "quota",
    "refund",
    "plan_change",
    "pricing",
    "trial",
    "interval",
    "ledger",
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Every `.rs` file under `dir`, with the top-level module it belongs to.
fn sources(dir: &Path, module: Option<&str>, out: &mut Vec<(String, String, String)>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 file name")
            .to_owned();
        if path.is_dir() {
            let m = module.map_or(name.clone(), str::to_owned);
            sources(&path, Some(&m), out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let m = module.map_or(name, str::to_owned);
            let text = fs::read_to_string(&path).expect("a readable source file");
            out.push((m, path.display().to_string(), text));
        }
    }
}

/// The code of `text` without comments, a line at a time.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let code = line.split("//").next().unwrap_or("");
        (!line.trim_start().starts_with("//")).then_some((i + 1, code))
    })
}

/// The first segments of every `crate::` path in `code`: `crate::a::b` gives `a`, and
/// `crate::{a::b, c}` gives `a` and `c`.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `ratecard_rules::…`-like names ending in `crate`
        }
        if let Some(group) = rest.strip_prefix('{') {
            // The top-level items of the group, up to its closing brace.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => out.push(leading_name(&std::mem::take(&mut item))),
                    c => item.push(c),
                }
            }
            if !item.trim().is_empty() {
                out.push(leading_name(&item));
            }
        } else {
            out.push(leading_name(rest));
        }
    }
    out
}

/// The first name of a path such as ` money::{Money, Currency}`.
fn leading_name(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// `(module, file, line, imported module)` for every `crate::` path of the crate.
fn edges() -> Vec<(String, String, usize, String)> {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        None,
        &mut files,
    );
    let mut out = Vec::new();
    for (module, file, text) in files {
        if module == "lib" {
            continue;
        }
        for (line, code) in code_lines(&text) {
            for target in crate_paths(code) {
                out.push((module.clone(), file.clone(), line, target));
            }
        }
    }
    out
}

#[test]
fn the_path_parser_reads_groups_and_plain_paths() {
    assert_eq!(crate_paths("use crate::wire::{Line, Period};"), ["wire"]);
    assert_eq!(
        crate_paths("use crate::{api::X, money::{Money, Currency}, Catalogue};"),
        ["api", "money", "Catalogue"]
    );
    assert_eq!(crate_paths("let x = crate::quota::tally(a, b);"), ["quota"]);
    assert_eq!(
        crate_paths("use ratecard_rules::api;"),
        Vec::<String>::new()
    );
}

#[test]
fn every_module_has_a_layer() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        None,
        &mut files,
    );
    let missing: Vec<String> = files
        .iter()
        .map(|(m, _, _)| m.clone())
        .filter(|m| m != "lib" && layer_of(m).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a layer in tests/layering.rs: {missing:?}"
    );
}

#[test]
fn imports_only_go_down() {
    let mut bad = Vec::new();
    for (module, file, line, target) in edges() {
        if target == module {
            continue;
        }
        let (Some(from), to) = (layer_of(&module), layer_of(&target)) else {
            continue; // reported by `every_module_has_a_layer`
        };
        match to {
            None => bad.push(format!(
                "{file}:{line}: `crate::{target}` is not a module; import it from its module"
            )),
            Some(to) if to >= from => bad.push(format!(
                "{file}:{line}: `{module}` (layer {from}) imports `{target}` (layer {to})"
            )),
            Some(_) => {}
        }
    }
    assert!(
        bad.is_empty(),
        "imports against the layering:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_rule_module_imports_the_endpoint_functions() {
    let bad: Vec<String> = edges()
        .into_iter()
        .filter(|(m, _, _, t)| RULE_MODULES.contains(&m.as_str()) && (t == "api" || t == "quote"))
        .map(|(_, file, line, t)| format!("{file}:{line}: imports `crate::{t}`"))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn there_is_no_import_circle() {
    // Implied by `imports_only_go_down`; stated on its own so a failure names the circle.
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (m, _, _, t) in edges() {
        if m != t && layer_of(&t).is_some() {
            graph.entry(m).or_default().push(t);
        }
    }
    fn visit(
        n: &str,
        graph: &BTreeMap<String, Vec<String>>,
        path: &mut Vec<String>,
        done: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut circle = path[i..].to_vec();
            circle.push(n.to_owned());
            return Some(circle);
        }
        if done.iter().any(|d| d == n) {
            return None;
        }
        path.push(n.to_owned());
        for next in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.push(n.to_owned());
        None
    }
    let mut done = Vec::new();
    for n in graph.keys() {
        if let Some(circle) = visit(n, &graph, &mut Vec::new(), &mut done) {
            panic!("import circle: {}", circle.join(" → "));
        }
    }
}
