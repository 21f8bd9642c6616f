"""flood_test.py - 10,000 malformed and oversized requests against a
running `gongkai serve` (the sanitizer build under `make check`): broken
request lines, unknown methods, oversized headers and bodies, lying
Content-Length, bad cookies and CSRF tokens, invalid JSON, hostile paths,
truncated requests.  Every 100 of them a well-formed request must be
answered; memory must not grow in the second half of the run; at the end
the server's resident memory must be back near its baseline (measured
after a warm-up round of the same requests), and it must stop cleanly
with no sanitizer report (LeakSanitizer checks for leaks at exit).

What "back near its baseline" means depends on the build (docs/SECURITY.md
has the measurements).  Against a build without sanitizers (`make`, the
release build) the resident memory ends within PLAIN_SLACK_KIB of the
baseline: every per-connection allocation is freed (valgrind counts as
many frees as allocations).  Under AddressSanitizer it ends higher by
ASan's quarantine (freed blocks ASan keeps on purpose, to catch
use-after-free; the run sets its size) plus ASan's allocator caches, and
no more: the leak checks are the second-half growth and LeakSanitizer.

Loopback only; every socket has a timeout, and the whole run a deadline.

    flood_test.py GONGKAI SOURCE_DIR [COUNT]

e.g. against the release build: make && /usr/bin/python3
tests/server/flood_test.py build/release/gongkai . 10000
"""
import os
import random
import socket
import sys
import time

# ASan's quarantine: freed blocks it keeps (256 MiB by default) so that a
# use after free is caught; a small one, still catching the flood's own
# use-after-free, so that memory freed beyond it shows as freed
QUARANTINE_MB = 16
os.environ['ASAN_OPTIONS'] = (os.environ.get('ASAN_OPTIONS', '') +
                              ':quarantine_size_mb=%d' % QUARANTINE_MB).lstrip(':')

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import Server, check, fail  # noqa: E402

binary, src = sys.argv[1], sys.argv[2]
COUNT = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
# generous: a loaded 2-core machine running a sanitizer build
DEADLINE = time.time() + 1500
SOCKET_TIMEOUT = 30
# Without sanitizers, resident memory may end this much above the
# warmed-up baseline: glibc keeps some freed pages in its per-thread
# arenas, SQLite grows its page cache (measured: +1.5 MiB after 10,000)
PLAIN_SLACK_KIB = 8 * 1024
# Under ASan: the quarantine, plus ASan's allocator caches (its per-thread
# and per-size-class free lists; measured: +6.8 MiB with no quarantine at
# all, +21.8 MiB with 16 MiB of it)
ASAN_SLACK_KIB = QUARANTINE_MB * 1024 + 12 * 1024
# ... and the second half of the run may not grow it by more than this (a
# leak of even 1 KiB per request would be 5 MiB); under ASan twice that,
# its caches still growing while the quarantine turns over (measured: up
# to +4 MiB), and LeakSanitizer finds what is lost outright
GROWTH_SLACK_KIB = 4 * 1024
ASAN_GROWTH_SLACK_KIB = 8 * 1024


def rss_kib(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def send_raw(port, data, read=True):
    """Sends bytes on a fresh connection; returns what came back (b'' when
    the server closed it)."""
    s = socket.create_connection(('127.0.0.1', port), timeout=SOCKET_TIMEOUT)
    try:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may close early (oversized): that is an answer
        if not read:
            return b''
        out = b''
        while len(out) < 1 << 20:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


def malformed(rng, port, cookie, csrf):
    """One malformed or oversized request, chosen by rng."""
    host = b'Host: 127.0.0.1:%d\r\n' % port
    ck = b'Cookie: gk_session=' + cookie.encode() + b'\r\n'
    k = rng.randrange(16)
    if k == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600)))
    if k == 1:
        return b'GET /' + b'a' * rng.randrange(40000, 70000) + b' HTTP/1.1\r\n' + host + b'\r\n'
    if k == 2:
        return b'GET /api/v1/status HTTP/1.1\r\n' + host + b'X-Big: ' + \
            b'x' * rng.randrange(33000, 80000) + b'\r\n\r\n'
    if k == 3:
        return rng.choice([b'BREW', b'DELETE', b'PUT', b'OPTIONS', b'TRACE', b'G\x00T', b'PATCH']) + \
            b' /api/v1/reports HTTP/1.1\r\n' + host + ck + b'\r\n'
    if k == 4:
        return b'POST /api/v1/batches HTTP/1.1\r\n' + host + ck + b'X-CSRF-Token: ' + \
            csrf.encode() + b'\r\nContent-Length: 99999999999\r\n\r\n{}'
    if k == 5:
        body = b'{"note":"' + b'n' * rng.randrange(70000, 140000) + b'"}'
        return b'POST /api/v1/batches HTTP/1.1\r\n' + host + ck + b'X-CSRF-Token: ' + \
            csrf.encode() + b'\r\nContent-Length: %d\r\n\r\n' % len(body) + body
    if k == 6:
        body = rng.choice([b'{', b'[]', b'{"status":', b'\xff\xfe', b'{"a":' * 5000, b'null',
                           b'{"status":"confirmed","status":"open"}', b'{"reason":"\\ud800"}'])
        path = rng.choice([b'/api/v1/batches', b'/api/v1/findings/1/review', b'/api/v1/users',
                           b'/api/v1/password', b'/api/v1/regions', b'/api/v1/login',
                           b'/api/v1/reports/1/corrections', b'/api/v1/roster/remove'])
        return b'POST ' + path + b' HTTP/1.1\r\n' + host + ck + b'X-CSRF-Token: ' + \
            csrf.encode() + b'\r\nContent-Length: %d\r\n\r\n' % len(body) + body
    if k == 7:
        bad = rng.choice([b'', b'x', b'0' * 64, b'\x00' * 64, b'%00', b';;;;', b'a' * 5000,
                          cookie.encode()[:-1]])
        return b'GET /api/v1/reports HTTP/1.1\r\n' + host + b'Cookie: gk_session=' + bad + b'\r\n\r\n'
    if k == 8:
        return b'POST /api/v1/batches HTTP/1.1\r\n' + host + ck + \
            b'X-CSRF-Token: ' + rng.choice([b'', b'0' * 64, csrf.encode()[::-1]]) + \
            b'\r\nContent-Length: 2\r\n\r\n{}'
    if k == 9:
        path = rng.choice([b'/static/../../etc/passwd', b'/%2e%2e/%2e%2e/etc/passwd', b'/..',
                           b'/static/%00', b'/api/v1/reports/1/../../../', b'//api/v1/status',
                           b'/api/v1/reports/-1', b'/api/v1/reports/1e9', b'/api/v1/reports/' + b'9' * 40,
                           b'/api/v1/batches/1/files?name=' + b'%2F..%2F' * 50])
        return b'GET ' + path + b' HTTP/1.1\r\n' + host + ck + b'\r\n'
    if k == 10:
        return b'GET /api/v1/status HTTP/1.1\r\n' + host  # no end of headers
    if k == 11:
        return b'POST /api/v1/batches HTTP/1.1\r\n' + host + ck + b'X-CSRF-Token: ' + \
            csrf.encode() + b'\r\nContent-Length: 1000\r\n\r\n{"note":'  # truncated body
    if k == 12:
        return b'GET /api/v1/status HTTP/9.9\r\n' + host + b'\r\n'
    if k == 13:
        return b'POST /api/v1/batches HTTP/1.1\r\n' + host + ck + b'X-CSRF-Token: ' + \
            csrf.encode() + b'\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\nxx\r\n'
    if k == 14:
        headers = b''.join(b'X-H%d: v\r\n' % i for i in range(rng.randrange(500, 3000)))
        return b'GET /api/v1/status HTTP/1.1\r\n' + host + headers + b'\r\n'
    q = b'&'.join(b'k%d=%s' % (i, b'v' * rng.randrange(1, 50)) for i in range(rng.randrange(1, 800)))
    return b'GET /api/v1/reports?' + q + b' HTTP/1.1\r\n' + host + ck + b'\r\n'


with open(binary, 'rb') as f:
    SANITIZED = b'__asan_init' in f.read()
RSS_SLACK_KIB = ASAN_SLACK_KIB if SANITIZED else PLAIN_SLACK_KIB
if SANITIZED:
    GROWTH_SLACK_KIB = ASAN_GROWTH_SLACK_KIB

srv = Server(binary)
try:
    port = srv.port
    cookie, csrf = srv.session.token, srv.session.csrf
    rng = random.Random(14)

    def healthy(what):
        st = srv.api('GET', 'status')
        if not st or 'version' not in st:
            fail('the server stopped answering well-formed requests ' + what)

    # warm-up: each kind of request a few times, then the baseline
    for i in range(200):
        send_raw(port, malformed(rng, port, cookie, csrf))
    healthy('during the warm-up')
    base = rss_kib(srv.proc.pid)
    peak = base
    for i in range(COUNT):
        if time.time() > DEADLINE:
            fail('deadline passed after %d requests' % i)
        send_raw(port, malformed(rng, port, cookie, csrf))
        if i % 100 == 99:
            healthy('after %d malformed requests' % (i + 1))
            peak = max(peak, rss_kib(srv.proc.pid))
        if i == COUNT // 2:
            mid = rss_kib(srv.proc.pid)
        if srv.proc.poll() is not None:
            fail('the server died after %d requests: %s' % (i, srv.log_text()[-2000:]))
    check(True, '%d malformed and oversized requests; a well-formed one answered after every 100'
          % COUNT)
    # connections close on their own; give the server a moment
    time.sleep(2)
    healthy('at the end')
    end = rss_kib(srv.proc.pid)
    print('     resident memory: baseline %d KiB, half-way %d KiB, peak %d KiB, end %d KiB'
          % (base, mid, peak, end))
    check(end <= mid + GROWTH_SLACK_KIB,
          'no growth in the second half: memory is reused, not lost (%+d KiB, at most %d)'
          % (end - mid, GROWTH_SLACK_KIB))
    check(end <= base + RSS_SLACK_KIB,
          'memory back near the baseline: %d KiB over, at most %d (%s)' % (
              end - base, RSS_SLACK_KIB,
              'ASan: its %d MiB quarantine and its caches' % QUARANTINE_MB if SANITIZED
              else 'no sanitizer'))
    srv.stop_clean()
finally:
    srv.cleanup()
print('flood_test: all passed')
