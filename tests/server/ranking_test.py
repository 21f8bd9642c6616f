"""ranking_test.py - the ranking of bodies by the scoring rubric
(GET /api/v1/ranking): the points are the rubric's points of the findings
not dismissed (recomputed here from the rubric file and the findings the
API lists), the unpublished pay their points, ties share a rank, an
office's own rubric.tsv in the data folder replaces the default, and a
rubric with a bad line is refused naming the line.

    ranking_test.py GONGKAI SOURCE_DIR
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import Server, check, report_folder  # noqa: E402

binary, src = sys.argv[1], sys.argv[2]


def parse_rubric(text):
    rules, unpublished = {}, 0
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        key, pts = line.split()
        if key == 'unpublished':
            unpublished = int(pts)
        else:
            rules[key] = int(pts)
    return rules, unpublished


def points_of(rules, rule):
    if rule in rules:
        return rules[rule]
    fam = rule.split('.')[0] + '.*'
    return rules.get(fam, rules.get('*', 0))


def expected(srv, ranking, rules, unpublished):
    """body_id -> points, from the findings of each body's report."""
    out = {}
    for b in ranking['bodies']:
        if b['report_id'] is None:
            out[b['body_id']] = unpublished
            continue
        rep = srv.api('GET', 'reports/%d' % b['report_id'])
        out[b['body_id']] = sum(points_of(rules, f['rule']) for f in rep['findings']
                                if f['status'] != 'dismissed')
    return out


def ranks_ok(bodies):
    pts = [b['points'] for b in bodies]
    if pts != sorted(pts):
        return False
    for i, b in enumerate(bodies):
        first = next(j for j, c in enumerate(bodies) if c['points'] == b['points'])
        if b['rank'] != first + 1:
            return False
    return True


srv = Server(binary)
try:
    folder = os.path.join(srv.tmp, 'reports')
    files = report_folder(src, folder)
    batch = srv.api('POST', 'batches', {'reviewer': '测试'}, expect=201)['id']
    for path in files:
        srv.upload(batch, path)
    srv.wait_batch(batch)
    roster = '名称,类型,上级\nXX县,县,\n青石镇人民政府,乡镇,XX县\n白沙镇人民政府,乡镇,XX县\n红岩镇,乡镇,XX县\n甲镇,乡镇,XX县\n'
    check(srv.request('POST', '/api/v1/roster?year=2024&reviewer=x', raw=roster.encode())[0] == 200, 'roster')

    check(srv.request('GET', '/api/v1/ranking')[0] == 400, 'the year is required')
    r = srv.api('GET', 'ranking?year=2024', expect=200)
    with open(os.path.join(src, 'src/server/rubric/rubric.tsv'), encoding='utf-8') as f:
        rules, unpublished = parse_rubric(f.read())
    check(r['rubric'] == 'default' and r['unpublished'] == unpublished and
          {x['rule']: x['points'] for x in r['rules']} == rules, 'the default rubric is used and shown')
    want = expected(srv, r, rules, unpublished)
    got = {b['body_id']: b['points'] for b in r['bodies']}
    check(got == want and len(got) == 5, 'points are the rubric\'s points of the findings: %r' % got)
    check(ranks_ok(r['bodies']), 'fewer points rank first, ties share a rank: %r' %
          [(b['name'], b['rank'], b['points']) for b in r['bodies']])
    names = {b['name']: b for b in r['bodies']}
    check(names['红岩镇']['report_id'] is None and names['甲镇']['rank'] == names['红岩镇']['rank'],
          'the two unpublished bodies share their rank')
    qs = names['青石镇人民政府']
    check(sum(qs['counts'].values()) == len(srv.api('GET', 'reports/%d' % qs['report_id'])['findings']),
          'the counts by category add up to the findings')

    # a dismissed finding no longer costs points
    rep = srv.api('GET', 'reports/%d' % qs['report_id'])
    f0 = max(rep['findings'], key=lambda f: points_of(rules, f['rule']))
    srv.api('POST', 'findings/%d/review' % f0['id'],
            {'status': 'dismissed', 'reason': '核实无误', 'reviewer': '张三'}, expect=200)
    r2 = {b['name']: b for b in srv.api('GET', 'ranking?year=2024')['bodies']}
    check(r2['青石镇人民政府']['points'] == qs['points'] - points_of(rules, f0['rule']),
          'a dismissed finding costs nothing (%d -> %d)' % (qs['points'], r2['青石镇人民政府']['points']))

    # the office's own rubric in the data folder, read at the next call
    own = '# 本办公室的评分\r\nunpublished\t100\narith.balance\t50\ncell.*   7\n'
    with open(os.path.join(srv.data, 'rubric.tsv'), 'w', encoding='utf-8') as f:
        f.write(own)
    r3 = srv.api('GET', 'ranking?year=2024', expect=200)
    rules3, unpub3 = parse_rubric(own)
    check(r3['rubric'] == 'rubric.tsv' and r3['unpublished'] == 100, 'the office\'s rubric.tsv replaces the default')
    got3 = {b['body_id']: b['points'] for b in r3['bodies']}
    check(got3 == expected(srv, r3, rules3, unpub3), 'and scores: %r' % got3)
    check(ranks_ok(r3['bodies']) and r3['bodies'][-1]['report_id'] is None, 'the unpublished rank last')

    for bad, line in (('arith.*\tfive\n', 1), ('# x\n\nARITH.*\t5\n', 3), ('cell.*\t1001\n', 1), ('cell.*\n', 1)):
        with open(os.path.join(srv.data, 'rubric.tsv'), 'w', encoding='utf-8') as f:
            f.write(bad)
        status, _, body = srv.request('GET', '/api/v1/ranking?year=2024')
        check(status == 500 and ('第 %d 行' % line).encode() in body,
              'a bad rubric is refused naming line %d: %s' % (line, body.decode()))

    srv.stop_clean()
finally:
    if srv.proc.poll() is None:
        srv.stop()
    print(srv.log_text()[-3000:])
    srv.cleanup()
print('ranking_test: all passed')
