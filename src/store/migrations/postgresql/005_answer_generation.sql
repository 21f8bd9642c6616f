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

CREATE TABLE answer_generation (
  shard INTEGER PRIMARY KEY,
  n BIGINT NOT NULL
);
INSERT INTO answer_generation (shard, n)
  SELECT g, 0 FROM generate_series(0, 15) AS g;

CREATE FUNCTION answer_generation_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
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
