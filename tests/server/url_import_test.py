"""url_import_test.py - reports imported from a list of URLs
(POST /api/v1/batches/{id}/urls), fetched from a small HTTP server this
test starts on loopback (nothing leaves the machine): stored and checked
like uploads, and the limits hold (schemes, redirects, size, status).

    url_import_test.py GONGKAI SOURCE_DIR
"""
import http.server
import json
import os
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import EXAMPLE, Server, check  # noqa: E402

binary, src = sys.argv[1], sys.argv[2]
with open(os.path.join(src, 'examples', EXAMPLE), 'rb') as f:
    example = f.read()
with open(os.path.join(src, 'tests/batch/cases/baisha_2024.txt'), 'rb') as f:
    baisha = f.read()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, code, body=b'', headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        if not any(k == 'Content-Length' for k, _ in headers):
            self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = urllib.parse.unquote(self.path)
        if path == '/年报/' + EXAMPLE:
            self.send(200, example)
        elif path == '/baisha.txt':
            self.send(200, baisha)
        elif path == '/moved':
            self.send(302, headers=[('Location', '/baisha.txt')])
        elif path.startswith('/loop'):
            n = int(path[5:] or '0')
            self.send(302, headers=[('Location', '/loop%d' % (n + 1))])
        elif path == '/to-file':
            self.send(302, headers=[('Location', 'file:///etc/passwd')])
        elif path == '/huge':
            # declares 65 MiB: refused before the body is read
            self.send(200, b'x' * 1024, headers=[('Content-Length', str(65 << 20))])
        elif path == '/empty':
            self.send(200, b'')
        else:
            self.send(404, b'not here')


web = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
threading.Thread(target=web.serve_forever, daemon=True).start()
base = 'http://127.0.0.1:%d' % web.server_address[1]

# the server fetches from loopback directly, whatever proxy this shell has
for k in ('http_proxy', 'https_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY'):
    os.environ.pop(k, None)
srv = Server(binary)
try:
    batch = srv.api('POST', 'batches', {'reviewer': '测试'}, expect=201)['id']
    urls = [
        '# 一行一个网址',
        base + '/' + urllib.parse.quote('年报/' + EXAMPLE),
        '',
        base + '/moved',
        base + '/baisha.txt',
        base + '/loop',
        base + '/to-file',
        base + '/huge',
        base + '/empty',
        base + '/missing.pdf',
        'ftp://127.0.0.1/a.txt',
        'file:///etc/passwd',
        base + '/年报.txt',
    ]
    status, _, body = srv.request('POST', '/api/v1/batches/%d/urls' % batch,
                                  raw='\r\n'.join(urls).encode(), ctype='text/plain')
    r = json.loads(body)
    check(status == 200, 'list answered: %d' % status)
    by = {f['name']: f for f in r['files']}
    check(r['stored'] == 2 and r['duplicates'] == 1, 'two stored, one duplicate: %r' % r)
    ex = by[urls[1]]
    check('report_id' in ex and not ex['duplicate'], 'the example fetched')
    check(by[base + '/moved'].get('report_id') and by[base + '/baisha.txt']['duplicate'],
          'a redirect followed; the same bytes again are a duplicate')
    want = {
        base + '/loop': '跳转次数过多',
        base + '/to-file': '只能下载 http 或 https 地址',
        base + '/huge': '文件过大',
        base + '/empty': '文件为空',
        base + '/missing.pdf': '404',
        'ftp://127.0.0.1/a.txt': '只能下载 http 或 https 地址',
        'file:///etc/passwd': '只能下载 http 或 https 地址',
        '第 11 个网址': '非 ASCII',
    }
    for url, why in want.items():
        check(url in by and why in by[url].get('error', ''),
              'refused %s: %s' % (url, by.get(url, {}).get('error')))
    check(r['refused'] == len(want), 'refused %d' % r['refused'])

    b = srv.wait_batch(batch)
    done = {x['id']: x for x in b['reports']}
    rep = done[ex['report_id']]
    check(rep['state'] == 'done' and rep['name'] == EXAMPLE,
          'stored under the name in the URL, read and checked: %s' % rep['name'])
    upload = srv.api('POST', 'batches', {'reviewer': '测试'}, expect=201)['id']
    same = srv.upload(upload, os.path.join(src, 'examples', EXAMPLE))
    check(same['duplicate'] and same['report_id'] == ex['report_id'],
          'the fetched bytes are the file: an upload of it is a duplicate')

    # the list itself is limited
    check(srv.request('POST', '/api/v1/batches/%d/urls' % batch, raw=b'\n# only a comment\n')[0] == 400,
          'an empty list is refused')
    many = ('http://127.0.0.1:1/x\n' * 1001).encode()
    status, _, body = srv.request('POST', '/api/v1/batches/%d/urls' % batch, raw=many)
    check(status == 413 and '1000' in json.loads(body)['error'], 'over 1,000 URLs refused before fetching')
    check(srv.request('POST', '/api/v1/batches/999/urls', raw=(base + '/baisha.txt').encode())[0] == 404,
          'no import into a batch that does not exist')
    acts = [a['action'] for a in srv.api('GET', 'audit')]
    check(acts.count('upload') == 2, 'each stored file is in the audit log (%d)' % acts.count('upload'))

    srv.stop_clean()
finally:
    if srv.proc.poll() is None:
        srv.stop()
    print(srv.log_text()[-3000:])
    srv.cleanup()
    web.shutdown()
print('url_import_test: all passed')
