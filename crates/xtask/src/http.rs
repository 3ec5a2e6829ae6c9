//! A small blocking HTTP client for the server on loopback: seeding the demo database and
//! the store benchmarks. Plain HTTP only; connections are kept alive and reused.

use std::time::Duration;

use ureq::Agent;

use crate::util::Result;

/// A client of one server, with an optional bearer key.
#[derive(Clone)]
pub struct Client {
    agent: Agent,
    /// `http://ADDR`, without a trailing slash.
    base: String,
    key: Option<String>,
}

/// A status and a body.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    /// The body as JSON, or an error naming `what` with the status and the body.
    pub fn json(&self, what: &str) -> Result<serde_json::Value> {
        serde_json::from_str(&self.body).map_err(|e| {
            format!(
                "{what}: the answer ({}) is not JSON ({e}): {}",
                self.status, self.body
            )
        })
    }

    /// Fails unless the status is one of `expected`.
    pub fn expect(self, what: &str, expected: &[u16]) -> Result<Answer> {
        if expected.contains(&self.status) {
            Ok(self)
        } else {
            let mut body = self.body;
            body.truncate(600);
            Err(format!("{what} answered {}: {body}", self.status))
        }
    }
}

impl Client {
    /// A client of the server at `addr` (`HOST:PORT`).
    pub fn new(addr: &str) -> Client {
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .max_idle_connections_per_host(16)
            .build();
        Client {
            agent: Agent::new_with_config(config),
            base: format!("http://{addr}"),
            key: None,
        }
    }

    /// The same client, sending `Authorization: Bearer KEY`.
    pub fn with_key(&self, key: &str) -> Client {
        Client {
            agent: self.agent.clone(),
            base: self.base.clone(),
            key: Some(key.to_owned()),
        }
    }

    /// The same server and key on a connection pool of its own.
    pub fn clone_fresh(&self) -> Client {
        let fresh = Client::new(self.base.trim_start_matches("http://"));
        match &self.key {
            Some(key) => fresh.with_key(key),
            None => fresh,
        }
    }

    /// The bearer key, if any.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    pub fn get(&self, path: &str) -> Result<Answer> {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        if let Some(key) = &self.key {
            request = request.header("Authorization", format!("Bearer {key}"));
        }
        finish(request.call(), "GET", path)
    }

    pub fn post(&self, path: &str, json: &str) -> Result<Answer> {
        self.send("POST", path, json)
    }

    pub fn put(&self, path: &str, json: &str) -> Result<Answer> {
        self.send("PUT", path, json)
    }

    fn send(&self, method: &str, path: &str, json: &str) -> Result<Answer> {
        let url = format!("{}{path}", self.base);
        let mut request = if method == "PUT" {
            self.agent.put(url)
        } else {
            self.agent.post(url)
        };
        request = request.header("Content-Type", "application/json");
        if let Some(key) = &self.key {
            request = request.header("Authorization", format!("Bearer {key}"));
        }
        finish(request.send(json), method, path)
    }
}

fn finish(
    response: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    method: &str,
    path: &str,
) -> Result<Answer> {
    let mut response = response.map_err(|e| format!("{method} {path}: {e}"))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("{method} {path}: cannot read the answer: {e}"))?;
    Ok(Answer { status, body })
}
