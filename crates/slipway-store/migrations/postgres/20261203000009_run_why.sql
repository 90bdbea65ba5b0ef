-- A run's own reason, shown with it in the history: a rollback's ("the card form fails"), a
-- redeploy's ("again as #12"). Why a run failed stays in `reason`.
ALTER TABLE promotions ADD COLUMN why TEXT NOT NULL DEFAULT '';
