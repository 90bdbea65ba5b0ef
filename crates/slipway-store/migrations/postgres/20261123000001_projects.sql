CREATE TABLE projects (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT   NOT NULL UNIQUE,
    repo_path  TEXT   NOT NULL,
    trunk      TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE environments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    name       TEXT   NOT NULL,
    strategy   TEXT   NOT NULL CHECK (strategy IN ('branch')),
    ref_name   TEXT   NOT NULL,
    UNIQUE (project_id, name),
    UNIQUE (project_id, position)
);
