"""import_test.py - `gongkai serve --import` (what make demo runs): the
example reports and roster go into a fresh data folder, every report is
read and checked and matched to its body, and a second import of the same
files stores nothing twice.

    import_test.py GONGKAI SOURCE_DIR
"""
import glob
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import check  # noqa: E402

binary, src = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix='gk-import-test.')
try:
    data = os.path.join(tmp, 'demo-data')
    files = sorted(glob.glob(os.path.join(src, 'examples', '*.txt')) +
                   glob.glob(os.path.join(src, 'examples', 'workspace', '*.txt')))
    args = [binary, 'serve', '--data', data, '--roster',
            '2024:' + os.path.join(src, 'examples', 'workspace', '名单.csv'), '--import'] + files
    r = subprocess.run(args, capture_output=True, text=True)
    check(r.returncode == 0, 'import exits 0: ' + r.stdout + r.stderr)
    check('导入 3 个文件' in r.stdout and '0 个无法读取' in r.stdout, 'summary: ' + r.stdout.strip())
    db = sqlite3.connect(os.path.join(data, 'gongkai.db'))
    rows = db.execute("SELECT r.state, g.name, r.match FROM reports r LEFT JOIN regions g "
                      "ON g.id = r.region_id ORDER BY r.name").fetchall()
    check(len(rows) == 3 and all(x[0] == 'done' for x in rows), 'three reports read and checked')
    check(sorted(x[1] for x in rows) == ['白沙镇人民政府', '白沙镇人民政府', '青石镇人民政府'],
          'each matched to its body: %r' % rows)
    check(db.execute('SELECT count(*) FROM roster WHERE year = 2024').fetchone()[0] == 7,
          'roster: the 7 bodies that publish (tree-only nodes left out)')
    db.close()
    r = subprocess.run(args, capture_output=True, text=True)
    check(r.returncode == 0 and '导入 0 个文件（另有 3 个已在库中）' in r.stdout, 'second import stores nothing twice')
    r = subprocess.run([binary, 'serve', '--data', data, '--import', os.path.join(tmp, 'no-such-file')],
                       capture_output=True, text=True)
    check(r.returncode == 1 and 'no-such-file' in r.stderr, 'a missing file is named and the exit status is 1')
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print('import_test: all passed')
