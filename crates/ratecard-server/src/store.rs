//! The account store: accounts, their ledger events, API keys, the audit trail and the
//! Stripe deliveries already applied.
//!
//! One code path serves SQLite (the default, `sqlite://ratecard-data/ratecard.db`) and
//! PostgreSQL (`postgres://…`, for several server copies behind a load balancer): sqlx's
//! `Any` driver, with queries checked at run time and the versioned migrations of
//! `migrations/`, written once for both dialects, which run at start-up.
//!
//! ## Durability and concurrency
//!
//! * Every write is one transaction, committed before the request is answered. SQLite
//!   runs in WAL mode with `synchronous = FULL`, so a commit is on disk when it returns
//!   and an acknowledged event survives `kill -9` of the server the next instant.
//! * Events are idempotent by `(account, event id)`: an `INSERT … ON CONFLICT DO NOTHING`
//!   under the unique key, so batches posted in parallel neither lose nor duplicate an
//!   event, on either backend. SQLite allows one writer at a time; this process serialises
//!   its own writers, and `busy_timeout` covers other processes.
//! * A database that cannot be reached, opened or written is
//!   [`StoreError::Unavailable`], which the server answers with a 503 problem. The pool
//!   reconnects by itself; migrations that could not run at start-up are retried by the
//!   next request that needs the store.
//!
//! The rules crate knows nothing of this module: it is handed the stored events as a
//! plain [`LedgerRequest`](ratecard_rules::api::LedgerRequest), like any other caller.

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use ratecard_rules::api::LedgerEvent;
use sqlx::any::AnyPoolOptions;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyConnection, AnyPool, Connection, Executor, Row};
use tokio::sync::{Mutex, MutexGuard};

/// The versioned schema, written once for both backends: each migration of `migrations/`
/// by version and description, with [`SERIAL_KEY`] where the two dialects differ.
const MIGRATIONS: &[(i64, &str, &str)] = &[(
    20_261_129_000_001,
    "accounts",
    include_str!("../migrations/20261129000001_accounts.sql"),
)];

/// What a migration writes for an integer key that the database counts up itself, the
/// one thing SQLite and PostgreSQL spell differently.
const SERIAL_KEY: &str = "{serial primary key}";

/// How long a request waits for a database connection before it is answered 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// The most accounts a search returns.
pub const SEARCH_LIMIT: usize = 50;

/// The most audit entries one read returns.
pub const AUDIT_LIMIT: usize = 500;

/// The longest event id, account id or key name accepted.
pub const MAX_ID_LEN: usize = 200;

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// This backend's spelling of [`SERIAL_KEY`].
    fn serial_key(self) -> &'static str {
        match self {
            Backend::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
            Backend::Postgres => "BIGSERIAL PRIMARY KEY",
        }
    }

    /// The migrations in this backend's dialect. Their SQL is, byte for byte, what the
    /// databases migrated so far recorded the checksums of.
    fn migrations(self) -> Vec<Migration> {
        MIGRATIONS
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    Cow::Owned(sql.replace(SERIAL_KEY, self.serial_key())),
                    false,
                )
            })
            .collect()
    }
}

/// The migrations of one backend, as sqlx's [`Migrator`] reads them.
#[derive(Debug)]
struct Schema(Backend);

impl MigrationSource<'static> for Schema {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send>> {
        Box::pin(std::future::ready(Ok(self.0.migrations())))
    }
}

/// Why the store could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The database cannot be reached, opened or written right now (503).
    Unavailable(String),
    /// The database answered something this code does not expect: a bug (500).
    Bug(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Unavailable(d) => write!(f, "the account store is unavailable: {d}"),
            StoreError::Bug(d) => write!(f, "the account store answered unexpectedly: {d}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        use sqlx::Error as E;
        match e {
            E::ColumnDecode { .. }
            | E::Decode(_)
            | E::ColumnNotFound(_)
            | E::ColumnIndexOutOfBounds { .. }
            | E::TypeNotFound { .. }
            | E::RowNotFound => StoreError::Bug(e.to_string()),
            // Connection failures, I/O, a full or read-only disk, a busy SQLite file, a
            // Postgres that is shutting down: the database, not the request, is at fault.
            other => StoreError::Unavailable(other.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Unavailable(format!("migrations could not run: {e}"))
    }
}

/// Checks a `--database` URL and names its backend.
///
/// # Errors
///
/// A message naming the URL's scheme when it is neither `sqlite:` nor `postgres:`.
///
/// # Example
///
/// ```
/// use ratecard_server::store::{Backend, backend_of};
/// assert_eq!(backend_of("sqlite://ratecard-data/ratecard.db"), Ok(Backend::Sqlite));
/// assert_eq!(backend_of("postgres://u:p@127.0.0.1:5432/db"), Ok(Backend::Postgres));
/// assert!(backend_of("mysql://x").is_err());
/// ```
pub fn backend_of(url: &str) -> Result<Backend, String> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(format!(
            "--database `{}`: use `sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DB`",
            redact(url)
        ))
    }
}

/// The URL with any password replaced by `***`, for logs and messages.
#[must_use]
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// A stored account, as `GET /api/v1/accounts/{id}` starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRow {
    /// The account id: the billing system's, or the Stripe customer id.
    pub id: String,
    /// The customer's email.
    pub email: Option<String>,
    /// The customer's name.
    pub name: Option<String>,
    /// The customer's IANA time zone.
    pub time_zone: String,
    /// When the account was created, RFC 3339.
    pub created_at: String,
    /// The catalogue id; `None` means the default catalogue.
    pub catalogue: Option<String>,
}

/// What `PUT /api/v1/accounts/{id}` writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountFields {
    /// The customer's email.
    pub email: Option<String>,
    /// The customer's name.
    pub name: Option<String>,
    /// The customer's IANA time zone.
    pub time_zone: String,
    /// When the account was created.
    pub created_at: DateTime<FixedOffset>,
    /// The catalogue id; `None` means the default catalogue.
    pub catalogue: Option<String>,
}

/// One stored event: its id within the account and the ledger event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    /// Unique within the account.
    pub id: String,
    /// The event.
    pub event: LedgerEvent,
}

/// The outcome of appending a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appended {
    /// Events stored by this batch.
    pub stored: u64,
    /// Events whose id was already stored (or repeated within the batch).
    pub duplicates: u64,
}

/// A role an API key has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Writes accounts and events.
    Ingest,
    /// Reads accounts, events, ledgers and the audit trail.
    Support,
}

impl Role {
    /// The role's name, as stored and as `keys create --role` takes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Ingest => "ingest",
            Role::Support => "support",
        }
    }

    /// Reads a role name.
    ///
    /// # Errors
    ///
    /// A message listing the roles.
    pub fn parse(s: &str) -> Result<Role, String> {
        match s {
            "ingest" => Ok(Role::Ingest),
            "support" => Ok(Role::Support),
            other => Err(format!("unknown role `{other}`; use `ingest` or `support`")),
        }
    }
}

/// A stored API key, without its secret (only a hash of it is stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRow {
    /// The key's name, shown in the audit trail.
    pub name: String,
    /// What the key may do.
    pub role: Role,
    /// The SHA-256 of the key, hex.
    pub key_hash: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Whether an audited request read or wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// A support read.
    Read,
    /// An ingestion write (or a Stripe delivery).
    Write,
}

impl AuditAction {
    fn as_str(self) -> &'static str {
        match self {
            AuditAction::Read => "read",
            AuditAction::Write => "write",
        }
    }
}

/// One line of the audit trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// The key's name (`stripe-webhook` for Stripe deliveries).
    pub key: String,
    /// Read or write.
    pub action: AuditAction,
    /// The account concerned; `None` for a search.
    pub account: Option<String>,
    /// The HTTP method.
    pub method: String,
    /// The path and query.
    pub path: String,
    /// The status answered.
    pub status: u16,
}

/// A Stripe delivery to record, with what it does to an account.
#[derive(Clone, Debug)]
pub struct StripeWrite {
    /// Stripe's event id (`evt_…`): a delivery seen before is not applied again.
    pub stripe_event_id: String,
    /// Stripe's event type.
    pub event_type: String,
    /// The account (the Stripe customer id), when the event concerns one.
    pub account: Option<String>,
    /// The fields of an account created by this delivery.
    pub new_account: Option<AccountFields>,
    /// The events to append, with their ids.
    pub events: Vec<StoredEvent>,
}

/// The account store. Cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    migrated: AtomicBool,
    migrating: Mutex<()>,
    /// SQLite allows one writer: this process's writers take turns here instead of
    /// failing with `SQLITE_BUSY` when a reading transaction upgrades.
    writer: Mutex<()>,
    /// Histories read recently (see [`Store::events`]).
    cache: HistoryCache,
}

/// The most account histories kept in memory; past that the cache starts afresh.
const CACHED_HISTORIES: usize = 1024;

/// When a history was read: its number of events and its highest sequence number.
type Stamp = (i64, i64);

/// A parsed history.
type History = Arc<Vec<StoredEvent>>;

/// Parsed histories by account, each under the [`Stamp`] it was read at.
#[derive(Debug, Default)]
struct HistoryCache {
    entries: StdMutex<HashMap<String, (Stamp, History)>>,
}

impl HistoryCache {
    fn get(&self, account: &str, stamp: Stamp) -> Option<Arc<Vec<StoredEvent>>> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(account)
            .filter(|(at, _)| *at == stamp)
            .map(|(_, events)| Arc::clone(events))
    }

    fn put(&self, account: &str, stamp: Stamp, events: Arc<Vec<StoredEvent>>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CACHED_HISTORIES && !entries.contains_key(account) {
                entries.clear();
            }
            entries.insert(account.to_owned(), (stamp, events));
        }
    }
}

fn now_us() -> i64 {
    Utc::now().timestamp_micros()
}

fn from_us(us: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(us)
        .ok_or_else(|| StoreError::Bug(format!("a stored instant is out of range: {us}")))
}

/// The SQLite URL with its folder created and `mode=rwc`, so the file is created too.
fn prepare_sqlite(url: &str) -> Result<String, StoreError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::Unavailable(
            "an in-memory SQLite database would lose every event; give a file path".to_owned(),
        ));
    }
    if let Some(parent) = Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| {
            StoreError::Unavailable(format!(
                "cannot create the folder {} for the SQLite file: {e}",
                parent.display()
            ))
        })?;
    }
    let query = if query.split('&').any(|p| p.starts_with("mode=")) {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Per-connection settings: durable WAL commits and a busy timeout for SQLite.
async fn configure(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        conn.execute("PRAGMA journal_mode = WAL").await?;
        conn.execute("PRAGMA synchronous = FULL").await?;
        conn.execute("PRAGMA busy_timeout = 5000").await?;
        conn.execute("PRAGMA foreign_keys = ON").await?;
    }
    Ok(())
}

impl Store {
    /// Opens the store at `url` without touching the database yet: the pool connects on
    /// first use, so the server starts even while the database is down. Call
    /// [`Store::migrate`] to run the migrations now.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] for a URL that cannot be used (an unknown scheme, a
    /// SQLite folder that cannot be created).
    pub fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url).map_err(StoreError::Unavailable)?;
        let (url, max) = match backend {
            Backend::Sqlite => (prepare_sqlite(url)?, 8),
            Backend::Postgres => (url.to_owned(), 16),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .min_connections(0)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(|conn, _meta| Box::pin(async move { configure(conn).await }))
            .connect_lazy(&url)
            .map_err(|e| StoreError::Unavailable(format!("{}: {e}", redact(&url))))?;
        Ok(Store {
            pool,
            backend,
            migrated: AtomicBool::new(false),
            migrating: Mutex::new(()),
            writer: Mutex::new(()),
            cache: HistoryCache::default(),
        })
    }

    /// The backend in use.
    #[must_use]
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs the migrations that have not run yet. Several server copies may call it at
    /// once: on PostgreSQL sqlx takes an advisory lock, on SQLite the file lock.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when the database cannot be reached or migrated.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        if self.migrated.load(Ordering::Acquire) {
            return Ok(());
        }
        let _turn = self.migrating.lock().await;
        if self.migrated.load(Ordering::Acquire) {
            return Ok(());
        }
        let migrator = Migrator::new(Schema(self.backend)).await?;
        match self.backend {
            Backend::Sqlite => {
                // sqlx takes no lock around SQLite migrations, so two processes opening a
                // new file at once (a server and `keys create`) can race; the loser's
                // error goes away once the winner has committed, so it tries again.
                let mut tries = 0;
                loop {
                    match migrator.run(&self.pool).await {
                        Ok(()) => break,
                        Err(e) if tries < 5 => {
                            tries += 1;
                            tracing::debug!(error = %e, tries, "SQLite migration raced; retrying");
                            tokio::time::sleep(Duration::from_millis(100 * tries)).await;
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
            }
            Backend::Postgres => migrator.run(&self.pool).await?,
        }
        self.migrated.store(true, Ordering::Release);
        Ok(())
    }

    /// Checks that the database answers (for health checks and tests).
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when it does not.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.migrate().await?;
        let mut conn = self.pool.acquire().await?;
        conn.ping().await?;
        Ok(())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn write_turn(&self) -> Option<MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(self.writer.lock().await),
            Backend::Postgres => None,
        }
    }

    // -- Accounts ------------------------------------------------------------------------

    /// Creates or updates an account, and records the write in the audit trail in the
    /// same transaction. Returns whether it was created.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails.
    pub async fn put_account(
        &self,
        id: &str,
        fields: &AccountFields,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        self.migrate().await?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let existed = sqlx::query("SELECT 1 FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        sqlx::query(
            "INSERT INTO accounts (id, email, email_lower, name, time_zone, created_at, catalogue, updated_at_us) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (id) DO UPDATE SET email = excluded.email, email_lower = excluded.email_lower, \
             name = excluded.name, time_zone = excluded.time_zone, created_at = excluded.created_at, \
             catalogue = excluded.catalogue, updated_at_us = excluded.updated_at_us",
        )
        .bind(id)
        .bind(fields.email.clone())
        .bind(fields.email.as_deref().map(str::to_lowercase))
        .bind(fields.name.clone())
        .bind(fields.time_zone.clone())
        .bind(fields.created_at.to_rfc3339())
        .bind(fields.catalogue.clone())
        .bind(now_us())
        .execute(&mut *tx)
        .await?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(!existed)
    }

    /// One account, or `None`.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails.
    pub async fn account(&self, id: &str) -> Result<Option<AccountRow>, StoreError> {
        self.migrate().await?;
        let row = sqlx::query(
            "SELECT id, email, name, time_zone, created_at, catalogue FROM accounts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| account_row(&r)).transpose()
    }

    /// At most [`SEARCH_LIMIT`] accounts whose id starts with `text` or whose email
    /// contains it (ignoring case), ordered by id.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails.
    pub async fn search(&self, text: &str) -> Result<Vec<AccountRow>, StoreError> {
        self.migrate().await?;
        let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
        let limit = i64::try_from(SEARCH_LIMIT).unwrap_or(50);
        let rows = sqlx::query(
            "SELECT id, email, name, time_zone, created_at, catalogue FROM accounts \
             WHERE substr(id, 1, CAST($1 AS INTEGER)) = $2 OR email_lower LIKE $3 ESCAPE '\\' \
             ORDER BY id LIMIT $4",
        )
        .bind(i64::try_from(text.chars().count()).unwrap_or(i64::MAX))
        .bind(text.to_owned())
        .bind(pattern)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(account_row).collect()
    }

    // -- Events --------------------------------------------------------------------------

    /// Appends events to an account, all or nothing, idempotent by event id. Returns
    /// `None` when the account does not exist. The audit entry is written in the same
    /// transaction.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails; then nothing is stored.
    pub async fn append_events(
        &self,
        account: &str,
        events: &[StoredEvent],
        audit: &AuditEntry,
    ) -> Result<Option<Appended>, StoreError> {
        self.migrate().await?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let exists = sqlx::query("SELECT 1 FROM accounts WHERE id = $1")
            .bind(account)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if !exists {
            tx.rollback().await?;
            return Ok(None);
        }
        let appended = insert_events(&mut tx, account, events).await?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(Some(appended))
    }

    /// The events of an account in time order (ties in the order they were stored).
    ///
    /// Events are only ever added, so the number of an account's events and its highest
    /// sequence number change whenever another event becomes visible, whichever server
    /// copy stored it. A history read before is kept in memory under that pair, and a
    /// read that finds the pair unchanged costs one small query instead of every row.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails or a stored event no longer reads.
    pub async fn events(&self, account: &str) -> Result<Arc<Vec<StoredEvent>>, StoreError> {
        self.migrate().await?;
        let stamp = sqlx::query(
            "SELECT COUNT(*) AS n, COALESCE(MAX(seq), 0) AS last FROM events WHERE account_id = $1",
        )
        .bind(account)
        .fetch_one(&self.pool)
        .await?;
        let stamp: Stamp = (stamp.try_get("n")?, stamp.try_get("last")?);
        if let Some(hit) = self.cache.get(account, stamp) {
            return Ok(hit);
        }
        let rows = sqlx::query(
            "SELECT event_id, body FROM events WHERE account_id = $1 ORDER BY at_us, seq",
        )
        .bind(account)
        .fetch_all(&self.pool)
        .await?;
        let events = rows
            .iter()
            .map(|r| {
                let id: String = r.try_get("event_id")?;
                let body: String = r.try_get("body")?;
                let event = serde_json::from_str(&body).map_err(|e| {
                    StoreError::Bug(format!("stored event `{id}` no longer reads: {e}"))
                })?;
                Ok(StoredEvent { id, event })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        // Rows committed between the two queries make the stamp older than the rows:
        // such a history is answered but not kept, so the next read loads it again.
        let events = Arc::new(events);
        if usize::try_from(stamp.0).is_ok_and(|n| n == events.len()) {
            self.cache.put(account, stamp, Arc::clone(&events));
        }
        Ok(events)
    }

    // -- Stripe --------------------------------------------------------------------------

    /// Applies a Stripe delivery once: records its event id, creates the account when it
    /// is new, appends its events and writes the audit entry, in one transaction.
    /// Returns `false` when the delivery was applied before (nothing changes).
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails; then nothing is stored.
    pub async fn apply_stripe(
        &self,
        write: &StripeWrite,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        self.migrate().await?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let first = sqlx::query(
            "INSERT INTO stripe_deliveries (event_id, event_type, account_id, received_at_us) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(write.stripe_event_id.clone())
        .bind(write.event_type.clone())
        .bind(write.account.clone())
        .bind(now_us())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !first {
            tx.rollback().await?;
            return Ok(false);
        }
        if let (Some(account), Some(fields)) = (&write.account, &write.new_account) {
            sqlx::query(
                "INSERT INTO accounts (id, email, email_lower, name, time_zone, created_at, catalogue, updated_at_us) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
            )
            .bind(account.clone())
            .bind(fields.email.clone())
            .bind(fields.email.as_deref().map(str::to_lowercase))
            .bind(fields.name.clone())
            .bind(fields.time_zone.clone())
            .bind(fields.created_at.to_rfc3339())
            .bind(fields.catalogue.clone())
            .bind(now_us())
            .execute(&mut *tx)
            .await?;
            if let Some(email) = &fields.email {
                sqlx::query(
                    "UPDATE accounts SET email = $1, email_lower = $2 WHERE id = $3 AND email IS NULL",
                )
                .bind(email.clone())
                .bind(email.to_lowercase())
                .bind(account.clone())
                .execute(&mut *tx)
                .await?;
            }
        }
        if let Some(account) = &write.account {
            insert_events(&mut tx, account, &write.events).await?;
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    // -- Keys ----------------------------------------------------------------------------

    /// Stores a new key's hash under `name`. Returns `false` when an active key has that
    /// name; the name of a revoked key is free again (the audit trail keeps the times, so
    /// it still tells the two keys apart).
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails.
    pub async fn insert_key(
        &self,
        name: &str,
        role: Role,
        key_hash: &str,
    ) -> Result<bool, StoreError> {
        self.migrate().await?;
        let _turn = self.write_turn().await;
        let stored = sqlx::query(
            "INSERT INTO api_keys (name, role, key_hash, created_at_us) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO UPDATE SET role = excluded.role, key_hash = excluded.key_hash, \
             created_at_us = excluded.created_at_us, revoked_at_us = NULL \
             WHERE api_keys.revoked_at_us IS NOT NULL",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(key_hash)
        .bind(now_us())
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(stored == 1)
    }

    /// Every key, by name.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails.
    pub async fn keys(&self) -> Result<Vec<KeyRow>, StoreError> {
        self.migrate().await?;
        let rows = sqlx::query(
            "SELECT name, role, key_hash, created_at_us, revoked_at_us FROM api_keys ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(key_row).collect()
    }

    /// The key whose hash is `key_hash`, revoked or not.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails.
    pub async fn key_by_hash(&self, key_hash: &str) -> Result<Option<KeyRow>, StoreError> {
        self.migrate().await?;
        let row = sqlx::query(
            "SELECT name, role, key_hash, created_at_us, revoked_at_us FROM api_keys WHERE key_hash = $1",
        )
        .bind(key_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(key_row).transpose()
    }

    /// Revokes the key `name`. Returns `false` when there is no such key that is not
    /// revoked already.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails.
    pub async fn revoke_key(&self, name: &str) -> Result<bool, StoreError> {
        self.migrate().await?;
        let _turn = self.write_turn().await;
        let n = sqlx::query(
            "UPDATE api_keys SET revoked_at_us = $1 WHERE name = $2 AND revoked_at_us IS NULL",
        )
        .bind(now_us())
        .bind(name)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    // -- Audit ---------------------------------------------------------------------------

    /// Writes audit entries in one transaction.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails.
    pub async fn record_audit(&self, entries: &[AuditEntry]) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        self.migrate().await?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        for entry in entries {
            insert_audit(&mut tx, entry).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The newest [`AUDIT_LIMIT`] audit entries, of one account or of all, newest first.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the database fails.
    pub async fn audit(&self, account: Option<&str>) -> Result<Vec<AuditEntry>, StoreError> {
        self.migrate().await?;
        let limit = i64::try_from(AUDIT_LIMIT).unwrap_or(500);
        let rows =
            match account {
                Some(account) => sqlx::query(
                    "SELECT at_us, key_name, action, account_id, method, path, status FROM audit \
                     WHERE account_id = $1 ORDER BY seq DESC LIMIT $2",
                )
                .bind(account)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?,
                None => sqlx::query(
                    "SELECT at_us, key_name, action, account_id, method, path, status FROM audit \
                     ORDER BY seq DESC LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&self.pool)
                .await?,
            };
        rows.iter()
            .map(|r| {
                let action: String = r.try_get("action")?;
                let status: i64 = r.try_get("status")?;
                Ok(AuditEntry {
                    at: from_us(r.try_get("at_us")?)?,
                    key: r.try_get("key_name")?,
                    action: if action == "write" {
                        AuditAction::Write
                    } else {
                        AuditAction::Read
                    },
                    account: r.try_get("account_id")?,
                    method: r.try_get("method")?,
                    path: r.try_get("path")?,
                    status: u16::try_from(status).unwrap_or(0),
                })
            })
            .collect()
    }
}

async fn insert_events(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account: &str,
    events: &[StoredEvent],
) -> Result<Appended, StoreError> {
    let mut appended = Appended {
        stored: 0,
        duplicates: 0,
    };
    let received = now_us();
    for e in events {
        let body = serde_json::to_string(&e.event)
            .map_err(|err| StoreError::Bug(format!("event `{}` does not encode: {err}", e.id)))?;
        let n = sqlx::query(
            "INSERT INTO events (account_id, event_id, at_us, body, received_at_us) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, event_id) DO NOTHING",
        )
        .bind(account)
        .bind(e.id.clone())
        .bind(e.event.at().timestamp_micros())
        .bind(body)
        .bind(received)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if n == 1 {
            appended.stored += 1;
        } else {
            appended.duplicates += 1;
        }
    }
    Ok(appended)
}

async fn insert_audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    e: &AuditEntry,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit (at_us, key_name, action, account_id, method, path, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.at.timestamp_micros())
    .bind(e.key.clone())
    .bind(e.action.as_str())
    .bind(e.account.clone())
    .bind(e.method.clone())
    .bind(e.path.clone())
    .bind(i64::from(e.status))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn account_row(r: &sqlx::any::AnyRow) -> Result<AccountRow, StoreError> {
    Ok(AccountRow {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        time_zone: r.try_get("time_zone")?,
        created_at: r.try_get("created_at")?,
        catalogue: r.try_get("catalogue")?,
    })
}

fn key_row(r: &sqlx::any::AnyRow) -> Result<KeyRow, StoreError> {
    let role: String = r.try_get("role")?;
    let revoked: Option<i64> = r.try_get("revoked_at_us")?;
    Ok(KeyRow {
        name: r.try_get("name")?,
        role: Role::parse(&role).map_err(StoreError::Bug)?,
        key_hash: r.try_get("key_hash")?,
        created_at: from_us(r.try_get("created_at_us")?)?,
        revoked_at: revoked.map(from_us).transpose()?,
    })
}

/// `text` with the `LIKE` wildcards and the escape character escaped by `\`.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_a_message() {
        assert_eq!(
            redact("postgres://app:s3cret@db.internal:5432/ratecard"),
            "postgres://app:***@db.internal:5432/ratecard"
        );
        assert_eq!(
            redact("postgres://app@db/ratecard"),
            "postgres://app@db/ratecard"
        );
        assert!(
            !backend_of("mysql://app:s3cret@db/x")
                .unwrap_err()
                .contains("s3cret")
        );
    }

    #[test]
    fn each_backend_migrates_with_the_sql_its_databases_recorded() {
        // sqlx refuses to start on a database whose applied migrations' checksums differ
        // from the ones it is given. These are the SHA-384 checksums of the first
        // migration as the databases created so far recorded them, when each dialect
        // still had a copy of its own.
        let recorded = [
            (
                Backend::Sqlite,
                "e46022da443d38f781bad6865ba63d1a0af8a47420d2fa33bbb7addf7349082b18c4bceb55fc44e5fa4102ee41ef329e",
            ),
            (
                Backend::Postgres,
                "27881e5c13636327bc45901aa10cadbd48094e64b7a8a565ef17c0779c8a0906eaf9f9a4b861434242d9f88f61a17331",
            ),
        ];
        for (backend, checksum) in recorded {
            let migrations = backend.migrations();
            assert_eq!(migrations[0].version, 20_261_129_000_001);
            assert_eq!(migrations[0].description, "accounts");
            assert_eq!(
                hex::encode(&migrations[0].checksum),
                checksum,
                "{backend:?}"
            );
            for m in &migrations {
                assert!(!m.sql.contains(SERIAL_KEY), "{backend:?}: {}", m.version);
            }
        }
    }

    #[test]
    fn like_wildcards_are_literal() {
        assert_eq!(escape_like("a%b_c\\d"), "a\\%b\\_c\\\\d");
        assert_eq!(escape_like("ada@example.com"), "ada@example.com");
    }

    #[test]
    fn sqlite_urls_create_their_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested").join("r.db");
        let url = format!("sqlite://{}", path.display());
        let prepared = prepare_sqlite(&url).expect("prepared");
        assert!(prepared.ends_with("?mode=rwc"), "{prepared}");
        assert!(path.parent().is_some_and(Path::is_dir));
        assert_eq!(
            prepare_sqlite(&format!("{url}?mode=ro")).expect("prepared"),
            format!("{url}?mode=ro")
        );
        assert!(prepare_sqlite("sqlite::memory:").is_err());
    }
}
