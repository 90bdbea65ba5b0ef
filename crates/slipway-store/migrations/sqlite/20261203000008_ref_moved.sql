-- Whether a run moved the environment's ref: a failure after the move offers a rollback,
-- one before it does not. Runs recorded before this column are read from their reason.
ALTER TABLE promotions ADD COLUMN ref_moved BIGINT NOT NULL DEFAULT 0;
UPDATE promotions SET ref_moved = 1
 WHERE status <> 'started'
   AND reason NOT LIKE 'the ref did not move: %'
   AND reason NOT LIKE '%before the ref moved%';
