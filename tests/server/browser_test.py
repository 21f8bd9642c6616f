"""browser_test.py - the pages in headless Chromium (Selenium), against a
real `gongkai serve`: upload a folder of reports, watch the queue finish,
import the roster, open a report, click a finding and see its line and
cells, confirm one, dismiss one with a reason, correct a cell and see its
finding disappear, open the two-year page, download the 整改通知 and the
XLSX and check their contents.  Screenshots
of each page are kept in ARTEFACTS; no console error (a CSP violation
included) is allowed.

    browser_test.py GONGKAI SOURCE_DIR ARTEFACTS

Skips (exit 0, "SKIP:") only when Chromium, its driver or Selenium is
missing.
"""
import glob
import http.server
import os
import shutil
import sys
import tempfile
import threading
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import Server, check, fail, report_folder  # noqa: E402

from chromium import console_errors, start, wait_until  # noqa: E402  (exits with SKIP: without a browser)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402

binary, src, artefacts = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(artefacts, exist_ok=True)
for old in glob.glob(os.path.join(artefacts, '*.png')):
    os.remove(old)

XSS = '<script>alert(1)</script><img src=x onerror=alert(2)> "><a href="javascript:alert(3)">x</a>'
XSS_NAME = '<img src=x onerror=alert(4)>.txt'

# the server fetches the URL import from loopback directly, whatever
# proxy this shell has
for k in ('http_proxy', 'https_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY'):
    os.environ.pop(k, None)
srv = Server(binary)
profile = tempfile.mkdtemp(prefix='gk-chromium.')
downloads = tempfile.mkdtemp(prefix='gk-downloads.')
driver = None


def shot(name):
    path = os.path.join(artefacts, name + '.png')
    # the whole page, not only the window
    h = driver.execute_script('return Math.max(document.body.scrollHeight, 1000)')
    driver.set_window_size(1400, min(h + 40, 4000))
    driver.save_screenshot(path)
    driver.set_window_size(1400, 1000)
    print('     screenshot ' + path)


def wait(cond, what):
    wait_until(driver, cond, what, lambda: shot('failed'))


def texts(css):
    """The texts of the elements matching css, read in one step in the
    page (elements found and then read could be re-rendered between)."""
    return driver.execute_script(
        'return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText)', css)


try:
    driver = start(profile, downloads)
    # an administrator made the account (an administrator too: the page
    # imports the roster below); its first login through the page asks
    # for a new password, then opens the workspace as 李审核
    once = srv.api('POST', 'users', {'name': '李审核', 'role': '管理员'}, expect=201)['password']
    driver.get(srv.base + '/login')
    driver.find_element(By.ID, 'login-name').send_keys('李审核')
    driver.find_element(By.ID, 'login-password').send_keys('wrong password!')
    driver.find_element(By.ID, 'login-submit').click()
    wait(lambda: driver.find_element(By.ID, 'login-error').text == '用户名或密码错误',
         'the login page to refuse a wrong password')
    driver.get_log('browser')  # the refused login's 401, expected
    driver.find_element(By.ID, 'login-password').clear()
    driver.find_element(By.ID, 'login-password').send_keys(once)
    driver.find_element(By.ID, 'login-submit').click()
    wait(lambda: driver.find_element(By.ID, 'change-card').is_displayed(), 'the new-password form')
    shot('login-change')
    for field in ('change-new', 'change-again'):
        driver.find_element(By.ID, field).send_keys('李审核的新密码-2024')
    driver.find_element(By.ID, 'change-submit').click()
    wait(lambda: driver.find_element(By.ID, 'year').text != '', 'the first page')
    wait(lambda: '李审核' in driver.find_element(By.ID, 'reviewer').text,
         'the page to name the logged-in user')
    check(driver.find_element(By.ID, 'admin-link').is_displayed(),
          'an administrator sees the link to the administration page')

    # upload a folder of reports through the folder input
    folder = os.path.join(srv.tmp, '报告')
    report_folder(src, folder)
    # a hostile report: markup in its file name and in its prose must show
    # as text and run nothing
    with open(os.path.join(src, 'tests/batch/cases/baisha_2023.txt'), encoding='utf-8') as f:
        lines = f.read().split('\n')
    lines.insert(6, XSS)
    # ... and in its title and its agency (issue 14's stored-XSS case)
    lines[0] = '云岭县白沙镇<script>alert(5)</script>2023年政府信息公开工作年度报告'
    agency = [i for i, t in enumerate(lines) if t.strip() == '云岭县白沙镇人民政府'][-1]
    lines[agency] = '云岭县白沙镇人民政府"><img src=x onerror=alert(6)><a href="javascript:alert(7)">'
    with open(os.path.join(folder, XSS_NAME), 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))
    driver.find_element(By.ID, 'folder').send_keys(folder)
    wait(lambda: driver.find_element(By.ID, 'progress').get_attribute('data-finished') == '1',
         'the queue to finish')
    counts = driver.find_element(By.ID, 'counts').text
    check('已接收 6 份' in counts and '已读取并检查 5 份' in counts and '无法读取 1 份' in counts,
          'progress shows the batch: ' + counts)
    failed = [t for t in texts('#batch-table tbody tr') if '无法读取' in t]
    check(any(XSS_NAME in t for t in texts('#batch-table tbody tr')), 'a file name with markup shows as text')
    check(not driver.find_elements(By.CSS_SELECTOR, '#batch-table img'), 'and makes no element')
    check(len(failed) == 1 and 'PNG' in failed[0], 'the failed file shows the reader\'s message')

    # import from URLs (a reviewer's control on the upload page): a local
    # web server gives one report and a 404; the batch's progress shows
    # the report read, the toast the refused URL
    check(driver.find_element(By.ID, 'url-form').is_displayed(), 'an administrator sees the URL import')
    with open(os.path.join(src, 'tests/golden/cases/01_tabs_clean.txt'), 'rb') as f:
        fenglin = f.read()

    class Web(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body, code = (fenglin, 200) if self.path == '/fenglin.txt' else (b'not here', 404)
            self.send_response(code)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    web = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Web)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    web_base = 'http://127.0.0.1:%d' % web.server_address[1]
    driver.find_element(By.ID, 'urls').send_keys('%s/fenglin.txt\n# a comment\n%s/gone.pdf' % (web_base, web_base))
    driver.find_element(By.ID, 'url-import').click()
    wait(lambda: '已接收 1 份' in driver.find_element(By.ID, 'counts').text and
         driver.find_element(By.ID, 'progress').get_attribute('data-finished') == '1', 'the URL import to finish')
    counts = driver.find_element(By.ID, 'counts').text
    check('已读取并检查 1 份' in counts, 'the URL import\'s progress: ' + counts)
    check('fenglin.txt' in ' '.join(texts('#batch-table tbody tr')), 'the fetched report is listed by its name')
    wait(lambda: 'gone.pdf' in driver.find_element(By.ID, 'toast').text, 'the refused URL in the toast')
    shot('02b-url-import')
    web.shutdown()
    driver.get_log('browser')  # the refused URL's message is a toast, not a console error

    # the roster, through the page
    roster = os.path.join(srv.tmp, '名单.csv')
    with open(roster, 'w', encoding='utf-8') as f:
        f.write('名称,类型,上级\nXX县,县,\n青石镇人民政府,乡镇,XX县\n白沙镇人民政府,乡镇,XX县\n红岩镇,乡镇,XX县\n')
    driver.find_element(By.ID, 'roster-file').send_keys(roster)
    wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, '#roster-table tbody tr')) == 4, 'the roster')
    table = driver.find_element(By.ID, 'roster-table').text
    check('红岩镇' in table and '未发布' in table and '按时发布' in table, 'region page: published and not')
    shot('01-region')

    # one body's two years
    driver.find_element(By.LINK_TEXT, '两年对照').click()
    wait(lambda: driver.find_element(By.TAG_NAME, 'body').get_attribute('data-loaded') == '1', 'the two-year page')
    check('2023 年与 2024 年对照' in driver.find_element(By.ID, 'title').text, 'two-year page title')
    changed = driver.find_elements(By.CSS_SELECTOR, '#cells tbody tr')
    check(len(changed) >= 1 and '第' in changed[0].text, '%d changed cells listed' % len(changed))
    check(driver.find_elements(By.CSS_SELECTOR, '.redline ins') and driver.find_elements(By.CSS_SELECTOR, '.redline del'),
          'prose shown as a redline')
    check('相似度' in driver.find_element(By.ID, 'parts').text, 'similarity shown')
    shot('02-compare')
    driver.get(srv.base + '/')
    wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, '#roster-table tbody tr')) == 4, 'the region page again')

    # the hostile report's page: its prose shows as text, nothing runs
    hostile = [r for r in srv.api('GET', 'reports') if r['name'] == XSS_NAME][0]
    driver.get(srv.base + '/report?id=%d' % hostile['id'])
    wait(lambda: driver.find_element(By.TAG_NAME, 'body').get_attribute('data-loaded') == '1', 'the hostile report')
    check(XSS in texts('#source')[0], 'markup in the prose shows as text')
    check(not driver.find_elements(By.CSS_SELECTOR, '#source img, #source script, #source a'),
          'and makes no element')
    shot('02a-hostile')
    meta = driver.find_element(By.TAG_NAME, 'body').text
    check('<script>alert(5)</script>' in meta or 'onerror=alert(6)' in meta,
          'markup in the title or agency shows as text: ' + hostile.get('title', '') + ' / ' +
          (hostile.get('agency') or ''))
    # every other page that shows the hostile report or its names: the
    # report lists, the two-year page, the administration page (audit)
    for page in ('/', '/compare?id=%d' % hostile['id'], '/admin', '/report?id=%d' % hostile['id']):
        driver.get(srv.base + page)
        time.sleep(1)
        try:
            alert = driver.switch_to.alert.text
        except NoAlertPresentException:
            alert = None
        check(alert is None, '%s runs no script of the report (alert: %r)' % (page, alert))
    # the hostile report has no previous year: the two-year page's 404 is
    # expected; anything else (a CSP violation above all) is not
    errors = [e for e in console_errors(driver) if '/compare - Failed to load resource' not in e['message']]
    check(not errors, 'no console errors on those pages (CSP included): %r' % errors)
    check(not driver.find_elements(By.CSS_SELECTOR, 'img[src="x"]') and
          not driver.find_elements(By.CSS_SELECTOR, 'a[href^="javascript"]'),
          'no element made of the markup')
    driver.get(srv.base + '/')
    wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, '#roster-table tbody tr')) == 4, 'the region page')

    # open a report from the region page
    driver.find_element(By.LINK_TEXT, '青石镇人民政府').click()
    wait(lambda: driver.find_element(By.TAG_NAME, 'body').get_attribute('data-loaded') == '1', 'the report page')
    check('XX县青石镇2024年政府信息公开工作年度报告' in driver.find_element(By.ID, 'title').text, 'report title')
    flagged = driver.find_elements(By.CSS_SELECTOR, 'td.flag-error')
    check(len(flagged) >= 3, '%d flagged cells highlighted' % len(flagged))
    # table 4 as the national format prints it (format.md 1.6): three
    # header rows, 行政复议 over five results, 行政诉讼 over its two blocks,
    # one row of fifteen cells
    t4 = driver.find_element(By.CSS_SELECTOR, 'table.appeals')
    heads = [[(th.text, th.get_attribute('colspan') or '1', th.get_attribute('rowspan') or '1')
              for th in tr.find_elements(By.TAG_NAME, 'th')]
             for tr in t4.find_elements(By.CSS_SELECTOR, 'thead tr')]
    results = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']
    check(heads[0] == [('行政复议', '5', '1'), ('行政诉讼', '10', '1')], 'table 4: 行政复议 | 行政诉讼 on top: %r' % heads[0])
    check(heads[1] == [(r, '1', '2') for r in results] +
          [('未经复议直接起诉', '5', '1'), ('复议后起诉', '5', '1')], 'table 4: the second header row')
    check([h[0] for h in heads[2]] == results * 2 and len(heads) == 3, 'table 4: the litigation results below')
    tds = t4.find_elements(By.CSS_SELECTOR, 'tbody tr')
    check(len(tds) == 1 and len(tds[0].find_elements(By.CSS_SELECTOR, 'td.cell')) == 15,
          'table 4: one row of fifteen cells')
    shot('03-report')
    driver.execute_script('arguments[0].scrollIntoView()', t4)
    shot('03b-table4')

    # click a finding: its line is shown and its cells marked
    blank = driver.find_element(By.CSS_SELECTOR, 'li.finding[data-rule="cell.blank"]')
    blank.click()
    line = driver.find_element(By.CSS_SELECTOR, '.line.hit')
    check(line.get_attribute('id') == 'L67' and '重复申请' in line.text, 'the finding\'s line is marked: ' + line.text[:30])
    visible = driver.execute_script(
        'const l = arguments[0].getBoundingClientRect(), b = document.getElementById("source").getBoundingClientRect();'
        'return l.top >= b.top && l.bottom <= b.bottom;', line)
    check(visible, 'the line is scrolled into view')
    focus = [td.get_attribute('data-path') for td in driver.find_elements(By.CSS_SELECTOR, 'td.focus')]
    check('applications.declined_duplicate.business' in focus, 'the finding\'s cells are marked')
    shot('04-finding')

    # confirm one
    li = driver.find_element(By.CSS_SELECTOR, 'li.finding[data-rule="text.applications"]')
    li.find_element(By.CSS_SELECTOR, 'button.confirm').click()
    wait(lambda: 'st-confirmed' in driver.find_element(
        By.CSS_SELECTOR, 'li.finding[data-rule="text.applications"]').get_attribute('class'), 'the confirmation')
    check('已确认 · 李审核' in driver.find_element(By.CSS_SELECTOR, 'li.finding[data-rule="text.applications"]').text,
          'confirmed, with the reviewer')

    # dismiss one with a reason
    li = driver.find_element(By.CSS_SELECTOR, 'li.finding[data-rule="arith.row-total"]')
    li.find_element(By.CSS_SELECTOR, 'button.dismiss').click()
    reason = li.find_element(By.CSS_SELECTOR, 'input.reason')
    reason.send_keys('原件表格如此，已电话核实')
    li.find_element(By.CSS_SELECTOR, 'button.dismiss').click()
    wait(lambda: 'st-dismissed' in driver.find_element(
        By.CSS_SELECTOR, 'li.finding[data-rule="arith.row-total"]').get_attribute('class'), 'the dismissal')
    check('原件表格如此' in driver.find_element(By.CSS_SELECTOR, 'li.finding[data-rule="arith.row-total"]').text,
          'dismissed with its reason')

    # correct the blank cell: its finding disappears
    driver.find_element(By.CSS_SELECTOR, 'td[data-path="applications.declined_duplicate.business"]').click()
    box = driver.find_element(By.CSS_SELECTOR, '.editor input.value')
    box.clear()
    box.send_keys('0')
    driver.find_element(By.CSS_SELECTOR, '.editor button.confirm').click()
    wait(lambda: not driver.find_elements(By.CSS_SELECTOR, 'li.finding[data-rule="cell.blank"]'),
         'the corrected finding to disappear')
    td = driver.find_element(By.CSS_SELECTOR, 'td[data-path="applications.declined_duplicate.business"]')
    check(td.text == '0' and 'corrected' in td.get_attribute('class'), 'the cell shows the correction')
    check('李审核' in driver.find_element(By.ID, 'corrections').text, 'the correction log names the reviewer')
    check('st-confirmed' in driver.find_element(
        By.CSS_SELECTOR, 'li.finding[data-rule="text.applications"]').get_attribute('class'),
          'reviews kept after the re-check')
    shot('05-corrected')

    # the rectification notice of the confirmed finding
    driver.find_element(By.ID, 'notice').click()
    wait(lambda: [f for f in os.listdir(downloads) if f.endswith('.docx')], 'the notice download')
    time.sleep(0.5)
    path = os.path.join(downloads, [f for f in os.listdir(downloads) if f.endswith('.docx')][0])
    doc = zipfile.ZipFile(path).read('word/document.xml').decode()
    check('整改通知' in doc and '收到政府信息公开申请10件' in doc and '原文第 15 行' in doc,
          'the notice lists the confirmed finding with its line')
    check('原件表格如此' not in doc, 'the dismissed finding is not in the notice')

    # download the XLSX from the first page
    driver.get(srv.base + '/')
    wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, '#roster-table tbody tr')) == 4, 'the first page again')
    driver.find_element(By.ID, 'export').click()
    wait(lambda: [f for f in os.listdir(downloads) if f.endswith('.xlsx')], 'the XLSX download')
    path = os.path.join(downloads, [f for f in os.listdir(downloads) if f.endswith('.xlsx')][0])
    time.sleep(0.5)
    z = zipfile.ZipFile(path)
    sheet1 = z.read('xl/worksheets/sheet1.xml').decode()
    sheet2 = z.read('xl/worksheets/sheet2.xml').decode()
    check('XX县青石镇人民政府' in sheet1 and '白沙镇' in sheet1, 'the XLSX lists the reports')
    check('“2.重复申请”行“商业企业”列为空' not in sheet2 and 'arith.row-total' in sheet2,
          'the XLSX is of the corrected models')
    sheet3 = z.read('xl/worksheets/sheet3.xml').decode()
    check('收到政府信息公开申请10件' in sheet3 and '李审核' in sheet3, 'the XLSX has the confirmed findings sheet')
    shot('06-after')

    # the ranking page, from the region page: the API's order and points
    driver.find_element(By.ID, 'ranking-link').click()
    wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, '#ranking tbody tr')) == 4, 'the ranking page')
    year = driver.current_url.split('year=')[1]
    api_rows = srv.api('GET', 'ranking?year=' + year)['bodies']
    rows = [tr.find_elements(By.TAG_NAME, 'td') for tr in driver.find_elements(By.CSS_SELECTOR, '#ranking tbody tr')]
    check([(r[0].text, r[1].text, r[3].text) for r in rows] ==
          [(str(b['rank']), b['name'], str(b['points'])) for b in api_rows],
          'the ranking page shows the API\'s ranks and points: %r' % [(r[0].text, r[1].text, r[3].text) for r in rows])
    red = [r for r in rows if r[1].text == '红岩镇'][0]
    check(red[4].text == '未发布', 'an unpublished body is listed as such')
    check('默认评分规则' in driver.find_element(By.ID, 'rubric-source').text and
          driver.find_elements(By.CSS_SELECTOR, '#rules tbody tr'), 'the rubric is shown')
    shot('07-ranking')

    # a PDF report: clicking a finding shows its page with its cells boxed
    pbatch = srv.api('POST', 'batches', {'reviewer': '李审核'}, expect=201)['id']
    pdf_id = srv.upload(pbatch, os.path.join(src, 'tests/golden/cases/14_pdf_blank_cell.pdf'))['report_id']
    srv.wait_batch(pbatch)
    driver.get(srv.base + '/report?id=%d' % pdf_id)
    wait(lambda: driver.find_element(By.TAG_NAME, 'body').get_attribute('data-loaded') == '1', 'the PDF report page')
    check(driver.find_element(By.ID, 'page-card').get_attribute('hidden') is not None, 'no page shown before a click')
    driver.find_element(By.CSS_SELECTOR, 'li.finding[data-rule="cell.blank"]').click()
    wait(lambda: driver.find_element(By.ID, 'page-view').get_attribute('data-boxes') not in (None, ''), 'the PDF page')
    model = srv.api('GET', 'reports/%d' % pdf_id)['model']
    blank = [f for f in srv.api('GET', 'reports/%d' % pdf_id)['findings'] if f['rule'] == 'cell.blank'][0]
    table, row = blank['path'].split('.', 1)
    want = [c for k, c in model['provenance']['tables'][table]['cells'].items()
            if (k == row or k.startswith(row + '.')) and c.get('page') == blank['page']]
    view = driver.find_element(By.ID, 'page-view')
    check(view.get_attribute('data-page') == str(blank['page']) and view.get_attribute('data-boxes') == str(len(want)),
          'page %s shown with the %d cells of %s boxed' % (view.get_attribute('data-page'), len(want), blank['path']))
    img_w = driver.execute_script('return document.getElementById("page-image").naturalWidth')
    check(img_w > 800, 'the page image is rendered (%d px wide)' % img_w)
    box = driver.find_element(By.CSS_SELECTOR, '.cell-box')
    left = driver.execute_script('return arguments[0].offsetLeft', box)
    check(abs(left - min(c['box'][0] for c in want) * 1.5) <= 1, 'the first box is at its cell (%d px)' % left)
    shot('08-pdf-page')

    try:
        alert = driver.switch_to.alert.text
    except NoAlertPresentException:
        alert = None
    check(alert is None, 'no script of a report ever ran (alert: %r)' % alert)
    errors = console_errors(driver)
    check(not errors, 'no console errors (CSP included): %r' % errors)
finally:
    if driver:
        driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
    shutil.rmtree(downloads, ignore_errors=True)
    rc = srv.stop()
    log = srv.log_text()
    srv.cleanup()
if rc != 0 or 'Sanitizer' in log:
    fail('server did not stop cleanly (rc %d): %s' % (rc, log[-3000:]))
print('browser_test: all passed')
