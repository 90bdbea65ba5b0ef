-- Where a project's HTTPS token lives in the OS keychain. A token stored from now on gets a
-- reference of its own, so a project removed and added again under the same name (or one of
-- that name in another workspace) never inherits it. Projects that exist keep the reference
-- their token was stored under before.
ALTER TABLE projects ADD COLUMN https_token_ref TEXT;
UPDATE projects SET https_token_ref = 'project/' || name || '/https-token';
