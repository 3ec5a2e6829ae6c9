//! Command-line flags (each also settable from a `RATECARD_…` environment variable) and
//! the validated configuration built from them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderValue;
use clap::Parser;

/// The ratecard JSON API and widget host.
///
/// Calculations are stateless; accounts live in the database of `--database`. Run any
/// number of copies on one PostgreSQL database behind an ordinary load balancer.
#[derive(Parser, Debug, Clone)]
#[command(name = "ratecard-server", version, about, long_about = None)]
pub struct Cli {
    /// What to do instead of serving: manage API keys.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Where accounts, events, keys and the audit trail are stored: `sqlite://PATH`
    /// (created with its folder on first start) or
    /// `postgres://USER:PASSWORD@HOST:PORT/DB`. Migrations run at start-up.
    #[arg(
        long,
        env = "RATECARD_DATABASE",
        default_value = DEFAULT_DATABASE,
        global = true,
        value_name = "URL",
        hide_env_values = true
    )]
    pub database: String,

    /// The signing secret of the Stripe webhook endpoint (`whsec_…`), which
    /// `POST /api/v1/webhooks/stripe` verifies every delivery with. Without it, that
    /// route answers 503.
    #[arg(
        long,
        env = "RATECARD_STRIPE_WEBHOOK_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub stripe_webhook_secret: Option<String>,

    /// The socket address to listen on. Port 0 picks a free port; the bound address is
    /// printed on stdout as `ratecard-server listening on http://ADDR`.
    #[arg(long, env = "RATECARD_LISTEN", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,

    /// A directory of extra catalogues: every `*.toml` and `*.json` file in it is loaded
    /// beside the built-in ones. Any invalid file stops the server from starting.
    #[arg(long, env = "RATECARD_CATALOGUES", value_name = "DIR")]
    pub catalogues: Option<PathBuf>,

    /// The built widget (Trunk's `dist/`) to serve at `/`. Without it the API still
    /// works and `/` says the widget is not built.
    #[arg(long, env = "RATECARD_WIDGET", value_name = "DIR")]
    pub widget: Option<PathBuf>,

    /// An origin allowed to call the API and load the widget's assets cross-origin, such
    /// as `https://shop.example`. Repeatable; comma-separated in the environment.
    /// Without it, the widget's files and the public endpoints answer every origin, and
    /// the account endpoints none; with it, only the listed origins.
    #[arg(
        long = "allow-origin",
        env = "RATECARD_ALLOW_ORIGIN",
        value_name = "ORIGIN",
        value_delimiter = ','
    )]
    pub allow_origin: Vec<String>,

    /// A source allowed to embed the widget's pages in a frame (CSP `frame-ancestors`),
    /// such as `https://shop.example`. Repeatable; comma-separated in the environment.
    /// Default: `'none'` (no framing, plus `X-Frame-Options: DENY`).
    #[arg(
        long = "frame-ancestors",
        env = "RATECARD_FRAME_ANCESTORS",
        value_name = "SOURCE",
        value_delimiter = ','
    )]
    pub frame_ancestors: Vec<String>,

    /// The longest a request may take, body upload included, in seconds (answered 408).
    #[arg(
        long,
        env = "RATECARD_REQUEST_TIMEOUT_SECS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..=300)
    )]
    pub request_timeout_secs: u64,

    /// The longest a client may take to send a request's headers, or stay idle between
    /// requests on a kept-alive connection, in seconds; then the connection is closed.
    #[arg(
        long,
        env = "RATECARD_HEADER_TIMEOUT_SECS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..=300)
    )]
    pub header_timeout_secs: u64,

    /// Print the OpenAPI 3.1 document as JSON and exit.
    #[arg(long)]
    pub print_openapi: bool,
}

/// The database used when `--database` is not given.
pub const DEFAULT_DATABASE: &str = "sqlite://ratecard-data/ratecard.db";

/// The subcommands: everything but serving.
#[derive(clap::Subcommand, Debug, Clone)]
pub enum Command {
    /// Create, list and revoke API keys for the account endpoints.
    #[command(subcommand)]
    Keys(KeysCommand),
}

/// `ratecard-server keys …`.
#[derive(clap::Subcommand, Debug, Clone)]
pub enum KeysCommand {
    /// Create a key and print it, alone on one line of stdout. It is shown once: only a
    /// hash of it is stored.
    Create {
        /// A name for the key, unique, shown in `keys list` and in the audit trail.
        #[arg(long)]
        name: String,
        /// `ingest` (writes accounts and events) or `support` (reads them).
        #[arg(long, value_parser = ["ingest", "support"])]
        role: String,
    },
    /// List the keys: names, roles, and when they were created and revoked.
    List,
    /// Revoke a key by name; requests with it are refused from then on.
    Revoke {
        /// The key's name.
        name: String,
    },
}

/// A secret that never shows in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    #[must_use]
    pub fn new(secret: String) -> Secret {
        Secret(secret)
    }

    /// The secret itself, for the code that uses it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The validated settings the router needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Origins allowed by CORS, as sent in the `Origin` header.
    pub allow_origins: Vec<HeaderValue>,
    /// CSP `frame-ancestors` sources; empty means `'none'`.
    pub frame_ancestors: Vec<String>,
    /// The widget directory, if any.
    pub widget_dir: Option<PathBuf>,
    /// The request timeout.
    pub request_timeout: Duration,
    /// The Stripe webhook signing secret, if the webhook is enabled.
    pub stripe_webhook_secret: Option<Secret>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            allow_origins: Vec::new(),
            frame_ancestors: Vec::new(),
            widget_dir: None,
            request_timeout: Duration::from_secs(10),
            stripe_webhook_secret: None,
        }
    }
}

impl Config {
    /// Validates the flags.
    ///
    /// # Errors
    ///
    /// A message naming the flag and the value at fault.
    pub fn from_cli(cli: &Cli) -> Result<Config, String> {
        let allow_origins = cli
            .allow_origin
            .iter()
            .map(|o| parse_origin(o))
            .collect::<Result<Vec<_>, _>>()?;
        let frame_ancestors = parse_frame_ancestors(&cli.frame_ancestors)?;
        crate::store::backend_of(&cli.database)?;
        let stripe_webhook_secret = match cli.stripe_webhook_secret.as_deref().map(str::trim) {
            None => None,
            Some("") => {
                return Err(
                    "--stripe-webhook-secret is empty; give the endpoint's signing secret (`whsec_…`)"
                        .to_owned(),
                );
            }
            Some(s) => Some(Secret::new(s.to_owned())),
        };
        Ok(Config {
            allow_origins,
            frame_ancestors,
            widget_dir: cli.widget.clone(),
            request_timeout: Duration::from_secs(cli.request_timeout_secs),
            stripe_webhook_secret,
        })
    }
}

/// Checks one `--allow-origin` value: `http` or `https`, a host, an optional port, and
/// nothing else (no path, no trailing slash), as browsers send it in `Origin`.
///
/// # Errors
///
/// A message naming the value and what is wrong with it.
pub fn parse_origin(origin: &str) -> Result<HeaderValue, String> {
    let fail = |why: &str| format!("--allow-origin `{origin}`: {why}");
    let trimmed = origin.trim();
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| fail("an origin starts with `https://` or `http://`"))?;
    if rest.is_empty() {
        return Err(fail("the host is missing"));
    }
    if rest.contains('/') {
        return Err(fail(
            "an origin has no path and no trailing slash, e.g. `https://shop.example`",
        ));
    }
    if !rest
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    {
        return Err(fail(
            "the host may use only letters, digits, `.`, `-` and `:`",
        ));
    }
    HeaderValue::from_str(&trimmed.to_ascii_lowercase())
        .map_err(|_| fail("not a valid header value"))
}

/// Checks the `--frame-ancestors` sources: `'self'`, `'none'` (alone), or a scheme and
/// host source such as `https://shop.example` or `https://*.example.com`.
///
/// # Errors
///
/// A message naming the value and what is wrong with it.
pub fn parse_frame_ancestors(sources: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for source in sources {
        let s = source.trim();
        let fail = |why: &str| format!("--frame-ancestors `{source}`: {why}");
        if s.is_empty() {
            continue;
        }
        match s {
            "'none'" => {
                if sources.iter().filter(|x| !x.trim().is_empty()).count() > 1 {
                    return Err(fail("`'none'` cannot be combined with other sources"));
                }
                return Ok(Vec::new());
            }
            "'self'" => out.push(s.to_owned()),
            _ => {
                let ok = s.chars().all(|c| {
                    c.is_ascii_alphanumeric()
                        || matches!(c, '.' | '-' | ':' | '/' | '*' | '[' | ']')
                });
                if !ok {
                    return Err(fail(
                        "use `'self'`, `'none'` or a source such as `https://shop.example`",
                    ));
                }
                out.push(s.to_owned());
            }
        }
    }
    Ok(out)
}
