-- 002_batch_counts.sql (SQLite) - each batch counts its files and bytes,
-- so that the per-batch upload limits are checked in constant time
-- instead of by counting the batch's reports on every upload.
ALTER TABLE batches ADD COLUMN n_files INTEGER NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN n_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE batches SET
  n_files = (SELECT count(*) FROM reports r WHERE r.batch_id = batches.id),
  n_bytes = (SELECT coalesce(sum(f.size), 0) FROM reports r
             JOIN files f ON f.sha256 = r.sha256 WHERE r.batch_id = batches.id);
