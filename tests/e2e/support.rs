//! The e2e fixture: the real server and chromedriver as child processes on loopback, and
//! a fresh headless Chromium session per scenario.

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
    driver_url: String,
    chromium: String,
    server: Child,
    chromedriver: Child,
    http: reqwest::Client,
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
        let server = Command::new(&server_bin)
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
            driver_url,
            chromium,
            server,
            chromedriver,
            http,
        };
        fixture
            .wait_ok(&format!("{}/healthz", fixture.base))
            .await?;
        fixture
            .wait_ok(&format!("{}/status", fixture.driver_url))
            .await?;
        Ok(fixture)
    }

    async fn wait_ok(&self, url: &str) -> Result<(), Error> {
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

    /// A fresh headless Chromium session with an empty profile and an en-US locale.
    pub async fn browser(&self) -> Result<WebDriver, Error> {
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
            "--lang=en-US",
            "--window-size=1280,900",
        ] {
            caps.add_arg(arg)?;
        }
        Ok(WebDriver::new(&self.driver_url, caps).await?)
    }

    /// Stops both children and the host server.
    pub async fn stop(mut self) {
        self.host_server.stop();
        let _ = self.server.kill().await;
        let _ = self.chromedriver.kill().await;
    }
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
