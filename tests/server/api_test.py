"""api_test.py - the JSON API end to end against a real `gongkai serve`:
upload a folder, the queue, findings equal to `gongkai check --json`,
review, a correction re-checked, the roster and matching, the export,
downloads, security headers and limits.

    api_test.py GONGKAI SOURCE_DIR sqlite|postgresql [PG_STATE]
"""
import io
import json
import os
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import EXAMPLE, Server, check, db_for, many_reports, report_folder  # noqa: E402

binary, src, mode = sys.argv[1], sys.argv[2], sys.argv[3]
db = db_for(mode, sys.argv, 'api')

srv = Server(binary, db=db)
try:
    st = srv.api('GET', 'status', expect=200)
    check(st['database'] == mode, 'status names the database: ' + st['database'])

    # pages and headers
    status, headers, body = srv.request('GET', '/')
    check(status == 200 and b'<script src="/static/index.js"' in body, 'index page served')
    csp = headers.get('Content-Security-Policy', '')
    check("script-src 'self'" in csp and 'unsafe-inline' not in csp, 'strict CSP: ' + csp)
    check(headers.get('X-Content-Type-Options') == 'nosniff', 'nosniff')
    check(headers.get('X-Frame-Options') == 'DENY', 'frame denial')
    status, headers, _ = srv.request('GET', '/static/report.js')
    check(status == 200 and headers['Content-Type'].startswith('text/javascript'), 'script served as JS')
    check(srv.request('GET', '/static/../../etc/passwd')[0] == 404, 'no path traversal')
    check(srv.request('GET', '/api/v1/nothing')[0] == 404, 'unknown API route is 404')
    check(srv.request('DELETE', '/')[0] == 405, 'pages only answer GET')

    # upload a folder
    folder = os.path.join(srv.tmp, 'reports')
    files = report_folder(src, folder)
    batch = srv.api('POST', 'batches', {'reviewer': '测试'}, expect=201)['id']
    ids = {}
    for path in files:
        r = srv.upload(batch, path)
        check(not r['duplicate'], 'uploaded ' + os.path.basename(path))
        ids[os.path.basename(path)] = r['report_id']
    again = srv.upload(batch, files[0])
    check(again['duplicate'] and again['report_id'] == ids[EXAMPLE], 'same bytes stored once')
    if mode == 'sqlite':
        # an upload is read and checked by the thread that stores it, in
        # the same transaction: once answered, nothing is left queued
        c0 = srv.api('GET', 'batches/%d' % batch)['counts']
        check(c0['queued'] == 0 and c0['done'] == 4 and c0['failed'] == 1,
              'every upload checked when it is answered %r' % c0)
    b = srv.wait_batch(batch)
    c = b['counts']
    check(c['received'] == 5 and c['done'] == 4 and c['failed'] == 1, 'batch counts %r' % c)
    bad = [r for r in b['reports'] if r['state'] == 'failed'][0]
    check('PNG' in bad['error'] and '不支持' in bad['error'], 'failure in the reader\'s words: ' + bad['error'])

    # the findings are what `gongkai check --json` says
    rep = srv.api('GET', 'reports/%d' % ids[EXAMPLE], expect=200)
    cli = json.loads(subprocess.run([binary, 'check', '--json', '--no-pair', files[0]],
                                    capture_output=True, check=False).stdout)
    want = [(d['rule'], d['severity'], d['message'], d.get('location', {}).get('line'), d.get('path'))
            for d in cli['diagnostics']]
    got = [(f['rule'], f['severity'], f['message'], f['line'], f['path']) for f in rep['findings']]
    check(sorted(want, key=str) == sorted(got, key=str), 'findings equal gongkai check --json (%d)' % len(got))
    check(rep['model']['agency'] == cli['agency'], 'model stored')
    lines = rep['source_text'].split('\n')
    blank = [f for f in rep['findings'] if f['rule'] == 'cell.blank'][0]
    check('重复申请' in lines[blank['line'] - 1], 'source line %d is the finding\'s line' % blank['line'])

    # review
    f0 = rep['findings'][0]
    check(srv.request('GET', '/api/v1/reports/%d/notice.docx' % ids[EXAMPLE])[0] == 409,
          'no notice before a finding is confirmed')
    srv.api('POST', 'findings/%d/review' % f0['id'], {'status': 'dismissed', 'reviewer': '张三'}, expect=400)
    anon = srv.new_session()
    check(anon.request('POST', '/api/v1/findings/%d/review' % f0['id'],
                       {'status': 'confirmed'})[0] == 401,
          'a review needs a logged-in reviewer (the reviewer is the session user)')
    srv.api('POST', 'findings/%d/review' % f0['id'], {'status': 'confirmed', 'reviewer': '张三'}, expect=200)
    f1 = rep['findings'][1]
    srv.api('POST', 'findings/%d/review' % f1['id'],
            {'status': 'dismissed', 'reason': '原表如此', 'reviewer': '张三'}, expect=200)
    srv.api('POST', 'findings/999999/review', {'status': 'confirmed', 'reviewer': '张三'}, expect=404)
    rep = srv.api('GET', 'reports/%d' % ids[EXAMPLE])
    check(rep['review'] == '审核中', 'review status follows the findings')
    check(rep['findings'][1]['reason'] == '原表如此', 'reason kept')

    # the rectification notice lists the confirmed findings with their place
    status, headers, body = srv.request('GET', '/api/v1/reports/%d/notice.docx?office=%%E5%%8E%%BF%%E5%%8A%%9E' % ids[EXAMPLE])
    check(status == 200 and 'attachment' in headers.get('Content-Disposition', ''), 'notice is a download')
    doc = zipfile.ZipFile(io.BytesIO(body)).read('word/document.xml').decode()
    check('整改通知' in doc and 'XX县青石镇人民政府' in doc and '县办' in doc, 'notice names the body and the office')
    check(f0['message'] in doc and '原文第 %d 行' % f0['line'] in doc, 'notice lists the confirmed finding and its line')
    check(rep['findings'][1]['message'] not in doc, 'a dismissed finding is not in the notice')

    # a correction is kept beside the value read and re-checked
    path = blank['path'] + '.business'
    srv.api('POST', 'reports/%d/corrections' % ids[EXAMPLE],
            {'path': 'no.such.cell', 'value': '1', 'reviewer': '张三'}, expect=400)
    srv.api('POST', 'reports/%d/corrections' % ids[EXAMPLE],
            {'path': path, 'value': '-x', 'reviewer': '张三'}, expect=400)
    after = srv.api('POST', 'reports/%d/corrections' % ids[EXAMPLE],
                    {'path': path, 'value': '0', 'reviewer': '张三'}, expect=200)
    check(not [f for f in after['findings'] if f['rule'] == 'cell.blank'], 'the corrected blank is no longer a finding')
    check(after['errors'] == rep['errors'] - 1, 'one error fewer')
    check([f['status'] for f in after['findings'] if f['id'] == f0['id'] or f['rule'] == f0['rule']][0] == 'confirmed',
          'the review of the other findings is kept')
    corr = after['corrections'][0]
    check(corr['path'] == path and corr['value_read'] is None and corr['value'] == '0' and corr['actor'] == srv.admin,
          'correction recorded beside the value read')
    check(after['model']['applications']['declined_duplicate']['business'] == 0, 'model corrected')

    # audit log: append only, every change
    audit = srv.api('GET', 'audit')
    actions = [a['action'] for a in audit]
    check(actions.count('review') == 2 and 'correct' in actions and actions.count('upload') == 5, 'audit log: %r' % sorted(set(actions)))

    # the roster and matching
    roster = '名称,类型,上级\nXX县,县,\n青石镇人民政府,乡镇,XX县\n白沙镇人民政府,乡镇,XX县\n"红岩镇",乡镇,XX县\n'
    for year in (2023, 2024):
        r = srv.request('POST', '/api/v1/roster?year=%d&reviewer=%%E5%%BC%%A0' % year, raw=roster.encode())
        check(r[0] == 200, 'roster %d imported' % year)
    check(srv.request('POST', '/api/v1/roster?year=2024&reviewer=x', raw='名称,类型,上级\n甲,村,\n'.encode())[0] == 400,
          'a roster row with an unknown kind is refused')
    rows = {r['name']: r for r in srv.api('GET', 'roster?year=2024')}
    check(rows['青石镇人民政府']['report_id'] == ids[EXAMPLE] and rows['青石镇人民政府']['match'] == 'normalised',
          'XX县青石镇人民政府 matched to 青石镇人民政府 by its key')
    check(rows['红岩镇']['report_id'] is None, 'a body without a report is listed unpublished')
    bs = rows['白沙镇人民政府']
    check(bs['report_id'] == ids['白沙镇2024年报.txt'] and bs['previous'] == ids['白沙镇2023年报.txt'],
          'last year\'s report linked')
    un = srv.api('GET', 'reports?unmatched=1')
    check(len(un) == 1, 'one report left unmatched (%d)' % len(un))
    srv.api('POST', 'reports/%d/body' % un[0]['id'], {'region_id': rows['红岩镇']['body_id'], 'reviewer': '张三'}, expect=200)
    check(srv.api('GET', 'reports/%d' % un[0]['id'])['match'] == 'manual', 'manual match recorded')

    # the tree and the roster edited in place
    xian = [r for r in srv.api('GET', 'regions') if r['name'] == 'XX县'][0]
    added = srv.api('POST', 'regions', {'name': '城关街道办事处', 'kind': '街道', 'parent_id': xian['id'],
                                        'year': 2024, 'reviewer': '张三'}, expect=201)
    srv.api('POST', 'regions', {'name': '城关街道办事处', 'kind': '街道', 'parent_id': xian['id'],
                                'reviewer': '张三'}, expect=409)
    srv.api('POST', 'regions', {'name': '甲', 'kind': '村', 'reviewer': '张三'}, expect=400)
    rows = {r['name']: r for r in srv.api('GET', 'roster?year=2024')}
    check('城关街道办事处' in rows and rows['城关街道办事处']['parent'] == 'XX县', 'a body added in the page joins the roster')
    srv.api('POST', 'roster/remove', {'year': 2024, 'region_id': added['id'], 'reviewer': '张三'}, expect=200)
    srv.api('POST', 'roster/remove', {'year': 2024, 'region_id': added['id'], 'reviewer': '张三'}, expect=404)
    check('城关街道办事处' not in {r['name'] for r in srv.api('GET', 'roster?year=2024')}, 'and leaves it')
    acts = [a['action'] for a in srv.api('GET', 'audit')]
    check('region-add' in acts and 'roster-remove' in acts, 'both in the audit log')

    # export: the table writer's XLSX
    status, headers, body = srv.request('GET', '/api/v1/export.xlsx?year=2024')
    check(status == 200 and 'attachment' in headers.get('Content-Disposition', ''), 'export is a download')
    z = zipfile.ZipFile(io.BytesIO(body))
    sheet = z.read('xl/worksheets/sheet1.xml').decode()
    check('XX县青石镇人民政府' in sheet and 'applications.received.total' in sheet, 'export has the reports and cells')
    check(z.read('xl/workbook.xml').decode().count('<sheet ') == 3, 'export has the findings and review sheets')
    reviews = z.read('xl/worksheets/sheet3.xml').decode()
    check(f0['message'] in reviews and srv.admin in reviews and f1['message'] not in reviews,
          'the review sheet lists the confirmed findings')
    check('>warning<' not in reviews and '>error<' not in reviews and
          ('>警告<' in reviews or '>错误<' in reviews),
          'the review sheet gives the severity in Chinese')

    # the original file, as a download that no browser runs
    status, headers, body = srv.request('GET', '/api/v1/reports/%d/file' % ids['扫描件.png'])
    with open(files[-1], 'rb') as f:
        check(status == 200 and body == f.read(), 'original bytes kept')
    check(headers['Content-Type'] == 'application/octet-stream', 'served as octet-stream')

    # a ZIP of reports: unpacked, hidden files and folders skipped, a bomb refused
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        z.write(os.path.join(src, 'tests/golden/cases/01_tabs_clean.txt'), '年报/甲镇.txt')
        z.write(files[0], '年报/青石镇.txt')          # already stored: a duplicate
        z.writestr('年报/', '')
        z.writestr('年报/.DS_Store', 'x')
        z.writestr('__MACOSX/年报/._甲镇.txt', 'x')
        z.writestr('年报/炸弹.txt', b'\0' * (20 << 20))  # 20 MiB of zeros: ratio ~1000
        # a name in GBK without the UTF-8 flag, as Chinese Windows writes
        # it: written as ASCII of the same length, its bytes swapped below
        with open(os.path.join(src, 'tests/golden/cases/02_spaces_clean.txt'), 'rb') as f:
            z.writestr('QQQQ.txt', f.read())
    archive = buf.getvalue().replace(b'QQQQ.txt', '乙镇.txt'.encode('gbk'))
    status, _, body = srv.request('POST', '/api/v1/batches/%d/zip' % batch, raw=archive)
    zr = json.loads(body)
    check(status == 200 and zr['stored'] == 2 and zr['duplicates'] == 1 and zr['refused'] == 1,
          'ZIP unpacked: %r' % {k: zr[k] for k in ('stored', 'duplicates', 'refused')})
    bomb = [f for f in zr['files'] if f.get('error')][0]
    check(bomb['name'] == '年报/炸弹.txt' and 'ZIP 炸弹' in bomb['error'], 'ZIP bomb refused: ' + bomb['error'])
    check('乙镇.txt' in [f['name'] for f in zr['files']], 'a GBK entry name is read as GBK')
    check(srv.request('POST', '/api/v1/batches/%d/zip' % batch, raw=b'not a zip at all')[0] == 400,
          'not a ZIP: 400')
    srv.wait_batch(batch)

    # a ZIP larger than one group commit (64 files, zip_import.c): every
    # file answered once, in the archive's order, the same bytes twice in
    # one group a duplicate of the first, and the batch's counts whole
    many = many_reports(src, os.path.join(srv.tmp, 'many'), 150)
    gbatch = srv.api('POST', 'batches', {'reviewer': '测试'}, expect=201)['id']
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        for p in many:
            z.write(p, 'many/' + os.path.basename(p))
        z.write(many[3], 'many/again.txt')
    status, _, body = srv.request('POST', '/api/v1/batches/%d/zip' % gbatch, raw=buf.getvalue())
    zr = json.loads(body)
    ids_zip = [f['report_id'] for f in zr['files']]
    check(status == 200 and zr['stored'] == 150 and zr['duplicates'] == 1 and zr['refused'] == 0,
          'ZIP of 151 entries over three group commits: %r' % {k: zr[k] for k in ('stored', 'duplicates', 'refused')})
    check([f['name'] for f in zr['files']] == ['many/' + os.path.basename(p) for p in many] + ['many/again.txt']
          and len(set(ids_zip[:150])) == 150 and ids_zip[150] == ids_zip[3],
          'each entry answered in order with its own report; the repeat names the first')
    b = srv.wait_batch(gbatch)
    check(b['counts'] == {'received': 150, 'queued': 0, 'done': 150, 'failed': 0},
          'the batch counts every report: %r' % b['counts'])

    # limits
    big = b'{"reviewer":"' + b'x' * (70 << 10) + b'"}'
    check(srv.request('POST', '/api/v1/batches', raw=big, ctype='application/json')[0] == 413, 'a JSON body over 64 KiB is refused')
    check(srv.request('POST', '/api/v1/batches/%d/files?name=a' % batch, raw=b'')[0] == 400, 'an empty file is refused')
    check(srv.request('POST', '/api/v1/batches/999/files?name=a', raw=b'abc')[0] == 404, 'no upload into a batch that does not exist')

    srv.stop_clean()
finally:
    if srv.proc.poll() is None:
        srv.stop()
    print(srv.log_text()[-3000:])
    srv.cleanup()
print('api_test (%s): all passed' % mode)
