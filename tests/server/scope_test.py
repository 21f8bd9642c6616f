"""scope_test.py - what a county's users see is their county's (issue 14):

* the ranking, the region page (roster), the report list and the XLSX
  export (its report sheets and its sheet of confirmed findings) of a
  county reviewer list only the bodies of their county, never a sibling
  county's;
* the same bytes uploaded in two counties are two reports over one stored
  file: each county sees only its own, and nothing in either answer tells
  that the other exists; in one's own scope the same bytes answer "already
  uploaded" with the report that has them;
* a county administrator's audit log holds what the county's users did.

    scope_test.py GONGKAI SOURCE_DIR sqlite|postgresql [PG_STATE]
"""
import io
import json
import os
import subprocess
import sys
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import EXAMPLE, Server, check, fail, db_for  # noqa: E402

binary, src, mode = sys.argv[1], sys.argv[2], sys.argv[3]
db = db_for(mode, sys.argv, 'scope')

with open(os.path.join(src, 'examples', EXAMPLE), 'rb') as f:
    example = f.read()
with open(os.path.join(src, 'tests/batch/cases/baisha_2024.txt'), 'rb') as f:
    baisha = f.read()


def upload(sess, batch, name, raw):
    st, _, data = sess.request('POST', '/api/v1/batches/%d/files?name=%s'
                               % (batch, urllib.parse.quote(name)), raw=raw)
    return st, json.loads(data)


def get(sess, path):
    st, _, data = sess.request('GET', '/api/v1/' + path)
    return st, data


def as_json(sess, path):
    st, data = get(sess, path)
    if st != 200:
        fail('GET %s: %d %s' % (path, st, data[:200]))
    return json.loads(data)


def new_batch(sess):
    st, _, data = sess.request('POST', '/api/v1/batches', {})
    if st != 201:
        fail('new batch: %d' % st)
    return json.loads(data)['id']


def xlsx_text(sess):
    st, data = get(sess, 'export.xlsx?year=2024')
    if st != 200:
        fail('export: %d' % st)
    z = zipfile.ZipFile(io.BytesIO(data))
    return ''.join(z.read(n).decode('utf-8', 'replace') for n in z.namelist()
                   if n.endswith('.xml'))


srv = Server(binary, db=db)
try:
    roster = '名称,类型,上级\nA市,市,\n甲县,县,A市\n乙县,县,A市\n' \
             '青石镇人民政府,乡镇,甲县\n白沙镇人民政府,乡镇,甲县\n红岩镇,乡镇,乙县\n'
    st = srv.request('POST', '/api/v1/roster?year=2024', raw=roster.encode())[0]
    check(st == 200, 'roster imported (%d)' % st)
    regions = {g['name']: g['id'] for g in srv.api('GET', 'regions', expect=200)}
    jia = srv.add_user('甲县审核', '审核人员', regions['甲县'])
    yi = srv.add_user('乙县审核', '审核人员', regions['乙县'])
    jia_filer = srv.add_user('甲县填报', '填报人员', regions['甲县'])
    yi_filer = srv.add_user('乙县填报', '填报人员', regions['乙县'])

    # ---- the years a user is told of are those of their scope: a 2023
    # roster of 乙县's township alone is not 甲县's to know
    st = srv.request('POST', '/api/v1/roster?year=2023',
                     raw='名称,类型,上级\n红岩镇,乡镇,乙县\n'.encode())[0]
    check(st == 200, '2023 roster imported (%d)' % st)
    check(as_json(jia, 'status')['years'] == [2024], "甲县's years: only its own")
    check(as_json(yi, 'status')['years'] == [2024, 2023], "乙县's years: 2024 and 2023")
    check(srv.api('GET', 'status', expect=200)['years'] == [2024, 2023],
          "the administrator's years: all of them")

    # ---- the ranking, the region page, the list, the export
    batch = srv.api('POST', 'batches', {}, expect=201)['id']
    bodies = {'甲县-青石镇.txt': ('青石镇人民政府', example),
              '甲县-白沙镇.txt': ('白沙镇人民政府', baisha),
              '乙县-红岩镇.txt': ('红岩镇', example + '\n（红岩镇的报告）\n'.encode())}
    rid = {}
    for name, (body, raw) in bodies.items():
        rid[name] = srv.api('POST', 'batches/%d/files?name=%s' % (batch, urllib.parse.quote(name)),
                            raw=raw)['report_id']
    srv.wait_batch(batch)
    for name, (body, raw) in bodies.items():
        srv.api('POST', 'reports/%d/body' % rid[name], {'region_id': regions[body]}, expect=200)
        for f in srv.api('GET', 'reports/%d' % rid[name], expect=200)['findings'][:1]:
            srv.api('POST', 'findings/%d/review' % f['id'], {'status': 'confirmed'}, expect=200)
    # the county is a body of the roster too (its own report, none here)
    mine = {'甲县': {'甲县', '青石镇人民政府', '白沙镇人民政府'}, '乙县': {'乙县', '红岩镇'}}
    files = {'甲县': {'甲县-青石镇.txt', '甲县-白沙镇.txt'}, '乙县': {'乙县-红岩镇.txt'}}
    for county, sess, other in (('甲县', jia, '乙县'), ('乙县', yi, '甲县')):
        ranking = as_json(sess, 'ranking?year=2024')
        names = {b['name'] for b in ranking['bodies']}
        check(names == mine[county], '%s\'s ranking lists only its bodies: %s' % (county, sorted(names)))
        ids = {b['report_id'] for b in ranking['bodies']} - {None}
        check(ids == {rid[n] for n in files[county]}, '... and only its reports')
        roster_names = {r['name'] for r in as_json(sess, 'roster?year=2024')}
        check(mine[county] <= roster_names and not (mine[other] & roster_names),
              '%s\'s region page lists its bodies, none of %s\'s' % (county, other))
        listed = {r['name'] for r in as_json(sess, 'reports')}
        check(listed == files[county], '%s\'s report list: %s' % (county, sorted(listed)))
        text = xlsx_text(sess)
        check(all(n in text for n in files[county]) and
              not any(n in text for n in files[other]) and
              not any(b in text for b in mine[other]),
              '%s\'s export (reports and confirmed findings) has none of %s\'s' % (county, other))

    # ---- the same bytes in two counties
    same = example + '\n（两县上传的同一份文件）\n'.encode()
    bj, by = new_batch(jia_filer), new_batch(yi_filer)
    st_j, a_j = upload(jia_filer, bj, '同一文件.txt', same)
    st_y, a_y = upload(yi_filer, by, '同一文件.txt', same)
    check(st_j == 201 and st_y == 201 and not a_j['duplicate'] and not a_y['duplicate'],
          'the same bytes in two counties: two new reports (%d, %d)' % (st_j, st_y))
    check(a_j['report_id'] != a_y['report_id'] and sorted(a_j) == sorted(a_y) and
          a_j['sha256'] == a_y['sha256'],
          'each answer names its own report and nothing else: %s' % sorted(a_y))
    jr, yr = a_j['report_id'], a_y['report_id']
    check(get(jia_filer, 'reports/%d' % yr)[0] == 404 and get(yi_filer, 'reports/%d' % jr)[0] == 404 and
          get(yi, 'reports/%d' % jr)[0] == 404 and get(jia, 'reports/%d/file' % yr)[0] == 404,
          'neither county can open the other\'s report or its file (404)')
    st, again = upload(jia_filer, bj, '再传一次.txt', same)
    check(st == 200 and again['duplicate'] and again['report_id'] == jr,
          'in its own county the same bytes are "already uploaded", naming that report')
    st, again = upload(jia, new_batch(jia), '审核员也传.txt', same)
    check(st == 200 and again['duplicate'] and again['report_id'] == jr,
          'another user of the same county gets the same answer')
    st, again = upload(yi_filer, by, '再传一次.txt', same)
    check(st == 200 and again['report_id'] == yr, '... and so does the other county, with its own')
    srv.wait_batch(bj)
    srv.wait_batch(by)
    for sess, own, other in ((jia_filer, jr, yr), (yi_filer, yr, jr)):
        ids = {r['id'] for r in as_json(sess, 'reports')}
        check(own in ids and other not in ids, 'the list of each county has its own only')
        rep = as_json(sess, 'reports/%d' % own)
        check(rep['state'] == 'done' and rep['findings'], 'each report is read and checked on its own')
    yrep = as_json(yi_filer, 'reports/%d' % yr)
    check(yrep.get('region_id') in (None, regions['红岩镇']),
          'a report is matched only to a body of its uploader\'s scope (not 青石镇 of 甲县)')
    admin_ids = {r['id'] for r in srv.api('GET', 'reports', expect=200)}
    check({jr, yr} <= admin_ids, 'the administrator of the whole tree sees both')
    audit = [a for a in srv.api('GET', 'audit', expect=200)
             if a['object'] in ('report:%d' % jr, 'report:%d' % yr)]
    firsts = [a for a in audit if a['action'] == 'upload']
    check(len(firsts) == 2, 'both first uploads are audited as uploads, not as duplicates')
    jia_admin = srv.add_user('甲县管理员', '管理员', regions['甲县'])
    seen = {a['object'] for a in as_json(jia_admin, 'audit')}
    check('report:%d' % jr in seen and 'report:%d' % yr not in seen and
          not any(a['actor'] in ('乙县填报', '乙县审核') for a in as_json(jia_admin, 'audit')),
          'a county administrator\'s audit log shows what its users did, not the other county\'s')
    if db:
        n = subprocess.run(['psql', '-qAt', db, '-c',
                            "SELECT count(*) FROM files f JOIN reports r ON r.sha256 = f.sha256 "
                            "WHERE r.id IN (%d, %d)" % (jr, yr)],
                           capture_output=True, text=True, check=True).stdout.split()
        files_n = subprocess.run(['psql', '-qAt', db, '-c',
                                  "SELECT count(DISTINCT sha256) FROM reports WHERE id IN (%d, %d)"
                                  % (jr, yr)], capture_output=True, text=True,
                                 check=True).stdout.split()
        check(n == ['2'] and files_n == ['1'], 'the bytes are stored once')
    else:
        import sqlite3
        con = sqlite3.connect(os.path.join(srv.data, 'gongkai.db'), timeout=60)
        n = con.execute('SELECT count(DISTINCT sha256) FROM reports WHERE id IN (?, ?)',
                        (jr, yr)).fetchone()[0]
        stored = con.execute('SELECT count(*) FROM files WHERE sha256 = ?',
                             (a_j['sha256'],)).fetchone()[0]
        con.close()
        check(n == 1 and stored == 1, 'the bytes are stored once')
    srv.stop_clean()
finally:
    srv.cleanup()
print('scope_test: all passed')
