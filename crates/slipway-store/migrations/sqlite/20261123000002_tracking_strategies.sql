-- Environments may be tracked by a branch, by tags matching a pattern, or only in the database.
-- SQLite cannot change a CHECK constraint in place: rebuild the table.
CREATE TABLE environments_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT  NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position   BIGINT  NOT NULL,
    name       TEXT    NOT NULL,
    strategy   TEXT    NOT NULL CHECK (strategy IN ('branch', 'tag', 'db')),
    ref_name   TEXT    NOT NULL,
    UNIQUE (project_id, name),
    UNIQUE (project_id, position)
);
INSERT INTO environments_new (id, project_id, position, name, strategy, ref_name)
    SELECT id, project_id, position, name, strategy, ref_name FROM environments;
DROP TABLE environments;
ALTER TABLE environments_new RENAME TO environments;
