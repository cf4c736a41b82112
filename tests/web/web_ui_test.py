#!/usr/bin/python3
"""ctest web_ui: the ERP Integrations tool in a real Chromium.

Everything is real: a sample Sage 300 CRE company (erpsync-agent sample-erp),
erpsync-server with its web listener serving the source tree's web/, an
enrolled agent's deep sync, a project imported and commitments created and
sent with erpsync-ctl, the agent's service writing an accepted commitment
into the sample ERP. Chromium (Debian's chromium and chromium-driver, driven
by python3-selenium with the driver pinned to /usr/bin/chromedriver,
headless) then works the page as people would:

  1. an approver finds a sent commitment under Commitments > Ready to
     Export, opens its Details and accepts it; `erpsync-agent run` writes it
     into the ERP and the page shows it Synced without a reload (and another,
     whose id was entered in Sage meanwhile, Failed to Export with the ERP's
     message);
  2. the approver rejects another with a comment (an empty one is refused
     by the dialog); its creator follows the link in the rejection mail the
     server wrote, signs in and sees it Rejected with the comment; an action
     on a version that changed meanwhile is refused in the server's words;
     a project user imports an ERP job from Ready to Import;
  3. a Read Only user sees no action buttons, and a POST forged from the
     page with their session and a valid CSRF token is refused (403);
  4. a POST without the CSRF token (or with a wrong one) is refused (403);
  5. an item titled <script>alert(1)</script> shows those characters, and
     no dialog opens.

Screenshots of every page and state go to OUT/screenshots (ctest's build
tree: tests/web/screenshots), numbered in the order taken. A failed check
prints what was expected and what was found, the server's and the agent's
log tails and the browser's console, and saves OUT/screenshots/FAILED.png.

  web_ui_test.py --server BIN --agent BIN --ctl BIN --web DIR --mappings DIR --out DIR

Exit 0 when every check passed, 1 otherwise. Temp files are removed unless
ERPSYNC_KEEP_TEST_DIRS=1. Every process it starts is stopped on the way
out, also after a failure or a timeout.
"""

import argparse
import ctypes
import decimal
import email
import email.policy
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

CHROMEDRIVER = '/usr/bin/chromedriver'
CHROMIUM = '/usr/bin/chromium'
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
# Inside ctest's TIMEOUT (tests/web/CMakeLists.txt), so the cleanup runs.
DEADLINE_SECONDS = int(os.environ.get('ERPSYNC_WEB_TEST_DEADLINE', '400'))
# An export turning Synced appears in the page within this (the page polls
# every 3 s; the agent needs a moment to connect and write).
SYNCED_WITHIN_SECONDS = 20

try:
    from selenium import webdriver
    from selenium.common.exceptions import (NoAlertPresentException, StaleElementReferenceException,
                                            WebDriverException)
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
except ImportError as error:  # pragma: no cover - the message is the point
    print(f'web_ui: FAILED: python3-selenium is missing ({error}): packaging/setup.sh test '
          'installs it (apt-get install python3-selenium)', file=sys.stderr)
    sys.exit(1)


class Failure(Exception):
    """A check that did not hold: what, what was expected, what was found."""

    def __init__(self, what, expected=None, found=None):
        super().__init__(what)
        self.what = what
        self.expected = expected
        self.found = found


checks = 0


def check(condition, what, expected=None, found=None):
    global checks
    if not condition:
        raise Failure(what, expected, found)
    checks += 1
    print(f'ok: {what}', flush=True)


def check_eq(found, expected, what):
    check(found == expected, what, expected, found)


def check_in(needle, haystack, what):
    check(haystack is not None and needle in haystack, what, f'contains {needle!r}', haystack)


def wait_for(what, probe, ok, timeout=10.0, expected=None):
    """Calls probe() until ok(value); returns the value or raises Failure with the last one."""
    global checks
    deadline = time.monotonic() + timeout
    found = None
    while True:
        try:
            found = probe()
            if ok(found):
                checks += 1
                print(f'ok: {what}', flush=True)
                return found
        except (StaleElementReferenceException, Failure) as error:
            found = f'({error})'
        if time.monotonic() > deadline:
            raise Failure(f'{what} (waited {timeout:g} s)', expected, found)
        time.sleep(0.1)


def tail(path, lines=40):
    try:
        with open(path, encoding='utf-8', errors='replace') as file:
            return ''.join(file.readlines()[-lines:])
    except OSError as error:
        return f'({error})'


def die_with_parent():
    """preexec_fn: the child gets SIGTERM when this script dies, even by SIGKILL."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class World:
    """The real binaries around the browser: temp dir, ERP, server, agent, users."""

    def __init__(self, args):
        self.args = args
        self.dir = tempfile.mkdtemp(prefix='erpsync-web-')
        self.env = dict(os.environ, ERPSYNC_CONFIG_DIR='')
        self.processes = []
        self.server = None
        self.agent = None
        self.port = 0
        self.web_port = 0
        self.runs = 0

    def file(self, name):
        return os.path.join(self.dir, name)

    def run(self, command, what, ok_codes=(0,)):
        self.runs += 1
        result = subprocess.run(command, capture_output=True, text=True, env=self.env, timeout=120,
                                preexec_fn=die_with_parent)
        if result.returncode not in ok_codes:
            raise Failure(f'{what}: {" ".join(command)}', f'exit code in {ok_codes}',
                          f'exit {result.returncode}\nstdout: {result.stdout}\n'
                          f'stderr: {result.stderr}')
        return result

    def server_admin(self, *args):
        return self.run([self.args.server, *args, f'--server.data_dir={self.file("server")}'],
                        f'erpsync-server {args[0]} {args[1] if len(args) > 1 else ""}')

    def agent_command(self, *args):
        return [self.args.agent, *args, '--config', self.file('agent.conf')]

    def ctl(self, user, *args, ok_codes=(0,)):
        return self.run([self.args.ctl, *args, f'--server=127.0.0.1:{self.port}',
                         f'--token-file={self.file(user + ".token")}'],
                        f'erpsync-ctl {" ".join(args[:2])} as {user}', ok_codes)

    def ctl_json(self, user, *args):
        return json.loads(self.ctl(user, *args, '--json').stdout)

    def token(self, user):
        with open(self.file(user + '.token'), encoding='utf-8') as file:
            return file.read().strip()

    def start(self, command, log_name):
        log = open(self.file(log_name), 'w', encoding='utf-8')
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                   preexec_fn=die_with_parent)
        log.close()
        self.processes.append(process)
        return process

    def wait_for_file(self, path, process, what, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(path) and open(path, encoding='utf-8').read().strip():
                return int(open(path, encoding='utf-8').read().strip())
            if process.poll() is not None:
                break
            time.sleep(0.05)
        raise Failure(what, f'{path} written', f'exit code {process.poll()}')

    def set_up(self):
        """A synced company, four users, a project and four commitments (three sent)."""
        self.run([self.args.agent, 'sample-erp', 'create', '--out', self.file('company.db'),
                  '--jobs', '3', '--transactions', '200', '--seed', '11'], 'sample-erp create')
        self.server_admin('company', 'add', 'Acme Builders')
        self.server_admin('agent', 'enroll', '--company', 'Acme Builders', '--token-file',
                          self.file('agent.token'))
        for name, level, can_push in (('alice', 'standard', False), ('bob', 'standard', True),
                                      ('rita', 'read-only', False)):
            self.server_admin('user', 'add', '--company', 'Acme Builders', '--name', name,
                              '--level', level, '--email', f'{name}@acme.test', '--token-file',
                              self.file(name + '.token'), *(['--can-push'] if can_push else []))
        self.server = self.start([
            self.args.server, 'serve', '--server.listen=127.0.0.1:0',
            f'--server.data_dir={self.file("server")}', f'--port-file={self.file("port")}',
            '--web.listen=127.0.0.1:0', f'--web.port-file={self.file("web-port")}',
            f'--web.assets_dir={self.args.web}', '--mail.digest_at=off'], 'server.log')
        self.port = self.wait_for_file(self.file('port'), self.server, 'erpsync-server serve starts')
        self.web_port = self.wait_for_file(self.file('web-port'), self.server,
                                           'erpsync-server serve starts its web listener')
        with open(self.file('agent.conf'), 'w', encoding='utf-8') as conf:
            conf.write(f'[server]\naddress = 127.0.0.1:{self.port}\n'
                       f'token_file = {self.file("agent.token")}\n'
                       f'[erp]\nkind = sqlite\npath = {self.file("company.db")}\n'
                       f'[agent]\nstate_dir = {self.file("agent-state")}\n'
                       f'mappings_dir = {self.args.mappings}\n')
        self.run(self.agent_command('mappings', 'enable', 'standard_cost_code', 'standard_category',
                                    'jc_commitment', 'jc_commitment_item', 'jc_extra'),
                 'erpsync-agent mappings enable')
        self.run(self.agent_command('sync', '--deep', '--since', 'beginning'),
                 'erpsync-agent sync --deep --since beginning')

        # Where commitments go: the first job cost code with a category.
        category = self.ctl_json('rita', 'records', 'list', '--entity', 'jc_category', '--limit', '1')
        text = json.dumps(category)
        self.job = re.search(r'"job": "([^"]+)"', text).group(1)
        self.extra = re.search(r'"extra": "([^"]*)"', text).group(1)
        self.cost_code = re.search(r'"cost_code": "([^"]+)"', text).group(1)
        self.category = re.search(r'"category": "([^"]+)"', text).group(1)
        vendors = json.dumps(self.ctl_json('rita', 'records', 'list', '--entity', 'vendor',
                                           '--limit', '1'))
        self.vendor = re.search(r'"vendor": "([^"]+)"', vendors).group(1)
        project = self.ctl_json('alice', 'import', 'job', self.job)
        self.project = project['id']

        self.accepted = self.commitment('SC-901', 'Drywall package',
                                        [('12500.50', 'Drywall, levels 1-4'), ('0.25', 'Fasteners')])
        self.rejected = self.commitment('SC-902', 'Framing', [('4200.00', 'Metal studs')])
        self.script = self.commitment('SC-903', '<script>alert(1)</script>',
                                      [('1.00', '<img src=x onerror=alert(2)>')], send=False)
        self.untouched = self.commitment('SC-904', 'Concrete', [('999.99', 'Slab on grade')])
        # Accepted while the agent is offline, and meanwhile entered in Sage
        # directly: its export fails with the ERP's message.
        self.failing = self.commitment('SC-905', 'Electrical rough-in', [('7300.00', 'Conduit')])
        self.ctl('bob', 'items', 'accept', self.failing)
        erp = sqlite3.connect(self.file('company.db'))
        with erp:
            erp.execute("INSERT INTO JCM_MASTER__COMMITMENT (Commitment, Vendor, Job, "
                        "Commitment_Type, Description, Closed) VALUES "
                        "('SC-905', ?, ?, 'Subcontract', 'Entered in Sage', 'N')",
                        (self.vendor, self.job))
        erp.close()

    def commitment(self, commitment_id, title, lines, send=True):
        content = {
            'id': commitment_id, 'title': title, 'commitment_type': 'SUBCONTRACT',
            'status': 'APPROVED', 'vendor': self.vendor,
            'lines': [{'item': str(number), 'extra': self.extra, 'cost_code': self.cost_code,
                       'category': self.category, 'description': description, 'amount': amount}
                      for number, (amount, description) in enumerate(lines, start=1)],
        }
        path = self.file(f'{commitment_id}.json')
        with open(path, 'w', encoding='utf-8') as file:
            json.dump(content, file)
        item = self.ctl_json('alice', 'items', 'create', '--type', 'commitment', '--project',
                             self.project, '--file', path)
        if send:
            self.ctl('alice', 'items', 'send', item['id'])
        return item['id']

    def mail_link(self, to, subject_part):
        """The web tool's link in the mail to `to` whose subject has `subject_part`, or None."""
        folder = self.file('server/mail')
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            if not name.endswith('.eml'):
                continue
            with open(os.path.join(folder, name), 'rb') as file:
                mail = email.message_from_binary_file(file, policy=email.policy.default)
            if mail['To'] != to or subject_part not in str(mail['Subject']):
                continue
            body = mail.get_body(preferencelist=('plain',)).get_content()
            match = re.search(r'https?://\S+#/items/\d+', body)
            return match.group(0) if match else f'(no link in: {body!r})'
        return None

    def state(self, item_id):
        return self.ctl_json('rita', 'items', 'show', item_id)['state']

    def start_agent_service(self):
        self.agent = self.start(self.agent_command(
            'run', '--schedule.incremental_every_seconds=3600', '--schedule.deep_at=never',
            '--sync.stamp_lag_seconds=1'), 'agent.log')

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def remove(self):
        if os.environ.get('ERPSYNC_KEEP_TEST_DIRS'):
            print(f'keeping {self.dir}')
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


# JavaScript run in the page: what a person sees, read in one go.
ROWS_JS = """
return [...document.querySelectorAll('#items-body tr[data-testid=item-row]')].map(row => {
  const icon = row.querySelector('.status-icon');
  return {id: row.dataset.itemId, state: row.dataset.state, version: row.dataset.version,
    stateText: row.querySelector('[data-testid=status]').textContent.trim(),
    stateTitle: row.querySelector('[data-testid=status]').title,
    iconColor: getComputedStyle(icon).backgroundColor,
    project: row.querySelector('[data-testid=project]').textContent,
    title: row.querySelector('[data-testid=item-link]').textContent,
    amount: row.querySelector('[data-testid=amount]').textContent,
    creator: row.querySelector('[data-testid=creator]').textContent,
    updated: row.querySelector('[data-testid=updated]').textContent};
});
"""

DETAILS_JS = """
const panel = document.getElementById('details');
if (panel.hidden) return null;
const text = (selector) => {
  const element = panel.querySelector(selector);
  return element ? element.textContent.trim() : null;
};
const visible = (element) => element && !element.hidden && element.getClientRects().length > 0;
return {
  id: panel.dataset.itemId || null, state: panel.dataset.state || null,
  version: panel.dataset.version || null,
  title: text('[data-testid=details-title]'), stateText: text('[data-testid=details-state]'),
  versionText: text('[data-testid=details-version]'),
  actions: [...panel.querySelectorAll('button[data-testid^="action-"]')]
    .filter(visible).map(button => button.dataset.testid.replace('action-', '')),
  error: visible(panel.querySelector('[data-testid=action-error]')) ?
    text('[data-testid=action-error]') : null,
  erpKeys: text('[data-testid=details-erp-keys]'),
  erpMessage: text('[data-testid=details-erp-message]'),
  comment: text('[data-testid=details-comment-text]'),
  commentHeading: text('[data-testid=details-comment] h3'),
  project: text('[data-testid=details-project]'),
  total: text('[data-testid=lines-total]'),
  fields: Object.fromEntries([...panel.querySelectorAll('[data-testid=content-fields] .fact')]
    .map(fact => [fact.querySelector('dt').textContent, fact.querySelector('dd').textContent])),
  lines: [...panel.querySelectorAll('[data-testid=line]')].map(line =>
    Object.fromEntries([...line.querySelectorAll('td')].map(td => [td.dataset.field, td.textContent]))),
  history: [...panel.querySelectorAll('[data-testid=history-row]')].map(row => ({
    action: row.dataset.action, cells: [...row.querySelectorAll('td')].map(td => td.textContent)})),
  images: panel.querySelectorAll('img').length,
};
"""

COUNTS_JS = """
return Object.fromEntries([...document.querySelectorAll('#filters a.filter')].map(link =>
  [link.dataset.filter, link.querySelector('.count').textContent]));
"""

# fetch() from the page, as a script running in it (a forged request would
# come from there): resolves to {status, body}.
FETCH_JS = """
const [method, path, body, csrf, done] = arguments;
const headers = {'Content-Type': 'application/json'};
if (csrf !== null) headers['X-CSRF-Token'] = csrf;
fetch(path, {method, headers, credentials: 'same-origin',
  body: body === null ? undefined : JSON.stringify(body)})
  .then(async response => done({status: response.status, body: await response.text()}))
  .catch(error => done({status: -1, body: String(error)}));
"""

CSRF_JS = """
const done = arguments[0];
fetch('api/session', {credentials: 'same-origin'}).then(response => response.json())
  .then(session => done(session.csrfToken)).catch(error => done('ERROR ' + error));
"""


class Page:
    """The page in Chromium, read and driven as a person would (clicks and typing)."""

    def __init__(self, world, out_dir):
        self.world = world
        self.base = f'http://127.0.0.1:{world.web_port}/'
        self.shots = os.path.join(out_dir, 'screenshots')
        os.makedirs(self.shots, exist_ok=True)
        for name in os.listdir(self.shots):
            if name.endswith('.png'):
                os.remove(os.path.join(self.shots, name))
        self.console = []
        self.shot_count = 0
        options = webdriver.ChromeOptions()
        # Chromium through setpriv: it gets SIGTERM when chromedriver dies
        # (which dies with this script), so not even a SIGKILL of this
        # script leaves a browser behind.
        launcher = world.file('chromium-launcher')
        with open(launcher, 'w', encoding='utf-8') as file:
            file.write(f'#!/bin/sh\nexec setpriv --pdeathsig TERM {CHROMIUM} "$@"\n')
        os.chmod(launcher, 0o755)
        options.binary_location = launcher
        for argument in ('--headless=new', '--window-size=1400,1000', '--disable-gpu',
                         '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions',
                         '--disable-crash-reporter', '--disable-breakpad',
                         f'--user-data-dir={world.file("chromium")}', '--lang=en-US'):
            options.add_argument(argument)
        if os.geteuid() == 0:
            options.add_argument('--no-sandbox')
        options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
        service = Service(executable_path=CHROMEDRIVER, log_path=world.file('chromedriver.log'),
                          popen_kw={'preexec_fn': die_with_parent})
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_script_timeout(15)

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass

    def screenshot(self, name, numbered=True):
        """Saves the page as screenshots/NN-name.png (NN: the order taken)."""
        self.shot_count += numbered
        path = os.path.join(self.shots, f'{self.shot_count:02d}-{name}.png' if numbered else
                            f'{name}.png')
        self.driver.save_screenshot(path)
        print(f'   screenshot {path}')

    def collect_console(self):
        try:
            self.console.extend(self.driver.get_log('browser'))
        except WebDriverException:
            pass
        return self.console

    def open(self, fragment=''):
        self.driver.get(self.base + fragment)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def fetch(self, method, path, body, csrf):
        return self.driver.execute_async_script(FETCH_JS, method, path, body, csrf)

    def csrf_token(self):
        return self.driver.execute_async_script(CSRF_JS)

    def by_testid(self, testid):
        return self.driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def displayed(self, testid):
        elements = self.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')
        return bool(elements) and elements[0].is_displayed()

    def text(self, testid):
        elements = self.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')
        return elements[0].text if elements else None

    def sign_in(self, user, level, approver):
        wait_for('the sign-in screen shows', lambda: self.displayed('token-input'), bool)
        field = self.by_testid('token-input')
        field.clear()
        field.send_keys(self.world.token(user))
        self.by_testid('signin-submit').click()
        who = wait_for(f'{user} is signed in: name, company and level shown',
                       lambda: (self.text('whoami-user'), self.text('whoami-company'),
                                self.text('whoami-level')),
                       lambda found: found == (user, 'Acme Builders', level),
                       expected=(user, 'Acme Builders', level))
        check_eq(self.displayed('whoami-approver'), approver,
                 f'{user}: the Can Push to Accounting badge is {"shown" if approver else "hidden"}')
        return who

    def sign_out(self):
        self.by_testid('signout').click()
        wait_for('signing out shows the sign-in screen again', lambda: self.displayed('token-input'),
                 bool)

    def queue(self, tab, filter_id):
        self.by_testid(f'tab-{tab}').click()
        wait_for(f'the {tab} tab is selected',
                 lambda: self.by_testid(f'tab-{tab}').get_attribute('aria-selected'),
                 lambda found: found == 'true', expected='true')
        self.by_testid(f'filter-{filter_id}').click()
        wait_for(f'{tab}: the {filter_id} filter is shown',
                 lambda: self.driver.current_url.split('#', 1)[-1],
                 lambda found: found == f'/queues/{tab}/{filter_id}',
                 expected=f'/queues/{tab}/{filter_id}')

    def rows(self):
        return self.js(ROWS_JS)

    def row(self, item_id):
        return next((row for row in self.rows() if row['id'] == item_id), None)

    def counts(self):
        return self.js(COUNTS_JS)

    def details(self):
        return self.js(DETAILS_JS)

    def open_item(self, item_id):
        self.driver.find_element(
            By.CSS_SELECTOR, f'tr[data-item-id="{item_id}"] [data-testid=item-link]').click()
        return wait_for(f'item {item_id}: its Details open',
                        self.details, lambda found: found is not None and found['id'] == item_id,
                        expected=f'the Details of item {item_id}')

    def close_details(self):
        self.by_testid('details-close').click()
        wait_for('the Details close', self.details, lambda found: found is None, expected=None)

    def wait_details(self, what, ok, timeout=10.0, expected=None):
        return wait_for(what, self.details, lambda found: found is not None and ok(found),
                        timeout=timeout, expected=expected)

    def click_action(self, action):
        self.by_testid(f'action-{action}').click()

    def dialog_open(self):
        return self.js("return document.getElementById('action-dialog').open")

    def no_alert(self):
        try:
            alert = self.driver.switch_to.alert
            return f'a dialog opened: {alert.text!r}'
        except NoAlertPresentException:
            return None

    def block_refreshes(self, blocked):
        """Holds back the page's refreshes (the DevTools protocol), so it keeps an old version."""
        self.driver.execute_cdp_cmd('Network.enable', {})
        patterns = ['*/ErpIntegrations/GetItem', '*/ErpIntegrations/GetItemHistory',
                    '*/ErpIntegrations/ListItems', '*/ErpIntegrations/CountItems']
        self.driver.execute_cdp_cmd('Network.setBlockedURLs', {'urls': patterns if blocked else []})


# The icons' colours (css/app.css): blue sent, green synced, yellow retrieved or
# rejected, red failed to export.
BLUE, GREEN, YELLOW, RED = ('rgb(37, 99, 235)', 'rgb(22, 163, 74)', 'rgb(234, 179, 8)',
                            'rgb(220, 38, 38)')


def step_accept_and_sync(world, page):
    print('\n== 1. An approver accepts a sent commitment; the agent exports it; it turns Synced')
    page.open()
    wait_for('the page asks a signed-out visitor to sign in', lambda: page.displayed('token-input'),
             bool)
    page.screenshot('sign-in')
    page.by_testid('token-input').send_keys('not-a-token')
    page.by_testid('signin-submit').click()
    message = wait_for('a wrong token is refused in words', lambda: page.text('signin-message'),
                       lambda found: bool(found), expected='a message')
    check_in('Sign-in refused', message, 'the refusal says sign-in was refused')
    page.screenshot('sign-in-refused')
    page.sign_in('bob', 'Standard', True)

    page.queue('commitments', 'ready-to-export')
    waiting = {world.accepted, world.rejected, world.untouched, world.failing}
    rows = wait_for('Commitments > Ready to Export lists the three sent commitments and the '
                    'accepted one', page.rows, lambda found: {row['id'] for row in found} == waiting,
                    expected=sorted(waiting))
    expected_counts = {'all': '5', 'ready-to-export': '4', 'failed-to-export': '0', 'synced': '0',
                       'archived': '0'}
    wait_for('the filters count the queues', page.counts,
             lambda found: found == expected_counts, expected=expected_counts)
    check_eq(page.row(world.failing)['stateText'], 'Queued for export',
             'an accepted item waits in Ready to Export, Queued for export')
    row = page.row(world.accepted)
    check_eq(row['title'], 'Commitment SC-901 Drywall package', 'the row shows the title')
    check_eq((row['state'], row['stateText']), ('SENT', 'Sent'), 'the row shows the state in words')
    check_eq(row['iconColor'], BLUE, 'a sent item has a blue icon')
    check_eq(row['amount'], '12,500.75', 'the amount is the exact sum of the lines')
    check_eq(row['creator'], 'alice', 'the row shows who created it')
    check(row['updated'].strip() != '', 'the row shows the last change', 'a date', row['updated'])
    project = wait_for('the row shows the project: job number and name', lambda: page.row(
        world.accepted)['project'], lambda found: found.startswith(world.job + ' '),
        expected=f'{world.job} <name>')
    check(world.script not in {row['id'] for row in page.rows()}, 'a draft is not under Ready to Export',
          f'no item {world.script}', [row['id'] for row in page.rows()])
    page.screenshot('commitments-ready-to-export')

    details = page.open_item(world.accepted)
    check_eq(page.driver.current_url.split('#', 1)[-1], f'/items/{world.accepted}',
             'the Details have their own link (#/items/<id>)')
    check_eq((details['state'], details['stateText'], details['versionText']),
             ('SENT', 'Sent', 'Version 2'), 'Details: state and version')
    check_eq(details['project'], project, 'Details: the project')
    check_eq([line['amount'] for line in details['lines']], ['12,500.50', '0.25'],
             'Details: the lines with their amounts')
    check_eq([(line['costCode'], line['category']) for line in details['lines']],
             [(world.cost_code, world.category)] * 2, 'Details: the lines\' cost codes and categories')
    check_eq(details['total'], '12,500.75', 'Details: the total')
    check_eq(details['fields'].get('Vendor'), world.vendor, 'Details: the commitment\'s vendor')
    check_eq([entry['action'] for entry in details['history']], ['create', 'send'],
             'Details: the history (created, sent)')
    check_eq(details['actions'], ['accept', 'reject', 'retrieve'],
             'an approver is offered Accept, Reject and Retrieve on a sent item')
    page.screenshot('details-sent')

    page.js("window.erpsyncNotReloaded = 'still the same page';")
    page.click_action('accept')
    wait_for('Accept asks for confirmation', page.dialog_open, bool)
    page.screenshot('accept-dialog')
    page.by_testid('dialog-confirm').click()
    details = page.wait_details('accepting queues it for export',
                                lambda found: found['state'] == 'QUEUED_FOR_EXPORT',
                                expected='QUEUED_FOR_EXPORT')
    check_eq(details['actions'], [], 'no actions while the export waits')
    check_in('accept', [entry['action'] for entry in details['history']],
             'the history has the acceptance')
    check_in('accepted', page.text('notice'), 'the page says it was accepted')
    page.screenshot('accepted')
    check_eq(world.state(world.accepted), 'QUEUED_FOR_EXPORT', 'the server has it queued')

    world.start_agent_service()
    started = time.monotonic()
    details = page.wait_details('the page shows the export Synced without a reload',
                                lambda found: found['state'] == 'SYNCED',
                                timeout=SYNCED_WITHIN_SECONDS, expected='SYNCED')
    print(f'   Synced in the page {time.monotonic() - started:.1f} s after the agent started')
    check_eq(page.js('return window.erpsyncNotReloaded;'), 'still the same page',
             'the page was not reloaded')
    check_eq((details['stateText'], details['erpKeys']), ('Synced', 'SC-901'),
             'Details: Synced, with the ERP key')
    left = {world.rejected, world.untouched}
    wait_for('the synced and the failed commitments leave Ready to Export', page.rows,
             lambda found: {row['id'] for row in found} == left, expected=sorted(left))
    expected_counts = {'all': '5', 'ready-to-export': '2', 'failed-to-export': '1', 'synced': '1',
                       'archived': '0'}
    wait_for('the counts follow', page.counts, lambda found: found == expected_counts,
             expected=expected_counts)
    page.screenshot('details-synced')
    page.close_details()
    page.queue('commitments', 'synced')
    row = wait_for('the Synced filter lists it', lambda: page.row(world.accepted),
                   lambda found: found is not None, expected=f'item {world.accepted}')
    check_eq((row['stateText'], row['iconColor']), ('Synced', GREEN), 'a synced item is green')
    page.screenshot('commitments-synced')

    page.queue('commitments', 'failed-to-export')
    row = wait_for('Failed to Export lists the commitment the ERP refused',
                   lambda: page.row(world.failing), lambda found: found is not None,
                   expected=f'item {world.failing}')
    check_eq((row['stateText'], row['iconColor']), ('Failed to export', RED),
             'a failed export is red')
    details = page.open_item(world.failing)
    check_in('already in use', details['erpMessage'], 'Details show the ERP\'s message')
    check_eq(details['actions'], ['resend', 'archive'], 'a failed export may be fixed and re-sent')
    page.screenshot('details-failed-to-export')
    page.close_details()

    erp = sqlite3.connect(world.file('company.db'))
    written = erp.execute("SELECT Commitment, Vendor, Job FROM JCM_MASTER__COMMITMENT "
                          "WHERE Commitment = 'SC-901'").fetchall()
    check_eq(written, [('SC-901', world.vendor, world.job)],
             'the agent wrote the accepted commitment into the sample ERP')
    amounts = sorted(decimal.Decimal(str(amount)) for (amount,) in erp.execute(
        "SELECT Amount FROM JCM_MASTER__COMMITMENT_ITEM WHERE Commitment = 'SC-901'"))
    check_eq(amounts, [decimal.Decimal('0.25'), decimal.Decimal('12500.50')],
             'and its lines, to the cent')
    check_eq(erp.execute("SELECT COUNT(*) FROM JCM_MASTER__COMMITMENT_ITEM "
                         "WHERE Commitment = 'SC-905'").fetchall(), [(0,)],
             'nothing of the refused commitment was written')
    erp.close()


def step_reject_and_creator(world, page):
    print('\n== 2. The approver rejects another with a comment; its creator sees why')
    page.queue('commitments', 'ready-to-export')
    wait_for('the commitment to reject is listed', lambda: page.row(world.rejected),
             lambda found: found is not None, expected=f'item {world.rejected}')
    page.open_item(world.rejected)
    page.click_action('reject')
    wait_for('Reject opens its dialog', page.dialog_open, bool)
    page.by_testid('dialog-confirm').click()
    refusal = wait_for('the dialog refuses a rejection without a comment',
                       lambda: page.text('dialog-error'), lambda found: bool(found),
                       expected='a message')
    check_in('needs a comment', refusal, 'the refusal says a comment is needed')
    check(page.dialog_open(), 'the dialog stays open')
    page.screenshot('reject-needs-a-comment')
    check_eq(world.state(world.rejected), 'SENT', 'nothing was rejected without a comment')
    comment = 'Split line 1 into labour and material <b>please</b>'
    page.by_testid('dialog-comment').send_keys(comment)
    page.by_testid('dialog-confirm').click()
    details = page.wait_details('rejecting with a comment', lambda found: found['state'] == 'REJECTED',
                                expected='REJECTED')
    check_eq(details['comment'], comment, 'Details show the comment, as text')
    check_in('Rejected by bob', details['commentHeading'], 'and who rejected it')
    row = wait_for('the queue follows (rejected items leave Ready to Export)',
                   lambda: page.row(world.rejected), lambda found: found is None, expected=None)
    page.screenshot('rejected')
    page.sign_out()
    check_eq(page.fetch('GET', 'api/session', None, None)['status'], 401,
             'after signing out the session is gone (GET /api/session: 401)')
    page.screenshot('signed-out')

    # The creator follows the link of the rejection mail.
    link = wait_for('the creator\'s rejection mail links to the item\'s page',
                    lambda: world.mail_link('alice@acme.test', 'was rejected by bob'),
                    lambda found: found == f'{page.base}#/items/{world.rejected}',
                    expected=f'{page.base}#/items/{world.rejected}')
    page.driver.get(link)
    page.sign_in('alice', 'Standard', False)
    check_eq(page.text('notice'), None, 'the previous user\'s notices are gone')
    details = page.wait_details('the mail\'s link opens the item after signing in',
                                lambda found: found['id'] == world.rejected,
                                expected=f'item {world.rejected}')
    check_eq((details['state'], details['stateText']), ('REJECTED', 'Rejected'),
             'the creator sees it Rejected')
    check_eq(details['comment'], comment, 'with the approver\'s comment')
    check_eq(details['actions'], ['resend', 'archive'],
             'the creator may re-send or archive it, not accept or reject')
    page.screenshot('creator-sees-rejection')
    page.close_details()
    page.queue('commitments', 'all')
    row = wait_for('the creator\'s queue shows it Rejected, in yellow', lambda: page.row(world.rejected),
                   lambda found: found is not None and found['state'] == 'REJECTED',
                   expected='REJECTED')
    check_eq((row['stateText'], row['iconColor']), ('Rejected', YELLOW), 'rejected is yellow')
    page.screenshot('creator-queue')

    # A lost race: the item changes after the page read it.
    details = page.open_item(world.rejected)
    seen = details['version']
    page.block_refreshes(True)
    world.ctl('alice', 'items', 'update', world.rejected, '--file', world.file('SC-902.json'))
    page.click_action('resend')
    refusal = wait_for('acting on a version that changed is refused in the server\'s words',
                       lambda: page.details()['error'], lambda found: bool(found),
                       expected='a message')
    check_in(f'changed since version {seen} (now {int(seen) + 1}); reload and retry', refusal,
             'the refusal names both versions')
    page.screenshot('stale-version-refused')
    page.block_refreshes(False)
    page.wait_details('the page reads the new version', lambda found: found['version'] == str(
        int(seen) + 1), expected=str(int(seen) + 1))
    page.click_action('resend')
    page.wait_details('re-sent at the current version', lambda found: found['state'] == 'SENT',
                      expected='SENT')
    page.close_details()

    # A project user imports an ERP job from Ready to Import.
    page.queue('jobs', 'ready-to-import')
    keys = wait_for('Jobs > Ready to Import lists the ERP jobs not imported yet', lambda: [
        row.get_attribute('data-key')
        for row in page.driver.find_elements(By.CSS_SELECTOR, '[data-testid=import-row]')],
        lambda found: len(found) >= 1 and world.job not in found,
        expected=f'at least one job, not {world.job} (imported already)')
    key = keys[0]
    page.driver.find_element(
        By.CSS_SELECTOR, f'[data-testid=import-row][data-key="{key}"] [data-testid=action-import]').click()
    wait_for(f'importing job {key} says so', lambda: page.text('notice'),
             lambda found: found is not None and f'Imported job {key}' in found,
             expected=f'Imported job {key} as item #...')
    wait_for('the job leaves Ready to Import', lambda: len(page.driver.find_elements(
        By.CSS_SELECTOR, f'[data-testid=import-row][data-key="{key}"]')), lambda found: found == 0,
        expected=0)
    page.screenshot('job-imported')
    page.queue('jobs', 'synced')
    wait_for('the imported job is Synced under Jobs', lambda: [
        (row['project'], row['stateText']) for row in page.rows()],
        lambda found: any(project.startswith(key) and state == 'Synced' for project, state in found),
        expected=f'a row of job {key}, Synced')
    page.screenshot('jobs-synced')
    page.sign_out()


def step_read_only(world, page):
    print('\n== 3. A Read Only user sees no actions; a forged POST is refused')
    page.sign_in('rita', 'Read Only', False)
    page.queue('commitments', 'ready-to-export')
    wait_for('Read Only users see the queue', page.rows,
             lambda found: world.untouched in {row['id'] for row in found},
             expected=f'item {world.untouched}')
    details = page.open_item(world.untouched)
    check_eq(details['actions'], [], 'no action buttons in Details')
    buttons = page.js("return document.querySelectorAll('[data-testid^=\"action-\"]:not([hidden])'"
                      ").length - document.querySelectorAll('[data-testid=action-error]').length")
    check_eq(buttons, 0, 'no action buttons anywhere on the page')
    page.screenshot('read-only-details')
    page.close_details()
    page.queue('jobs', 'ready-to-import')
    wait_for('Ready to Import lists the ERP jobs not imported yet',
             lambda: len(page.driver.find_elements(By.CSS_SELECTOR, '[data-testid=import-row]')),
             lambda found: found >= 1, expected='at least 1')
    check_eq(len(page.driver.find_elements(By.CSS_SELECTOR, '[data-testid=action-import]')), 0,
             'no Import buttons for Read Only')
    page.screenshot('read-only-ready-to-import')

    csrf = page.csrf_token()
    check(re.fullmatch(r'[0-9A-Za-z_-]{16,}', csrf or '') is not None,
          'the Read Only session has a CSRF token', 'a token', csrf)
    forged = page.fetch('POST', 'api/v1/ErpIntegrations/Accept',
                        {'itemId': world.untouched, 'expectedVersion': '0'}, csrf)
    check_eq(forged['status'], 403, 'a forged Accept from the Read Only session is refused: 403')
    check_eq(json.loads(forged['body']).get('code'), 'PERMISSION_DENIED',
             'with code PERMISSION_DENIED')
    forged_send = page.fetch('POST', 'api/v1/ErpIntegrations/Send', {'itemId': world.script}, csrf)
    check_eq(forged_send['status'], 403, 'a forged Send (Standard) is refused too: 403')
    check_eq((world.state(world.untouched), world.state(world.script)), ('SENT', 'DRAFT'),
             'the items did not change')
    page.sign_out()


def step_csrf(world, page):
    print('\n== 4. A POST without the CSRF token is refused')
    page.sign_in('bob', 'Standard', True)
    request = {'itemId': world.untouched, 'expectedVersion': '0'}
    missing = page.fetch('POST', 'api/v1/ErpIntegrations/Accept', request, None)
    check_eq(missing['status'], 403, 'an approver\'s Accept without X-CSRF-Token: 403')
    check_in('CSRF', missing['body'], 'the refusal names the CSRF token')
    wrong = page.fetch('POST', 'api/v1/ErpIntegrations/Accept', request, 'f' * 43)
    check_eq(wrong['status'], 403, 'with a wrong X-CSRF-Token: 403')
    sign_out = page.fetch('DELETE', 'api/session', None, None)
    check_eq(sign_out['status'], 403, 'signing out without the token: 403')
    check_eq(page.fetch('GET', 'api/session', None, None)['status'], 200,
             'and the session is still there')
    check_eq(world.state(world.untouched), 'SENT', 'nothing was accepted')
    allowed = page.fetch('POST', 'api/v1/ErpIntegrations/GetItem', {'itemId': world.untouched},
                         page.csrf_token())
    check_eq(allowed['status'], 200, 'the same session with its token is served (200)')


def step_script_title(world, page):
    print('\n== 5. An item titled <script>alert(1)</script> shows those characters')
    page.queue('commitments', 'all')
    row = wait_for('the draft is listed under All', lambda: page.row(world.script),
                   lambda found: found is not None, expected=f'item {world.script}')
    check_eq(row['title'], 'Commitment SC-903 <script>alert(1)</script>',
             'the row shows the title\'s characters')
    details = page.open_item(world.script)
    check_eq(details['title'], 'Commitment SC-903 <script>alert(1)</script>',
             'Details show the title\'s characters')
    check_eq(details['fields'].get('Title'), '<script>alert(1)</script>', 'and the content\'s title')
    check_eq([line['description'] for line in details['lines']], ['<img src=x onerror=alert(2)>'],
             'a line described as markup shows the markup as text')
    check_eq(details['images'], 0, 'no element was made from it')
    check_eq(page.js("return document.querySelectorAll('script').length"), 1,
             'the page has its one script, no other')
    time.sleep(0.5)
    check_eq(page.no_alert(), None, 'no dialog opened')
    page.screenshot('script-title-as-text')
    page.close_details()


def step_page_itself(world, page):
    print('\n== The page itself: exact money in the browser, no CSP violation, no script error')
    sums = page.driver.execute_async_script("""
      const done = arguments[0];
      import('./js/money.js').then(money => done([
        money.formatCents(money.sumCents(['0.10', '0.20'])),
        money.formatCents(money.sumCents(['99999999999999999.99', '0.01'])),
        money.formatCents(money.sumCents(['-12', '0.5', '1234.50'])),
        String(money.parseCents('1.005'))])).catch(error => done(String(error)));
    """)
    check_eq(sums, ['0.30', '100,000,000,000,000,000.00', '1,223.00', 'null'],
             'money.js adds amounts exactly (BigInt cents) and refuses a third decimal')
    headers = page.fetch('GET', '', None, None)
    check_eq(headers['status'], 200, 'the page is served at /')
    # What the Content Security Policy would refuse, or markup made from
    # strings, anywhere in the page's files.
    forbidden = re.compile(r'\.innerHTML\s*[+]?=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|'
                           r'\beval\(|new Function|\bstyle\s*=|\.style\.|setAttribute\([\'"]style|'
                           r'<script(?![^>]*\bsrc=)[^>]*>|\bon[a-z]+\s*=\s*["\']|javascript:|https?://')
    found = []
    for folder, _, names in os.walk(world.args.web):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, encoding='utf-8') as file:
                for number, line in enumerate(file, start=1):
                    code = line.strip().replace('xmlns="http://www.w3.org/2000/svg"', '')
                    if code.startswith(('//', '/*', '*')):
                        continue
                    if forbidden.search(code):
                        found.append(f'{os.path.relpath(path, world.args.web)}:{number}: {code}')
    check_eq(found, [], 'web/ has no inline script or style, no markup from strings, nothing '
                        'fetched from elsewhere')
    console = page.collect_console()
    violations = [entry['message'] for entry in console
                  if 'Content Security Policy' in entry['message'] or 'Uncaught' in entry['message']
                  or entry.get('source') == 'javascript']
    check_eq(violations, [], 'the browser console has no CSP violation and no script error')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    for name in ('server', 'agent', 'ctl', 'web', 'mappings', 'out'):
        parser.add_argument(f'--{name}', required=True)
    args = parser.parse_args()
    for tool, package in ((CHROMEDRIVER, 'chromium-driver'), (CHROMIUM, 'chromium'),
                          ('/usr/bin/setpriv', 'util-linux')):
        if not os.access(tool, os.X_OK):
            print(f'web_ui: FAILED: {tool} is missing: packaging/setup.sh test installs it '
                  f'(apt-get install {package})', file=sys.stderr)
            return 1

    # Orphans of what this script starts (Chromium's helpers) become its
    # children, so none outlives it.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1)

    def out_of_time(signum, frame):
        raise Failure(f'the test did not finish within {DEADLINE_SECONDS} s')

    def terminated(signum, frame):
        raise Failure(f'stopped by signal {signum}')

    signal.signal(signal.SIGALRM, out_of_time)
    signal.signal(signal.SIGTERM, terminated)
    signal.alarm(DEADLINE_SECONDS)

    world = World(args)
    page = None
    started = time.monotonic()
    code = 1
    try:
        world.set_up()
        print(f'set up: server on 127.0.0.1:{world.port}, web tool on '
              f'http://127.0.0.1:{world.web_port}/, project {world.project} (job {world.job}), '
              f'commitments {world.accepted} {world.rejected} {world.script} {world.untouched} '
              f'{world.failing}')
        page = Page(world, args.out)
        step_accept_and_sync(world, page)
        step_reject_and_creator(world, page)
        step_read_only(world, page)
        step_csrf(world, page)
        step_script_title(world, page)
        step_page_itself(world, page)
        print(f'\nweb_ui: {checks} checks passed in {time.monotonic() - started:.0f} s; '
              f'screenshots in {page.shots}')
        code = 0
    except Failure as failure:
        report(failure, world, page)
    except Exception as error:  # a broken test or browser: report it the same way
        import traceback
        traceback.print_exc()
        report(Failure(f'{type(error).__name__}: {error}'), world, page)
    finally:
        signal.alarm(0)
        if page is not None:
            page.quit()
        world.stop()
        reap_children()
        if code == 0:
            world.remove()
        else:
            print(f'kept {world.dir} for a look')
    return code


def report(failure, world, page):
    print(f'\nweb_ui: FAILED: {failure.what}', file=sys.stderr)
    if failure.expected is not None or failure.found is not None:
        print(f'  expected: {failure.expected!r}\n  found:    {failure.found!r}', file=sys.stderr)
    print(f'--- server log (last lines) ---\n{tail(world.file("server.log"))}', file=sys.stderr)
    if world.agent is not None:
        print(f'--- agent log (last lines) ---\n{tail(world.file("agent.log"))}', file=sys.stderr)
    if page is not None:
        try:
            page.screenshot('FAILED', numbered=False)
            print(f'--- page at {page.driver.current_url} ---\n'
                  f'{page.driver.find_element(By.TAG_NAME, "body").text[:3000]}', file=sys.stderr)
        except WebDriverException as error:
            print(f'(the page cannot be read: {error})', file=sys.stderr)
        console = page.collect_console()
        if console:
            print('--- browser console ---', file=sys.stderr)
            for entry in console[-30:]:
                print(f"  {entry.get('level')} {entry.get('message')}", file=sys.stderr)


def reap_children():
    """Stops whatever this script started that is still running (by pid) and reaps it."""
    me = str(os.getpid())
    for attempt in (signal.SIGTERM, signal.SIGKILL):
        children = []
        for pid in filter(str.isdigit, os.listdir('/proc')):
            try:
                with open(f'/proc/{pid}/stat', encoding='utf-8') as stat:
                    fields = stat.read().rsplit(')', 1)[1].split()
            except OSError:
                continue
            if fields[1] == me:
                children.append(int(pid))
        if not children:
            break
        for pid in children:
            try:
                os.kill(pid, attempt)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                time.sleep(0.05)


if __name__ == '__main__':
    sys.exit(main())
