"""session_test.py - sessions and logins of `gongkai serve` (issue 14):
CSRF tokens, session fixation, forged, expired and idle tokens, logout, a
changed or reset password ending old sessions, the one-time password,
the cookie's attributes, login rate limits per account and per address
with one answer for a wrong user and a wrong password, HTTPS with
--tls-cert/--tls-key, and `--backup` while the server runs.

    session_test.py GONGKAI SOURCE_DIR
"""
import json
import os
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import TEST_PASSWORD, Server, check, fail  # noqa: E402

binary, src = sys.argv[1], sys.argv[2]


def db_exec(srv, sql, args=()):
    """Changes the server's SQLite database behind its back, as time would
    (sessions growing old)."""
    con = sqlite3.connect(os.path.join(srv.data, 'gongkai.db'), timeout=60)
    with con:
        con.execute(sql, args)
    con.close()


srv = Server(binary)
try:
    admin = srv.session
    st, hdrs, _ = srv.new_session().request('POST', '/api/v1/login',
                                            {'name': srv.admin, 'password': TEST_PASSWORD})
    cookie = hdrs.get('Set-Cookie')
    check(st == 200 and 'HttpOnly' in cookie and 'SameSite=Strict' in cookie and
          'Path=/' in cookie and 'Secure' not in cookie,
          'the cookie is HttpOnly, SameSite=Strict (no Secure over plain HTTP): ' + cookie.split(';', 1)[1])
    token = cookie.split(';', 1)[0].split('=', 1)[1]
    check(len(token) == 64 and all(c in '0123456789abcdef' for c in token),
          'the token is 256 bits of hex')

    # CSRF: a change without the token, or with another session's, is refused
    st = admin.request('POST', '/api/v1/batches', {}, headers={'X-CSRF-Token': ''})[0]
    check(st == 403, 'a change with an empty CSRF token is refused (%d)' % st)
    other = srv.add_user('另一人', '审核人员')
    st = admin.request('POST', '/api/v1/batches', {}, headers={'X-CSRF-Token': other.csrf})[0]
    check(st == 403, "another session's CSRF token is refused (%d)" % st)
    st = admin.request('POST', '/api/v1/batches', {})[0]
    check(st == 201, 'with its own token the change is made (%d)' % st)
    st = admin.request('GET', '/api/v1/reports', headers={'X-CSRF-Token': 'x'})[0]
    check(st == 200, 'reading needs no CSRF token (%d)' % st)

    # forged tokens
    for forged in ('0' * 64, token[:-1] + ('0' if token[-1] != '0' else '1'), 'x', token + '00',
                   "' OR 1=1 --"):
        s = srv.new_session()
        s.token = forged
        if s.request('GET', '/api/v1/session')[0] != 401:
            fail('a forged token is accepted: %r' % forged)
    check(True, 'forged and malformed tokens are refused')

    # session fixation: a token planted before the login is not promoted
    planted = 'ab' * 32
    s = srv.new_session()
    s.token = planted
    s.login('另一人', TEST_PASSWORD)
    check(s.token != planted, 'the login issues a new token, not the planted one')
    s2 = srv.new_session()
    s2.token = planted
    check(s2.request('GET', '/api/v1/session')[0] == 401, 'the planted token stays dead')

    # expiry: absolute and idle
    s = srv.add_user('过期测试', '只读')
    check(s.request('GET', '/api/v1/session')[0] == 200, 'a fresh session works')
    db_exec(srv, "UPDATE sessions SET expires = '2000-01-01T00:00:00Z'")
    check(s.request('GET', '/api/v1/session')[0] == 401 and
          admin.request('GET', '/api/v1/session')[0] == 401,
          'a session past its absolute expiry is refused')
    admin.login(srv.admin, TEST_PASSWORD)
    s.login('过期测试', TEST_PASSWORD)
    db_exec(srv, "UPDATE sessions SET last_seen = '2000-01-01T00:00:00Z' WHERE user_id = "
                 "(SELECT id FROM users WHERE name = '过期测试')")
    check(s.request('GET', '/api/v1/session')[0] == 401, 'an idle session is refused')
    check(admin.request('GET', '/api/v1/session')[0] == 200, "others' sessions go on")

    # a changed password ends the user's other sessions
    a = srv.new_session()
    a.login('另一人', TEST_PASSWORD)
    b = srv.new_session()
    b.login('另一人', TEST_PASSWORD)
    st, _, body = a.request('POST', '/api/v1/password', {'old': TEST_PASSWORD, 'new': '1234567890'})
    check(st == 400 and '常见' in json.loads(body)['error'], 'a common password is refused')
    st = a.request('POST', '/api/v1/password', {'old': TEST_PASSWORD, 'new': '短密码'})[0]
    check(st == 400, 'a short password is refused')
    st = a.request('POST', '/api/v1/password', {'old': 'wrong-old-password', 'new': '另一人的新密码很长很长'})[0]
    check(st == 403, 'the old password must be right')
    old_a = a.token
    st = a.request('POST', '/api/v1/password', {'old': TEST_PASSWORD, 'new': '另一人的新密码很长很长'})[0]
    check(st == 200, 'the password is changed')
    check(b.request('GET', '/api/v1/session')[0] == 401, 'the other session ended')
    check(a.token != old_a and a.request('GET', '/api/v1/session')[0] == 200,
          'the changing session goes on with a new token')
    a.token = old_a
    check(a.request('GET', '/api/v1/session')[0] == 401, "the changing session's old token ended")

    # a reset by an administrator: a one-time password, sessions end
    c = srv.new_session()
    c.login('另一人', '另一人的新密码很长很长')
    uid = [u['id'] for u in srv.api('GET', 'users') if u['name'] == '另一人'][0]
    once = srv.api('POST', 'users/%d/password' % uid, {}, expect=200)['password']
    check(c.request('GET', '/api/v1/session')[0] == 401, 'a reset ends the sessions')
    d = srv.new_session()
    st, _, body = d.request('POST', '/api/v1/login', {'name': '另一人', 'password': once})
    d.csrf = json.loads(body)['csrf']
    check(st == 200 and json.loads(body)['must_change'], 'the one-time password must be changed')
    check(d.request('GET', '/api/v1/reports')[0] == 403, 'nothing else before it is changed')

    # rate limits: one answer for a wrong user and a wrong password
    n1 = srv.new_session().request('POST', '/api/v1/login', {'name': '没有这个人', 'password': 'x' * 12})
    n2 = srv.new_session().request('POST', '/api/v1/login', {'name': '过期测试', 'password': 'x' * 12})
    check(n1[0] == n2[0] == 401 and n1[2] == n2[2], 'a wrong user and a wrong password look alike')
    for i in range(4):
        srv.new_session().request('POST', '/api/v1/login', {'name': '过期测试', 'password': 'y' * 12})
    st = srv.new_session().request('POST', '/api/v1/login',
                                   {'name': '过期测试', 'password': TEST_PASSWORD})[0]
    check(st == 429, 'after 5 failures the account is locked for the window, right password too (%d)' % st)
    ok = srv.new_session().request('POST', '/api/v1/login',
                                   {'name': srv.admin, 'password': TEST_PASSWORD})[0]
    check(ok == 200, 'other accounts from the address still log in')
    for i in range(20):
        srv.new_session().request('POST', '/api/v1/login', {'name': '猜测%d' % i, 'password': 'z' * 12})
    st = srv.new_session().request('POST', '/api/v1/login',
                                   {'name': srv.admin, 'password': TEST_PASSWORD})[0]
    check(st == 429, 'after 20 failures from one address every login from it waits (%d)' % st)
    check(admin.request('GET', '/api/v1/session')[0] == 200, 'sessions already open go on')
    audit = srv.api('GET', 'audit')
    actions = {a['action'] for a in audit}
    check({'login', 'login-failed', 'login-limited', 'password-change', 'user-add',
           'user-reset'} <= actions, 'logins, failures, limits and user changes are audited')
    srv.api('POST', 'users', {'name': '无处', 'role': '只读', 'scope': 999999}, expect=404)
    check(True, 'a user cannot be given a scope that is not a node of the tree')
    batch = srv.api('POST', 'batches', {}, expect=201)['id']
    up = srv.api('POST', 'batches/%d/files?name=a.txt' % batch, raw='公开'.encode())
    ups = [a for a in srv.api('GET', 'audit') if a['action'] == 'upload' and
           a['object'] == 'report:%d' % up['report_id']]
    check(len(ups) == 1 and ups[0]['actor'] == srv.admin, 'an upload is audited under its uploader')
    check(all(TEST_PASSWORD not in json.dumps(a, ensure_ascii=False) for a in audit) and
          TEST_PASSWORD not in srv.log_text(), 'no password in the audit log or the server log')

    # --backup while the server runs
    backup = os.path.join(srv.tmp, 'backup.db')
    r = subprocess.run([binary, 'serve', '--data', srv.data, '--backup', backup],
                       capture_output=True, text=True)
    check(r.returncode == 0, 'backup while running: ' + (r.stdout + r.stderr).strip())
    con = sqlite3.connect(backup)
    n = con.execute('SELECT count(*) FROM users').fetchone()[0]
    ok = con.execute('PRAGMA integrity_check').fetchone()[0]
    con.close()
    check(n == 3 and ok == 'ok', 'the backup is a consistent database (%d users, %s)' % (n, ok))
    srv.stop_clean()
finally:
    srv.cleanup()

# HTTPS with --tls-cert and --tls-key
tmp = os.path.join(os.environ.get('TMPDIR', '/tmp'), 'gk-tls-%d' % os.getpid())
os.makedirs(tmp, exist_ok=True)
cert, key = os.path.join(tmp, 'cert.pem'), os.path.join(tmp, 'key.pem')
r = subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
                    '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'],
                   capture_output=True)
if r.returncode != 0:
    fail('openssl could not make a test certificate: %s' % r.stderr[:300])
tls = Server(binary, extra=('--tls-cert', cert, '--tls-key', key))
try:
    st, hdrs, _ = tls.new_session().request('POST', '/api/v1/login',
                                            {'name': tls.admin, 'password': TEST_PASSWORD})
    check(st == 200 and 'Secure' in hdrs.get('Set-Cookie'), 'over HTTPS the cookie is Secure')
    check(tls.api('GET', 'status', expect=200)['database'] == 'sqlite', 'the API answers over HTTPS')
    tls.stop_clean()
finally:
    tls.cleanup()
    for f in (cert, key):
        os.remove(f)
    os.rmdir(tmp)
print('session_test: all passed')
