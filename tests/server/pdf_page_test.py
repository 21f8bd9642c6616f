"""pdf_page_test.py - the page of a PDF report as an image
(GET /api/v1/reports/{id}/pages/{n}, MuPDF through
gk_render_pdf_page_png()): its size is the page's (pdfinfo) times the
scale, and the box the provenance gives a cell is where the cell is drawn
in the image: its top, left and right edges lie on the table's rulings
(the last row on a page, continued on the next, has no bottom ruling).  (The fixture's
font has no glyph outlines, so its digits draw nothing; its rulings do.)

    pdf_page_test.py GONGKAI SOURCE_DIR
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import EXAMPLE, Server, check  # noqa: E402

binary, src = sys.argv[1], sys.argv[2]
PDF = os.path.join(src, 'tests/golden/cases/14_pdf_blank_cell.pdf')


def png_rgb(data):
    """(width, height, rows of RGB bytes) of an 8-bit RGB or RGBA PNG."""
    check(data[:8] == b'\x89PNG\r\n\x1a\n', 'a PNG')
    pos, idat, w = 8, b'', 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
            check(depth == 8 and ctype in (2, 6), 'an 8-bit RGB image')
            bpp = 3 if ctype == 2 else 4
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if bpp == 3 else bytes(v for k, v in enumerate(line) if k % 4 != 3))
        prev = line
    return w, h, rows


def dark(rows, x, y):
    return sum(rows[y][3 * x:3 * x + 3]) < 600  # rulings are anti-aliased grey


def edges_on_rulings(rows, box, scale):
    """Whether the top, left and right edges of the box (in points) are,
    within 2 pixels, lines of the image dark along 80 % of the edge."""
    x0, y0, x1, y1 = [int(round(v * scale)) for v in box]
    def row_dark(y):
        return sum(dark(rows, x, y) for x in range(x0 + 2, x1 - 2)) >= 0.8 * (x1 - x0 - 4)
    def col_dark(x):
        return sum(dark(rows, x, y) for y in range(y0 + 2, y1 - 2)) >= 0.8 * (y1 - y0 - 4)
    near = range(-2, 3)
    return (any(row_dark(y0 + d) for d in near) and
            any(col_dark(x0 + d) for d in near) and any(col_dark(x1 + d) for d in near))


def ink_inside(rows, box, scale):
    x0, y0, x1, y1 = [int(round(v * scale)) for v in box]
    return sum(dark(rows, x, y) for y in range(y0 + 4, y1 - 4) for x in range(x0 + 4, x1 - 4))


srv = Server(binary)
try:
    batch = srv.api('POST', 'batches', {'reviewer': '测试'}, expect=201)['id']
    pid = srv.upload(batch, PDF)['report_id']
    tid = srv.upload(batch, os.path.join(src, 'examples', EXAMPLE))['report_id']
    srv.wait_batch(batch)
    rep = srv.api('GET', 'reports/%d' % pid)
    check(rep['source_format'] == 'pdf', 'the PDF is read')

    status, headers, body = srv.request('GET', '/api/v1/reports/%d/pages/2' % pid)
    check(status == 200 and headers['Content-Type'] == 'image/png', 'page 2 is a PNG')
    check(headers['X-Gongkai-Cache'] == 'miss', 'the first view of page 2 is rendered')
    again = srv.request('GET', '/api/v1/reports/%d/pages/2' % pid)
    check(again[0] == 200 and again[1]['X-Gongkai-Cache'] == 'hit' and again[2] == body,
          'the second view of page 2 comes from the cache, the same bytes')
    other = srv.request('GET', '/api/v1/reports/%d/pages/2?scale=1.25' % pid)
    check(other[1]['X-Gongkai-Cache'] == 'miss' and other[2] != body,
          'another scale is another image, rendered')
    check(srv.request('GET', '/api/v1/reports/%d/pages/2?scale=1.5' % pid)[1]['X-Gongkai-Cache'] == 'hit',
          '?scale=1.5 is the default\'s image')
    w, h, rows = png_rgb(body)
    if shutil.which('pdfinfo'):
        info = subprocess.run(['pdfinfo', '-f', '2', '-l', '2', PDF], capture_output=True, text=True).stdout
        pw, ph = map(float, re.search(r'Page\s+2 size:\s+([\d.]+) x ([\d.]+)', info).groups())
        check(abs(w - pw * 1.5) <= 1 and abs(h - ph * 1.5) <= 1,
              'the image is the page at 1.5 pixels a point: %dx%d for %gx%g pt' % (w, h, pw, ph))
    cells = rep['model']['provenance']['tables']['applications']['cells']
    on2 = [(k, c) for k, c in cells.items() if c.get('page') == 2 and c.get('box')]
    check(len(on2) > 10, '%d cells with a box on page 2' % len(on2))
    for k, c in on2:
        if not edges_on_rulings(rows, c['box'], 1.5) or ink_inside(rows, c['box'], 1.5) > 0:
            check(False, 'the box of %s lies on its cell\'s rulings' % k)
    check(True, 'every box lies on its cell\'s rulings, with no ruling inside')
    shifted = [v + 12 for v in on2[0][1]['box']]
    check(not edges_on_rulings(rows, shifted, 1.5), 'a box moved by 12 points does not')
    blank = [f for f in rep['findings'] if f['rule'] == 'cell.blank'][0]
    check(blank['page'] == 2, 'the blank cell\'s finding names page 2')

    small = srv.request('GET', '/api/v1/reports/%d/pages/1?scale=0.5' % pid)
    w1, h1, _ = png_rgb(small[2])
    check(abs(w1 - 595 * 0.5) <= 1, 'a smaller scale gives a smaller image (%d)' % w1)
    check(srv.request('GET', '/api/v1/reports/%d/pages/4' % pid)[0] == 404, 'no page 4')
    check(srv.request('GET', '/api/v1/reports/%d/pages/0' % pid)[0] == 404, 'no page 0')
    check(srv.request('GET', '/api/v1/reports/%d/pages/1' % tid)[0] == 404, 'a text report has no pages')

    srv.stop_clean()
finally:
    if srv.proc.poll() is None:
        srv.stop()
    print(srv.log_text()[-3000:])
    srv.cleanup()
print('pdf_page_test: all passed')
