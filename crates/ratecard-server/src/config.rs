//! Command-line flags (each also settable from a `RATECARD_…` environment variable) and
//! the validated configuration built from them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderValue;
use clap::Parser;

/// The ratecard JSON API and widget host.
///
/// Stateless: run any number of copies behind an ordinary load balancer.
#[derive(Parser, Debug, Clone)]
#[command(name = "ratecard-server", version, about, long_about = None)]
pub struct Cli {
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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            allow_origins: Vec::new(),
            frame_ancestors: Vec::new(),
            widget_dir: None,
            request_timeout: Duration::from_secs(10),
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
        Ok(Config {
            allow_origins,
            frame_ancestors,
            widget_dir: cli.widget.clone(),
            request_timeout: Duration::from_secs(cli.request_timeout_secs),
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
