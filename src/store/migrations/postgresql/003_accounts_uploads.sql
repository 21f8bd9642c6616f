-- 003_accounts_uploads.sql (PostgreSQL) - issue 14's second pass.  The
-- SQLite file of the same number makes the same changes; keep them in
-- step.

-- An administrator can disable an account: its sessions end, its logins
-- are refused.  0 = active, 1 = disabled.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

-- Login failures in their window, shared by every server on the database
-- (auth.c): one row per key, 'u:' || user name or 'a:' || client address.
-- A row whose window is over is reset by the next failure and swept.
CREATE TABLE login_attempts (
  key TEXT PRIMARY KEY,
  window_start TEXT NOT NULL,
  failures INTEGER NOT NULL
);
CREATE INDEX login_attempts_window ON login_attempts(window_start);

-- The account that created a batch (NULL: the command line).
ALTER TABLE batches ADD COLUMN user_id BIGINT REFERENCES users(id);
UPDATE batches SET user_id = (SELECT u.id FROM users u
                              WHERE u.name = batches.actor);

-- Each upload is its own report over a shared, content-addressed file:
-- reports.sha256 is no longer unique.  A report records its uploader and
-- the uploader's scope when it was uploaded (NULL: the whole tree); while
-- it is not matched to a body, that scope decides who sees it (authz.c).
ALTER TABLE reports DROP CONSTRAINT reports_sha256_key;
ALTER TABLE reports ADD COLUMN uploader_id BIGINT REFERENCES users(id),
  ADD COLUMN scope_region_id BIGINT REFERENCES regions(id);
UPDATE reports r SET uploader_id = b.user_id,
  scope_region_id = u.scope_region_id
FROM batches b LEFT JOIN users u ON u.id = b.user_id
WHERE b.id = r.batch_id;
CREATE INDEX reports_sha256 ON reports(sha256);
