-- Signed checkpoints of the audit chain: entry seq's hash, signed with a key kept in the OS
-- keychain (never here), so a rewritten and rehashed log no longer matches them.
CREATE TABLE audit_checkpoints (
    seq  BIGINT PRIMARY KEY,
    hash TEXT   NOT NULL,
    mac  TEXT   NOT NULL
);
