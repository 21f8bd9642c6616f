-- 001_init.sql (SQLite) - the first schema of the review workspace.
-- The PostgreSQL file of the same number holds the same tables; keep them
-- in step.  Times are ISO 8601 UTC text written by the server.

-- The region tree: 省/市/县/乡镇/街道/部门.  Bodies that publish reports
-- are nodes too (usually leaves).
CREATE TABLE regions (
  id INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES regions(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('省','市','县','乡镇','街道','部门')),
  name_key TEXT NOT NULL,
  UNIQUE (parent_id, name)
);

-- The bodies that must publish for a year (the roster).
CREATE TABLE roster (
  year INTEGER NOT NULL,
  region_id INTEGER NOT NULL REFERENCES regions(id),
  PRIMARY KEY (year, region_id)
);

-- Accounts (issue 14): a role and a scope, a node of the region tree whose
-- subtree the user may see.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('管理员','审核人员','填报人员','只读')),
  scope_region_id INTEGER REFERENCES regions(id),
  password_hash TEXT,
  created TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  created TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  expires TEXT NOT NULL
);

-- Every change, append only: the triggers refuse UPDATE and DELETE.
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

-- Uploaded files, once per SHA-256, original bytes.
CREATE TABLE files (
  sha256 TEXT PRIMARY KEY,
  bytes BLOB NOT NULL,
  size INTEGER NOT NULL,
  received TEXT NOT NULL
);

CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  created TEXT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);

-- One report per file.  state: queued, done, failed.
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE REFERENCES files(sha256),
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
  model_read TEXT,    -- the model JSON as read from the file
  model TEXT,         -- the model JSON with the reviewers' corrections
  source_text TEXT,   -- the source as text, line N = line N of findings
  region_id INTEGER REFERENCES regions(id),
  match TEXT,         -- exact, normalised, manual, unsure, none
  review TEXT NOT NULL DEFAULT '未审核',
  received TEXT NOT NULL,
  checked TEXT
);
CREATE INDEX reports_region ON reports(region_id, year);
CREATE INDEX reports_batch ON reports(batch_id);

-- The job queue: a job parses and checks one report.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id),
  state TEXT NOT NULL DEFAULT 'queued',  -- queued, running, done
  worker TEXT,
  created TEXT NOT NULL,
  started TEXT,
  finished TEXT
);
CREATE INDEX jobs_state ON jobs(state, id);

-- One row per completed run of a job, written in the transaction that
-- stores its results: a job run twice would show two rows.
CREATE TABLE job_runs (
  job_id INTEGER NOT NULL REFERENCES jobs(id),
  worker TEXT NOT NULL,
  at TEXT NOT NULL
);

-- Findings of the current model of a report, and their review.
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id),
  seq INTEGER NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  message TEXT NOT NULL,
  line INTEGER, page INTEGER,
  path TEXT,
  expected TEXT, actual TEXT,
  status TEXT NOT NULL DEFAULT 'open',  -- open, confirmed, dismissed
  reason TEXT, reviewer TEXT, reviewed TEXT
);
CREATE INDEX findings_report ON findings(report_id, seq);

-- Cell corrections, kept beside the value read.
CREATE TABLE corrections (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id),
  path TEXT NOT NULL,
  value_read TEXT,
  value TEXT,
  actor TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX corrections_report ON corrections(report_id);
