//! `cargo xtask schemathesis`: an outside fuzzer against the server's own OpenAPI
//! document. schemathesis (from PyPI, pinned in `tools.rs`) reads
//! `/api/openapi.json` from the debug server on a loopback port and sends every
//! calculation, catalogue and meta operation schema-valid and schema-violating requests.
//!
//! The run fails on any 5xx and on any answer the document does not describe: a status
//! it does not list, another content type or headers, or a body its schema refuses. It
//! also fails when the server accepts a request the document forbids (a value out of a
//! stated range, a missing field), so the document never promises less than the server
//! checks. It does not require schema-valid requests to succeed: the rules refuse
//! many of them with a 422 (a trial that ends before it starts, a top-up of nothing),
//! and JSON Schema counts `3.0` as an integer where the server's integers take `3` only.
//!
//! The account endpoints and Stripe's webhook are left out: they need keys of two roles
//! or a signature over the body, and their own tests in `crates/ratecard-server` cover
//! them with real stores and keys.
//!
//! A fixed seed and a fixed number of cases per operation keep the run reproducible and
//! short (well under a minute on two cores); replay a failure with the `curl` line
//! schemathesis prints, against `cargo xtask serve`.

use crate::server::RunningServer;
use crate::tools;
use crate::util::{Result, cmd, step, target_dir};

/// What every answer is checked for.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_headers_conformance,response_schema_conformance,\
                      negative_data_rejection";

/// The operations left out: the stored accounts, the audit trail and Stripe's webhook.
const EXCLUDED_PATHS: &str = "^/api/v1/(accounts|audit|webhooks)";

/// Cases per operation in each phase.
const MAX_EXAMPLES: &str = "25";

const SEED: &str = "20261129";

/// Builds the debug server, starts it on a free loopback port with a throwaway SQLite
/// database, and runs schemathesis against its document.
pub fn run() -> Result<()> {
    let schemathesis = tools::ensure_schemathesis()?;
    cmd("cargo")
        .args(["build", "--package", "ratecard-server"])
        .status_ok("cargo build ratecard-server")?;
    let server_bin = target_dir().join("debug").join("ratecard-server");
    let data = tempfile::tempdir().map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let database = format!("sqlite://{}", data.path().join("schemathesis.db").display());
    let args = ["--listen", "127.0.0.1:0", "--database", &database].map(str::to_owned);
    let server = RunningServer::start(&server_bin, &args, false)?;
    let schema = format!("http://{}/api/openapi.json", server.addr);
    // Its reports and anything else it writes stay under target/.
    let work = target_dir().join("schemathesis");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    step(&format!(
        "schemathesis against {schema} ({MAX_EXAMPLES} cases per operation and phase, seed {SEED})"
    ));
    cmd(&schemathesis)
        .arg("run")
        .arg(&schema)
        .args(["--checks", CHECKS])
        .args(["--exclude-path-regex", EXCLUDED_PATHS])
        .args(["--max-examples", MAX_EXAMPLES])
        .args(["--seed", SEED])
        .args(["--workers", "1"])
        .args(["--request-timeout", "30"])
        // No example database: every run starts from the seed alone.
        .args(["--generation-database", "none"])
        .args(["--report", "junit", "--report-junit-path"])
        .arg(work.join("junit.xml"))
        .arg("--no-color")
        .dir(&work)
        .status_ok("schemathesis (a 5xx or an answer the OpenAPI document does not describe)")
}
