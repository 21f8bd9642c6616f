"""serve_import.py - how fast `gongkai serve` imports reports, against
`gongkai table` on the same files (issue 13's first target: through the
API, at least 80 % of table's reports per second on the 10,000-report
bench corpus).

    /usr/bin/python3 bench/serve_import.py build/release/gongkai [options]

  --reports N     the bench corpus's size (default 10,000)
  --corpus DIR    use (or write, when missing) the corpus in DIR; default:
                  a temporary folder, written by gk_bench (bench/gk_bench.c,
                  `--keep`) and removed at the end
  --made-up N     instead of the bench corpus, N copies of the example
                  report with a numbered line (the first version's bench)
  --clients C     HTTP clients posting at once (default 4)
  --post MODE     files: one POST per file (.../files); zip: ZIP archives
                  of --zip-files files each (.../zip); both (default)
  --zip-files K   files per ZIP archive (default 500)
  --pg URL        also (or only, with --only-pg) on PostgreSQL: URL of a
                  server's maintenance database (postgresql:///postgres?
                  host=...); fresh databases are created and dropped
  --roster N      first import a 2024 roster of N bodies (default 0: none),
                  taken from the agencies `table` reads in the corpus, half
                  of them without their 人民政府/办事处 suffix, so that
                  reports match exactly, after normalising, or not at all
                  (find_body's three paths)
  --no-cli        skip `gongkai serve --import DIR`
  --repeat R      run every path R times, alternating (default 1)

Times, on the same files:
  table   gongkai table --quiet --csv OUT DIR  (every core)
  cli     gongkai serve --import DIR  (one worker per core)
  api     POST the files to a running gongkai serve with C clients, until
          the queue is empty (one worker per core)
Each with its wall time and the CPU time (user + system) of the gongkai
process (for the API, the server's; the Python clients are not counted),
and reports per second by both (on PostgreSQL, the database server's CPU
is given beside: its processes on this machine; for the API, the server's
peak resident memory, VmHWM).  On a machine others use, compare the CPU
figures and give the load average beside the wall ones.
"""
import argparse
import concurrent.futures
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'server'))
from gkserver import Server, many_reports  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument('binary')
ap.add_argument('--reports', type=int, default=10000)
ap.add_argument('--corpus')
ap.add_argument('--made-up', type=int, default=0)
ap.add_argument('--clients', type=int, default=4)
ap.add_argument('--post', choices=('files', 'zip', 'both'), default='both')
ap.add_argument('--zip-files', type=int, default=500)
ap.add_argument('--pg')
ap.add_argument('--only-pg', action='store_true')
ap.add_argument('--roster', type=int, default=0)
ap.add_argument('--no-cli', action='store_true')
ap.add_argument('--repeat', type=int, default=1)
args = ap.parse_args()

binary = os.path.abspath(args.binary)
src = os.path.join(HERE, '..')
cores = os.cpu_count() or 2
work = tempfile.mkdtemp(prefix='gk-serve-bench.')
TICK = os.sysconf('SC_CLK_TCK')


def load():
    return ' '.join(open('/proc/loadavg').read().split()[:3])


def list_files(folder):
    out = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for n in sorted(names):
            if not n.startswith('.'):
                out.append(os.path.join(root, n))
    return out


# ------------------------------------------------------------ the corpus

if args.made_up:
    folder = os.path.join(work, 'reports')
    many_reports(src, folder, args.made_up)
    what = '%d made-up reports (the example, numbered)' % args.made_up
else:
    folder = os.path.abspath(args.corpus) if args.corpus else os.path.join(work, 'corpus')
    if not os.path.isdir(folder) or not os.listdir(folder):
        gk_bench = os.path.join(os.path.dirname(binary), 'bench', 'gk_bench')
        print('writing the bench corpus with %s --keep %s (it also runs its own '
              'measurements: a few minutes)' % (gk_bench, folder), flush=True)
        subprocess.run([gk_bench, '--reports', str(args.reports), '--keep', folder,
                        '--runs', '1', '--pdf-runs', '1', '--gongkai', binary],
                       check=True, stdout=subprocess.DEVNULL, cwd=src)
    what = 'the bench corpus in %s' % folder
files = list_files(folder)
n = len(files)
mb = sum(os.path.getsize(p) for p in files) / 1e6
print('%s: %d files, %.1f MB; roster %d bodies; %d cores; load %s' % (what, n, mb, args.roster, cores, load()),
      flush=True)


# -------------------------------------------------------------- the runs

def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def proc_cpu(pid):
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def peak_mb(pid):
    """The process's peak resident memory (VmHWM) in MB."""
    with open('/proc/%d/status' % pid) as f:
        for ln in f:
            if ln.startswith('VmHWM:'):
                return int(ln.split()[1]) / 1024
    return 0.0


def pg_cpu():
    """CPU seconds of the --pg server's processes (its postmaster, its
    backends, and through the postmaster's children's times the backends
    that have exited): the database's own work, which the gongkai
    process's CPU time does not include.  Other PostgreSQL servers on
    the machine are not counted."""
    data = subprocess.run(['psql', '-At', args.pg, '-c', 'SHOW data_directory'],
                          check=True, capture_output=True, text=True).stdout.strip()
    with open(os.path.join(data, 'postmaster.pid')) as f:
        master = f.readline().strip()
    total = 0.0
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % pid) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if pid == master:  # utime stime cutime cstime
            total += sum(int(x) for x in fields[11:15]) / TICK
        elif fields[1] == master:  # a backend: utime stime
            total += sum(int(x) for x in fields[11:13]) / TICK
    return total


def run(argv):
    """Runs a gongkai command; returns (wall, cpu)."""
    c0, t0 = children_cpu(), time.time()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.time() - t0, children_cpu() - c0


roster = None


def run_table():
    # never --csv /dev/null: the writer renames its temporary file over
    # the path it is given, which would replace the device with a file
    out = os.path.join(work, 'table.csv')
    r = run([binary, 'table', '--quiet', '--csv', out, folder])
    global roster
    if args.roster and not roster:
        roster = make_roster(out, args.roster)
    os.unlink(out)
    return r


def make_roster(table_csv, count):
    """A roster of count bodies under one city, from the agencies of the
    table's rows (sorted, so the same on every run)."""
    import csv
    with open(table_csv, encoding='utf-8-sig') as f:
        rows = list(csv.reader(f))
    col = rows[0].index('agency')
    names = sorted({r[col] for r in rows[1:] if r[col]})[:count]
    path = os.path.join(work, 'roster.csv')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('名称,类型,上级,须发布\n测试市,市,,否\n')
        for i, a in enumerate(names):
            kind = ('乡镇' if a.rstrip('人民政府').endswith(('镇', '乡'))
                    else '街道' if '街道' in a else '部门')
            if i % 2:
                for suffix in ('人民政府', '办事处'):
                    if a.endswith(suffix) and len(a) > len(suffix) + 2:
                        a = a[:-len(suffix)]
            f.write('%s,%s,测试市\n' % (a, kind))
    return path


def pg_db(tag):
    """A fresh database on the --pg server; returns its URL."""
    name = 'gk_bench_%s_%d' % (tag, os.getpid())
    for sql in ('DROP DATABASE IF EXISTS ' + name, 'CREATE DATABASE ' + name):
        subprocess.run(['psql', '-q', '-v', 'ON_ERROR_STOP=1', args.pg, '-c', sql],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return name, args.pg.replace('/postgres', '/' + name, 1)


def pg_drop(name):
    subprocess.run(['psql', '-q', args.pg, '-c', 'DROP DATABASE IF EXISTS ' + name],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_cli(db):
    data = os.path.join(work, 'cli-data')
    shutil.rmtree(data, ignore_errors=True)
    argv = [binary, 'serve', '--data', data, '--workers', str(cores), '--import', folder]
    if roster:
        argv += ['--roster', '2024:' + roster]
    name = None
    if db:
        name, url = pg_db('cli')
        argv += ['--db', url]
    try:
        p0 = pg_cpu() if db else 0
        wall, cpu = run(argv)
        return wall, cpu, (pg_cpu() - p0 if db else None)
    finally:
        shutil.rmtree(data, ignore_errors=True)
        if name:
            pg_drop(name)


def zips(k):
    """The files as ZIP archives of k files each (deflated, as an office's
    zip tool makes them), built before the clock starts."""
    out = []
    for i in range(0, n, k):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
            for p in files[i:i + k]:
                z.write(p, os.path.relpath(p, folder))
        out.append(buf.getvalue())
    return out


def run_api(db, mode, archives):
    name = None
    url = None
    if db:
        name, url = pg_db('api')
    srv = Server(binary, db=url, workers=cores)
    try:
        if roster:
            with open(roster, 'rb') as f:
                st, _, body = srv.request('POST', '/api/v1/roster?year=2024', raw=f.read(),
                                          ctype='text/csv')
            if st != 200:
                raise RuntimeError('roster: %d %s' % (st, body[:200]))
        batch = srv.api('POST', 'batches', {'reviewer': 'bench'})['id']
        p0 = pg_cpu() if db else 0
        c0, t0 = proc_cpu(srv.proc.pid), time.time()
        if mode == 'files':
            def post(p):
                with open(p, 'rb') as f:
                    raw = f.read()
                q = urllib.parse.quote(os.path.relpath(p, folder))
                st, _, body = srv.request('POST', '/api/v1/batches/%d/files?name=%s' % (batch, q),
                                          raw=raw)
                if st not in (200, 201):
                    raise RuntimeError('upload %s: %d %s' % (p, st, body[:200]))
            items = files
        else:
            def post(z):
                st, _, body = srv.request('POST', '/api/v1/batches/%d/zip' % batch, raw=z,
                                          ctype='application/zip')
                if st != 200:
                    raise RuntimeError('zip upload: %d %s' % (st, body[:200]))
            items = archives
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(post, items))
        up = time.time() - t0
        # until the queue is empty: the batch's counts every 50 ms (each
        # call is a little server CPU, counted: about 1 ms; every half
        # second, as before, added up to 0.5 s to an import of 2-4 s)
        while True:
            b = srv.api('GET', 'batches/%d' % batch)
            if b['counts']['queued'] == 0:
                break
            time.sleep(0.05)
        wall, cpu = time.time() - t0, proc_cpu(srv.proc.pid) - c0
        return (wall, cpu, up, b['counts'], (pg_cpu() - p0 if db else None),
                peak_mb(srv.proc.pid))
    finally:
        srv.cleanup()
        if name:
            pg_drop(name)


def line(label, wall, cpu, table, extra=''):
    print('%-22s %7.2f s wall %6.0f reports/s (%3.0f %% of table) | CPU %6.2f s, '
          '%5.2f ms/report (%3.0f %% of table)  load %s%s'
          % (label, wall, n / wall, 100 * table[0] / wall, cpu, 1000 * cpu / n,
             100 * table[1] / cpu if cpu else 0, load(), extra), flush=True)


stores = [] if args.only_pg else [None]
if args.pg:
    stores.append(args.pg)
modes = ['files', 'zip'] if args.post == 'both' else [args.post]
archives = zips(args.zip_files) if 'zip' in modes else None
try:
    for rep in range(args.repeat):
        table = run_table()
        print('%-22s %7.2f s wall %6.0f reports/s              | CPU %6.2f s, %5.2f ms/report'
              '                    load %s'
              % ('table --csv', table[0], n / table[0], table[1], 1000 * table[1] / n, load()),
              flush=True)
        for db in stores:
            kind = 'pg' if db else 'sqlite'
            if not args.no_cli:
                w, c, pgc = run_cli(db)
                line('cli %s' % kind, w, c, table,
                     '' if pgc is None else '; PostgreSQL CPU %.2f s' % pgc)
            for mode in modes:
                w, c, up, counts, pgc, mb = run_api(db, mode, archives)
                line('api %s %s' % (kind, mode), w, c, table,
                     '; uploads answered in %.1f s; %s; peak %.0f MB%s' % (
                         up, counts, mb, '' if pgc is None else '; PostgreSQL CPU %.2f s' % pgc))
finally:
    shutil.rmtree(work, ignore_errors=True)
