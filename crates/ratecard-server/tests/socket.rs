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

    /// One HTTP/1.1 request on a fresh connection.
    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<Response> {
        let mut stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(5))?;
        stream.set_read_timeout(Some(Duration::from_secs(15)))?;
        stream.set_write_timeout(Some(Duration::from_secs(15)))?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        // The server may answer (413) before it has read the whole body.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        Ok(Response::parse(&raw))
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
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        if chunked {
            body = common::process::dechunk(&body);
        }
        Response {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

#[test]
fn the_binary_serves_the_api_the_widget_and_its_limits() {
    let widget = common::temp_dir("widget");
    std::fs::write(
        widget.join("index.html"),
        "<!doctype html><title>ratecard</title><p>widget</p>",
    )
    .expect("write");
    let widget_arg = widget.to_string_lossy().into_owned();
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
    std::fs::remove_dir_all(widget).ok();
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
    let dir = common::temp_dir("catalogues");
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
    drop(server);
    std::fs::remove_dir_all(dir).ok();
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
