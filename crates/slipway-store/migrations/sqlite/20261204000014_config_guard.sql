-- The config guard's settings per project. A NULL list means the built-in defaults (the
-- per-environment file patterns, the other known environments, production's denied
-- settings); lists of patterns and names are kept one per line (neither holds a newline).
CREATE TABLE guard_settings (
    project_id         BIGINT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    globs              TEXT,
    other_environments TEXT,
    denied_custom      BIGINT NOT NULL DEFAULT 0,
    override_role      TEXT
);

CREATE TABLE guard_modes (
    project_id  BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    environment TEXT   NOT NULL,
    mode        TEXT   NOT NULL CHECK (mode IN ('block', 'warn', 'off')),
    PRIMARY KEY (project_id, environment)
);

-- Markers added by hand (`manual`, with their environment) and learned ones a person
-- dismissed (`ignored`, environment '').
CREATE TABLE guard_markers (
    project_id  BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind        TEXT   NOT NULL CHECK (kind IN ('manual', 'ignored')),
    environment TEXT   NOT NULL,
    text        TEXT   NOT NULL,
    PRIMARY KEY (project_id, kind, environment, text)
);

-- Denied settings, once a project sets its own (guard_settings.denied_custom = 1).
CREATE TABLE guard_denied (
    project_id  BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    environment TEXT   NOT NULL,
    pattern     TEXT   NOT NULL,
    why         TEXT   NOT NULL,
    PRIMARY KEY (project_id, position)
);
