"""authz_test.py - the authorisation matrix (issue 14): every API route
of the running server, for every role and every scope relation to the
object (the same body, a sibling body, the parent county, another
county) and logged out, answers the status the table below says.

The routes come from `gongkai serve --list-routes`; the test fails on a
route its table does not know, so a new route cannot go untested.

    authz_test.py GONGKAI SOURCE_DIR
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import EXAMPLE, Server, check, fail  # noqa: E402

binary, src = sys.argv[1], sys.argv[2]

# THE table: route -> (action, object).  Actions: public (no login),
# self (any logged-in user), read (every role), upload (管理员, 审核人员,
# 填报人员), review (管理员, 审核人员), admin (管理员).
ROUTES = {
    'POST /api/v1/login': ('public', None),
    'POST /api/v1/logout': ('self', None),
    'GET /api/v1/session': ('self', None),
    'POST /api/v1/password': ('self', None),
    'GET /api/v1/users': ('admin', None),
    'POST /api/v1/users': ('admin', None),
    'POST /api/v1/users/#/password': ('admin', 'user'),
    'POST /api/v1/users/#': ('admin', 'user'),
    'GET /api/v1/status': ('read', None),
    'GET /api/v1/cells': ('read', None),
    'POST /api/v1/batches': ('upload', None),
    'GET /api/v1/batches/#': ('read', 'batch'),
    'POST /api/v1/batches/#/files': ('upload', 'batch'),
    'POST /api/v1/batches/#/zip': ('upload', 'batch'),
    'GET /api/v1/reports': ('read', None),
    'GET /api/v1/reports/#': ('read', 'report'),
    'GET /api/v1/reports/#/compare': ('read', 'report'),
    'GET /api/v1/reports/#/notice.docx': ('review', 'report'),
    'GET /api/v1/reports/#/file': ('read', 'report'),
    'POST /api/v1/reports/#/corrections': ('review', 'report'),
    'POST /api/v1/reports/#/body': ('review', 'report'),
    'POST /api/v1/findings/#/review': ('review', 'finding'),
    'GET /api/v1/regions': ('read', None),
    'POST /api/v1/regions': ('admin', None),
    'POST /api/v1/roster/remove': ('admin', None),
    'GET /api/v1/roster': ('read', None),
    'POST /api/v1/roster': ('admin', None),
    'GET /api/v1/export.xlsx': ('review', None),
    'GET /api/v1/audit': ('admin', None),
    'POST /api/v1/batches/#/urls': ('review', 'batch'),
    'GET /api/v1/reports/#/pages/#': ('read', 'report'),
    'GET /api/v1/ranking': ('review', None),
}
ROLES = ['管理员', '审核人员', '填报人员', '只读']
MAY = {
    'public': set(ROLES), 'self': set(ROLES), 'read': set(ROLES),
    'upload': {'管理员', '审核人员', '填报人员'},
    'review': {'管理员', '审核人员'}, 'admin': {'管理员'},
}
# where the user's scope is, relative to the object (a report of 青石镇,
# a township of 甲县): which relations include the object
RELATIONS = ['same body', 'sibling body', 'parent region', 'other county']
IN_SCOPE = {'same body', 'parent region'}

out = subprocess.run([binary, 'serve', '--list-routes'], check=True,
                     capture_output=True, text=True).stdout.split('\n')
listed = {}
for line in out:
    if line.strip():
        m, pattern, action, obj = line.split()
        listed[m + ' ' + pattern] = (action, None if obj == '-' else obj)
unknown = sorted(set(listed) - set(ROUTES))
if unknown:
    fail('routes the matrix does not know (add them to ROUTES): %s' % unknown)
missing = sorted(set(ROUTES) - set(listed))
check(not missing, 'every route of the table is served (%d routes)' % len(listed))
for k, v in listed.items():
    if v != ROUTES[k]:
        fail('%s: the server says %s, the table %s' % (k, v, ROUTES[k]))
check(True, 'the server\'s route table agrees with the matrix\'s')


def expected(role, relation, action, obj):
    """'ok' (the handler answered: not 401/403/404, not 5xx) or a status."""
    if role is None:
        return 'ok' if action == 'public' else 401
    if obj in ('report', 'finding', 'user') and relation not in IN_SCOPE:
        return 404
    if obj == 'batch' and role != '管理员':
        return 404  # a batch is its creator's (here the administrator's)
    return 'ok' if role in MAY[action] else 403


srv = Server(binary)
try:
    roster = '名称,类型,上级\nA市,市,\n甲县,县,A市\n乙县,县,A市\n' \
             '青石镇人民政府,乡镇,甲县\n白沙镇人民政府,乡镇,甲县\n红岩镇,乡镇,乙县\n'
    st, _, body = srv.request('POST', '/api/v1/roster?year=2024', raw=roster.encode())
    check(st == 200, 'roster imported (%d)' % st)
    regions = {g['name']: g['id'] for g in srv.api('GET', 'regions', expect=200)}
    batch = srv.api('POST', 'batches', {}, expect=201)['id']
    with open(os.path.join(src, 'examples', EXAMPLE), 'rb') as f:
        report = srv.api('POST', 'batches/%d/files?name=a.txt' % batch, raw=f.read())['report_id']
    srv.wait_batch(batch)
    srv.api('POST', 'reports/%d/body' % report, {'region_id': regions['青石镇人民政府']}, expect=200)
    rep = srv.api('GET', 'reports/%d' % report, expect=200)
    check(rep['findings'], 'the report has findings')
    finding = rep['findings'][0]['id']
    scope_of = {'same body': regions['青石镇人民政府'], 'sibling body': regions['白沙镇人民政府'],
                'parent region': regions['甲县'], 'other county': regions['乙县']}
    # the object user of /users/#/password: a user of 青石镇 who is never
    # a principal (resetting ends their sessions)
    victim = srv.api('POST', 'users', {'name': '青石镇对象', 'role': '只读',
                                       'scope': regions['青石镇人民政府']}, expect=201)['id']
    ids = {'report': report, 'finding': finding, 'batch': batch, 'user': victim}

    principals = [(None, None, srv.new_session())]
    for role in ROLES:
        for rel in RELATIONS:
            name = '%s-%s' % (role, rel.replace(' ', '-'))
            principals.append((role, rel, srv.add_user(name, role, scope_of[rel])))

    n = 0
    bad = []
    for key in sorted(ROUTES):
        method, pattern = key.split(' ')
        action, obj = ROUTES[key]
        if key == 'POST /api/v1/logout':
            continue  # would end the principal's session: tested below
        path = pattern.replace('#', str(ids.get(obj, 0)))
        if key.endswith('/roster'):
            path += '?year=2024'
        if key.endswith('/compare'):
            path += '?with=%d' % report  # there is no previous year here
        if key.endswith('/pages/#'):
            path = '/api/v1/reports/%d/pages/1' % report
        if key.endswith('/ranking'):
            path += '?year=2024'
        for role, rel, sess in principals:
            # an empty body: handlers refuse it (400) after the
            # authorisation, so allowed requests change nothing
            raw = b'' if '/files' in key or '/zip' in key or key == 'POST /api/v1/roster' else None
            status, _, data = sess.request(method, path, body=None if raw is not None else {}
                                           if method == 'POST' else None, raw=raw)
            want = expected(role, rel, action, obj)
            got_ok = status not in (401, 403, 404) and status < 500
            if key.endswith('/pages/#') and status == 404 and '不是 PDF'.encode() in data:
                got_ok = True  # the handler's own answer: the report is text
            if (want == 'ok' and not got_ok) or (want != 'ok' and status != want):
                bad.append('%s as %s/%s: %d, expected %s (%s)' % (
                    key, role, rel, status, want, data[:120]))
            n += 1
    if bad:
        fail('%d of %d cells differ:\n  ' % (len(bad), n) + '\n  '.join(bad))
    check(True, 'the matrix: %d routes x %d principals = %d requests as expected' % (
        len(ROUTES) - 1, len(principals), n))

    # lists are limited to the scope too
    for role, rel, sess in principals[1:]:
        if role != '只读':
            continue
        st, _, data = sess.request('GET', '/api/v1/reports')
        seen = report in [r['id'] for r in __import__('json').loads(data)]
        if seen != (rel in IN_SCOPE):
            fail('report list as %s/%s: report %s' % (role, rel, 'seen' if seen else 'not seen'))
        st, _, data = sess.request('GET', '/api/v1/roster?year=2024')
        names = [r['name'] for r in __import__('json').loads(data)]
        if ('青石镇人民政府' in names) != (rel in IN_SCOPE) or '红岩镇' in names and rel != 'other county':
            fail('roster as %s/%s: %s' % (role, rel, names))
    check(True, 'report list and roster show only the scope')

    # compare ?with= a report outside the scope is 404 as well
    sess = principals[1 + RELATIONS.index('same body')][2]  # 管理员 of 青石镇
    other_batch = srv.api('POST', 'batches', {}, expect=201)['id']
    with open(os.path.join(src, 'tests/batch/cases/baisha_2023.txt'), 'rb') as f:
        other = srv.api('POST', 'batches/%d/files?name=b.txt' % other_batch, raw=f.read())['report_id']
    srv.wait_batch(other_batch)
    srv.api('POST', 'reports/%d/body' % other, {'region_id': regions['红岩镇']}, expect=200)
    st = sess.request('GET', '/api/v1/reports/%d/compare?with=%d' % (report, other))[0]
    check(st == 404, 'comparing with a report outside the scope is 404 (%d)' % st)
    st = sess.request('POST', '/api/v1/reports/%d/body' % report, {'region_id': regions['红岩镇']})[0]
    check(st == 404, 'a report cannot be moved to a body outside the scope (%d)' % st)

    # logout, last: the token is dead on the server afterwards
    for role, rel, sess in principals[1:]:
        token = sess.token
        st = sess.request('POST', '/api/v1/logout', {})[0]
        if st != 200:
            fail('logout as %s/%s: %d' % (role, rel, st))
        sess.token = token
        if sess.request('GET', '/api/v1/session')[0] != 401:
            fail('the token of %s/%s works after logout' % (role, rel))
    check(True, 'logout ends every session on the server')
    srv.stop_clean()
finally:
    srv.cleanup()
print('authz_test: all passed')
