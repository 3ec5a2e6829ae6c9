//! The e2e fixture: the real server and chromedriver as child processes on loopback, and
//! a fresh headless Chromium session per scenario.
//!
//! The server stores accounts in a SQLite database in a temporary folder (removed when the
//! fixture stops), with a support key and an ingest key made by `ratecard-server keys
//! create`, and one account ([`E2E_ACCOUNT`]) seeded through the ingest endpoints.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use thirtyfour::prelude::*;
use tokio::process::{Child, Command};

use crate::host_server::HostServer;

/// Any error in a scenario, as text for the report.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// A scenario's result.
pub type Outcome = Result<(), Error>;

/// The running server and chromedriver.
pub struct Fixture {
    /// The server's base URL, such as `http://127.0.0.1:40123`.
    pub base: String,
    /// The origin of the host pages (`tests/e2e/host/`), allow-listed for CORS.
    pub host: String,
    /// An origin where nothing listens, for the "server down" case.
    pub dead: String,
    host_server: HostServer,
    server_bin: PathBuf,
    dist: PathBuf,
    driver_url: String,
    chromium: String,
    server: Child,
    chromedriver: Child,
    http: reqwest::Client,
    /// A key with the `support` role (reads accounts).
    pub support_key: String,
    /// A key with the `ingest` role (writes accounts and events).
    pub ingest_key: String,
    /// The folder of the database; removed when the fixture is dropped.
    _data: tempfile::TempDir,
}

/// The id of the account the fixture stores.
pub const E2E_ACCOUNT: &str = "cus_e2e_ada";
/// Its email, which the console searches by.
pub const E2E_EMAIL: &str = "ada.lovelace@example.com";
/// Its name.
pub const E2E_NAME: &str = "Ada Lovelace";

/// Runs `ratecard-server keys create` and returns the key it prints.
async fn create_key(
    server_bin: &Path,
    database: &str,
    name: &str,
    role: &str,
) -> Result<String, Error> {
    let out = Command::new(server_bin)
        .args([
            "keys",
            "create",
            "--name",
            name,
            "--role",
            role,
            "--database",
            database,
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .await
        .map_err(|e| format!("cannot run {} keys create: {e}", server_bin.display()))?;
    if !out.status.success() {
        return Err(format!("`keys create --role {role}` failed: {}", out.status).into());
    }
    let key = String::from_utf8(out.stdout)?.trim().to_owned();
    if key.is_empty() || key.contains(char::is_whitespace) {
        return Err(format!("`keys create --role {role}` printed {key:?}, not one key").into());
    }
    Ok(key)
}

/// An instant `days` days (and `hours` hours) before `now`, in RFC 3339.
fn before(now: i64, days: i64, hours: i64) -> Result<String, Error> {
    let at = chrono::DateTime::from_timestamp(now - days * 86_400 - hours * 3_600, 0)
        .ok_or("the clock is out of range")?;
    Ok(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

fn env_path(name: &str, default: &str) -> PathBuf {
    std::env::var_os(name).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join(default),
        PathBuf::from,
    )
}

fn free_port() -> Result<u16, Error> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Fixture {
    /// Starts the server (serving the built widget) and chromedriver, and waits for both.
    pub async fn start() -> Result<Fixture, Error> {
        let server_bin = env_path("RATECARD_SERVER_BIN", "target/release/ratecard-server");
        let dist = env_path("RATECARD_DIST", "dist");
        for (what, path) in [("server binary", &server_bin), ("widget build", &dist)] {
            if !path.exists() {
                return Err(format!(
                    "the {what} is missing at {}; run the suite with `cargo xtask test`",
                    path.display()
                )
                .into());
            }
        }
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or("/usr/bin/chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into());

        let port = free_port()?;
        let base = format!("http://127.0.0.1:{port}");
        let dead = format!("http://127.0.0.1:{}", free_port()?);
        let host_server = HostServer::start(base.clone(), dead.clone()).await?;
        let host = host_server.origin.clone();
        let catalogues =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/fixtures/catalogues");
        let data = tempfile::Builder::new().prefix("ratecard-e2e-").tempdir()?;
        let database = format!("sqlite://{}", data.path().join("e2e.db").display());
        let support_key = create_key(&server_bin, &database, "e2e-support", "support").await?;
        let ingest_key = create_key(&server_bin, &database, "e2e-ingest", "ingest").await?;
        let server = Command::new(&server_bin)
            .arg("--database")
            .arg(&database)
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--widget")
            .arg(&dist)
            .arg("--catalogues")
            .arg(&catalogues)
            .arg("--allow-origin")
            .arg(&host)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", server_bin.display()))?;

        let driver_port = free_port()?;
        let driver_url = format!("http://127.0.0.1:{driver_port}");
        let chromedriver = Command::new(&chromedriver)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {chromedriver}: {e}"))?;

        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()?;
        let fixture = Fixture {
            base,
            host,
            dead,
            host_server,
            server_bin,
            dist,
            driver_url,
            chromium,
            server,
            chromedriver,
            http,
            support_key,
            ingest_key,
            _data: data,
        };
        fixture
            .wait_ok(&format!("{}/healthz", fixture.base))
            .await?;
        fixture
            .wait_ok(&format!("{}/status", fixture.driver_url))
            .await?;
        fixture.seed_account().await?;
        Ok(fixture)
    }

    /// Stores [`E2E_ACCOUNT`] and its history through the ingest endpoints: a Pro
    /// subscription ten days ago, usage, a grant and a refund request an hour ago, so its
    /// refund position is decided at any "now".
    async fn seed_account(&self) -> Outcome {
        let now = i64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)?
                .as_secs(),
        )?;
        let account = serde_json::json!({
            "email": E2E_EMAIL,
            "name": E2E_NAME,
            "time_zone": "Europe/Berlin",
            "created_at": before(now, 10, 1)?,
        });
        self.send_with_key(
            reqwest::Method::PUT,
            &format!("/api/v1/accounts/{E2E_ACCOUNT}"),
            &self.ingest_key,
            Some(&account),
        )
        .await?;
        let events = serde_json::json!({ "events": [
            {"id": "e1", "type": "subscribe", "at": before(now, 10, 0)?, "plan": "pro"},
            {"id": "e2", "type": "generation", "at": before(now, 9, 0)?, "model": "stable-audio-2.0"},
            {"id": "e3", "type": "upload", "at": before(now, 8, 0)?, "seconds": 60},
            {"id": "welcome-bonus", "type": "grant", "at": before(now, 6, 0)?, "credits": 100},
            {"id": "e5", "type": "generation", "at": before(now, 2, 0)?, "model": "stable-audio-2.0"},
            {"id": "e6", "type": "refund-request", "at": before(now, 0, 1)?, "reason": "accidental-purchase"},
        ]});
        self.send_with_key(
            reqwest::Method::POST,
            &format!("/api/v1/accounts/{E2E_ACCOUNT}/events"),
            &self.ingest_key,
            Some(&events),
        )
        .await?;
        Ok(())
    }

    /// Sends a request with `Authorization: Bearer key` and returns the JSON answer of a
    /// 2xx.
    pub async fn send_with_key(
        &self,
        method: reqwest::Method,
        path: &str,
        key: &str,
        body: Option<&Value>,
    ) -> Result<Value, Error> {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .bearer_auth(key);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            return Err(format!("{method} {path} answered {status}: {text}").into());
        }
        Ok(serde_json::from_str(&text)?)
    }

    /// Waits until `url` answers a 2xx, for at most 30 seconds.
    pub async fn wait_ok(&self, url: &str) -> Result<(), Error> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match self.http.get(url).send().await {
                Ok(response) if response.status().is_success() => return Ok(()),
                _ if Instant::now() > deadline => {
                    return Err(format!("{url} did not answer within 30 s").into());
                }
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Starts another server with the default flags: no `--allow-origin`, its own
    /// database, the built widget and the built-in catalogues.
    pub async fn start_open_server(&self) -> Result<OpenServer, Error> {
        let data = tempfile::Builder::new()
            .prefix("ratecard-e2e-open-")
            .tempdir()?;
        let database = format!("sqlite://{}", data.path().join("open.db").display());
        let base = format!("http://127.0.0.1:{}", free_port()?);
        let child = Command::new(&self.server_bin)
            .arg("--database")
            .arg(&database)
            .arg("--listen")
            .arg(base.trim_start_matches("http://"))
            .arg("--widget")
            .arg(&self.dist)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.server_bin.display()))?;
        let open = OpenServer {
            base,
            _child: child,
            _data: data,
        };
        self.wait_ok(&format!("{}/healthz", open.base)).await?;
        Ok(open)
    }

    /// The built `embed-snippet.html` (the README's snippet with the loader's integrity
    /// hash), pointing at `base`.
    pub fn embed_snippet(&self, base: &str) -> Result<String, Error> {
        let snippet = std::fs::read_to_string(self.dist.join("embed-snippet.html"))?;
        let placeholder = "https://YOUR-RATECARD-HOST";
        if !snippet.contains(placeholder) {
            return Err(
                format!("embed-snippet.html does not name {placeholder}: {snippet}").into(),
            );
        }
        Ok(snippet.replace(placeholder, base))
    }

    /// GETs `path` from the server with an `Origin` header, as a cross-origin page would.
    pub async fn get_with_origin(
        &self,
        path: &str,
        origin: &str,
    ) -> Result<reqwest::Response, Error> {
        Ok(self
            .http
            .get(format!("{}{path}", self.base))
            .header("Origin", origin)
            .send()
            .await?)
    }

    /// GETs a JSON document from the server.
    pub async fn get_json(&self, path: &str) -> Result<Value, Error> {
        let response = self.http.get(format!("{}{path}", self.base)).send().await?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("GET {path} answered {status}").into());
        }
        Ok(response.json().await?)
    }

    /// POSTs JSON to the server and returns the JSON answer of a 2xx.
    pub async fn post_json(&self, path: &str, body: &Value) -> Result<Value, Error> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await?;
        let status = response.status();
        let answer: Value = response.json().await?;
        if !status.is_success() {
            return Err(format!("POST {path} answered {status}: {answer}").into());
        }
        Ok(answer)
    }

    /// POSTs JSON to the server and returns the status and the JSON answer, whatever the
    /// status.
    pub async fn post_status(
        &self,
        path: &str,
        body: &Value,
    ) -> Result<(reqwest::StatusCode, Value), Error> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await?;
        let status = response.status();
        let text = response.text().await?;
        let answer = serde_json::from_str(&text)
            .map_err(|e| format!("POST {path} answered {status} with no JSON ({e}): {text}"))?;
        Ok((status, answer))
    }

    /// A fresh headless Chromium session with an empty profile and an en-US locale.
    pub async fn browser(&self) -> Result<WebDriver, Error> {
        self.browser_in("en-US").await
    }

    /// A fresh headless Chromium session with an empty profile whose language
    /// (`navigator.language`) is `lang`.
    pub async fn browser_in(&self, lang: &str) -> Result<WebDriver, Error> {
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(&self.chromium)?;
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
        ] {
            caps.add_arg(arg)?;
        }
        caps.add_arg(&format!("--lang={lang}"))?;
        caps.add_experimental_option(
            "prefs",
            serde_json::json!({ "intl.accept_languages": lang }),
        )?;
        Ok(WebDriver::new(&self.driver_url, caps).await?)
    }

    /// Stops both children and the host server.
    pub async fn stop(mut self) {
        self.host_server.stop();
        let _ = self.server.kill().await;
        let _ = self.chromedriver.kill().await;
    }
}

/// A server started by [`Fixture::start_open_server`]; killed and its database removed
/// when dropped.
pub struct OpenServer {
    /// Its base URL.
    pub base: String,
    _child: Child,
    _data: tempfile::TempDir,
}

/// Runs `script` (which must `return` a value) until it returns something other than
/// `null`, for at most 20 seconds.
pub async fn wait_for(driver: &WebDriver, script: &str) -> Result<Value, Error> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = driver.execute(script, Vec::new()).await?.json().clone();
        if !value.is_null() {
            return Ok(value);
        }
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for: {script}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A script expression for the first `<ratecard-widget>` (or the one with id `id`).
pub fn widget(id: &str) -> String {
    if id.is_empty() {
        "document.querySelector('ratecard-widget')".to_owned()
    } else {
        format!("document.getElementById({id:?})")
    }
}

/// A script expression for the first match of `selector` inside the shadow root of the
/// `index`-th `<ratecard-widget>` on the page (or `null`).
pub fn in_widget(index: usize, selector: &str) -> String {
    format!(
        "(document.querySelectorAll('ratecard-widget')[{index}]?.shadowRoot?.querySelector({selector:?}) ?? null)"
    )
}

/// A script expression for the first match of `selector` inside the shadow root of the
/// element with id `id` (or `null`).
pub fn in_element(id: &str, selector: &str) -> String {
    format!("(document.getElementById({id:?})?.shadowRoot?.querySelector({selector:?}) ?? null)")
}

/// Where screenshots go: `target/screenshots/`.
pub fn screenshot_path(name: &str) -> Result<PathBuf, Error> {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(tmp).join("screenshots");
    std::fs::create_dir_all(&dir)?;
    Ok(dir.join(format!("{name}.png")))
}

/// Fails a scenario with a message unless `condition` holds.
pub fn ensure(condition: bool, message: impl Into<String>) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(message.into().into())
    }
}
