-- Accounts, their ledger events, API keys, the audit trail and the Stripe deliveries seen.
-- Instants are stored as microseconds since the Unix epoch (`*_us`), so ordering is an
-- integer comparison on every backend; an account's own dates stay RFC 3339 text.

CREATE TABLE accounts (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT,
    email_lower TEXT,
    name TEXT,
    time_zone TEXT NOT NULL,
    created_at TEXT NOT NULL,
    catalogue TEXT,
    updated_at_us BIGINT NOT NULL
);
CREATE INDEX accounts_email_lower ON accounts (email_lower);

CREATE TABLE events (
    seq {serial primary key},
    account_id TEXT NOT NULL REFERENCES accounts (id),
    event_id TEXT NOT NULL,
    at_us BIGINT NOT NULL,
    body TEXT NOT NULL,
    received_at_us BIGINT NOT NULL,
    UNIQUE (account_id, event_id)
);
CREATE INDEX events_in_time_order ON events (account_id, at_us, seq);

CREATE TABLE api_keys (
    name TEXT PRIMARY KEY NOT NULL,
    role TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at_us BIGINT NOT NULL,
    revoked_at_us BIGINT
);

CREATE TABLE audit (
    seq {serial primary key},
    at_us BIGINT NOT NULL,
    key_name TEXT NOT NULL,
    action TEXT NOT NULL,
    account_id TEXT,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status BIGINT NOT NULL
);
CREATE INDEX audit_by_account ON audit (account_id, seq);

CREATE TABLE stripe_deliveries (
    event_id TEXT PRIMARY KEY NOT NULL,
    event_type TEXT NOT NULL,
    account_id TEXT,
    received_at_us BIGINT NOT NULL
);
