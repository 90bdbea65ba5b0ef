-- Change requests, SLA and aging policies, calendars, freeze windows and clock events.
-- A request is its event log (request_events); change_requests holds what it was opened with
-- and its current state, kept beside the log in the same transaction for listing.

-- People and the roles they approve and sign off in.
CREATE TABLE people (
    email TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    roles TEXT NOT NULL DEFAULT ''
);

-- Business calendars: a zone (NULL for 24×7), opening hours per weekday, holidays.
CREATE TABLE calendars (
    name TEXT PRIMARY KEY,
    zone TEXT
);
CREATE TABLE calendar_hours (
    calendar  TEXT   NOT NULL REFERENCES calendars (name) ON DELETE CASCADE,
    weekday   BIGINT NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    open_min  BIGINT NOT NULL,
    close_min BIGINT NOT NULL,
    PRIMARY KEY (calendar, weekday)
);
CREATE TABLE holidays (
    calendar  TEXT NOT NULL REFERENCES calendars (name) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL
);

-- How a clock warns: shared by SLA policies ('sla/<type>/<severity>') and aging policies
-- ('age/<project>/<environment>').
CREATE TABLE alerting (
    policy          TEXT   PRIMARY KEY,
    calendar        TEXT   NOT NULL REFERENCES calendars (name),
    warnings        TEXT   NOT NULL,
    repeat_every    BIGINT,
    pause_on_hold   BIGINT NOT NULL,
    pause_in_freeze BIGINT NOT NULL
);
CREATE TABLE escalation_steps (
    policy    TEXT   NOT NULL REFERENCES alerting (policy) ON DELETE CASCADE,
    threshold TEXT   NOT NULL,
    position  BIGINT NOT NULL,
    recipient TEXT   NOT NULL,
    PRIMARY KEY (policy, threshold, position)
);
CREATE TABLE sla_policies (
    kind         TEXT   NOT NULL,
    severity     TEXT   NOT NULL,
    goal_approve BIGINT,
    goal_verify  BIGINT,
    goal_deploy  BIGINT,
    goal_total   BIGINT,
    PRIMARY KEY (kind, severity)
);
CREATE TABLE aging_policies (
    project_id  BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    environment TEXT   NOT NULL,
    goal        BIGINT NOT NULL CHECK (goal > 0),
    PRIMARY KEY (project_id, environment)
);

-- Freeze windows: nothing is promoted, and clocks that pause in freezes pause.
CREATE TABLE freeze_windows (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    environment TEXT,
    starts_at   BIGINT NOT NULL,
    ends_at     BIGINT NOT NULL CHECK (ends_at > starts_at),
    reason      TEXT   NOT NULL
);

-- A project with requests cannot be removed: the requests are its audit trail.
CREATE TABLE change_requests (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id         BIGINT NOT NULL REFERENCES projects (id),
    kind               TEXT   NOT NULL,
    severity           TEXT   NOT NULL,
    title              TEXT   NOT NULL,
    description        TEXT   NOT NULL,
    requester          TEXT   NOT NULL,
    assignee           TEXT,
    target_environment TEXT,
    opened_at          BIGINT NOT NULL,
    opened_by          TEXT   NOT NULL,
    state              TEXT   NOT NULL,
    events             BIGINT NOT NULL
);
CREATE INDEX change_requests_by_state ON change_requests (state);
CREATE TABLE request_events (
    request_id  BIGINT NOT NULL REFERENCES change_requests (id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    actor       TEXT   NOT NULL,
    kind        TEXT   NOT NULL,
    role        TEXT,
    reason      TEXT,
    environment TEXT,
    sha         TEXT,
    PRIMARY KEY (request_id, seq)
);

-- One row per clock and threshold, ever: the unique key is what makes several watchers safe.
-- delivered_at is for the notification dispatcher.
CREATE TABLE clock_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clock_key    TEXT   NOT NULL,
    threshold    TEXT   NOT NULL,
    crossed_at   BIGINT NOT NULL,
    recorded_at  BIGINT NOT NULL,
    recorded_by  TEXT   NOT NULL,
    project      TEXT   NOT NULL,
    request_id   BIGINT,
    environment  TEXT,
    sha          TEXT,
    summary      TEXT   NOT NULL,
    recipients   TEXT   NOT NULL,
    delivered_at BIGINT,
    UNIQUE (clock_key, threshold)
);
CREATE TABLE clock_acks (
    clock_key TEXT   PRIMARY KEY,
    by_whom   TEXT   NOT NULL,
    at        BIGINT NOT NULL
);
