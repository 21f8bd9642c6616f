"""serve_latency.py - answer times of `gongkai serve` under concurrent
clients (issue 13's second target: report page and API p99 under 50 ms,
region page of 1,000 bodies under 100 ms, server memory under 256 MB).

    /usr/bin/python3 bench/serve_latency.py build/release/gongkai [N_REPORTS] [CLIENTS]

Imports N made-up reports (default 10,000) and a roster of 1,000 bodies
with `gongkai serve --import` (SQLite), starts the server, and has CLIENTS
threads (default 32) fetch GET /api/v1/reports/{random id} (the report
page's one call) and GET /api/v1/roster?year=2024 (the region page's main
call).  Prints p50/p99 and the server's peak resident memory.  The
clients are Python threads on the same 2-core machine: their own cost is
in the figures.
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
from gkserver import Server, many_reports  # noqa: E402

binary = os.path.abspath(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
clients = int(sys.argv[3]) if len(sys.argv) > 3 else 32
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
work = tempfile.mkdtemp(prefix='gk-serve-latency.')
try:
    folder = os.path.join(work, 'reports')
    many_reports(src, folder, n)
    roster = os.path.join(work, 'roster.csv')
    with open(roster, 'w', encoding='utf-8') as f:
        f.write('名称,类型,上级,须发布\nXX县,县,,否\n青石镇人民政府,乡镇,XX县\n')
        for i in range(999):
            f.write('第%d镇人民政府,乡镇,XX县\n' % i)
    data = os.path.join(work, 'data')
    t = time.time()
    subprocess.run([binary, 'serve', '--data', data, '--roster', '2024:' + roster, '--import', folder],
                   check=True, stdout=subprocess.DEVNULL)
    print('%d reports imported in %.1f s; database %.0f MB; load %s' % (
        n, time.time() - t, os.path.getsize(os.path.join(data, 'gongkai.db')) / 1e6,
        open('/proc/loadavg').read().split()[:3]))
    srv = Server(binary, data=data)
    try:
        def timed(path):
            t0 = time.perf_counter()
            with urllib.request.urlopen(srv.base + path, timeout=60) as r:
                r.read()
            return (time.perf_counter() - t0) * 1000

        for name, make, count in (('report  GET /api/v1/reports/{id}', lambda: '/api/v1/reports/%d' % random.randint(1, n), 40),
                                  ('region  GET /api/v1/roster?year=2024 (1,000 bodies)', lambda: '/api/v1/roster?year=2024', 10)):
            with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
                ms = sorted(pool.map(lambda _: timed(make()), range(clients * count)))
            print('%-52s %5d requests  p50 %6.1f ms  p99 %6.1f ms' % (
                name, len(ms), ms[len(ms) // 2], ms[int(len(ms) * 0.99)]))
        with open('/proc/%d/status' % srv.proc.pid) as f:
            hwm = [l for l in f if l.startswith('VmHWM')][0].split()[1]
        print('server peak resident memory: %.0f MB' % (int(hwm) / 1024))
    finally:
        srv.cleanup()
finally:
    shutil.rmtree(work, ignore_errors=True)
