-- When a request ended (closed, rejected or cancelled), so a watcher's pass reads only the
-- requests that are open or ended within its look-back, never the whole closed history.
ALTER TABLE change_requests ADD COLUMN ended_at BIGINT;
UPDATE change_requests
   SET ended_at = (SELECT MAX(e.at) FROM request_events e WHERE e.request_id = change_requests.id)
 WHERE state IN ('closed', 'rejected', 'cancelled');
CREATE INDEX change_requests_by_end ON change_requests (ended_at);
