"""pg_login_test.py - the login rate limits are shared by every
`gongkai serve` on one PostgreSQL database (issue 14): failures counted
by one process lock the account (and the address) on the other too, and
a window that has ended lets logins through again on both.

    pg_login_test.py GONGKAI SOURCE_DIR PG_STATE
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import TEST_PASSWORD, Server, check, pg_fresh  # noqa: E402

binary, src, state = sys.argv[1], sys.argv[2], sys.argv[3]
db = pg_fresh(state, 'login')
if not db:
    print('SKIP: no PostgreSQL server (install Debian postgresql)')
    sys.exit(0)


def psql(sql):
    subprocess.run(['psql', '-qAt', '-v', 'ON_ERROR_STOP=1', db, '-c', sql],
                   capture_output=True, text=True, check=True)


def login(srv, name, password):
    return srv.new_session().request('POST', '/api/v1/login',
                                     {'name': name, 'password': password})[0]


a = Server(binary, db=db, workers=1)
b = Server(binary, db=db, workers=1)
try:
    a.add_user('两处登录', '只读')
    # 5 failures per account, split over the two processes
    for i in range(5):
        st = login(a if i % 2 else b, '两处登录', 'wrong-password-%d' % i)
        check(st == 401, 'failure %d (server %s) answers 401' % (i + 1, 'BA'[i % 2]))
    check(login(a, '两处登录', TEST_PASSWORD) == 429 and login(b, '两处登录', TEST_PASSWORD) == 429,
          'after 3 failures on one server and 2 on the other, both refuse the account (429)')
    check(login(a, a.admin, TEST_PASSWORD) == 200, 'other accounts still log in')
    # the window ends (as time would make it): both let the account in again
    psql("UPDATE login_attempts SET window_start = '2000-01-01T00:00:00Z'")
    check(login(b, '两处登录', TEST_PASSWORD) == 200 and login(a, '两处登录', TEST_PASSWORD) == 200,
          'when the window has ended both servers let the account in again')
    # 20 failures per address, all on server A: B refuses the address too
    for i in range(20):
        login(a, '猜测%d' % i, 'z' * 12)
    check(login(b, b.admin, TEST_PASSWORD) == 429,
          'after 20 failures from one address on server A, server B refuses it too')
    psql("UPDATE login_attempts SET window_start = '2000-01-01T00:00:00Z'")
    check(login(b, b.admin, TEST_PASSWORD) == 200, 'until the window ends')
    login(a, '又一个猜测', 'z' * 12)  # a failure sweeps the ended windows
    out = subprocess.run(['psql', '-qAt', db, '-c', 'SELECT count(*) FROM login_attempts'],
                         capture_output=True, text=True, check=True).stdout.strip()
    check(out == '2', 'ended windows are swept by the next failure (%s rows left)' % out)
    check(a.stop() == 0 and b.stop() == 0, 'clean stop of both')
finally:
    a.cleanup()
    b.cleanup()
print('pg_login_test: all passed')
