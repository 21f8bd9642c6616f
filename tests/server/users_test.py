"""users_test.py - administrators change accounts (issue 14): disable and
enable an account (its sessions end at once, its logins are refused),
change its role and scope (they take effect with its next request), only
within the administrator's own scope; nobody disables themself and the
last active administrator of the whole tree stays one; every change is
audited.  On SQLite, and on PostgreSQL (where the check of the last
administrator holds an advisory lock).

    users_test.py GONGKAI SOURCE_DIR sqlite|postgresql [PG_STATE]
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import TEST_PASSWORD, Server, check, db_for  # noqa: E402

binary, src, mode = sys.argv[1], sys.argv[2], sys.argv[3]
db = db_for(mode, sys.argv, 'users')

srv = Server(binary, db=db)
try:
    roster = '名称,类型,上级\nA市,市,\n甲县,县,A市\n乙县,县,A市\n' \
             '青石镇人民政府,乡镇,甲县\n红岩镇,乡镇,乙县\n'
    st = srv.request('POST', '/api/v1/roster?year=2024', raw=roster.encode())[0]
    check(st == 200, 'roster imported (%d)' % st)
    regions = {g['name']: g['id'] for g in srv.api('GET', 'regions', expect=200)}
    county_admin = srv.add_user('甲县管理员', '管理员', regions['甲县'])
    reviewer = srv.add_user('甲县审核员', '审核人员', regions['甲县'])
    srv.add_user('乙县只读', '只读', regions['乙县'])
    ids = {u['name']: u['id'] for u in srv.api('GET', 'users', expect=200)}

    def change(sess, who, body):
        st, _, data = sess.request('POST', '/api/v1/users/%d' % ids[who], body)
        return st, json.loads(data) if data else None

    def status(sess, path):
        return sess.request('GET', '/api/v1/' + path)[0]

    # refused bodies, after the authorisation
    for bad in ({}, {'role': '局长'}, {'disabled': 'yes'}, {'scope': '甲县'}, [],
                {'scope': -3}):
        st, _ = change(county_admin, '甲县审核员', bad)
        check(st == 400, 'a change %s is refused (%d)' % (json.dumps(bad, ensure_ascii=False), st))

    # disabling ends the sessions at once and refuses logins
    check(status(reviewer, 'ranking?year=2024') == 200, 'the reviewer works')
    st, u = change(county_admin, '甲县审核员', {'disabled': True})
    check(st == 200 and u['disabled'], 'the county administrator disables the reviewer (%d)' % st)
    check(status(reviewer, 'session') == 401, 'the disabled account\'s session ended at once')
    again = srv.new_session()
    st, _, body = again.request('POST', '/api/v1/login',
                                {'name': '甲县审核员', 'password': TEST_PASSWORD})
    check(st == 403 and '停用' in json.loads(body)['error'],
          'a disabled account cannot log in, right password or not (%d)' % st)
    wrong = again.request('POST', '/api/v1/login', {'name': '甲县审核员', 'password': 'x' * 12})
    nobody = again.request('POST', '/api/v1/login', {'name': '没有此人', 'password': 'x' * 12})
    check(wrong[0] == nobody[0] == 401 and wrong[2] == nobody[2],
          'with a wrong password it answers as for a user that does not exist')
    listed = {u['name']: u for u in srv.api('GET', 'users', expect=200)}
    check(listed['甲县审核员']['disabled'] and not listed['甲县管理员']['disabled'],
          'the user list shows who is disabled')
    st, u = change(county_admin, '甲县审核员', {'disabled': False})
    check(st == 200 and not u['disabled'], 'and enables them again')
    reviewer = srv.new_session()
    reviewer.login('甲县审核员', TEST_PASSWORD)
    check(status(reviewer, 'ranking?year=2024') == 200, 'the enabled account logs in again')

    # a new role and scope take effect with the next request
    st, u = change(county_admin, '甲县审核员', {'role': '只读'})
    check(st == 200 and u['role'] == '只读', 'the role is changed (%d)' % st)
    check(status(reviewer, 'ranking?year=2024') == 403,
          'the open session has the new role at once (the ranking is 403)')
    me = json.loads(reviewer.request('GET', '/api/v1/session')[2])
    check(me['role'] == '只读', 'the session says the new role')
    st, u = change(county_admin, '甲县审核员', {'role': '审核人员', 'scope': regions['青石镇人民政府']})
    check(st == 200 and u['scope'] == regions['青石镇人民政府'], 'the scope is narrowed to a township')
    me = json.loads(reviewer.request('GET', '/api/v1/session')[2])
    check(me['scope'] == regions['青石镇人民政府'], 'the session has the new scope at once')

    # only within the administrator's scope
    st, _ = change(county_admin, '甲县审核员', {'scope': regions['乙县']})
    check(st == 404, 'a scope outside the administrator\'s is 404 (%d)' % st)
    st, _ = change(county_admin, '甲县审核员', {'scope': None})
    check(st == 404, 'a county administrator cannot give the whole tree (%d)' % st)
    st, _ = change(county_admin, '乙县只读', {'disabled': True})
    check(st == 404, 'an account of another county is 404 (%d)' % st)
    st, _ = change(county_admin, srv.admin, {'disabled': True})
    check(st == 404, 'the administrator of the whole tree is out of a county\'s reach (%d)' % st)
    st, _ = change(reviewer, '甲县审核员', {'role': '管理员'})
    check(st == 403, 'a reviewer may not change accounts, not even their own (%d)' % st)

    # nobody disables themself; the last administrator of the whole tree stays
    st, body = change(county_admin, '甲县管理员', {'disabled': True})
    check(st == 409, 'an administrator cannot disable themself (%d)' % st)
    st, body = change(srv.session, srv.admin, {'role': '审核人员'})
    check(st == 409 and '最后' in body['error'],
          'the last administrator of the whole tree cannot be demoted (%d)' % st)
    st, _ = change(srv.session, srv.admin, {'scope': regions['甲县']})
    check(st == 409, '... nor narrowed to a county (%d)' % st)
    second = srv.add_user('第二管理员', '管理员')
    ids['第二管理员'] = [u['id'] for u in srv.api('GET', 'users') if u['name'] == '第二管理员'][0]
    st, _ = change(second, srv.admin, {'disabled': True})
    check(st == 200, 'with a second one, the first can be disabled (%d)' % st)
    check(status(srv.session, 'session') == 401, 'which ends its session')
    st, _ = change(second, '第二管理员', {'role': '只读'})
    check(st == 409, 'and the second is now the last one (%d)' % st)
    st, _ = change(second, srv.admin, {'disabled': False})
    check(st == 200, 'the first is enabled again')
    srv.session.login(srv.admin, TEST_PASSWORD)

    audit = [a for a in srv.api('GET', 'audit', expect=200) if a['action'] == 'user-change']
    check(len(audit) == 6 and any('停用' in a['detail'] for a in audit) and
          any('启用' in a['detail'] for a in audit) and
          any('角色 审核人员→只读' in a['detail'] for a in audit),
          'every change is audited, with what changed (%d entries)' % len(audit))
    srv.stop_clean()
finally:
    srv.cleanup()
print('users_test: all passed')
