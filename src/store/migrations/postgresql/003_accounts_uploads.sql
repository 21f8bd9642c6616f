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
