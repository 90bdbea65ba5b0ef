-- Environments may be tracked by a branch, by tags matching a pattern, or only in the database.
ALTER TABLE environments DROP CONSTRAINT environments_strategy_check;
ALTER TABLE environments ADD CONSTRAINT environments_strategy_check
    CHECK (strategy IN ('branch', 'tag', 'db'));
