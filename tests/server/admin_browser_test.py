"""admin_browser_test.py - the administration page (/admin, 用户与审计) in
headless Chromium against a real `gongkai serve` (issue 14): an
administrator changes a user's role and scope with the row's selects,
disables the account (its open session ends at once, its login is
refused), enables it again, cannot disable their own account, and sees
the changes in the audit log.  A screenshot is kept in ARTEFACTS; no
console error (a CSP violation included) is allowed.

    admin_browser_test.py GONGKAI SOURCE_DIR ARTEFACTS

Skips (exit 0, "SKIP:") only when Chromium, its driver or Selenium is
missing.
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gkserver import TEST_PASSWORD, Server, check, fail  # noqa: E402

from chromium import WAIT, console_errors, start, wait_until  # noqa: E402  (exits with SKIP: without a browser)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

binary, src, artefacts = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(artefacts, exist_ok=True)
srv = Server(binary)
profile = tempfile.mkdtemp(prefix='gk-chromium.')
driver = None


def wait(cond, what):
    wait_until(driver, cond, what,
               lambda: driver.save_screenshot(os.path.join(artefacts, 'admin-failed.png')))


def row(name):
    return driver.find_element(By.CSS_SELECTOR, 'tr[data-user="%s"]' % name)


def cell_text(name, css):
    return driver.execute_script(
        'const r = document.querySelector(\'tr[data-user="\' + arguments[0] + \'"]\');'
        'return r ? r.querySelector(arguments[1]).innerText : null', name, css)


def accept_confirm():
    def present():
        try:
            return driver.switch_to.alert
        except NoAlertPresentException:
            return False
    WebDriverWait(driver, WAIT).until(lambda d: present())
    driver.switch_to.alert.accept()


def user(name):
    return [u for u in srv.api('GET', 'users', expect=200) if u['name'] == name][0]


try:
    roster = '名称,类型,上级\nA市,市,\n甲县,县,A市\n青石镇人民政府,乡镇,甲县\n'
    st = srv.request('POST', '/api/v1/roster?year=2024', raw=roster.encode())[0]
    check(st == 200, 'roster imported (%d)' % st)
    regions = {g['name']: g['id'] for g in srv.api('GET', 'regions', expect=200)}
    page_admin = srv.add_user('页面管理员', '管理员')
    clerk = srv.add_user('甲县审核员', '审核人员', regions['甲县'])

    driver = start(profile)
    driver.get(srv.base + '/login')
    driver.add_cookie({'name': 'gk_session', 'value': page_admin.token, 'path': '/'})
    driver.get(srv.base + '/admin')
    wait(lambda: row('甲县审核员').is_displayed(), 'the user table')
    check(cell_text('甲县审核员', '.user-state') == '在用', 'the account is shown as active')
    check(not row('页面管理员').find_element(By.CSS_SELECTOR, '.user-disable').is_enabled(),
          'the administrator\'s own row cannot be disabled')

    # the create form offers every node of the tree: a township's clerk
    # (填报人员) is created with that township as their scope
    driver.find_element(By.ID, 'user-name').send_keys('青石镇填报员')
    Select(driver.find_element(By.ID, 'user-role')).select_by_visible_text('填报人员')
    Select(driver.find_element(By.ID, 'user-scope')).select_by_value(
        str(regions['青石镇人民政府']))
    driver.find_element(By.CSS_SELECTOR, '#user-form button[type=submit]').click()
    wait(lambda: row('青石镇填报员').is_displayed(), 'the new clerk in the user table')
    u = user('青石镇填报员')
    check(u['role'] == '填报人员' and u['scope'] == regions['青石镇人民政府'],
          'the form created a township clerk scoped to the township (%r)' % u)

    # a new role and scope with the row's selects
    r = row('甲县审核员')
    Select(r.find_element(By.CSS_SELECTOR, 'select.user-role')).select_by_value('只读')
    Select(r.find_element(By.CSS_SELECTOR, 'select.user-scope')).select_by_value(
        str(regions['青石镇人民政府']))
    r.find_element(By.CSS_SELECTOR, '.user-save').click()
    wait(lambda: user('甲县审核员')['role'] == '只读', 'the role change')
    u = user('甲县审核员')
    check(u['scope'] == regions['青石镇人民政府'], 'the page changed the role and the scope')
    me = json.loads(clerk.request('GET', '/api/v1/session')[2])
    check(me['role'] == '只读' and me['scope'] == regions['青石镇人民政府'],
          'the user\'s open session has them at once')
    wait(lambda: Select(row('甲县审核员').find_element(By.CSS_SELECTOR, 'select.user-role'))
         .first_selected_option.text == '只读', 'the table to show the new role')

    # disable: the open session ends at once, the login is refused
    row('甲县审核员').find_element(By.CSS_SELECTOR, '.user-disable').click()
    accept_confirm()
    wait(lambda: cell_text('甲县审核员', '.user-state') == '已停用', 'the row to say 已停用')
    check(clerk.request('GET', '/api/v1/session')[0] == 401, 'the disabled user\'s session ended')
    st = srv.new_session().request('POST', '/api/v1/login',
                                   {'name': '甲县审核员', 'password': TEST_PASSWORD})[0]
    check(st == 403, 'the disabled user cannot log in (%d)' % st)
    driver.save_screenshot(os.path.join(artefacts, 'admin-users.png'))
    print('     screenshot ' + os.path.join(artefacts, 'admin-users.png'))
    wait(lambda: '修改用户' in driver.find_element(By.ID, 'audit-table').text,
         'the change in the audit log')
    check('停用' in driver.find_element(By.ID, 'audit-table').text, 'the audit log says 停用')

    # enable again
    row('甲县审核员').find_element(By.CSS_SELECTOR, '.user-disable').click()
    wait(lambda: cell_text('甲县审核员', '.user-state') == '在用', 'the row to say 在用')
    again = srv.new_session()
    again.login('甲县审核员', TEST_PASSWORD)
    check(again.request('GET', '/api/v1/session')[0] == 200, 'the enabled user logs in again')
    errors = console_errors(driver)
    check(not errors, 'no console errors (CSP included): %r' % errors)
finally:
    if driver:
        driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
    rc = srv.stop()
    log = srv.log_text()
    srv.cleanup()
if rc != 0 or 'Sanitizer' in log:
    fail('server did not stop cleanly (rc %d): %s' % (rc, log[-3000:]))
print('admin_browser_test: all passed')
