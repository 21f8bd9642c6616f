"""migrate_test.py - a database made by the schema before 003_* (the
migrations 001 and 002 as shipped, with users, batches, files, reports,
jobs, findings and corrections in it) is brought up to date by
`gongkai serve` when it opens it: on SQLite the reports table is rebuilt
(ids, rows and every reference kept, foreign keys checked), on
PostgreSQL its constraint is dropped; each report gets its batch
creator's account and scope, and the same bytes may then be a report
twice.

    migrate_test.py GONGKAI SOURCE_DIR sqlite|postgresql [PG_STATE]
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import check, fail, pg_fresh  # noqa: E402

binary, src, mode = sys.argv[1], sys.argv[2], sys.argv[3]
mig = os.path.join(src, 'src/store/migrations', mode)
OLD = ['001_init.sql', '002_batch_counts.sql']

ROWS = [
    "INSERT INTO regions (id, parent_id, name, kind, name_key) VALUES "
    "(1, NULL, '甲县', '县', '甲县'), (2, 1, '青石镇', '乡镇', '青石镇')",
    "INSERT INTO users (id, name, role, scope_region_id, password_hash, created) VALUES "
    "(1, '甲县填报', '填报人员', 1, 'x', 't'), (2, '总管', '管理员', NULL, 'x', 't')",
    "INSERT INTO batches (id, created, actor) VALUES (1, 't', '甲县填报'), (2, 't', '命令行导入')",
    "INSERT INTO files (sha256, bytes, size, received) VALUES ('aa', %s, 1, 't'), ('bb', %s, 1, 't')",
    "INSERT INTO reports (id, sha256, batch_id, name, received, region_id, state) VALUES "
    "(1, 'aa', 1, 'a.txt', 't', 2, 'done'), (2, 'bb', 2, 'b.txt', 't', NULL, 'done')",
    "INSERT INTO jobs (id, report_id, created, state) VALUES (1, 1, 't', 'done'), (2, 2, 't', 'done')",
    "INSERT INTO findings (id, report_id, seq, rule, severity, message) VALUES "
    "(1, 1, 1, 'cell.blank', 'error', 'm')",
    "INSERT INTO corrections (id, report_id, path, actor, at) VALUES (1, 2, 'p', '总管', 't')",
]
AFTER = [
    ('SELECT id, sha256, batch_id, region_id, uploader_id, scope_region_id FROM reports '
     'ORDER BY id', [('1', 'aa', '1', '2', '1', '1'), ('2', 'bb', '2', None, None, None)]),
    ('SELECT id, user_id FROM batches ORDER BY id', [('1', '1'), ('2', None)]),
    ('SELECT count(*) FROM jobs j JOIN reports r ON r.id = j.report_id', [('2',)]),
    ('SELECT r.name FROM findings f JOIN reports r ON r.id = f.report_id', [('a.txt',)]),
    ('SELECT r.name FROM corrections c JOIN reports r ON r.id = c.report_id', [('b.txt',)]),
    ('SELECT disabled FROM users ORDER BY id LIMIT 1', [('0',)]),
    ('SELECT count(*) FROM login_attempts', [('0',)]),
]
SAME_BYTES = ("INSERT INTO reports (id, sha256, batch_id, name, received) "
              "VALUES (3, 'aa', 2, 'again.txt', 't')")

tmp = tempfile.mkdtemp(prefix='gk-migrate-test.')
try:
    if mode == 'sqlite':
        data = os.path.join(tmp, 'data')
        os.makedirs(data)
        con = sqlite3.connect(os.path.join(data, 'gongkai.db'))
        con.execute('PRAGMA foreign_keys=ON')
        con.execute('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, '
                    'name TEXT NOT NULL, applied TEXT NOT NULL)')
        for i, name in enumerate(OLD):
            with open(os.path.join(mig, name), encoding='utf-8') as f:
                con.executescript(f.read())
            con.execute('INSERT INTO schema_migrations VALUES (?, ?, ?)', (i + 1, name, 't'))
        for sql in ROWS:
            con.execute(sql % ("x'00'", "x'01'") if '%s' in sql else sql)
        con.commit()
        con.close()
        args = ['--data', data]

        def query(sql):
            c = sqlite3.connect(os.path.join(data, 'gongkai.db'))
            rows = [tuple(None if v is None else str(v) for v in r) for r in c.execute(sql)]
            c.close()
            return rows

        def change(sql):
            c = sqlite3.connect(os.path.join(data, 'gongkai.db'))
            c.execute('PRAGMA foreign_keys=ON')
            c.execute(sql)
            c.commit()
            c.close()
    else:
        db = pg_fresh(sys.argv[4], 'migrate')
        if not db:
            print('SKIP: no PostgreSQL server (install Debian postgresql)')
            sys.exit(0)

        def psql(sql):
            r = subprocess.run(['psql', '-qAt', '-v', 'ON_ERROR_STOP=1', '-F', '\t', db, '-c', sql],
                               capture_output=True, text=True)
            if r.returncode != 0:
                fail('psql: %s: %s' % (sql[:80], r.stderr))
            return [tuple(None if v == '' else v for v in line.split('\t'))
                    for line in r.stdout.rstrip('\n').split('\n') if line]

        psql('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, '
             'name TEXT NOT NULL, applied TEXT NOT NULL)')
        for i, name in enumerate(OLD):
            with open(os.path.join(mig, name), encoding='utf-8') as f:
                psql(f.read())
            psql("INSERT INTO schema_migrations VALUES (%d, '%s', 't')" % (i + 1, name))
        for sql in ROWS:
            psql(sql % ("'\\x00'", "'\\x01'") if '%s' in sql else sql)
        # the rows above name their ids: move the identities past them
        for t in ('regions', 'users', 'batches', 'reports', 'jobs', 'findings', 'corrections'):
            psql("SELECT setval(pg_get_serial_sequence('%s', 'id'), 10)" % t)
        args = ['--data', os.path.join(tmp, 'unused'), '--db', db]
        query = psql
        change = psql

    r = subprocess.run([binary, 'serve'] + args + ['--init-admin', '升级后管理员'],
                       capture_output=True, text=True)
    check(r.returncode == 0, 'the server opens the old database and migrates it: ' +
          (r.stderr.strip() or 'ok'))
    versions = [v[0] for v in query('SELECT version FROM schema_migrations ORDER BY version')]
    check(versions[:3] == ['1', '2', '3'], 'migration 003 is applied (%s)' % versions)
    for sql, want in AFTER:
        got = query(sql)
        if got != want:
            fail('%s: %r, expected %r' % (sql, got, want))
    check(True, 'rows, ids and references kept; each report has its uploader and scope')
    if mode == 'sqlite':
        check(query('PRAGMA foreign_key_check') == [] and query('PRAGMA integrity_check') == [('ok',)],
              'no broken foreign key, the database is whole')
    change(SAME_BYTES)
    check(query("SELECT count(*) FROM reports WHERE sha256 = 'aa'") == [('2',)],
          'the same bytes can now be two reports')
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print('migrate_test: all passed')
