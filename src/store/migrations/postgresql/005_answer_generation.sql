-- 005_answer_generation.sql (PostgreSQL) - a generation number that
-- every write to what the report page and the region page show bumps, in
-- the transaction of the write (issue 13, answer times).
--
-- The servers keep GET answers in memory (src/server/answer_cache.c) and
-- serve one only while the generation it was computed under is still the
-- database's.  Statement triggers make the bump part of every write,
-- whoever makes it (an API call, a worker, `gongkai serve --import`,
-- another process on another machine): no write path can forget it, and
-- a reader sees the new number exactly when it sees the new rows.
--
-- The number is the sum of 16 counters, and a transaction bumps the one
-- of its backend (pg_backend_pid() % 16): a bump holds that row's lock
-- until the transaction ends, so one counter would make every writing
-- transaction of every process wait for the one before it to commit;
-- with 16, two wait only when their backends share a counter.  Counters
-- only grow, so an equal sum means that none moved.
-- (PostgreSQL's snapshot would cost no write, but it moves with every
-- transaction of every database of the cluster: a shared server, or the
-- tests, would never hit.)

-- A transaction bumps its counter once, at its first write to those
-- tables (a transaction-local setting remembers it): a worker's batch of
-- 16 jobs runs a hundred statements, and each bump leaves a dead row
-- version behind (a table of 16 rows had grown to 81 pages after a
-- 10,000-report import with one bump per statement, and every read of
-- the generation scanned them all).  fillfactor 10 leaves room on the
-- page for the new versions (HOT updates, pruned in place).
CREATE TABLE answer_generation (
  shard INTEGER PRIMARY KEY,
  n BIGINT NOT NULL
) WITH (fillfactor = 10);
INSERT INTO answer_generation (shard, n)
  SELECT g, 0 FROM generate_series(0, 15) AS g;

CREATE FUNCTION answer_generation_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('gongkai.generation_bumped', true) = 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('gongkai.generation_bumped', 'on', true);
  UPDATE answer_generation SET n = n + 1 WHERE shard = pg_backend_pid() % 16;
  RETURN NULL;
END
$$;
CREATE TRIGGER reports_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON reports FOR EACH STATEMENT EXECUTE FUNCTION answer_generation_bump();
CREATE TRIGGER report_models_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON report_models FOR EACH STATEMENT EXECUTE FUNCTION answer_generation_bump();
CREATE TRIGGER findings_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON findings FOR EACH STATEMENT EXECUTE FUNCTION answer_generation_bump();
CREATE TRIGGER corrections_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON corrections FOR EACH STATEMENT EXECUTE FUNCTION answer_generation_bump();
CREATE TRIGGER roster_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON roster FOR EACH STATEMENT EXECUTE FUNCTION answer_generation_bump();
CREATE TRIGGER regions_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON regions FOR EACH STATEMENT EXECUTE FUNCTION answer_generation_bump();
