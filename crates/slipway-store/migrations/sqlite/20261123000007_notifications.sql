-- Stakeholder notifications: channels, subscriptions, templates, and the outbox that a
-- dispatcher drains. Secrets (SMTP passwords, webhook URLs with keys, signing keys) live in
-- the OS keychain; `secret_ref` only names the entry.

-- People are the stakeholders: a chat handle to mention them by.
ALTER TABLE people ADD COLUMN chat_handle TEXT NOT NULL DEFAULT '';

CREATE TABLE channels (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT   NOT NULL UNIQUE,
    kind       TEXT   NOT NULL CHECK (kind IN ('email', 'slack', 'teams', 'webhook', 'desktop')),
    settings   TEXT   NOT NULL DEFAULT '',
    secret_ref TEXT,
    created_at BIGINT NOT NULL,
    created_by TEXT   NOT NULL
);

CREATE TABLE subscriptions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    person       TEXT   NOT NULL,
    channel_id   BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    project      TEXT,
    environment  TEXT,
    kinds        TEXT   NOT NULL DEFAULT '',
    min_severity TEXT   NOT NULL CHECK (min_severity IN ('info', 'warning', 'critical')),
    delivery     TEXT   NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX subscriptions_by_person ON subscriptions (person);

-- A workspace's own wording for one event kind's part on one channel kind.
CREATE TABLE notification_templates (
    kind         TEXT   NOT NULL,
    channel_kind TEXT   NOT NULL,
    part         TEXT   NOT NULL,
    body         TEXT   NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT   NOT NULL,
    PRIMARY KEY (kind, channel_kind, part)
);

-- What happened, written in the same transaction as the act itself. dedupe_key makes an
-- event that several watchers notice (a clock threshold, a sign-off wait) exist once.
CREATE TABLE notification_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT   NOT NULL,
    severity    TEXT   NOT NULL,
    project     TEXT   NOT NULL,
    environment TEXT,
    thread      TEXT   NOT NULL,
    title       TEXT   NOT NULL,
    actor       TEXT   NOT NULL,
    at          BIGINT NOT NULL,
    escalate_to TEXT   NOT NULL DEFAULT '',
    vals        TEXT   NOT NULL DEFAULT '',
    dedupe_key  TEXT   UNIQUE
);

-- One delivery per (event, recipient, channel); times in Unix milliseconds.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id         BIGINT NOT NULL REFERENCES notification_events (id),
    recipient        TEXT   NOT NULL,
    channel_id       BIGINT NOT NULL,
    channel_name     TEXT   NOT NULL,
    channel_kind     TEXT   NOT NULL,
    idempotency_key  TEXT   NOT NULL UNIQUE,
    digest           BIGINT NOT NULL DEFAULT 0,
    state            TEXT   NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'cancelled')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_ms  BIGINT NOT NULL,
    claimed_by       TEXT,
    claimed_until_ms BIGINT,
    last_error       TEXT   NOT NULL DEFAULT '',
    created_ms       BIGINT NOT NULL,
    sent_ms          BIGINT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_ms);
CREATE INDEX outbox_by_event ON outbox (event_id);
