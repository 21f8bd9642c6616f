"""chromium.py - headless Chromium for the browser tests (Debian chromium
and chromium-driver, driven by python3-selenium).

Importing it exits the test with "SKIP:" (status 0) when Selenium,
Chromium or its driver is missing: the only reason a browser test may
skip.  start() opens a browser with a profile of its own, its console
log kept (the tests fail on any console error, a CSP violation
included), and WAIT as the page-load timeout.
"""
import os
import sys

CHROMIUM = '/usr/bin/chromium'
DRIVER = '/usr/bin/chromedriver'
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError:
    print('SKIP: python3-selenium is not installed')
    sys.exit(0)
for exe in (CHROMIUM, DRIVER):
    if not os.access(exe, os.X_OK):
        print('SKIP: %s is missing (Debian chromium, chromium-driver)' % exe)
        sys.exit(0)

# Generous: a loaded 2-core machine running sanitizer builds.
WAIT = 120


def start(profile, downloads=None):
    """A headless Chromium, 1400x1000, in Chinese, with its profile in the
    folder profile (the caller removes it); files it downloads go to the
    folder downloads when one is given."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ('--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
              '--disable-background-networking', '--disable-component-update',
              '--disable-sync', '--user-data-dir=' + profile, '--window-size=1400,1000',
              '--lang=zh-CN'):
        opts.add_argument(a)
    if downloads:
        opts.add_experimental_option('prefs', {'download.default_directory': downloads,
                                               'download.prompt_for_download': False})
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(WAIT)
    return driver


def wait_until(driver, cond, what, on_timeout):
    """Waits (WAIT seconds at most) until cond() is true.  The pages
    re-render after each change and navigate after a login: an element
    looked up a moment ago may be gone, or the document unloaded under the
    driver's script, which only means "not yet" (any WebDriverException
    while polling; a browser that is really gone fails at the timeout).
    On timeout calls on_timeout() (a screenshot) and fails the test,
    naming the last error."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        WebDriverWait(driver, WAIT, poll_frequency=0.2,
                      ignored_exceptions=(WebDriverException,)).until(lambda d: cond())
    except Exception as e:  # a timeout, or the browser gone
        on_timeout()
        print('FAIL: timed out waiting for %s (%s: %s)' % (what, type(e).__name__, e),
              flush=True)
        sys.exit(1)


def console_errors(driver):
    """The console's errors since the last call (a CSP violation included)."""
    return [e for e in driver.get_log('browser') if e['level'] == 'SEVERE']
