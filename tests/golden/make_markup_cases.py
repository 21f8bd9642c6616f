#!/usr/bin/env python3
"""make_markup_cases.py - writes the golden cases that are markup, and the
fuzz seeds of the HTML and DOCX readers.

    python3 tests/golden/make_markup_cases.py

The reports are made up (云岭县 is not a real county).  Their content is
written out below, cell by cell; the markup around it imitates what real
pages and documents look like: a portal template around a body pasted from
Word (labels split over <span>s, merged header cells), a GBK page, and a
Word document with gridSpan/vMerge tables, a revision, a text box and part
headings numbered by Word's outline list (numbering.xml, styles.xml).  The
expected NAME.json beside each case is written by hand, not by this script.

The output is deterministic (fixed ZIP timestamps), so running the script
again must leave `git status` clean.  Only the Python standard library is
used.
"""
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")
FUZZ = os.path.join(HERE, "..", "fuzz", "corpus")

COLS = 7
# Table 3 of the 2021 format: (label path, label cells) in order.  The
# labels are split as Word pastes them when a tuple has several pieces.
T3_ROWS = [
    ("received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld_state_secret", "1.属于国家秘密"),
    ("withheld_prohibited", "2.其他法律行政法规禁止公开"),
    ("withheld_security", "3.危及“三安全一稳定”"),
    ("withheld_third_party", "4.保护第三方合法权益"),
    ("withheld_internal", "5.属于三类内部事务信息"),
    ("withheld_process", "6.属于四类过程性信息"),
    ("withheld_enforcement", "7.属于行政执法案卷"),
    ("withheld_query", "8.属于行政查询事项"),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable_unclear", "3.补正后申请内容仍不明确"),
    ("declined_complaint", "1.信访举报投诉类申请"),
    ("declined_duplicate", "2.重复申请"),
    ("declined_publication", "3.要求提供公开出版物"),
    ("declined_excessive", "4.无正当理由大量反复申请"),
    ("declined_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_fee_unpaid",
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "3.其他"),
    ("processed_total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]
# Block headers of the result rows: (first row index, rows, label).
T3_BLOCKS = {4: (8, "（三）不予公开"), 12: (3, "（四）无法提供"),
             15: (5, "（五）不予处理"), 20: (3, "（六）其他处理")}
ZERO = [0] * COLS


def t3(values):
    """The 25 rows of table 3: zeros except the rows given."""
    return [values.get(key, ZERO) for key, _ in T3_ROWS]


# ------------------------------------------------------------------ HTML

def span(text, face="仿宋_GB2312"):
    return ('<span style="font-family:%s;font-size:16pt">%s</span>'
            % (face, text))


def word_p(*pieces, indent=True):
    style = "text-indent:2em;line-height:28pt" if indent else "line-height:28pt"
    return ('<p class="MsoNormal" style="%s">%s<o:p></o:p></p>'
            % (style, "".join(span(p) for p in pieces)))


def td(content, colspan=1, rowspan=1, width=60):
    attrs = ""
    if colspan > 1:
        attrs += ' colspan="%d"' % colspan
    if rowspan > 1:
        attrs += ' rowspan="%d"' % rowspan
    if isinstance(content, (list, tuple)):
        inner = "".join(span(p) for p in content)
    elif content is None:
        inner = span("&nbsp;")  # a blank cell as Word writes it
    else:
        inner = span(str(content))
    return ('<td%s width="%d" valign="center" style="border:solid windowtext '
            '1.0pt">\n  <p class="MsoNormal" align="center">%s<o:p></o:p>'
            '</p>\n</td>' % (attrs, width, inner))


def tr(cells):
    return "<tr>\n" + "\n".join(cells) + "\n</tr>"


def table(rows):
    return ('<table class="MsoNormalTable" border="1" cellspacing="0" '
            'cellpadding="0" style="border-collapse:collapse">\n<tbody>\n'
            + "\n".join(tr(r) for r in rows) + "\n</tbody>\n</table>")


def html_table2(t2):
    rows = [[td("第二十条第（一）项", colspan=4)],
            [td("信息内容"), td("本年制发件数"), td("本年废止件数"),
             td("现行有效件数")]]
    for label, key in (("规章", "rules"), ("行政规范性文件", "normative")):
        rows.append([td(label)] + [td(v) for v in t2[key]])
    for item, header, entries in (
            ("（五）", "本年处理决定数量", [("行政许可", "licensing")]),
            ("（六）", "本年处理决定数量",
             [("行政处罚", "punishment"), ("行政强制", "coercion")]),
            ("（八）", "本年收费金额（单位：万元）", [("行政事业性收费", "fees")])):
        rows.append([td("第二十条第%s项" % item, colspan=4)])
        rows.append([td("信息内容"), td(header, colspan=3)])
        for label, key in entries:
            rows.append([td(label), td(t2[key], colspan=3)])
    return table(rows)


def html_table3(values, split_labels):
    rows = [[td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                colspan=3, rowspan=3),
             td(("申请人", "情况") if split_labels else "申请人情况", colspan=7)],
            [td("自然人", rowspan=2), td("法人或其他组织", colspan=5),
             td(("总", "计") if split_labels else "总计", rowspan=2)],
            [td(h) for h in ("商业企业", "科研机构", "社会公益组织", "法律服务机构",
                             "其他")]]
    for i, ((key, label), vals) in enumerate(zip(T3_ROWS, t3(values))):
        cells = []
        if i in (0, 1, 24):
            cells.append(td(label, colspan=3))
        elif i in (2, 3, 23):
            if i == 2:
                big = (("三、本", "年度", "办理", "结果") if split_labels
                       else "三、本年度办理结果")
                cells.append(td(big, rowspan=22))
            cells.append(td(label, colspan=2))
        else:
            if i in T3_BLOCKS:
                n, block = T3_BLOCKS[i]
                cells.append(td(block, rowspan=n))
            cells.append(td(label))
        cells += [td(v) for v in vals]
        rows.append(cells)
    return table(rows)


def html_table4(t4):
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    rows = [[td("行政复议", colspan=5), td("行政诉讼", colspan=10)],
            [td(h, rowspan=2) for h in heads]
            + [td("未经复议直接起诉", colspan=5), td("复议后起诉", colspan=5)],
            [td(h) for h in heads * 2],
            [td(v) for v in t4["review"] + t4["direct"] + t4["after"]]]
    return table(rows)


WORD_PASTE = {
    "title": "云岭县石门乡2024年政府信息公开工作年度报告",
    "t2": {"rules": [0, 0, 0], "normative": [3, 1, 7], "licensing": 26,
           "punishment": 9, "coercion": 2, "fees": 0},
    "t3": {
        "received": [9, 2, 0, 0, 1, 0, 12],
        "carried_over": [1, 0, 0, 0, 0, 0, 1],
        "granted": [4, 1, 0, 0, 0, 0, 5],
        "partially_granted": [1, 0, 0, 0, 0, 0, 1],
        "withheld_third_party": [1, 0, 0, 0, 0, 0, 1],
        "unavailable_not_held": [2, None, 0, 0, 1, 0, 3],
        "declined_duplicate": [1, 1, 0, 0, 0, 0, 2],
        "processed_total": [9, 2, 0, 0, 1, 0, 12],
        "carried_forward": [1, 0, 0, 0, 0, 0, 1],
    },
    "t4": {"review": [1, 0, 0, 0, 1], "direct": [0, 0, 0, 1, 1],
           "after": [0, 1, 0, 0, 1]},
}


def word_paste_html():
    c = WORD_PASTE
    t2 = c["t2"]
    body = [
        '<h1 class="article-title">%s</h1>' % c["title"],
        word_p("根据《中华人民共和国政府信息公开条例》规定，现公布石门乡", "2024",
               "年度政府信息公开工作年度报告。"),
        word_p("一、总体情况"),
        word_p("2024", "年，石门乡主动公开政府信息", "142", "条。全年收到政府信息公开申请",
               "12", "件，上年结转", "1", "件。"),
        word_p("二、主动公开", "政府信息情况"),
        '<div align="center">' + html_table2(t2).replace(
            span("26"), span("2") + span("6")) + "</div>",
        word_p("三、收到和处理", "政府信息公开申请情况"),
        '<div align="center">' + html_table3(c["t3"], True) + "</div>",
        word_p("四、政府信息公开", "行政复议、行政诉讼情况"),
        '<div align="center">' + html_table4(c["t4"]) + "</div>",
        word_p("五、存在的主要问题及改进情况"),
        word_p("部分村务信息更新不及时。下一步将按月核对公开栏与网站内容。"),
        word_p("六、其他需要报告的事项"),
        word_p("本年度未收取信息处理费。"),
        '<p style="text-align:right">%s</p>' % span("云岭县石门乡人民政府"),
        '<p style="text-align:right">%s</p>' % span("2025年1月20日"),
    ]
    return """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>%s_云岭县人民政府</title>
<style>.header{height:90px} td{font-size:12pt}</style>
<script type="text/javascript">var nav = "<p>2023年度报告</p>";</script>
</head>
<body>
<div class="header">
  <div class="logo">云岭县人民政府</div>
  <ul class="mainNav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul>
</div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; 政府信息公开 &gt; 年度报告</div>
<div class="content">
<ucapcontent>
%s
</ucapcontent>
</div>
<div class="footer">主办单位：云岭县人民政府办公室　联系电话：0871-0000000</div>
<script>document.write("<p>访问量 12345</p>");</script>
</body>
</html>
""" % (c["title"], "\n".join(body))


GBK_PAGE = {
    "title": "云岭县白鹭镇2023年政府信息公开工作年度报告",
    "t2": {"rules": [0, 0, 0], "normative": [2, 0, 5], "licensing": 31,
           "punishment": 4, "coercion": 0, "fees": 0},
    "t3": {
        "received": [6, 1, 0, 0, 0, 0, 7],
        "granted": [3, 1, 0, 0, 0, 0, 4],
        "unavailable_not_held": [2, 0, 0, 0, 0, 0, 2],
        "processed_total": [5, 1, 0, 0, 0, 0, 6],
        "carried_forward": [1, 0, 0, 0, 0, 0, 1],
    },
    "t4": {"review": [0, 1, 0, 0, 1], "direct": [0, 0, 0, 0, 0],
           "after": [0, 0, 0, 0, 0]},
}


def gbk_html():
    c = GBK_PAGE

    def p(text):
        return "<p>%s</p>" % text

    def simple(rows):
        out = ['<table border="1">']
        for r in rows:
            out.append("<tr>" + "".join("<td>%s</td>" % x for x in r) + "</tr>")
        out.append("</table>")
        return "\n".join(out)

    t2 = c["t2"]
    t2rows = [["第二十条第（一）项", "", "", ""],
              ["信息内容", "本年制发<br>件数", "本年废止<br>件数", "现行有效<br>件数"],
              ["规章"] + t2["rules"], ["行政规范性文件"] + t2["normative"],
              ["第二十条第（五）项", "", "", ""],
              ["信息内容", "本年处理决定数量", "", ""],
              ["行政许可", t2["licensing"], "", ""],
              ["第二十条第（六）项", "", "", ""],
              ["信息内容", "本年处理决定数量", "", ""],
              ["行政处罚", t2["punishment"], "", ""],
              ["行政强制", t2["coercion"], "", ""],
              ["第二十条第（八）项", "", "", ""],
              ["信息内容", "本年收费金额（单位：万元）", "", ""],
              ["行政事业性收费", t2["fees"], "", ""]]
    t3rows = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
               "", "", "申请人情况", "", "", "", "", "", ""],
              ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
              ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
               "其他", ""]]
    for i, ((key, label), vals) in enumerate(zip(T3_ROWS, t3(c["t3"]))):
        if i in (0, 1, 24):
            lead = [label, "", ""]
        elif i in (2, 3, 23):
            lead = ["三、本年度办理结果" if i == 2 else "", label, ""]
        else:
            lead = ["", T3_BLOCKS[i][1] if i in T3_BLOCKS else "", label]
        t3rows.append(lead + vals)
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    t4 = c["t4"]
    t4rows = [["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
              heads + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
              [""] * 5 + heads * 2,
              t4["review"] + t4["direct"] + t4["after"]]
    body = [
        "<h2>%s</h2>" % c["title"],
        p("一、总体情况"),
        p("2023年，白鹭镇主动公开政府信息96条，收到政府信息公开申请7件。"),
        p("二、主动公开政府信息情况"), simple(t2rows),
        p("三、收到和处理政府信息公开申请情况"), simple(t3rows),
        p("四、政府信息公开行政复议、行政诉讼情况"), simple(t4rows),
        p("五、存在的主要问题及改进情况"),
        p("政策解读形式单一。下一步将增加图解类解读。"),
        p("六、其他需要报告的事项"),
        p("本年度未收取信息处理费。"),
        p("云岭县白鹭镇人民政府"),
        p("2024年1月25日"),
    ]
    text = ("<html>\n<head>\n<meta charset=gbk>\n<title>%s</title>\n</head>\n"
            "<body>\n%s\n</body>\n</html>\n" % (c["title"], "\n".join(body)))
    return text.encode("gbk")


# ------------------------------------------------------------------ DOCX

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def w_run(text, bold=False):
    rpr = '<w:rPr><w:rFonts w:hint="eastAsia"/>%s</w:rPr>' % (
        "<w:b/>" if bold else "")
    return '<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>' % (rpr, esc(text))


def w_p(*pieces, jc=None):
    ppr = '<w:pPr><w:jc w:val="%s"/></w:pPr>' % jc if jc else ""
    return "<w:p>%s%s</w:p>" % (ppr, "".join(
        p if p.startswith("<") else w_run(p) for p in pieces))


def w_heading(text):
    """A part heading as Word's outline numbering writes it: the "一、" is
    not in the text but comes from the style's list (numbering.xml)."""
    return ('<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>%s</w:p>'
            % w_run(text, bold=True))


NUMBERING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:numbering xmlns:w="%s"><w:abstractNum w:abstractNumId="0">'
    '<w:multiLevelType w:val="hybridMultilevel"/><w:lvl w:ilvl="0">'
    '<w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="%%1、"/><w:suff w:val="nothing"/><w:lvlJc w:val="left"/>'
    '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/>'
    "</w:num></w:numbering>" % W)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:styles xmlns:w="%s"><w:style w:type="paragraph" w:default="1" '
    'w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>'
    "</w:pPr></w:style></w:styles>" % W)


def w_tc(content, span=1, vmerge=None):
    pr = '<w:tcW w:w="%d" w:type="dxa"/>' % (900 * span)
    if span > 1:
        pr += '<w:gridSpan w:val="%d"/>' % span
    if vmerge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        pr += "<w:vMerge/>"
    if content is None:
        inner = "<w:p/>"
    elif isinstance(content, (list, tuple)):
        inner = w_p(*content)
    else:
        inner = w_p(str(content))
    return "<w:tc><w:tcPr>%s</w:tcPr>%s</w:tc>" % (pr, inner)


def w_tbl(rows, ncols):
    grid = "".join('<w:gridCol w:w="900"/>' for _ in range(ncols))
    return ('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
            "<w:tblGrid>%s</w:tblGrid>%s</w:tbl>"
            % (grid, "".join("<w:tr>%s</w:tr>" % "".join(r) for r in rows)))


DOCX_CASE = {
    "title": "云岭县发展和改革局2024年政府信息公开工作年度报告",
    "t2": {"rules": [0, 0, 0], "normative": [1, 0, 3], "licensing": 57,
           "punishment": 3, "coercion": 1, "fees": 0},
    "t3": {
        "received": [5, 1, 0, 0, 0, None, 6],
        "carried_over": [2, 0, 0, 0, 0, 0, 2],
        "granted": [3, 1, 0, 0, 0, 0, 4],
        "withheld_process": [1, 0, 0, 0, 0, 0, 1],
        "unavailable_needs_creation": [1, 0, 0, 0, 0, 0, 1],
        "other_misc": [1, 0, 0, 0, 0, 0, 1],
        "processed_total": [6, 1, 0, 0, 0, 0, 7],
        "carried_forward": [1, 0, 0, 0, 0, 0, 1],
    },
    "t4": {"review": [0, 0, 1, 0, 1], "direct": [1, 0, 0, 0, 1],
           "after": [0, 0, 0, 0, 0]},
}


def docx_document():
    c = DOCX_CASE
    t2 = c["t2"]
    rows = [[w_tc("第二十条第（一）项", 4)],
            [w_tc("信息内容"), w_tc("本年制发件数"), w_tc("本年废止件数"),
             w_tc("现行有效件数")],
            [w_tc("规章")] + [w_tc(v) for v in t2["rules"]],
            [w_tc(("行政规范性", "文件"))] + [w_tc(v) for v in t2["normative"]]]
    for item, header, entries in (
            ("（五）", "本年处理决定数量", [("行政许可", "licensing")]),
            ("（六）", "本年处理决定数量",
             [("行政处罚", "punishment"), ("行政强制", "coercion")]),
            ("（八）", "本年收费金额（单位：万元）", [("行政事业性收费", "fees")])):
        rows.append([w_tc("第二十条第%s项" % item, 4)])
        rows.append([w_tc("信息内容"), w_tc(header, 3)])
        for label, key in entries:
            rows.append([w_tc(label), w_tc(t2[key], 3)])
    table2 = w_tbl(rows, 4)

    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    rows = [[w_tc(note, 3, "restart"), w_tc("申请人情况", 7)],
            [w_tc(None, 3, "continue"), w_tc("自然人", 1, "restart"),
             w_tc("法人或其他组织", 5), w_tc("总计", 1, "restart")],
            [w_tc(None, 3, "continue"), w_tc(None, 1, "continue")]
            + [w_tc(h) for h in ("商业企业", "科研机构", "社会公益组织",
                                 "法律服务机构", "其他")]
            + [w_tc(None, 1, "continue")]]
    block_left = 0
    for i, ((key, label), vals) in enumerate(zip(T3_ROWS, t3(c["t3"]))):
        cells = []
        if i in (0, 1, 24):
            lab = ("二、上年结转", "政府信息公开申请数量") if i == 1 else label
            cells.append(w_tc(lab, 3))
        else:
            cells.append(w_tc(("三、本年度", "办理结果") if i == 2 else None, 1,
                              "restart" if i == 2 else "continue"))
            if i in (2, 3, 23):
                cells.append(w_tc(label, 2))
            else:
                if i in T3_BLOCKS:
                    block_left, block = T3_BLOCKS[i]
                    cells.append(w_tc(block, 1, "restart"))
                else:
                    cells.append(w_tc(None, 1, "continue"))
                cells.append(w_tc(label))
        for v in vals:
            if key == "carried_over" and v == 2:
                # A tracked change: 3 deleted, 2 inserted.
                cells.append(
                    '<w:tc><w:p><w:del w:id="1" w:author="a"><w:r><w:delText>'
                    '3</w:delText></w:r></w:del><w:ins w:id="2" w:author="a">'
                    "%s</w:ins></w:p></w:tc>" % w_run("2"))
            else:
                cells.append(w_tc(v))
        rows.append(cells)
    table3 = w_tbl(rows, 10)

    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    t4 = c["t4"]
    rows = [[w_tc("行政复议", 5), w_tc("行政诉讼", 10)],
            [w_tc(h, 1, "restart") for h in heads]
            + [w_tc("未经复议直接起诉", 5), w_tc("复议后起诉", 5)],
            [w_tc(None, 1, "continue") for _ in heads]
            + [w_tc(h) for h in heads * 2],
            [w_tc(v) for v in t4["review"] + t4["direct"] + t4["after"]]]
    table4 = w_tbl(rows, 15)

    textbox = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>'
        "<w:txbxContent>%s</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>%s"
        "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>") % ((w_p("本年度未收取信息处理费。"),) * 2)

    body = [
        w_p(c["title"], jc="center"),
        w_heading("总体情况"),
        w_p("2024年，县发展和改革局主动公开政府信息", "218", "条，收到政府信息公开申请6件。"),
        w_heading("主动公开政府信息情况"), table2,
        w_heading("收到和处理政府信息公开申请情况"), table3,
        w_heading("政府信息公开行政复议、行政诉讼情况"), table4,
        w_heading("存在的主要问题及改进情况"),
        w_p("依申请公开答复文书格式不统一。下一步将使用统一的答复文书模板。"),
        w_heading("其他需要报告的事项"),
        "<w:p>%s</w:p>" % textbox,
        w_p("云岭县发展和改革局", jc="right"),
        w_p("2025年1月22日", jc="right"),
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="%s" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="">'
        "<w:body>%s<w:sectPr/></w:body></w:document>" % (W, "".join(body)))


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>")
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>')


def write_docx(path, document, lists=False):
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
             ("word/document.xml", document)]
    if lists:
        parts += [("word/numbering.xml", NUMBERING), ("word/styles.xml", STYLES)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))


def write(path, data):
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def main():
    write(os.path.join(CASES, "30_html_word_paste.html"), word_paste_html())
    write(os.path.join(CASES, "31_html_gbk_meta.html"), gbk_html())
    write_docx(os.path.join(CASES, "32_docx_merged.docx"), docx_document(),
               lists=True)

    html_dir = os.path.join(FUZZ, "html")
    docx_dir = os.path.join(FUZZ, "docx")
    os.makedirs(html_dir, exist_ok=True)
    os.makedirs(docx_dir, exist_ok=True)
    # Small seeds, each one feature, for the fuzzer to mutate.
    write(os.path.join(html_dir, "spans_rowspan.html"),
          "<html><body><p><span>三、本年</span><span>度办理结果</span></p>"
          '<table><tr><td rowspan="2">a</td><td colspan="2">b</td></tr>'
          "<tr><td>1</td><td>&nbsp;</td></tr></table></body></html>")
    write(os.path.join(html_dir, "nested_layout.html"),
          "<table><tr><td><p>一、总体情况</p><table><tr><td>规章</td><td>0</td>"
          "</tr></table></td><td class=nav>x</td></tr></table>")
    write(os.path.join(html_dir, "gbk_meta.html"),
          '<meta charset="gb2312"><pre>a\tb\n\xd2\xbb</pre>'.encode("latin-1"))
    write(os.path.join(html_dir, "js_string.html"),
          'let content = "<p>x</p><table><tr><td colspan=\\"2\\">1</td></tr>'
          '</table>";')
    write(os.path.join(html_dir, "word_paste.html"), word_paste_html())
    write_docx(os.path.join(docx_dir, "merged.docx"), docx_document(),
               lists=True)
    write_docx(os.path.join(docx_dir, "tabs_breaks.docx"), (
        '<w:document xmlns:w="%s"><w:body><w:p><w:r><w:t>规章</w:t><w:tab/>'
        "<w:t>0</w:t><w:br/><w:t>x</w:t></w:r></w:p><w:tbl><w:tr><w:trPr>"
        '<w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>1</w:t></w:r>'
        "</w:p></w:tc></w:tr></w:tbl></w:body></w:document>" % W))


if __name__ == "__main__":
    main()
