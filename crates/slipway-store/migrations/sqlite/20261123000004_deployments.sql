-- Deployments recorded in the database: the only record of environments tracked with `db`.
-- (Promotions will add who moved what, the action's output and the result.)
CREATE TABLE deployments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    environment TEXT   NOT NULL,
    sha         TEXT   NOT NULL CHECK (length(sha) = 40),
    deployed_at BIGINT NOT NULL,
    recorded_by TEXT   NOT NULL
);
CREATE INDEX deployments_by_environment ON deployments (project_id, environment, deployed_at);
