"""pg_two_test.py - two `gongkai serve` processes on one PostgreSQL
database process one batch together: uploads go to both, the workers of
both claim jobs (FOR UPDATE SKIP LOCKED), and no job runs twice.  Then
one of them is killed with `kill -9` while it works, and the other
finishes its jobs.

    pg_two_test.py GONGKAI SOURCE_DIR PG_STATE [N_FILES]
"""
import concurrent.futures
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import Server, check, many_reports, pg_fresh  # noqa: E402

binary, src, state = sys.argv[1], sys.argv[2], sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 300
db = pg_fresh(state, 'two')
if not db:
    print('SKIP: no PostgreSQL server (install Debian postgresql)')
    sys.exit(0)


def psql(sql):
    out = subprocess.run(['psql', '-qAt', db, '-c', sql], capture_output=True,
                         text=True, check=True).stdout
    return [line.split('|') for line in out.strip().split('\n') if line]


a = Server(binary, db=db, workers=2)
b = Server(binary, db=db, workers=2)
try:
    files = many_reports(src, os.path.join(a.tmp, 'reports'), n)
    batch = a.api('POST', 'batches', {'reviewer': '测试'}, expect=201)['id']
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda ip: (a if ip[0] % 2 else b).upload(batch, ip[1]), enumerate(files)))
    done = b.wait_batch(batch, timeout=900)
    check(done['counts']['done'] == n, 'one batch of %d processed by two servers' % n)
    twice = psql('SELECT count(*) FROM (SELECT job_id FROM job_runs GROUP BY job_id HAVING count(*) > 1) t')
    check(twice[0][0] == '0', 'no job ran twice')
    runs = psql('SELECT count(*) FROM job_runs')
    check(runs[0][0] == str(n), 'one run per job (%s)' % runs[0][0])
    by = psql("SELECT split_part(worker, '/', 1), count(*) FROM job_runs GROUP BY 1")
    check(len(by) == 2, 'both processes ran jobs: %r' % by)

    # kill -9 one server while both work on a second batch
    batch2 = a.api('POST', 'batches', {'reviewer': '测试'}, expect=201)['id']
    more = many_reports(src, os.path.join(a.tmp, 'more'), n)
    # same text as the first batch: make them new files
    for i, p in enumerate(more):
        with open(p, 'a', encoding='utf-8') as f:
            f.write('（第二批 %d）\n' % i)
    for p in more:
        a.upload(batch2, p)
    a.proc.send_signal(signal.SIGKILL)
    a.proc.wait()
    left = psql("SELECT count(*) FROM jobs j JOIN reports r ON r.id = j.report_id "
                "WHERE r.batch_id = %d AND j.state <> 'done'" % batch2)
    print('     killed one server with %s jobs of the batch not done' % left[0][0], flush=True)
    done = b.wait_batch(batch2, timeout=900)
    check(done['counts']['done'] == n, 'the survivor finished the batch of the killed server')
    twice = psql('SELECT count(*) FROM (SELECT job_id FROM job_runs GROUP BY job_id HAVING count(*) > 1) t')
    check(twice[0][0] == '0', 'still no job ran twice')
    left = psql("SELECT count(*) FROM jobs WHERE state <> 'done'")
    check(left[0][0] == '0', 'no job left behind')
    check(b.stop() == 0, 'clean stop')
finally:
    a.cleanup()
    b.cleanup()
print('pg_two_test: all passed')
