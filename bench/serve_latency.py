"""serve_latency.py - answer times of `gongkai serve` under concurrent
clients (issue 13's second target: report page and API p99 under 50 ms,
region page of 1,000 bodies under 100 ms, server memory under 256 MB).

    /usr/bin/python3 bench/serve_latency.py GONGKAI N_REPORTS [options]
      --clients 1,32      client counts to measure, in turn (default 32)
      --db URL            a PostgreSQL database (should be empty)
      --pg                a throw-away PostgreSQL server started as the
                          tests start theirs (tests/server/pg_start.sh:
                          Unix socket, fsync off), stopped after
      --distinct M        import M distinct files (default: all N), then
                          copy their rows in SQL up to N reports
      --run LABEL:BINARY[:ARG...]
                          a server build to measure on the same store (the
                          arguments split on ':'), several alternated;
                          default one run of GONGKAI
      --load PATH         the load client (default: bench/serve_load of
                          GONGKAI's build folder)
      --rounds R          measure every run and client count R times, in
                          turn (default 1)
      --store DIR         keep the store (and the PostgreSQL server of --pg)
                          in DIR, and reuse it when DIR holds one already;
                          remove it afterwards with
                          tests/server/pg_stop.sh DIR/pg.state; rm -rf DIR
      --requests K        report calls per client (default 40, and 400 at
                          least; the region page gets K/4, and 100 at least)

Writes N made-up reports (the example with its township renamed to one of
1,000 bodies, report i to body i % 1,000, and a numbered line), imports
them (10,000 a batch) and a roster of those 1,000 bodies with
`gongkai serve --import` (SQLite in a temporary folder, or PostgreSQL),
and for each run and client count starts the server, logs in and has the
C load client (bench/serve_load.c: keep-alive connections, one thread)
fetch GET /api/v1/reports/{random id} (the report page's one call) and
then GET /api/v1/roster?year=2024 (the region page's main call).  Prints
per call p50/p90/p99/max, the answers served from the answer cache, the
server's CPU per call (/proc/PID/stat before and after), the load
average, and the server's peak resident memory.  The store is deleted at
the end unless --store keeps it.
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'server'))
from gkserver import EXAMPLE, Server  # noqa: E402

args = sys.argv[1:]


def option(name, default=None, flag=False):
    if name not in args:
        return default
    i = args.index(name)
    if flag:
        del args[i]
        return True
    v = args[i + 1]
    del args[i:i + 2]
    return v


db = option('--db')
use_pg = option('--pg', False, flag=True)
client_counts = [int(c) for c in option('--clients', '32').split(',')]
distinct = option('--distinct')
load = option('--load')
per_client = int(option('--requests', '40'))
rounds = int(option('--rounds', '1'))
keep = option('--store')
runs = []
while '--run' in args:
    label, rest = option('--run').split(':', 1)
    parts = rest.split(':')
    runs.append((label, os.path.abspath(parts[0]), parts[1:]))
binary = os.path.abspath(args[0])
n = int(args[1]) if len(args) > 1 else 10000
distinct = int(distinct) if distinct else n
if n % distinct:
    sys.exit('N_REPORTS must be a multiple of --distinct')
if not runs:
    runs = [('this', binary, [])]
load = load or os.path.join(os.path.dirname(binary), 'bench', 'serve_load')
BODIES = 1000
src = os.path.join(HERE, '..')
if keep:
    work = os.path.abspath(keep)
    os.makedirs(work, exist_ok=True)
else:
    work = tempfile.mkdtemp(prefix='gk-serve-latency.')
pg_state = os.path.join(work, 'pg.state')
ready = os.path.join(work, 'ready')

# Files per `--import` call: each call is one batch, and a batch holds at
# most 20,000 files (api.c GK_UPLOAD_MAX_BATCH_FILES).
PER_BATCH = 10000


def loadavg():
    return ' '.join(open('/proc/loadavg').read().split()[:3])


def write_reports(folder, count):
    """Report i is body i % BODIES's (青石 renamed 第k), with a numbered
    closing line so that every file has its own bytes; PER_BATCH files a
    subfolder.  Returns the subfolders."""
    with open(os.path.join(src, 'examples', EXAMPLE), encoding='utf-8') as f:
        text = f.read()
    bodies = [text.replace('青石', '第%d' % k) for k in range(BODIES)]
    parts = []
    for i in range(count):
        if i % PER_BATCH == 0:
            parts.append(os.path.join(folder, 'part_%03d' % (i // PER_BATCH)))
            os.makedirs(parts[-1])
        with open(os.path.join(parts[-1], 'report_%06d.txt' % i), 'w', encoding='utf-8') as f:
            f.write(bodies[i % BODIES] + '\n（编号 %d）\n' % i)
    return parts


class Sql:
    """The store's database, for the copy: sqlite3 or psql."""

    def __init__(self, data):
        self.lite = None if db else sqlite3.connect(os.path.join(data, 'gongkai.db'), timeout=600)

    def rows(self, sql):
        if self.lite:
            return [tuple(str(v) for v in r) for r in self.lite.execute(sql).fetchall()]
        out = subprocess.run(['psql', '-qAt', '-v', 'ON_ERROR_STOP=1', db, '-c', sql],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(line.split('|')) for line in out.split('\n') if line]

    def script(self, sql):
        if self.lite:
            self.lite.executescript(sql)
            return
        subprocess.run(['psql', '-q', '-v', 'ON_ERROR_STOP=1', db], input=sql,
                       check=True, text=True, stdout=subprocess.DEVNULL)

    def columns(self, table):
        if self.lite:
            return [r[1] for r in self.lite.execute('PRAGMA table_info(%s)' % table)]
        return [r[0] for r in self.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = '%s' "
            "ORDER BY ordinal_position" % table)]


def copy_rows(data):
    """Copies the `distinct` imported reports, their models and findings
    (n / distinct - 1) times in SQL, with new ids: copy k of report i is
    report i + k * distinct, of the same body and file."""
    sql = Sql(data)
    count, top = sql.rows('SELECT count(*), max(id) FROM reports')[0]
    if int(count) != distinct or int(top) != distinct:
        sys.exit('copy: expected reports 1..%d, found %s (max %s)' % (distinct, count, top))
    fmax = int(sql.rows('SELECT max(id) FROM findings')[0][0])
    shifts = {'reports': {'id': distinct},
              'report_models': {'report_id': distinct},
              'findings': {'id': fmax, 'report_id': distinct}}
    script = ['BEGIN;']
    for k in range(1, n // distinct):
        for table, shift in shifts.items():
            cols = sql.columns(table)
            sel = ['%s + %d' % (c, shift[c] * k) if c in shift else c for c in cols]
            where = 'report_id' if table != 'reports' else 'id'
            script.append('INSERT INTO %s (%s) SELECT %s FROM %s WHERE %s <= %d;' % (
                table, ', '.join(cols), ', '.join(sel), table, where, distinct))
    if db:
        for table in ('reports', 'findings'):
            script.append("SELECT setval(pg_get_serial_sequence('%s', 'id'), "
                          "(SELECT max(id) FROM %s));" % (table, table))
    script.append('COMMIT;')
    script.append('ANALYZE;')
    sql.script('\n'.join(script))
    if sql.lite:
        sql.lite.close()


def proc_cpu(pid):
    """utime + stime of a process, in seconds."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def pg_cpu():
    """utime + stime of the --pg server's processes (the postmaster's
    children: the backends answer the server's queries), in seconds; 0
    without --pg."""
    if not use_pg:
        return 0.0
    with open(pg_state + '.dir') as f:
        pm = int(open(os.path.join(f.read().strip(), 'data', 'postmaster.pid')).readline())
    total = 0.0
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % pid) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(pid) == pm or int(fields[1]) == pm:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')
    return total


def measure(label, server_binary, extra, data, clients):
    srv = Server(server_binary, data=data, db=db, extra=extra)
    cookie = 'gk_session=' + srv.session.token
    try:
        print('\n[%s, %d client%s, load %s]' % (label, clients, 's' if clients > 1 else '', loadavg()),
              flush=True)
        for name, path, requests in (
                ('report', '/api/v1/reports/{id}', max(per_client * clients, 400)),
                ('region', '/api/v1/roster?year=2024', max(per_client // 4 * clients, 100))):
            c0, p0 = proc_cpu(srv.proc.pid), pg_cpu()
            out = subprocess.run([load, srv.base, '--cookie', cookie, '--clients', str(clients),
                                  '--requests', str(requests), '--ids', str(n),
                                  '%s=%s' % (name, path)],
                                 capture_output=True, text=True)
            cpu, pcpu = proc_cpu(srv.proc.pid) - c0, pg_cpu() - p0
            lines = out.stdout.strip().split('\n')
            if out.returncode != 0:
                print(out.stdout + out.stderr)
                sys.exit('serve_load failed')
            if name == 'report':
                print(lines[0] + ' %9s' % 'srv ms' + (' %9s' % 'pg ms' if use_pg else ''))
            print(lines[-1] + ' %9.2f' % (cpu * 1000 / requests) +
                  (' %9.2f' % (pcpu * 1000 / requests) if use_pg else '') +
                  '   load %s' % loadavg(), flush=True)
        with open('/proc/%d/status' % srv.proc.pid) as f:
            hwm = [line for line in f if line.startswith('VmHWM')][0].split()[1]
        print('server peak resident memory: %.0f MB' % (int(hwm) / 1024), flush=True)
    finally:
        srv.cleanup()


def setup():
    """Starts PostgreSQL (--pg), writes, imports and copies the reports;
    returns the SQLite data folder (unused on PostgreSQL)."""
    global db
    data = os.path.join(work, 'data')
    if use_pg and not os.path.exists(pg_state):
        subprocess.run(['bash', os.path.join(src, 'tests', 'server', 'pg_start.sh'), pg_state],
                       check=True, stdout=subprocess.DEVNULL)
    if use_pg:
        base = open(pg_state).read().strip()
        if base == 'skip':
            sys.exit('no PostgreSQL server (Debian postgresql)')
        db = base.replace('postgresql:///postgres', 'postgresql:///gkbench', 1)
    if os.path.exists(ready):
        print('reusing the store in %s' % work, flush=True)
        return data
    if use_pg:
        subprocess.run(['psql', '-q', base, '-c', 'CREATE DATABASE gkbench'], check=True)
    folder = os.path.join(work, 'reports')
    parts = write_reports(folder, distinct)
    roster = os.path.join(work, 'roster.csv')
    with open(roster, 'w', encoding='utf-8') as f:
        f.write('名称,类型,上级,须发布\nXX县,县,,否\n')
        for k in range(BODIES):
            f.write('第%d镇人民政府,乡镇,XX县\n' % k)
    t = time.time()
    for k, part in enumerate(parts):
        cmd = [binary, 'serve', '--data', data, '--import', part]
        if k == 0:
            cmd += ['--roster', '2024:' + roster]
        if db:
            cmd += ['--db', db]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    print('%d reports imported in %.1f s; load %s' % (distinct, time.time() - t, loadavg()), flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    if n > distinct:
        t = time.time()
        copy_rows(data)
        print('copied in SQL to %d reports in %.1f s' % (n, time.time() - t), flush=True)
    with open(ready, 'w') as f:
        f.write('%d\n' % n)
    return data


try:
    data = setup()
    if db:
        size = Sql(data).rows('SELECT pg_database_size(current_database())')[0][0]
        size = int(size) / 1e6
    else:
        size = os.path.getsize(os.path.join(data, 'gongkai.db')) / 1e6
    print('store: %d reports, %.0f MB (%s)' % (n, size, 'postgresql' if db else 'sqlite'), flush=True)
    for _ in range(rounds):
        for clients in client_counts:
            for label, server_binary, extra in runs:
                measure(label, server_binary, extra, data, clients)
finally:
    if keep:
        print('the store is kept in %s' % work)
    else:
        if use_pg and os.path.exists(pg_state):
            subprocess.run(['bash', os.path.join(src, 'tests', 'server', 'pg_stop.sh'), pg_state],
                           stdout=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)
