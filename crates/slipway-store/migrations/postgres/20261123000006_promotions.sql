-- Promotions and rollbacks, their gates (sign-offs, weekly freezes, holds, bad marks),
-- follow-ups, each environment's deploy settings, and the hash-chained audit log.

-- What runs after an environment's ref moves, and how it is verified. A webhook's token
-- lives in the OS keychain; `token_key` only names the entry.
CREATE TABLE deploy_settings (
    project_id           BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    environment          TEXT   NOT NULL,
    action_kind          TEXT   NOT NULL CHECK (action_kind IN ('none', 'webhook', 'command')),
    method               TEXT,
    url                  TEXT,
    headers              TEXT   NOT NULL DEFAULT '',
    body                 TEXT,
    token_key            TEXT,
    argv                 TEXT   NOT NULL DEFAULT '',
    timeout_secs         BIGINT NOT NULL,
    verify_url           TEXT,
    verify_timeout_secs  BIGINT,
    verify_interval_secs BIGINT,
    PRIMARY KEY (project_id, environment)
);

CREATE TABLE signoff_rules (
    project_id  BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    environment TEXT   NOT NULL,
    required    BIGINT NOT NULL CHECK (required > 0),
    role        TEXT,
    PRIMARY KEY (project_id, environment)
);

-- A person's newest verdict on a change for an environment (emails stored lower-case).
CREATE TABLE signoffs (
    project_id  BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    environment TEXT   NOT NULL,
    sha         TEXT   NOT NULL,
    signer      TEXT   NOT NULL,
    verdict     TEXT   NOT NULL CHECK (verdict IN ('approve', 'reject')),
    comment     TEXT   NOT NULL,
    signed_at   BIGINT NOT NULL,
    PRIMARY KEY (project_id, environment, sha, signer)
);

CREATE TABLE weekly_freezes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    environment TEXT,
    zone        TEXT   NOT NULL,
    week_window TEXT   NOT NULL,
    reason      TEXT   NOT NULL
);

-- Every promotion, rollback, redeploy and hotfix, written before its first step and moved on
-- as each step finishes, so a crash leaves the last finished step.
CREATE TABLE promotions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id       BIGINT NOT NULL REFERENCES projects (id),
    environment      TEXT   NOT NULL,
    kind             TEXT   NOT NULL CHECK (kind IN ('promote', 'rollback', 'redeploy', 'hotfix')),
    from_sha         TEXT   NOT NULL,
    to_sha           TEXT   NOT NULL,
    ref_written      TEXT   NOT NULL,
    changes          TEXT   NOT NULL,
    started_by       TEXT   NOT NULL,
    started_at       BIGINT NOT NULL,
    finished_at      BIGINT,
    status           TEXT   NOT NULL CHECK (status IN ('started', 'pushed', 'acted', 'verified', 'succeeded', 'failed')),
    reason           TEXT   NOT NULL DEFAULT '',
    output           TEXT   NOT NULL DEFAULT '',
    override_reason  TEXT,
    has_action       BIGINT NOT NULL,
    has_verification BIGINT NOT NULL,
    host             TEXT   NOT NULL,
    pid              BIGINT NOT NULL,
    lease_until      BIGINT NOT NULL
);
CREATE INDEX promotions_by_environment ON promotions (project_id, environment, started_at);

-- One promotion at a time per environment: the row is the lock.
CREATE TABLE environment_locks (
    project_id   BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    environment  TEXT   NOT NULL,
    promotion_id BIGINT NOT NULL,
    holder       TEXT   NOT NULL,
    since        BIGINT NOT NULL,
    PRIMARY KEY (project_id, environment)
);

CREATE TABLE holds (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    environment  TEXT   NOT NULL,
    reason       TEXT   NOT NULL,
    owner        TEXT   NOT NULL,
    since        BIGINT NOT NULL,
    promotion_id BIGINT,
    lifted_at    BIGINT,
    lifted_by    TEXT
);
CREATE UNIQUE INDEX holds_one_active ON holds (project_id, environment) WHERE lifted_at IS NULL;

CREATE TABLE bad_changes (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    sha        TEXT   NOT NULL,
    reason     TEXT   NOT NULL,
    marked_by  TEXT   NOT NULL,
    marked_at  BIGINT NOT NULL,
    PRIMARY KEY (project_id, sha)
);

CREATE TABLE follow_ups (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    environment  TEXT   NOT NULL,
    title        TEXT   NOT NULL,
    promotion_id BIGINT,
    opened_by    TEXT   NOT NULL,
    opened_at    BIGINT NOT NULL,
    closed_by    TEXT,
    closed_at    BIGINT
);

-- Append-only; each hash covers the previous one. `audit_head` counts the entries so that
-- removing the newest ones is found too.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     TEXT   NOT NULL,
    action    TEXT   NOT NULL,
    subject   TEXT   NOT NULL,
    detail    TEXT   NOT NULL,
    prev_hash TEXT   NOT NULL,
    hash      TEXT   NOT NULL
);
CREATE TABLE audit_head (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    count BIGINT NOT NULL,
    hash  TEXT   NOT NULL
);
INSERT INTO audit_head (id, count, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
