"""serve_latency.py - answer times of `gongkai serve` under concurrent
clients (issue 13's second target: report page and API p99 under 50 ms,
region page of 1,000 bodies under 100 ms, server memory under 256 MB).

    /usr/bin/python3 bench/serve_latency.py build/release/gongkai [N_REPORTS] [CLIENTS] [--db postgresql://...]

Writes N made-up reports (default 10,000: the example with its township
renamed to one of 1,000 bodies, report i to body i % 1,000, and a
numbered line), imports them (10,000 a batch) and a roster of those
1,000 bodies with `gongkai serve --import` (SQLite in a temporary folder, or the given
PostgreSQL database, which should be empty), starts the server, logs in,
and has CLIENTS threads (default 32) fetch GET /api/v1/reports/{random id}
(the report page's one call) and GET /api/v1/roster?year=2024 (the region
page's main call).  Prints p50/p99 and the server's peak resident memory.
The clients are Python threads on the same machine: their own cost is in
the figures.
"""
import concurrent.futures
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'server'))
from gkserver import EXAMPLE, Server  # noqa: E402

args = sys.argv[1:]
db = None
if '--db' in args:
    i = args.index('--db')
    db = args[i + 1]
    del args[i:i + 2]
binary = os.path.abspath(args[0])
n = int(args[1]) if len(args) > 1 else 10000
clients = int(args[2]) if len(args) > 2 else 32
BODIES = 1000
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
work = tempfile.mkdtemp(prefix='gk-serve-latency.')


# Files per `--import` call: each call is one batch, and a batch holds at
# most 20,000 files (api.c GK_UPLOAD_MAX_BATCH_FILES).
PER_BATCH = 10000


def write_reports(folder):
    """Report i is body i % BODIES's (青石 renamed 第k), with a numbered
    closing line so that every file has its own bytes; PER_BATCH files a
    subfolder.  Returns the subfolders."""
    with open(os.path.join(src, 'examples', EXAMPLE), encoding='utf-8') as f:
        text = f.read()
    bodies = [text.replace('青石', '第%d' % k) for k in range(BODIES)]
    parts = []
    for i in range(n):
        if i % PER_BATCH == 0:
            parts.append(os.path.join(folder, 'part_%03d' % (i // PER_BATCH)))
            os.makedirs(parts[-1])
        with open(os.path.join(parts[-1], 'report_%06d.txt' % i), 'w', encoding='utf-8') as f:
            f.write(bodies[i % BODIES] + '\n（编号 %d）\n' % i)
    return parts


try:
    folder = os.path.join(work, 'reports')
    parts = write_reports(folder)
    roster = os.path.join(work, 'roster.csv')
    with open(roster, 'w', encoding='utf-8') as f:
        f.write('名称,类型,上级,须发布\nXX县,县,,否\n')
        for k in range(BODIES):
            f.write('第%d镇人民政府,乡镇,XX县\n' % k)
    data = os.path.join(work, 'data')
    t = time.time()
    for k, part in enumerate(parts):
        cmd = [binary, 'serve', '--data', data, '--import', part]
        if k == 0:
            cmd += ['--roster', '2024:' + roster]
        if db:
            cmd += ['--db', db]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    if db:
        size = subprocess.run(['psql', '-At', db, '-c', 'SELECT pg_database_size(current_database())'],
                              check=True, capture_output=True, text=True).stdout.strip()
        size = int(size) / 1e6
    else:
        size = os.path.getsize(os.path.join(data, 'gongkai.db')) / 1e6
    print('%d reports imported in %.1f s; database %.0f MB (%s); load %s' % (
        n, time.time() - t, size, 'postgresql' if db else 'sqlite',
        open('/proc/loadavg').read().split()[:3]), flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    srv = Server(binary, data=data, db=db)
    cookie = 'gk_session=' + srv.session.token
    try:
        def timed(path):
            req = urllib.request.Request(srv.base + path, headers={'Cookie': cookie})
            t0 = time.perf_counter()
            with urllib.request.urlopen(req, timeout=60) as r:
                r.read()
            return (time.perf_counter() - t0) * 1000

        for name, make, count in (('report  GET /api/v1/reports/{id}', lambda: '/api/v1/reports/%d' % random.randint(1, n), 40),
                                  ('region  GET /api/v1/roster?year=2024 (1,000 bodies)', lambda: '/api/v1/roster?year=2024', 10)):
            with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
                ms = sorted(pool.map(lambda _: timed(make()), range(clients * count)))
            print('%-52s %5d requests  p50 %6.1f ms  p99 %6.1f ms' % (
                name, len(ms), ms[len(ms) // 2], ms[int(len(ms) * 0.99)]), flush=True)
        with open('/proc/%d/status' % srv.proc.pid) as f:
            hwm = [l for l in f if l.startswith('VmHWM')][0].split()[1]
        print('server peak resident memory: %.0f MB; load %s' % (
            int(hwm) / 1024, open('/proc/loadavg').read().split()[:3]))
    finally:
        srv.cleanup()
finally:
    shutil.rmtree(work, ignore_errors=True)
