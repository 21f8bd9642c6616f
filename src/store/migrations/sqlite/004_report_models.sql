-- 004_report_models.sql (SQLite) - the model JSON leaves the reports row,
-- the source text is no longer stored, and the region page's counts are
-- kept on the row (issue 13, import speed and the region page).
--
-- SQLite rewrites a whole row, overflow pages and all, whenever any of
-- its columns changes, and reads through the overflow chain to reach a
-- column stored after a long one: with the model (about 20 KB) and the
-- source text (about 8 KB) in the row, every UPDATE of a report's state,
-- body or counts wrote some 30 KB, and the region page walked 30 KB per
-- body to read its review status.  The model is now written once, in a
-- table of its own; the source text is read again from the stored
-- original through the reader when the report page asks for it.

CREATE TABLE report_models (
  report_id INTEGER PRIMARY KEY REFERENCES reports(id),
  model_read TEXT NOT NULL, -- the model JSON as read from the file
  model TEXT                -- with the reviewers' corrections, once any
);
INSERT INTO report_models (report_id, model_read, model)
  SELECT id, model_read, model FROM reports WHERE model_read IS NOT NULL;
ALTER TABLE reports DROP COLUMN model_read;
ALTER TABLE reports DROP COLUMN model;
ALTER TABLE reports DROP COLUMN source_text;

-- What the region page shows per body, kept by whoever writes findings:
-- the meta.late findings and the confirmed ones.
ALTER TABLE reports ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0;
UPDATE reports SET
  late = (SELECT count(*) FROM findings f
          WHERE f.report_id = reports.id AND f.rule = 'meta.late'),
  confirmed = (SELECT count(*) FROM findings f
               WHERE f.report_id = reports.id AND f.status = 'confirmed');

-- A year's reports by body: the latest report of each body (region page).
CREATE INDEX reports_year_region ON reports(year, region_id, id);
