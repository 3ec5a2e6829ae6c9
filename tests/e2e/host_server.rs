//! A tiny static file server for the host pages of `tests/e2e/host/`: plain HTML pages
//! that are not part of the widget, on a loopback port of their own, so a different
//! origin from `ratecard-server`.
//!
//! `__RATECARD_SERVER__` in a page becomes the server's origin and `__DEAD_SERVER__` an
//! origin where nothing listens. Only flat names such as `two.html` or `plans.json` are
//! served; anything else is a 404.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::support::Error;

/// The running host server; dropping it does not stop it, [`HostServer::stop`] does.
pub struct HostServer {
    /// Its origin, such as `http://127.0.0.1:40125`.
    pub origin: String,
    task: JoinHandle<()>,
}

struct Site {
    dir: PathBuf,
    server_origin: String,
    dead_origin: String,
}

impl HostServer {
    /// Binds a loopback port and serves `tests/e2e/host/`.
    pub async fn start(server_origin: String, dead_origin: String) -> Result<HostServer, Error> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let origin = format!("http://{}", listener.local_addr()?);
        let site = Arc::new(Site {
            dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/host"),
            server_origin,
            dead_origin,
        });
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let site = Arc::clone(&site);
                tokio::spawn(async move {
                    let _ = serve(stream, &site).await;
                });
            }
        });
        Ok(HostServer { origin, task })
    }

    /// Stops accepting connections.
    pub fn stop(&self) {
        self.task.abort();
    }
}

/// Answers one request and closes the connection.
async fn serve(mut stream: TcpStream, site: &Site) -> std::io::Result<()> {
    let mut request = Vec::new();
    let mut buffer = [0_u8; 2048];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16 * 1024 {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buffer[..n]);
    }
    let request = String::from_utf8_lossy(&request);
    let path = request
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("GET "))
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or("");
    let (status, content_type, body) = match file(site, path) {
        Some((content_type, body)) => ("200 OK", content_type, body),
        None => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&body).await?;
    stream.shutdown().await
}

/// The content type and body for a request path, if it names a host file.
fn file(site: &Site, path: &str) -> Option<(&'static str, Vec<u8>)> {
    let name = path.split(['?', '#']).next()?.strip_prefix('/')?;
    let name = if name.is_empty() {
        "all-views.html"
    } else {
        name
    };
    let flat = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.');
    if !flat {
        return None;
    }
    let content_type = match name.rsplit_once('.')?.1 {
        "html" => "text/html; charset=utf-8",
        "json" => "application/json",
        "toml" => "application/toml",
        _ => return None,
    };
    let text = std::fs::read_to_string(site.dir.join(name)).ok()?;
    let text = text
        .replace("__RATECARD_SERVER__", &site.server_origin)
        .replace("__DEAD_SERVER__", &site.dead_origin);
    Some((content_type, text.into_bytes()))
}
