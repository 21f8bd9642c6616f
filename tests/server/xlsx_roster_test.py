"""xlsx_roster_test.py - a roster sent as an XLSX workbook (read with
libzip and libxml2): the first sheet named by the workbook, shared strings
(rich text runs joined, phonetic runs left out), inline strings, columns
past the fourth ignored, empty rows skipped; a broken workbook and one
with a DTD are refused.  The workbooks are written here by hand, in the
layout Excel and WPS write.

    xlsx_roster_test.py GONGKAI SOURCE_DIR
"""
import io
import json
import os
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import Server, check  # noqa: E402

binary, src = sys.argv[1], sys.argv[2]
NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'


def workbook(rows, strings_prolog=''):
    """rows: lists of cells, each ('s', text) shared, ('i', text) inline,
    ('n', number) or None (no cell)."""
    shared, sheet = [], []
    for y, row in enumerate(rows, 1):
        cells = []
        for x, cell in enumerate(row):
            if cell is None:
                continue
            ref = '%s%d' % ('ABCDEFG'[x], y)
            kind, v = cell
            if kind == 's':
                shared.append(v)
                cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, len(shared) - 1))
            elif kind == 'i':
                cells.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, v))
            else:
                cells.append('<c r="%s"><v>%s</v></c>' % (ref, v))
        sheet.append('<row r="%d">%s</row>' % (y, ''.join(cells)))
    si = []
    for s in shared:
        if '|' in s:   # a rich text run, with a phonetic run that is not text
            a, b = s.split('|')
            si.append('<si><r><t>%s</t></r><r><rPr><b/></rPr><t>%s</t></r><rPh sb="0" eb="1"><t>PINYIN</t></rPh></si>' % (a, b))
        else:
            si.append('<si><t>%s</t></si>' % s)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="%s"><sheets>'
                   '<sheet name="名单" sheetId="1" r:id="rId3"/><sheet name="说明" sheetId="2" r:id="rId1"/></sheets></workbook>' % (NS, R))
        z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId3" Type="%s/worksheet" Target="worksheets/sheet7.xml"/></Relationships>' % (R, R))
        z.writestr('xl/worksheets/sheet1.xml', '<?xml version="1.0"?><worksheet xmlns="%s"><sheetData>'
                   '<row r="1"><c r="A1" t="inlineStr"><is><t>这是说明页，不是名单</t></is></c></row></sheetData></worksheet>' % NS)
        z.writestr('xl/worksheets/sheet7.xml', '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>'
                   % (NS, ''.join(sheet)))
        z.writestr('xl/sharedStrings.xml', '<?xml version="1.0" encoding="UTF-8"?>%s<sst xmlns="%s" count="%d">%s</sst>'
                   % (strings_prolog, NS, len(si), ''.join(si)))
    return buf.getvalue()


srv = Server(binary)
try:
    rows = [
        [('s', '名称'), ('s', '类型'), ('s', '上级'), ('s', '须发布'), ('s', '备注')],
        [('s', '云岭县'), ('s', '县'), None, ('i', '否')],
        [('s', '白沙镇|人民政府'), ('s', '乡镇'), ('s', '云岭县'), None, ('s', '第五列不读')],
        [],
        [('i', '城关街道办事处'), ('i', '街道'), ('s', '云岭县')],
        [('s', '县财政局'), ('s', '部门'), ('s', '云岭县')],
        [('i', '甲,乙联合办公室'), ('s', '部门'), ('s', '云岭县')],
    ]
    xlsx = workbook(rows)
    status, _, body = srv.request('POST', '/api/v1/roster?year=2024&reviewer=x', raw=xlsx)
    check(status == 200, 'XLSX roster imported: %d %s' % (status, body[:200]))
    r = json.loads(body)
    check(r['rows'] == 5, 'five rows read (header and the empty row skipped): %r' % r)
    got = sorted((x['name'], x['kind'], x['parent']) for x in srv.api('GET', 'roster?year=2024'))
    check(got == sorted([('白沙镇人民政府', '乡镇', '云岭县'), ('城关街道办事处', '街道', '云岭县'),
                         ('县财政局', '部门', '云岭县'), ('甲,乙联合办公室', '部门', '云岭县')]),
          'the first sheet named by the workbook, strings joined, 须发布=否 kept out: %r' % got)
    check('云岭县' in [x['name'] for x in srv.api('GET', 'regions')], 'the county is a node of the tree')

    # the same through `gongkai serve --import --roster`
    srv.stop()
    path = os.path.join(srv.tmp, '名单.xlsx')
    with open(path, 'wb') as f:
        f.write(workbook(rows[:3]))
    empty = os.path.join(srv.tmp, 'empty')
    os.makedirs(empty)
    p = subprocess.run([binary, 'serve', '--data', os.path.join(srv.tmp, 'cli'), '--roster', '2023:' + path, '--import', empty],
                       capture_output=True, text=True)
    check('名单 2023 年：2 行' in p.stdout, 'gongkai serve --roster reads an XLSX: ' + (p.stdout + p.stderr).strip()[:200])
    srv = Server(binary, data=srv.data)

    status, _, body = srv.request('POST', '/api/v1/roster?year=2024&reviewer=x', raw=b'PK\x03\x04' + b'\0' * 100)
    check(status == 400 and 'XLSX' in json.loads(body)['error'], 'a broken workbook is refused: ' + body.decode())
    bomb = workbook(rows, '<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    status, _, body = srv.request('POST', '/api/v1/roster?year=2024&reviewer=x', raw=bomb)
    check(status == 400 and 'DTD' in json.loads(body)['error'],
          'a workbook whose strings carry a DTD is refused: ' + body.decode())

    srv.stop_clean()
finally:
    if srv.proc.poll() is None:
        srv.stop()
    print(srv.log_text()[-3000:])
    srv.cleanup()
print('xlsx_roster_test: all passed')
