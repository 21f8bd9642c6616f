"""serve_import.py - how fast `gongkai serve` imports reports, against
`gongkai table` on the same files (issue 13's first target: at least 80 %
of table's reports per second through the API).

    /usr/bin/python3 bench/serve_import.py build/release/gongkai [N] [WORKDIR]

Writes N distinct made-up reports (default 2,000: the example with a
numbered line), then times on the same files:
  table   gongkai table --csv WORKDIR/table.csv DIR  (every core)
  import  gongkai serve --import DIR               (SQLite, one worker per core)
  api     POST each file to a running gongkai serve with 4 clients, until
          the queue is empty (SQLite, one worker per core)
Wall-clock times on a shared machine: repeat and compare ranges.
"""
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'server'))
from gkserver import Server, many_reports  # noqa: E402

binary = os.path.abspath(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
work = sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(prefix='gk-serve-bench.')
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
cores = os.cpu_count() or 2
folder = os.path.join(work, 'reports')
files = many_reports(src, folder, n)
print('%d reports, %d cores, load %s' % (n, cores, open('/proc/loadavg').read().split()[:3]))

t = time.time()
# never --csv /dev/null: the writer renames its temporary file over the
# path it is given, which would replace the device with a file
subprocess.run([binary, 'table', '--quiet', '--csv', os.path.join(work, 'table.csv'), folder], check=False,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
table = time.time() - t
print('table   %7.2f s  %7.0f reports/s' % (table, n / table))

data = os.path.join(work, 'import-data')
t = time.time()
subprocess.run([binary, 'serve', '--data', data, '--workers', str(cores), '--import', folder],
               check=True, stdout=subprocess.DEVNULL)
imp = time.time() - t
print('import  %7.2f s  %7.0f reports/s  (%3.0f %% of table)' % (imp, n / imp, 100 * table / imp))

srv = Server(binary, workers=cores)
try:
    t = time.time()
    batch = srv.api('POST', 'batches', {'reviewer': 'bench'})['id']
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda p: srv.upload(batch, p), files))
    up = time.time() - t
    srv.wait_batch(batch, timeout=3600)
    api = time.time() - t
    print('api     %7.2f s  %7.0f reports/s  (%3.0f %% of table; uploads answered in %.2f s)'
          % (api, n / api, 100 * table / api, up))
finally:
    srv.cleanup()
if len(sys.argv) <= 3:
    shutil.rmtree(work, ignore_errors=True)
