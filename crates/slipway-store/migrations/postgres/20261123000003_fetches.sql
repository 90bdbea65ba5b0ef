-- The last fetch of each project: when it was tried, when it last worked, and why it failed.
CREATE TABLE fetches (
    project_id   BIGINT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    attempted_at BIGINT NOT NULL,
    succeeded_at BIGINT,
    error        TEXT
);
