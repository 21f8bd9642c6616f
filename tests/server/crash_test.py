"""crash_test.py - `kill -9` of the server in the middle of an import,
then a restart: every file whose upload was answered 2xx is there, whole
(its bytes hash to its name), read and checked exactly once; a job that
was running when the server died runs again; nothing is half-stored.

    crash_test.py GONGKAI SOURCE_DIR [N_FILES]
"""
import concurrent.futures
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import Server, check, many_reports, sha256_file  # noqa: E402

binary, src = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000

# one worker, so that the queue backs up behind four uploaders
srv = Server(binary, workers=1)
data = srv.data
files = many_reports(src, os.path.join(srv.tmp, 'reports'), n)
batch = srv.api('POST', 'batches', {'reviewer': '测试'}, expect=201)['id']
answered = {}   # path -> report id, for 2xx answers
lock = threading.Lock()
killed = threading.Event()


def upload(path):
    if killed.is_set():
        return
    try:
        r = srv.upload(batch, path)
    except Exception:
        return  # the server died under this request: not answered
    if r and 'report_id' in r:
        with lock:
            answered[path] = r['report_id']


# kill when about 40 % are answered, with uploads still in flight and
# jobs running
with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
    futures = [pool.submit(upload, p) for p in files]
    while True:
        with lock:
            done = len(answered)
        if done >= n * 0.4:
            break
        time.sleep(0.01)
    srv.proc.send_signal(signal.SIGKILL)
    killed.set()
    srv.proc.wait()
    for f in futures:
        f.result()
print('     killed with %d of %d uploads answered' % (len(answered), n), flush=True)

db = sqlite3.connect(os.path.join(data, 'gongkai.db'))
running = db.execute("SELECT count(*) FROM jobs WHERE state = 'running'").fetchone()[0]
queued = db.execute("SELECT count(*) FROM jobs WHERE state = 'queued'").fetchone()[0]
db.close()
print('     at the kill: %d jobs running, %d queued' % (running, queued), flush=True)
check(len(answered) < n, 'the kill came in the middle of the import')

# restart on the same data; the client sends what was not answered
srv2 = Server(binary, data=data, workers=2)
try:
    log = srv2.log_text()
    check(running == 0 or '重新排队' in log, 'the restart requeues the jobs left running')
    rest = [p for p in files if p not in answered]
    for p in rest:
        r = srv2.upload(batch, p)
        answered[p] = r['report_id']
    b = srv2.wait_batch(batch, timeout=900)
    check(b['counts']['received'] == n, 'all %d files in the batch after the restart' % n)
    check(b['counts']['done'] == n, 'every report read and checked (%r)' % b['counts'])
    rc = srv2.stop()
    check(rc == 0, 'clean stop after the restart')

    db = sqlite3.connect(os.path.join(data, 'gongkai.db'))
    # the findings of each file are what `gongkai check` finds in it
    cli = subprocess.run([binary, 'check', '--json', '--no-pair', files[0]],
                         capture_output=True, check=False).stdout
    n_findings = len(json.loads(cli)['diagnostics'])
    rows = db.execute('SELECT r.id, r.sha256, length(f.bytes), f.size, r.state, '
                      'EXISTS (SELECT 1 FROM report_models m WHERE m.report_id = r.id), (SELECT count(*) FROM jobs j WHERE j.report_id = r.id), '
                      '(SELECT count(*) FROM job_runs x JOIN jobs j ON j.id = x.job_id WHERE j.report_id = r.id), '
                      '(SELECT count(*) FROM findings g WHERE g.report_id = r.id) '
                      'FROM reports r JOIN files f ON f.sha256 = r.sha256').fetchall()
    by_id = {r[0]: r for r in rows}
    check(len(rows) == n, '%d reports stored, one per file' % len(rows))
    bad = []
    for p, rid in answered.items():
        r = by_id.get(rid)
        if (not r or r[1] != sha256_file(p) or r[2] != os.path.getsize(p) or r[3] != r[2]
                or r[4] != 'done' or not r[5] or r[6] != 1 or r[7] != 1 or r[8] != n_findings):
            bad.append((p, r))
    check(not bad, 'every answered file whole, checked once, with its %d findings %r' % (n_findings, bad[:3]))
    twice = db.execute('SELECT count(*) FROM (SELECT job_id FROM job_runs GROUP BY job_id '
                       'HAVING count(*) > 1) AS t').fetchone()[0]
    check(twice == 0, 'no job ran twice')
    orphans = db.execute('SELECT count(*) FROM files WHERE sha256 NOT IN (SELECT sha256 FROM reports)').fetchone()[0]
    check(orphans == 0, 'no file stored without its report')
    db.close()
finally:
    srv2.cleanup()
    srv.cleanup()
print('crash_test: all passed')
