//! The host pages of `tests/e2e/host/`: plain HTML pages that are not part of the widget,
//! served by axum and tower-http's `ServeDir` on a loopback port of their own, so a
//! different origin from `ratecard-server`.
//!
//! The pages are copied into a temporary folder first, with `__RATECARD_SERVER__` replaced
//! by the server's origin and `__DEAD_SERVER__` by an origin where nothing listens. `/` is
//! `all-views.html`; every answer says `Cache-Control: no-store`; any other name is a 404.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, header};
use tokio::task::JoinHandle;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::support::Error;

/// The running host server; dropping it does not stop it, [`HostServer::stop`] does.
pub struct HostServer {
    /// Its origin, such as `http://127.0.0.1:40125`.
    pub origin: String,
    task: JoinHandle<()>,
    /// The templated pages; removed when the fixture is dropped.
    _site: tempfile::TempDir,
}

impl HostServer {
    /// Binds a loopback port and serves `tests/e2e/host/`.
    pub async fn start(server_origin: String, dead_origin: String) -> Result<HostServer, Error> {
        let site = tempfile::Builder::new()
            .prefix("ratecard-e2e-host-")
            .tempdir()?;
        let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/host");
        for entry in std::fs::read_dir(pages)? {
            let entry = entry?;
            let text = std::fs::read_to_string(entry.path())?
                .replace("__RATECARD_SERVER__", &server_origin)
                .replace("__DEAD_SERVER__", &dead_origin);
            std::fs::write(site.path().join(entry.file_name()), text)?;
        }
        let app = Router::new()
            .route_service("/", ServeFile::new(site.path().join("all-views.html")))
            .fallback_service(ServeDir::new(site.path()))
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let origin = format!("http://{}", listener.local_addr()?);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(HostServer {
            origin,
            task,
            _site: site,
        })
    }

    /// Stops accepting connections.
    pub fn stop(&self) {
        self.task.abort();
    }
}
