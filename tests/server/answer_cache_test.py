"""answer_cache_test.py - the GET answers kept in memory (answer_cache.c,
issue 13) are never stale and never cross a scope:

* the region page (GET /roster?year=) and the report page's data
  (GET /reports/{id}) are answered `X-Gongkai-Cache: miss` and then `hit`
  with the same bytes;
* after a review, a correction, an upload read by the workers, a body
  matched by hand, a roster import, a body added and one removed, the next
  GET shows the change (a miss);
* two county reviewers asking the same URL each get their own county's
  answer: the second is a miss, not the first's bytes;
* on PostgreSQL, with two `gongkai serve` processes on one database, a
  write through one is seen by the next GET through the other (which had
  the answer kept).

    answer_cache_test.py GONGKAI SOURCE_DIR sqlite|postgresql [PG_STATE]
"""
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import EXAMPLE, Server, check, fail, db_for  # noqa: E402

binary, src, mode = sys.argv[1], sys.argv[2], sys.argv[3]
db = db_for(mode, sys.argv, 'answer')

with open(os.path.join(src, 'examples', EXAMPLE), 'rb') as f:
    example = f.read()
with open(os.path.join(src, 'tests/batch/cases/baisha_2024.txt'), 'rb') as f:
    baisha = f.read()


def get(sess, path):
    """(cache header, parsed JSON, raw bytes) of a GET that must be a 200."""
    st, hdrs, data = sess.request('GET', '/api/v1/' + path)
    if st != 200:
        fail('GET %s: %d %s' % (path, st, data[:200]))
    return hdrs.get('X-Gongkai-Cache'), json.loads(data), data


def kept(sess, path, what):
    """GETs twice: the second is a hit with the same bytes.  Returns the
    JSON."""
    first = get(sess, path)
    again = get(sess, path)
    check(first[0] in ('miss', 'hit') and again[0] == 'hit' and again[2] == first[2],
          '%s: %s then hit, the same bytes' % (what, first[0]))
    return again[1]


def changed(sess, path, what):
    """The next GET after a write: a miss.  Returns the JSON."""
    c, j, _ = get(sess, path)
    check(c == 'miss', '%s: the next GET is a miss (%s)' % (what, c))
    return j


def roster_row(rows, name):
    return [r for r in rows if r['name'] == name][0]


srv = Server(binary, db=db)
other = None
try:
    roster = '名称,类型,上级\nA市,市,\n甲县,县,A市\n乙县,县,A市\n' \
             '青石镇人民政府,乡镇,甲县\n白沙镇人民政府,乡镇,甲县\n红岩镇,乡镇,乙县\n'
    st = srv.request('POST', '/api/v1/roster?year=2024', raw=roster.encode())[0]
    check(st == 200, 'roster imported (%d)' % st)
    regions = {g['name']: g['id'] for g in srv.api('GET', 'regions', expect=200)}
    jia = srv.add_user('甲县审核', '审核人员', regions['甲县'])
    yi = srv.add_user('乙县审核', '审核人员', regions['乙县'])
    admin = srv.session

    # ---- the region page: kept, then an upload read by the workers
    rows = kept(admin, 'roster?year=2024', 'region page')
    check(roster_row(rows, '青石镇人民政府')['report_id'] is None, 'no report yet')
    batch = srv.api('POST', 'batches', {}, expect=201)['id']
    rid = srv.api('POST', 'batches/%d/files?name=%s' % (batch, urllib.parse.quote('甲县-青石镇.txt')),
                  raw=example)['report_id']
    srv.wait_batch(batch)
    rows = changed(admin, 'roster?year=2024', 'upload read')
    check(roster_row(rows, '青石镇人民政府')['report_id'] == rid, '... the region page has the new report')

    # ---- the report page: kept, then a review, a correction, a match
    rep = kept(admin, 'reports/%d' % rid, 'report page')
    check(rep['state'] == 'done' and rep['findings'] and rep['source_text'], 'the report is read')
    f0 = rep['findings'][0]
    srv.api('POST', 'findings/%d/review' % f0['id'], {'status': 'confirmed'}, expect=200)
    rep = changed(admin, 'reports/%d' % rid, 'review')
    check([f['status'] for f in rep['findings'] if f['id'] == f0['id']] == ['confirmed'],
          '... the report page shows the finding confirmed')
    rows = changed(admin, 'roster?year=2024', 'review')
    check(roster_row(rows, '青石镇人民政府')['confirmed'] >= 1, '... and the region page counts it')
    kept(admin, 'reports/%d' % rid, 'report page after the review')
    blank = [f for f in rep['findings'] if f['rule'] == 'cell.blank']
    if not blank:
        fail('the example has a cell.blank finding to correct')
    srv.api('POST', 'reports/%d/corrections' % rid,
            {'path': blank[0]['path'] + '.business', 'value': '0'}, expect=200)
    rep = changed(admin, 'reports/%d' % rid, 'correction')
    check(rep['corrections'] and len([f for f in rep['findings'] if f['rule'] == 'cell.blank']) == len(blank) - 1,
          '... the report page shows the correction and one blank fewer')
    kept(admin, 'reports/%d' % rid, 'report page after the correction')
    srv.api('POST', 'reports/%d/body' % rid, {'region_id': regions['白沙镇人民政府']}, expect=200)
    rep = changed(admin, 'reports/%d' % rid, 'body matched by hand')
    check(rep['region'] == '白沙镇人民政府' and rep['match'] == 'manual', '... the report page shows the body')

    # ---- the roster: import, a body added, one removed
    kept(admin, 'roster?year=2024', 'region page')
    st = srv.request('POST', '/api/v1/roster?year=2024', raw=(roster + '黑水镇,乡镇,乙县\n').encode())[0]
    check(st == 200, 'a roster with one more body imported (%d)' % st)
    rows = changed(admin, 'roster?year=2024', 'roster import')
    check('黑水镇' in {r['name'] for r in rows}, '... the region page lists it')
    kept(admin, 'roster?year=2024', 'region page')
    added = srv.api('POST', 'regions', {'name': '城关街道办事处', 'kind': '街道',
                                        'parent_id': regions['甲县'], 'year': 2024}, expect=201)
    rows = changed(admin, 'roster?year=2024', 'body added in the page')
    check('城关街道办事处' in {r['name'] for r in rows}, '... the region page lists it')
    kept(admin, 'roster?year=2024', 'region page')
    srv.api('POST', 'roster/remove', {'year': 2024, 'region_id': added['id']}, expect=200)
    rows = changed(admin, 'roster?year=2024', 'body removed')
    check('城关街道办事处' not in {r['name'] for r in rows}, '... the region page no longer lists it')

    # ---- scopes: the same URL, two counties, each its own answer
    mine = {'甲县': {'甲县', '青石镇人民政府', '白沙镇人民政府'}, '乙县': {'乙县', '红岩镇', '黑水镇'}}
    kept(admin, 'roster?year=2024', 'the whole tree\'s region page')
    for county, sess in (('甲县', jia), ('乙县', yi)):
        c, rows, _ = get(sess, 'roster?year=2024')
        names = {r['name'] for r in rows}
        check(c == 'miss' and names == mine[county],
              '%s\'s first region page is its own (a miss, not another scope\'s answer): %s'
              % (county, sorted(names)))
        c, again, _ = get(sess, 'roster?year=2024')
        check(c == 'hit' and {r['name'] for r in again} == mine[county], '... then kept for %s' % county)
    check(yi.request('GET', '/api/v1/reports/%d' % rid)[0] == 404,
          'a report of 甲县 kept in the cache is still not 乙县\'s to read (404)')
    c, rep, _ = get(jia, 'reports/%d' % rid)
    check(c == 'miss' and rep['id'] == rid, '甲县 reads it, computed for its own scope')

    # ---- PostgreSQL: a second process sees the first one's writes
    if db:
        other = Server(binary, db=db)
        two = other.session
        rep = kept(two, 'reports/%d' % rid, 'report page through the second process')
        kept(two, 'roster?year=2024', 'region page through the second process')
        f1 = [f for f in rep['findings'] if f['status'] != 'confirmed'][0]
        srv.api('POST', 'findings/%d/review' % f1['id'],
                {'status': 'dismissed', 'reason': '测试'}, expect=200)
        rep = changed(two, 'reports/%d' % rid, 'review through the first process, seen by the second')
        check([f['status'] for f in rep['findings'] if f['id'] == f1['id']] == ['dismissed'],
              '... with the finding dismissed')
        batch = srv.api('POST', 'batches', {}, expect=201)['id']
        r2 = srv.api('POST', 'batches/%d/files?name=%s' % (batch, urllib.parse.quote('乙县-红岩镇.txt')),
                     raw=baisha.replace('白沙'.encode(), '红岩'.encode()))['report_id']
        srv.wait_batch(batch)
        rows = changed(two, 'roster?year=2024', 'upload through the first process, seen by the second')
        check(roster_row(rows, '红岩镇')['report_id'] == r2, '... the region page has it')
        other.stop_clean()
    srv.stop_clean()
finally:
    if other:
        other.cleanup()
    srv.cleanup()
print('answer_cache_test: all passed')
