-- 005_answer_generation.sql (SQLite) - a generation number that every
-- write to what the report page and the region page show bumps, in the
-- transaction of the write (issue 13, answer times).
--
-- The server keeps GET answers in memory (src/server/answer_cache.c) and
-- serves one only while the generation it was computed under is still
-- the database's.  Triggers make the bump part of every write, whoever
-- makes it (an API call, a worker, `gongkai serve --import`, another
-- process): no write path can forget it, and a reader sees the new
-- number exactly when it sees the new rows.  SQLite has one writer at a
-- time, so the one row is no point of contention (PostgreSQL's 005 spreads
-- it over 16 rows).

CREATE TABLE answer_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL
);
INSERT INTO answer_generation (id, n) VALUES (1, 0);
CREATE TRIGGER reports_insert_generation AFTER INSERT ON reports
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reports_update_generation AFTER UPDATE ON reports
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER reports_delete_generation AFTER DELETE ON reports
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER report_models_insert_generation AFTER INSERT ON report_models
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER report_models_update_generation AFTER UPDATE ON report_models
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER report_models_delete_generation AFTER DELETE ON report_models
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER findings_insert_generation AFTER INSERT ON findings
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER findings_update_generation AFTER UPDATE ON findings
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER findings_delete_generation AFTER DELETE ON findings
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER corrections_insert_generation AFTER INSERT ON corrections
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER corrections_update_generation AFTER UPDATE ON corrections
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER corrections_delete_generation AFTER DELETE ON corrections
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER roster_insert_generation AFTER INSERT ON roster
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER roster_update_generation AFTER UPDATE ON roster
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER roster_delete_generation AFTER DELETE ON roster
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER regions_insert_generation AFTER INSERT ON regions
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER regions_update_generation AFTER UPDATE ON regions
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER regions_delete_generation AFTER DELETE ON regions
  BEGIN UPDATE answer_generation SET n = n + 1 WHERE id = 1; END;
