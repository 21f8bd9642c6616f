"""gkserver.py - helpers for the server tests: a folder of made-up
reports, a `gongkai serve` process on a free loopback port, a fresh
PostgreSQL database on the fixture's server, and a small JSON client.

Only the standard library (and psql for PostgreSQL); run with
/usr/bin/python3.
"""
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

EXAMPLE = '青石镇2024年政府信息公开工作年度报告.txt'


def fail(msg):
    print('FAIL: ' + msg, flush=True)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print('ok   ' + msg, flush=True)


def report_folder(src, dest):
    """Copies the project's own made-up reports into dest: the example,
    two years of one township, a GBK report, and a file that is not a
    report at all.  Returns the list of paths."""
    os.makedirs(dest, exist_ok=True)
    files = [
        (os.path.join(src, 'examples', EXAMPLE), EXAMPLE),
        (os.path.join(src, 'tests/batch/cases/baisha_2023.txt'), '白沙镇2023年报.txt'),
        (os.path.join(src, 'tests/batch/cases/baisha_2024.txt'), '白沙镇2024年报.txt'),
        (os.path.join(src, 'tests/golden/cases/11_gbk_no_signature.txt'), 'gbk_report.txt'),
    ]
    out = []
    for s, name in files:
        shutil.copyfile(s, os.path.join(dest, name))
        out.append(os.path.join(dest, name))
    png = os.path.join(dest, '扫描件.png')
    with open(png, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + b'\0' * 64)
    out.append(png)
    return out


def pg_url(state_file):
    """The fixture's server URL, or None when it is not there."""
    try:
        with open(state_file) as f:
            url = f.read().strip()
    except OSError:
        return None
    return None if url in ('', 'skip') else url


def pg_fresh(state_file, tag):
    """Creates database gk_<tag>_<pid>; returns its URL or None."""
    base = pg_url(state_file)
    if not base:
        return None
    name = 'gk_%s_%d' % (tag, os.getpid())
    for sql in ('DROP DATABASE IF EXISTS ' + name, 'CREATE DATABASE ' + name):
        subprocess.run(['psql', '-q', '-v', 'ON_ERROR_STOP=1', base, '-c', sql],
                       check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return base.replace('postgresql:///postgres', 'postgresql:///' + name, 1)


# A password the tests set for the accounts they create: long enough and
# not on the server's common-password list.
TEST_PASSWORD = '测试用的密码-甲乙丙丁'

_admins = [0]


def db_for(mode, argv, tag):
    """The --db of a test run on `mode`: None for sqlite (the server's data
    folder), a fresh database on the fixture's server for postgresql (argv[4]
    is its state file).  Without a PostgreSQL server, says SKIP and exits."""
    if mode != 'postgresql':
        return None
    db = pg_fresh(argv[4], tag)
    if not db:
        print('SKIP: no PostgreSQL server (install Debian postgresql)')
        sys.exit(0)
    return db


def init_admin(binary, data, db, name):
    """`gongkai serve --init-admin NAME`: returns the one-time password."""
    args = [binary, 'serve', '--data', data, '--init-admin', name]
    if db:
        args += ['--db', db]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return out.split('：', 1)[1].split()[0]


class Session:
    """A logged-in client: the session cookie and the CSRF token, sent with
    every request (urllib only)."""

    def __init__(self, base):
        self.base = base
        self.token = None
        self.csrf = None
        self.user = None

    def request(self, method, path, body=None, raw=None, ctype=None, headers=None):
        """Returns (status, headers, bytes)."""
        data = None
        h = dict(headers or {})
        if raw is not None:
            data = raw
            h['Content-Type'] = ctype or 'application/octet-stream'
        elif body is not None:
            data = json.dumps(body).encode()
            h['Content-Type'] = 'application/json'
        if self.token and 'Cookie' not in h:
            h['Cookie'] = 'gk_session=' + self.token
        if self.csrf and method not in ('GET', 'HEAD') and 'X-CSRF-Token' not in h:
            h['X-CSRF-Token'] = self.csrf
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers=h)
        try:
            # a test server's TLS certificate is a throw-away self-signed one
            ctx = ssl._create_unverified_context() if self.base.startswith('https') else None
            with urllib.request.urlopen(req, timeout=120, context=ctx) as r:
                status, hdrs, out = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, hdrs, out = e.code, e.headers, e.read()
        cookie = hdrs.get('Set-Cookie') if hdrs else None
        if cookie and cookie.startswith('gk_session='):
            self.token = cookie.split(';', 1)[0].split('=', 1)[1] or None
        return status, hdrs, out

    def login(self, name, password, new_password=None):
        """Logs in; when the password is a one-time one, sets new_password
        (TEST_PASSWORD by default).  Returns the session JSON."""
        status, _, body = self.request('POST', '/api/v1/login',
                                       {'name': name, 'password': password})
        if status != 200:
            fail('login as %s: status %d: %s' % (name, status, body[:200]))
        me = json.loads(body)
        self.csrf = me['csrf']
        if me['must_change']:
            status, _, body = self.request('POST', '/api/v1/password', {
                'old': password, 'new': new_password or TEST_PASSWORD})
            if status != 200:
                fail('password change for %s: %d %s' % (name, status, body[:200]))
            me = json.loads(body)
            self.csrf = me['csrf']
        self.user = me
        return me


class Server:
    """A `gongkai serve` on 127.0.0.1 and a port the kernel picks, with an
    administrator logged in (self.admin, password TEST_PASSWORD)."""

    def __init__(self, binary, data=None, db=None, workers=2, extra=()):
        self.binary = binary
        self.tmp = tempfile.mkdtemp(prefix='gk-serve-test.')
        self.data = data or os.path.join(self.tmp, 'data')
        _admins[0] += 1
        self.admin = '管理员%d-%d' % (os.getpid(), _admins[0])
        self.db = db
        once = init_admin(binary, self.data, db, self.admin)
        self.port_file = os.path.join(self.tmp, 'port')
        self.log = open(os.path.join(self.tmp, 'server.log'), 'w+')
        args = [binary, 'serve', '--data', self.data, '--listen', '127.0.0.1:0',
                '--port-file', self.port_file, '--workers', str(workers)]
        if db:
            args += ['--db', db]
        args += list(extra)
        env = dict(os.environ)
        # leaks are checked at exit; the server is killed on purpose in
        # some tests, where a leak report would be noise
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log, env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                fail('server exited at start: ' + self.log.read())
            try:
                with open(self.port_file) as f:
                    self.port = int(f.read().strip())
                break
            except (OSError, ValueError):
                time.sleep(0.05)
        else:
            fail('server did not start within 60 s')
        scheme = 'https' if '--tls-cert' in extra else 'http'
        self.base = '%s://127.0.0.1:%d' % (scheme, self.port)
        self.session = Session(self.base)
        self.session.login(self.admin, once)

    def request(self, method, path, body=None, raw=None, ctype=None, headers=None):
        """As the logged-in administrator; returns (status, headers, bytes)."""
        return self.session.request(method, path, body, raw, ctype, headers)

    def new_session(self):
        return Session(self.base)

    def add_user(self, name, role, scope=None):
        """Creates a user as the administrator; returns a Session logged in
        as that user (password changed to TEST_PASSWORD)."""
        u = self.api('POST', 'users', {'name': name, 'role': role, 'scope': scope},
                     expect=201)
        s = Session(self.base)
        s.login(name, u['password'])
        return s

    def api(self, method, path, body=None, raw=None, expect=None):
        status, _, data = self.request(method, '/api/v1/' + path, body, raw)
        if expect is not None and status != expect:
            fail('%s %s: status %d, expected %d: %s' % (method, path, status, expect,
                                                        data[:300]))
        return json.loads(data) if data else None

    def upload(self, batch, path, name=None):
        with open(path, 'rb') as f:
            raw = f.read()
        q = urllib.parse.quote(name or os.path.basename(path))
        return self.api('POST', 'batches/%d/files?name=%s' % (batch, q), raw=raw)

    def wait_batch(self, batch, timeout=300):
        deadline = time.time() + timeout
        while time.time() < deadline:
            b = self.api('GET', 'batches/%d' % batch)
            if b['counts']['queued'] == 0:
                return b
            time.sleep(0.2)
        fail('batch %d not finished within %d s' % (batch, timeout))

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def stop_clean(self):
        """Stops the server; fails unless it exited 0 and its log has no
        report of AddressSanitizer, LeakSanitizer or UBSan."""
        rc = self.stop()
        log = self.log_text()
        check(rc == 0 and 'Sanitizer' not in log and 'runtime error' not in log,
              'clean stop, no sanitizer report (rc %s)' % rc)

    def log_text(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def cleanup(self):
        self.stop()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def many_reports(src, dest, n):
    """Writes n distinct made-up reports (the example with a numbered
    closing line, so each has its own bytes); returns their paths."""
    os.makedirs(dest, exist_ok=True)
    with open(os.path.join(src, 'examples', EXAMPLE), encoding='utf-8') as f:
        text = f.read()
    out = []
    for i in range(n):
        p = os.path.join(dest, 'report_%04d.txt' % i)
        with open(p, 'w', encoding='utf-8') as f:
            f.write(text + '\n（编号 %d）\n' % i)
        out.append(p)
    return out


def sha256_file(path):
    import hashlib
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()
