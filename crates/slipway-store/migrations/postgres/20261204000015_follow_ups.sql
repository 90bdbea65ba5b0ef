-- Follow-ups that close the loop: an owner, a priority, a due date on the project's calendar
-- (NULL: the default, counted from when it opened), a status (open, done, or won't do with a
-- reason), the change request it came from and the external document where the
-- postmortem lives. Existing follow-ups: owned by whoever opened them; closed ones are done.
ALTER TABLE follow_ups ADD COLUMN owner TEXT;
ALTER TABLE follow_ups ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('high', 'normal', 'low'));
ALTER TABLE follow_ups ADD COLUMN due_at BIGINT;
ALTER TABLE follow_ups ADD COLUMN status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'wont-do'));
ALTER TABLE follow_ups ADD COLUMN reason TEXT;
ALTER TABLE follow_ups ADD COLUMN request_id BIGINT;
ALTER TABLE follow_ups ADD COLUMN external_link TEXT;
UPDATE follow_ups SET owner = opened_by;
UPDATE follow_ups SET status = 'done' WHERE closed_at IS NOT NULL;
CREATE INDEX follow_ups_by_status ON follow_ups (status, due_at);

-- Per project: the calendar follow-ups are due on (NULL: 24×7) and how many business days
-- after the rollback or the request's close.
CREATE TABLE follow_up_settings (
    project_id BIGINT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    calendar   TEXT,
    due_days   BIGINT NOT NULL DEFAULT 10
);
