#!/usr/bin/env python3
"""make_pdf_cases.py - writes the PDF golden cases of cases/ from scratch.

    python3 tests/golden/make_pdf_cases.py tests/golden/cases

The PDFs are made-up reports, written operator by operator as a PDF
producer (Word, WPS) would: text in a CJK font, tables drawn as stroked
ruling lines, cell text centred, a bold title drawn twice a hair apart,
page numbers "- N -" in the footer, and table 2 and table 3 cut by page
breaks with no closing ruling at the bottom of the page.

No CJK font is installed on the build machines, so the generator embeds
its own: a TrueType font of empty glyphs (no outlines) with the right
advance widths, and a ToUnicode map.  The pages render blank, but the text
and its geometry, which is all gongkai reads, are exactly those of a real
report.  The output is deterministic: running the script again rewrites
the same bytes, so the committed PDFs can be checked against it.

Cases written:
  13_pdf_ruled_tables.pdf  a clean 3-page report (see README.md)
  14_pdf_blank_cell.pdf    the same report with one table 3 cell left empty
  issue10_pdf_wrapped_number.pdf  the same report with two table 3 numbers
                           wrapped inside their narrow cells ("154" over "5")
  issue11_pdf_metadata_title.pdf  the same report without its title lines,
                           the title only in the document properties (Info
                           /Title, UTF-16 with a BOM, as Word writes it)
"""
import os
import struct
import sys

PAGE_W, PAGE_H = 595, 842

# ------------------------------------------------------------------ font


def _checksum(data):
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(">%dI" % (len(data) // 4), data)) & 0xFFFFFFFF


def make_ttf(advances):
    """A TrueType font of len(advances) empty glyphs (units per em 1000)."""
    n = len(advances)
    head = struct.pack(">IIIIHHqqhhhhHHhhh", 0x00010000, 0x00010000, 0,
                       0x5F0F3CF5, 0x000B, 1000, 0, 0, 0, -120, 1000, 880,
                       0, 8, 2, 0, 0)
    hhea = struct.pack(">IhhhHhhhhhhhhhhhH", 0x00010000, 880, -120, 0,
                       max(advances), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, n)
    maxp = struct.pack(">IHHHHHHHHHHHHHH", 0x00010000, n, 0, 0, 0, 0, 2, 0,
                       0, 0, 0, 0, 0, 0, 0)
    hmtx = b"".join(struct.pack(">Hh", a, 0) for a in advances)
    tables = {b"glyf": b"\0\0\0\0", b"head": head, b"hhea": hhea,
              b"hmtx": hmtx, b"loca": b"\0\0" * (n + 1), b"maxp": maxp}
    tags = sorted(tables)
    out = struct.pack(">IHHHH", 0x00010000, len(tags), 64, 2,
                      len(tags) * 16 - 64)
    off = 12 + 16 * len(tags)
    body = b""
    for t in tags:
        d = tables[t]
        out += struct.pack(">4sIII", t, _checksum(d), off + len(body), len(d))
        body += d + b"\0" * (-len(d) % 4)
    return out + body


def advance(ch):
    """Advance width in thousandths of an em: half for ASCII."""
    return 500 if ord(ch) < 0x2000 else 1000


# -------------------------------------------------------------- document


class Doc:
    def __init__(self):
        self.pages = []
        self.cids = {}

    def page(self):
        self.pages.append([])
        return self.pages[-1]

    def cid(self, ch):
        if ch not in self.cids:
            self.cids[ch] = len(self.cids) + 1
        return self.cids[ch]

    def text(self, page, x, y, s, size, bold=False):
        """s at x with its baseline at y (y measured down from the top)."""
        hexs = "".join("%04X" % self.cid(c) for c in s)
        for dx in ((0, 0.35) if bold else (0,)):
            page.append("BT /F1 %g Tf 1 0 0 1 %.2f %.2f Tm <%s> Tj ET" %
                        (size, x + dx, PAGE_H - y, hexs))

    def line(self, page, x0, y0, x1, y1):
        page.append("%.2f %.2f m %.2f %.2f l S" %
                    (x0, PAGE_H - y0, x1, PAGE_H - y1))

    def write(self, path, info_title=None):
        chars = sorted(self.cids, key=self.cids.get)
        font = make_ttf([1000] + [advance(c) for c in chars])
        cmap = ["/CIDInit /ProcSet findresource begin 12 dict begin",
                "begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering "
                "(UCS) /Supplement 0 >> def /CMapName /GK-UCS def "
                "/CMapType 2 def", "1 begincodespacerange <0000> <FFFF> "
                "endcodespacerange"]
        for i in range(0, len(chars), 100):
            chunk = chars[i:i + 100]
            cmap.append("%d beginbfchar" % len(chunk))
            cmap += ["<%04X> <%04X>" % (self.cids[c], ord(c)) for c in chunk]
            cmap.append("endbfchar")
        cmap.append("endcmap CMapName currentdict /CMap defineresource pop "
                    "end end")
        widths = " ".join("%d [%d]" % (self.cids[c], advance(c))
                          for c in chars)
        n_pages = len(self.pages)
        # Objects: 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor,
        # 6 font file, 7 ToUnicode, then a page and its contents per page.
        objs = {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: ("<< /Type /Pages /Kids [%s] /Count %d >>" % (
                " ".join("%d 0 R" % (8 + 2 * i) for i in range(n_pages)),
                n_pages)).encode(),
            3: b"<< /Type /Font /Subtype /Type0 /BaseFont /GKSong "
               b"/Encoding /Identity-H /DescendantFonts [4 0 R] "
               b"/ToUnicode 7 0 R >>",
            4: ("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GKSong "
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
                "/Supplement 0 >> /FontDescriptor 5 0 R /DW 1000 "
                "/W [%s] /CIDToGIDMap /Identity >>" % widths).encode(),
            5: b"<< /Type /FontDescriptor /FontName /GKSong /Flags 4 "
               b"/FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 "
               b"/Descent -120 /CapHeight 700 /StemV 80 /FontFile2 6 0 R >>",
        }
        streams = {6: font, 7: "\n".join(cmap).encode()}
        for i, ops in enumerate(self.pages):
            objs[8 + 2 * i] = (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
                "/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
                % (PAGE_W, PAGE_H, 9 + 2 * i)).encode()
            streams[9 + 2 * i] = ("0.5 w\n" + "\n".join(ops) + "\n").encode()
        n = 7 + 2 * n_pages
        info = b""
        if info_title is not None:
            n += 1
            objs[n] = b"<< /Title <FEFF%s> >>" % "".join(
                "%04X" % ord(c) for c in info_title).encode()
            info = b" /Info %d 0 R" % n
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i in range(1, n + 1):
            offsets.append(len(out))
            if i in streams:
                data = streams[i]
                extra = b" /Length1 %d" % len(data) if i == 6 else b""
                out += b"%d 0 obj\n<< /Length %d%s >>\nstream\n" % (
                    i, len(data), extra) + data + b"\nendstream\nendobj\n"
            else:
                out += b"%d 0 obj\n" % i + objs[i] + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (n + 1)
        for o in offsets:
            out += b"%010d 00000 n \n" % o
        out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n" \
               b"%%%%EOF\n" % (n + 1, info, xref)
        with open(path, "wb") as f:
            f.write(out)


def width(s, size):
    return sum(advance(c) for c in s) * size / 1000


# ---------------------------------------------------------------- layout

BODY = 12      # prose size
LEAD = 22      # prose line distance
TAB = 9        # table text size
TAB_LEAD = 12  # distance of the lines of a wrapped cell
LEFT = 70      # prose margin


def prose(doc, page, y, lines, size=BODY):
    """Lines of prose, one per entry; returns y below them."""
    for s in lines:
        doc.text(page, LEFT, y, s, size)
        y += LEAD
    return y


def heading(doc, page, y, s):
    doc.text(page, LEFT, y, s, 14, bold=True)
    return y + LEAD + 4


def footer(doc, page, n):
    s = "- %d -" % n
    doc.text(page, (PAGE_W - width(s, 10.5)) / 2, 800, s, 10.5)


def table(doc, page, top, xs, heights, cells, open_top=False,
          open_bottom=False):
    """A ruled table: column edges xs, row heights, and cells as
    (row, col, rowspan, colspan, [lines], align).  open_top/open_bottom
    leave out the outer ruling there (a table cut by a page break).
    Returns the y below the table."""
    ys = [top]
    for h in heights:
        ys.append(ys[-1] + h)
    for (r, c, rs, cs, lines, align) in cells:
        x0, x1, y0, y1 = xs[c], xs[c + cs], ys[r], ys[r + rs]
        if not (open_top and r == 0):
            doc.line(page, x0, y0, x1, y0)
        if not (open_bottom and r + rs == len(heights)):
            doc.line(page, x0, y1, x1, y1)
        doc.line(page, x0, y0, x0, y1)
        doc.line(page, x1, y0, x1, y1)
        if not lines:
            continue
        # Centred vertically; left-aligned or centred horizontally.
        block = (len(lines) - 1) * TAB_LEAD
        base = (y0 + y1) / 2 - block / 2 + TAB * 0.35
        for k, s in enumerate(lines):
            w = width(s, TAB)
            x = x0 + 4 if align == "l" else (x0 + x1 - w) / 2
            doc.text(page, x, base + k * TAB_LEAD, s, TAB)
    return ys[-1]


def row_cells(r, label_col, label_span, label, values, align="l"):
    cells = [(r, label_col, 1, label_span, label, align)]
    for k, v in enumerate(values):
        lines = v if isinstance(v, list) else [str(v)] if v is not None else []
        cells.append((r, label_col + label_span + k, 1, 1, lines, "c"))
    return cells


# ------------------------------------------------------------- the report

T3 = [  # (label lines, values: 自然人 … 总计)
    ("received", ["一、本年新收政府信息公开申请数量"], [5, 1, 0, 0, 0, 0, 6]),
    ("carried_over", ["二、上年结转政府信息公开申请数量"], [1, 0, 0, 0, 0, 0, 1]),
    ("granted", ["（一）予以公开"], [3, 1, 0, 0, 0, 0, 4]),
    ("partially_granted", ["（二）部分公开（区分处理的，只计",
                           "这一情形，不计其他情形）"], [1, 0, 0, 0, 0, 0, 1]),
    ("withheld_state_secret", ["1.属于国家秘密"], [0] * 7),
    ("withheld_prohibited", ["2.其他法律行政法规禁止公开"], [0] * 7),
    ("withheld_security", ["3.危及“三安全一稳定”"], [0] * 7),
    ("withheld_third_party", ["4.保护第三方合法权益"], [0] * 7),
    ("withheld_internal", ["5.属于三类内部事务信息"], [1, 0, 0, 0, 0, 0, 1]),
    ("withheld_process", ["6.属于四类过程性信息"], [0] * 7),
    ("withheld_enforcement", ["7.属于行政执法案卷"], [0] * 7),
    ("withheld_query", ["8.属于行政查询事项"], [0] * 7),
    ("unavailable_not_held", ["1.本机关不掌握相关政府信息"],
     [1, 0, 0, 0, 0, 0, 1]),
    ("unavailable_needs_creation", ["2.没有现成信息需要另行制作"], [0] * 7),
    ("unavailable_unclear", ["3.补正后申请内容仍不明确"], [0] * 7),
    ("declined_complaint", ["1.信访举报投诉类申请"], [0] * 7),
    ("declined_duplicate", ["2.重复申请"], [0] * 7),
    ("declined_publication", ["3.要求提供公开出版物"], [0] * 7),
    ("declined_excessive", ["4.无正当理由大量反复申请"], [0] * 7),
    ("declined_confirmation", ["5.要求行政机关确认或重新出具",
                               "已获取信息"], [0] * 7),
    ("other_no_correction", ["1.申请人无正当理由逾期不补正、",
                             "行政机关不再处理其政府信息公",
                             "开申请"], [0] * 7),
    ("other_fee_unpaid", ["2.申请人逾期未按收费通知要求缴",
                          "纳费用、行政机关不再处理其政",
                          "府信息公开申请"], [0] * 7),
    ("other_misc", ["3.其他"], [0] * 7),
    ("processed_total", ["（七）总计"], [6, 1, 0, 0, 0, 0, 7]),
    ("carried_forward", ["四、结转下年度继续办理"], [0] * 7),
]

# Table 3's columns: the vertical label, the group label, the row label,
# then the seven applicant columns.
T3_X = [60, 82, 128, 272] + [272 + 36 * (k + 1) for k in range(7)]


def t3_rows(doc, page, top, first, last, blank, open_top, open_bottom,
            vertical_label, wrapped=None):
    """Rows first..last-1 of T3 (data rows only) as one ruled block."""
    groups = {4: (8, ["（三）不", "予公开"]), 12: (3, ["（四）无", "法提供"]),
              15: (5, ["（五）不", "予处理"]), 20: (3, ["（六）其", "他处理"])}
    cells, heights = [], []
    r = 0
    i = first
    while i < last:
        key, label, values = T3[i]
        values = [(wrapped or {}).get((key, k)) or
                  (None if (key, k) == blank else v)
                  for k, v in enumerate(values)]
        heights.append(max(20, 8 + TAB_LEAD * len(label)))
        if i in (0, 1, 24):  # 一、二、四: label across the first 3 columns
            cells += row_cells(r, 0, 3, label, values)
        elif i in (2, 3, 23):  # （一）（二）（七）: across two
            cells += row_cells(r, 1, 2, label, values)
        else:
            cells += row_cells(r, 2, 1, label, values)
        i += 1
        r += 1
    # Group labels (rows 4.., 12.., 15.., 20..) clipped to this block.
    for g, (n, text) in groups.items():
        a, b = max(g, first), min(g + n, last)
        if a < b:
            cells.append((a - first, 1, b - a, 1, text if a == g else [],
                          "c"))
    # The vertical 三、本年度办理结果 beside rows 2..23.
    a, b = max(2, first), min(24, last)
    if a < b:
        cells.append((a - first, 0, b - a, 1,
                      list("三、本年度办理结果") if vertical_label else [], "c"))
    return table(doc, page, top, T3_X, heights, cells, open_top, open_bottom)


def build(blank=None, wrapped=None, title=True):
    doc = Doc()

    # Page 1: title, part 一, the start of table 2.
    p = doc.page()
    if title:
        doc.text(p, (PAGE_W - width("云岭县白鹭镇", 18)) / 2, 90,
                 "云岭县白鹭镇", 18, bold=True)
        t = "2024年政府信息公开工作年度报告"
        doc.text(p, (PAGE_W - width(t, 18)) / 2, 118, t, 18, bold=True)
    y = heading(doc, p, 165, "一、总体情况")
    y = prose(doc, p, y, [
        "2024年，白鹭镇在县政府门户网站乡镇专栏主动公开",
        "政府信息128条，其中工作动态76条，通知公告52条。",
        "全年收到政府信息公开申请6件，上年结转1件，均已",
        "按期答复。",
        "全年因政府信息公开工作被申请行政复议2件，被提起",
        "行政诉讼2件。",
    ])
    y = heading(doc, p, y + 8, "二、主动公开政府信息情况")
    t2x = [60, 220, 320, 420, 522]

    def sub(title):
        return [(0, 0, 1, 4, [title], "l")]

    def head(cols):
        if len(cols) == 3:
            return [(0, 0, 1, 1, ["信息内容"], "c")] + [
                (0, 1 + k, 1, 1, [c], "c") for k, c in enumerate(cols)]
        return [(0, 0, 1, 1, ["信息内容"], "c"), (0, 1, 1, 3, cols, "c")]

    def one(label, value):
        return [(0, 0, 1, 1, [label], "l"), (0, 1, 1, 3, [value], "c")]

    def block(page, y, rows, open_top=False, open_bottom=False):
        heights, cells = [], []
        for k, rc in enumerate(rows):
            heights.append(22)
            cells += [(k, c, rs, cs, ls, al) for (_, c, rs, cs, ls, al) in rc]
        return table(doc, page, y, t2x, heights, cells, open_top, open_bottom)

    y = block(p, y - 6, [
        sub("第二十条第（一）项"),
        head(["本年制发件数", "本年废止件数", "现行有效件数"]),
        [(0, 0, 1, 1, ["规章"], "l")] + [(0, 1 + k, 1, 1, ["0"], "c")
                                         for k in range(3)],
        [(0, 0, 1, 1, ["行政规范性文件"], "l")] + [
            (0, 1 + k, 1, 1, [v], "c") for k, v in enumerate(["2", "1", "5"])],
        sub("第二十条第（五）项"),
        head(["本年处理决定数量"]),
        one("行政许可", "12"),
        sub("第二十条第（六）项"),
    ], open_bottom=True)
    footer(doc, p, 1)

    # Page 2: the rest of table 2, part 三 and table 3 to the page break.
    p = doc.page()
    y = block(p, 70, [
        head(["本年处理决定数量"]),
        one("行政处罚", "3"),
        one("行政强制", "0"),
        sub("第二十条第（八）项"),
        head(["本年收费金额（单位：万元）"]),
        one("行政事业性收费", "1.5"),
    ], open_top=True)
    y = heading(doc, p, y + 30, "三、收到和处理政府信息公开申请情况")
    hdr = [
        (0, 0, 3, 3, ["（本列数据的勾稽关系为：第一项", "加第二项之和，等于第三项加第",
                      "四项之和）"], "l"),
        (0, 3, 1, 7, ["申请人情况"], "c"),
        (1, 3, 2, 1, ["自然人"], "c"),
        (1, 4, 1, 5, ["法人或其他组织"], "c"),
        (1, 9, 2, 1, ["总计"], "c"),
        (2, 4, 1, 1, ["商业", "企业"], "c"),
        (2, 5, 1, 1, ["科研", "机构"], "c"),
        (2, 6, 1, 1, ["社会", "公益", "组织"], "c"),
        (2, 7, 1, 1, ["法律", "服务", "机构"], "c"),
        (2, 8, 1, 1, ["其他"], "c"),
    ]
    y = table(doc, p, y - 6, T3_X, [20, 20, 44], hdr)
    t3_rows(doc, p, y, 0, 12, blank, True, True, True, wrapped)
    footer(doc, p, 2)

    # Page 3: the rest of table 3, part 四 and table 4, parts 五 and 六.
    p = doc.page()
    y = t3_rows(doc, p, 70, 12, 25, blank, False, False, False)
    y = heading(doc, p, y + 30, "四、政府信息公开行政复议、行政诉讼情况")
    t4x = [60 + 30.8 * k for k in range(16)]
    names = [["结果", "维持"], ["结果", "纠正"], ["其他", "结果"],
             ["尚未", "审结"], ["总计"]]
    cells = [(0, 0, 1, 5, ["行政复议"], "c"), (0, 5, 1, 10, ["行政诉讼"], "c"),
             (1, 5, 1, 5, ["未经复议直接起诉"], "c"),
             (1, 10, 1, 5, ["复议后起诉"], "c")]
    cells += [(1, k, 2, 1, names[k], "c") for k in range(5)]
    cells += [(2, 5 + k, 1, 1, names[k % 5], "c") for k in range(10)]
    values = [1, 0, 1, 0, 2, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1]
    cells += [(3, k, 1, 1, [str(v)], "c") for k, v in enumerate(values)]
    y = table(doc, p, y - 6, t4x, [22, 22, 32, 22], cells)
    y = heading(doc, p, y + 34, "五、存在的主要问题及改进情况")
    y = prose(doc, p, y, [
        "一是部分村级事务信息更新不及时。二是政策解读形式",
        "单一。下一步，我镇将按月核对公开栏与网站内容。",
    ])
    y = heading(doc, p, y + 8, "六、其他需要报告的事项")
    y = prose(doc, p, y, ["本年度我镇未收取信息处理费。"])
    s = "云岭县白鹭镇人民政府"
    doc.text(p, 520 - width(s, BODY), y + 30, s, BODY)
    s = "2025年1月20日"
    doc.text(p, 520 - width(s, BODY), y + 30 + LEAD, s, BODY)
    footer(doc, p, 3)
    return doc


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: make_pdf_cases.py CASES_DIR\n")
        return 2
    out = sys.argv[1]
    build().write(os.path.join(out, "13_pdf_ruled_tables.pdf"))
    # 商业企业 of （一）予以公开 left empty.
    build(blank=("granted", 1)).write(
        os.path.join(out, "14_pdf_blank_cell.pdf"))
    # Issue 10: 本年新收 自然人 1545 and 总计 1546, each wrapped in its
    # narrow cell as LibreOffice and Word do ("154" over "5").
    build(wrapped={("received", 0): ["154", "5"],
                   ("received", 6): ["154", "6"]}).write(
        os.path.join(out, "issue10_pdf_wrapped_number.pdf"))
    # Issue 11: no title line; the title is the document's metadata.
    build(title=False).write(
        os.path.join(out, "issue11_pdf_metadata_title.pdf"),
        info_title="云岭县白鹭镇2024年政府信息公开工作年度报告")
    return 0


if __name__ == "__main__":
    sys.exit(main())
