//! Real databases for the store suites: a SQLite file in a temporary folder, or a fresh
//! database on the PostgreSQL server of `RATECARD_TEST_POSTGRES_URL` (which
//! `cargo xtask test` starts with `initdb`/`pg_ctl` on a loopback port).

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{AnyConnection, Connection, Executor};

/// The PostgreSQL server the suites may create databases on, if any.
pub const POSTGRES_ENV: &str = "RATECARD_TEST_POSTGRES_URL";
/// Set to `1` by `cargo xtask test`: then a missing PostgreSQL fails the suite.
pub const REQUIRE_POSTGRES_ENV: &str = "RATECARD_REQUIRE_POSTGRES";

/// A database that lives as long as the value.
pub enum TestDb {
    /// A SQLite file in its own temporary folder.
    Sqlite(tempfile::TempDir),
    /// A database created for this test on a PostgreSQL server, dropped afterwards.
    Postgres {
        /// The server's URL with the maintenance database.
        admin: String,
        /// This test's database.
        name: String,
    },
}

impl TestDb {
    /// A new SQLite database.
    pub fn sqlite() -> TestDb {
        TestDb::Sqlite(tempfile::tempdir().expect("temp dir"))
    }

    /// A new PostgreSQL database, or `None` (with a note on stderr) when no server is
    /// configured and none is required.
    ///
    /// # Panics
    ///
    /// When `RATECARD_REQUIRE_POSTGRES=1` and no server is configured, or the server
    /// refuses to create a database.
    pub async fn postgres(label: &str) -> Option<TestDb> {
        let Ok(admin) = std::env::var(POSTGRES_ENV) else {
            assert!(
                std::env::var(REQUIRE_POSTGRES_ENV).as_deref() != Ok("1"),
                "{REQUIRE_POSTGRES_ENV}=1 but {POSTGRES_ENV} is not set"
            );
            eprintln!(
                "note: {label} on PostgreSQL did not run: set {POSTGRES_ENV} (cargo xtask test does)"
            );
            return None;
        };
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "rc_{}_{}_{}",
            label.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        )
        .to_ascii_lowercase();
        sqlx::any::install_default_drivers();
        let mut conn = AnyConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("cannot reach {POSTGRES_ENV}: {e}"));
        conn.execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
            .await
            .expect("drop");
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create database");
        conn.close().await.ok();
        Some(TestDb::Postgres { admin, name })
    }

    /// The URL to give `--database`.
    pub fn url(&self) -> String {
        match self {
            TestDb::Sqlite(dir) => format!("sqlite://{}/ratecard.db", dir.path().display()),
            TestDb::Postgres { admin, name } => with_database(admin, name),
        }
    }

    /// Drops a PostgreSQL database (a SQLite folder goes with the value).
    pub async fn drop_database(self) {
        if let TestDb::Postgres { admin, name } = self
            && let Ok(mut conn) = AnyConnection::connect(&admin).await
        {
            let _ = conn
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await;
            conn.close().await.ok();
        }
    }
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}
