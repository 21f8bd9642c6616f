-- 003_accounts_uploads.sql (SQLite) - issue 14's second pass.  The
-- PostgreSQL file of the same number makes the same changes; keep them in
-- step.  The migration runner turns foreign keys off around migrations
-- (the documented way to rebuild a table in SQLite) and checks them with
-- PRAGMA foreign_key_check before each commit.

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
ALTER TABLE batches ADD COLUMN user_id INTEGER REFERENCES users(id);
UPDATE batches SET user_id = (SELECT u.id FROM users u
                              WHERE u.name = batches.actor);

-- Each upload is its own report over a shared, content-addressed file:
-- reports.sha256 is no longer unique.  A report records its uploader and
-- the uploader's scope when it was uploaded (NULL: the whole tree); while
-- it is not matched to a body, that scope decides who sees it (authz.c).
-- SQLite cannot drop a UNIQUE constraint, so the table is rebuilt with the
-- new columns last (ids, and so the references to them, are kept).
CREATE TABLE reports_new (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL REFERENCES files(sha256),
  batch_id INTEGER REFERENCES batches(id),
  name TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued',
  error TEXT,
  source_format TEXT,
  title TEXT,
  agency TEXT,
  body_kind TEXT,
  year INTEGER,
  published TEXT,
  errors INTEGER, warnings INTEGER, notes INTEGER,
  model_read TEXT,
  model TEXT,
  source_text TEXT,
  region_id INTEGER REFERENCES regions(id),
  match TEXT,
  review TEXT NOT NULL DEFAULT '未审核',
  received TEXT NOT NULL,
  checked TEXT,
  uploader_id INTEGER REFERENCES users(id),
  scope_region_id INTEGER REFERENCES regions(id)
);
INSERT INTO reports_new
SELECT r.id, r.sha256, r.batch_id, r.name, r.state, r.error, r.source_format,
       r.title, r.agency, r.body_kind, r.year, r.published, r.errors,
       r.warnings, r.notes, r.model_read, r.model, r.source_text, r.region_id,
       r.match, r.review, r.received, r.checked, b.user_id, u.scope_region_id
FROM reports r LEFT JOIN batches b ON b.id = r.batch_id
LEFT JOIN users u ON u.id = b.user_id;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_region ON reports(region_id, year);
CREATE INDEX reports_batch ON reports(batch_id);
CREATE INDEX reports_sha256 ON reports(sha256);
