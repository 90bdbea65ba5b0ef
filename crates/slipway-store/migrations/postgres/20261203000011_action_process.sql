-- The process group of a running deploy command, so a run whose process was killed can be
-- found with its command still running: reconcile stops that group before it ends the run.
ALTER TABLE promotions ADD COLUMN action_pgid BIGINT;
