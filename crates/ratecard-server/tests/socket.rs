//! The real binary on a loopback socket: health, a calculation, a 413, the CSP on `/`,
//! CORS, a slow client, graceful shutdown, and a refusal to start on a broken catalogue.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_ratecard-server");

/// A running server; killed when dropped, so no test leaks a process.
struct Server {
    child: Child,
    addr: SocketAddr,
    _db: tempfile::TempDir,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        Server::start_with_env(args, &[])
    }

    fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Server {
        let (child, addr, db) = common::process::spawn(args, env);
        let server = Server {
            child,
            addr,
            _db: db,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(r) = server.request("GET", "/healthz", &[], b"")
                && r.status == 200
            {
                break;
            }
            assert!(Instant::now() < deadline, "/healthz never answered");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// One request; a 4xx or 5xx is an answer, not an error.
    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Response, ureq::Error> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(15)))
            .build()
            .into();
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("http://{}{path}", self.addr));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let mut res = agent.run(request.body(body)?)?;
        Ok(Response {
            status: res.status().as_u16(),
            body: res.body_mut().read_to_vec()?,
            headers: res.headers().clone(),
        })
    }

    fn post_json(&self, path: &str, body: &Value) -> Response {
        self.request(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
        .expect("request")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

#[test]
fn the_binary_serves_the_api_the_widget_and_its_limits() {
    let widget = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        widget.path().join("index.html"),
        "<!doctype html><title>ratecard</title><p>widget</p>",
    )
    .expect("write");
    let widget_arg = widget.path().to_string_lossy().into_owned();
    let server = Server::start(&[
        "--widget",
        &widget_arg,
        "--allow-origin",
        "https://shop.example",
        "--header-timeout-secs",
        "1",
    ]);

    // Health.
    let r = server
        .request("GET", "/healthz", &[], b"")
        .expect("healthz");
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"status": "ok"}));

    // A calculation.
    let r = server.post_json(
        "/api/v1/previews/upgrade",
        &json!({"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                "to_plan": "studio", "at": "2027-02-15T00:00:00Z"}),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["due_now"]["amount_minor"], 900);

    // The default catalogue.
    let r = server
        .request("GET", "/api/v1/catalogues/stable-audio", &[], b"")
        .expect("catalogue");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["id"], "stable-audio");

    // A 70 KiB body is refused with a problem.
    let big = format!("{{\"pad\": \"{}\"}}", "x".repeat(70 * 1024));
    let r = server
        .request(
            "POST",
            "/api/v1/quota",
            &[("Content-Type", "application/json")],
            big.as_bytes(),
        )
        .expect("413");
    assert_eq!(r.status, 413);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert_eq!(
        r.json()["type"],
        "https://ratecard.dev/problems/body-too-large"
    );

    // The widget's page, with a strict CSP.
    let r = server.request("GET", "/", &[], b"").expect("index");
    assert_eq!(r.status, 200);
    assert!(String::from_utf8_lossy(&r.body).contains("widget"));
    let csp = r.header("content-security-policy").expect("CSP on /");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(!csp.contains("'unsafe-eval'"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(r.header("x-frame-options"), Some("DENY"));

    // CORS: the allowed origin gets the header, another does not.
    let r = server
        .request(
            "GET",
            "/api/v1/catalogues",
            &[("Origin", "https://shop.example")],
            b"",
        )
        .expect("cors");
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    let r = server
        .request(
            "GET",
            "/api/v1/catalogues",
            &[("Origin", "https://evil.example")],
            b"",
        )
        .expect("cors");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), None);
    let r = server
        .request(
            "OPTIONS",
            "/api/v1/quota",
            &[
                ("Origin", "https://shop.example"),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type"),
            ],
            b"",
        )
        .expect("preflight");
    assert!(r.status < 300, "{}", r.status);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://shop.example")
    );

    // Bad input over the wire is a 4xx problem.
    let r = server.request(
        "POST",
        "/api/v1/renewals",
        &[("Content-Type", "application/json")],
        b"{\"subscription\": ",
    );
    let r = r.expect("malformed");
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["type"],
        "https://ratecard.dev/problems/malformed-json"
    );

    // A client that never finishes its headers is disconnected.
    let started = Instant::now();
    let mut slow = TcpStream::connect(server.addr).expect("connect");
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .expect("partial head");
    let mut buf = Vec::new();
    let read = slow.read_to_end(&mut buf);
    assert!(
        read.is_ok() && started.elapsed() < Duration::from_secs(8),
        "the slow client was held for {:?} ({read:?})",
        started.elapsed()
    );
    // A silent client too.
    let started = Instant::now();
    let mut silent = TcpStream::connect(server.addr).expect("connect");
    silent
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let read = silent.read_to_end(&mut buf);
    assert!(
        read.is_ok() && started.elapsed() < Duration::from_secs(8),
        "the silent client was held for {:?} ({read:?})",
        started.elapsed()
    );

    // And the server still answers.
    let r = server
        .request("GET", "/healthz", &[], b"")
        .expect("healthz");
    assert_eq!(r.status, 200);
}

#[test]
fn sigterm_shuts_down_gracefully() {
    let mut server = Server::start(&[]);
    let pid = server.child.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(exit) = server.child.try_wait().expect("wait") {
            assert!(exit.success(), "exit status {exit}");
            break;
        }
        assert!(Instant::now() < deadline, "the server ignored SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_broken_catalogue_directory_refuses_to_start() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let mut good: Value = serde_json::from_str(
        &ratecard_rules::Catalogue::builtin("stable-audio")
            .expect("builtin")
            .to_json(),
    )
    .expect("json");
    good["id"] = json!("shop");
    std::fs::write(dir.join("a-shop.json"), good.to_string()).expect("write");
    let mut bad = good.clone();
    bad["id"] = json!("broken");
    bad["plans"][1]["licence"] = json!("platinum");
    std::fs::write(dir.join("b-broken.json"), bad.to_string()).expect("write");

    let dir_arg = dir.to_string_lossy().into_owned();
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--catalogues", &dir_arg])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server started with a broken catalogue");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read");
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut stdout)
        .expect("read");
    assert!(!status.success(), "exit status {status}");
    assert!(!stdout.contains("listening"), "{stdout}");
    assert!(stderr.contains("b-broken.json"), "{stderr}");
    assert!(stderr.contains("plans[1].licence"), "{stderr}");
    assert!(stderr.contains("platinum"), "{stderr}");

    // With the broken file gone, it starts and serves the good one.
    std::fs::remove_file(dir.join("b-broken.json")).expect("remove");
    let server = Server::start(&["--catalogues", &dir_arg]);
    let r = server
        .request("GET", "/api/v1/catalogues/shop", &[], b"")
        .expect("catalogue");
    assert_eq!(r.status, 200);
}

#[test]
fn bad_flags_refuse_to_start() {
    let out = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--allow-origin",
            "https://shop.example/path",
        ])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--allow-origin"), "{stderr}");
}

#[test]
fn flags_can_come_from_the_environment() {
    let out = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0"])
        .env("RATECARD_ALLOW_ORIGIN", "https://a.example,ftp://b.example")
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ftp://b.example"), "{stderr}");

    let server = Server::start_with_env(&[], &[("RATECARD_ALLOW_ORIGIN", "https://a.example")]);
    let r = server
        .request("GET", "/healthz", &[("Origin", "https://a.example")], b"")
        .expect("healthz");
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://a.example")
    );
}

#[test]
fn print_openapi_prints_the_document() {
    let out = Command::new(BIN)
        .arg("--print-openapi")
        .output()
        .expect("run");
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        ratecard_server::openapi_json()
    );
}
