// Drives the real console window: tauri-driver (127.0.0.1:4444) starts the built binary through
// WebKitWebDriver under Xvfb. Run it with `bash tests/console/run.sh`, which starts and stops
// those processes and gives the console a fresh data directory.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { remote } from 'webdriverio';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const application =
  process.env.HOMEWATCH_CONSOLE_BIN ?? join(repo, 'target', 'debug', 'homewatch-console');
const dataDir = process.env.HOMEWATCH_DATA_DIR;
const artifacts = join(here, 'artifacts');

// Fictional patient: 555-01xx numbers are reserved for fiction.
const PATIENT = { name: 'Lucía Fernández', phone: '(206) 555-0142', e164: '+12065550142' };
const SUPERVISOR = { username: 'rhea', displayName: 'Rhea Okafor', password: 'correct horse 42' };
const WAIT = { timeout: 20_000, interval: 250 };

let browser;

/** The element with `data-testid`, optionally inside another element. */
const byTestId = (id, within) => (within ?? browser).$(`[data-testid="${id}"]`);

async function shown(id, timeout = WAIT.timeout) {
  const element = await byTestId(id);
  await element.waitForDisplayed({ timeout, timeoutMsg: `"${id}" was not shown in ${timeout} ms` });
  return element;
}

async function fill(id, value) {
  const input = await shown(id);
  await input.clearValue();
  await input.setValue(value);
}

/** Waits until `read()` returns something truthy and returns it. */
async function eventually(read, message, timeout = WAIT.timeout) {
  let value;
  await browser.waitUntil(
    async () => {
      value = await read();
      return Boolean(value);
    },
    { timeout, interval: WAIT.interval, timeoutMsg: message },
  );
  return value;
}

// The steps build on each other: once one fails, the rest are skipped rather than failing again.
let failed = false;
function step(name, fn) {
  test(name, async (t) => {
    if (failed) return t.skip('an earlier step failed');
    try {
      await fn(t);
    } catch (error) {
      failed = true;
      throw error;
    }
  });
}

before(async () => {
  assert.ok(existsSync(application), `build the console first: ${application} is missing`);
  assert.ok(dataDir, 'HOMEWATCH_DATA_DIR must name a fresh directory (run.sh makes one)');
  assert.deepEqual(readdirSync(dataDir), [], `${dataDir} is not empty: the test needs a fresh one`);
  mkdirSync(artifacts, { recursive: true });

  browser = await remote({
    hostname: '127.0.0.1',
    port: 4444,
    logLevel: 'warn',
    connectionRetryCount: 0,
    capabilities: {
      'tauri:options': { application },
      // WebKitWebDriver speaks classic WebDriver; do not ask it for a BiDi socket.
      'wdio:enforceWebDriverClassic': true,
    },
  });
});

after(async () => {
  if (!browser) return;
  // Whatever happened, keep a picture of the last screen for whoever reads the failure.
  await browser.saveScreenshot(join(artifacts, 'last-screen.png')).catch(() => {});
  await browser.deleteSession().catch(() => {});
});

step('first run: create the supervisor account, then sign in with it', async () => {
  await shown('first-account-form', 40_000);
  await fill('first-account-username', SUPERVISOR.username);
  await fill('first-account-display-name', SUPERVISOR.displayName);
  await fill('first-account-password', SUPERVISOR.password);
  await (await byTestId('first-account-submit')).click();

  await shown('sign-in-form');
  assert.match(await (await shown('sign-in-notice')).getText(), /created/i);
  assert.equal(await (await byTestId('sign-in-username')).getValue(), SUPERVISOR.username);
  assert.ok(
    existsSync(join(dataDir, 'homewatch.db')),
    'the console did not use HOMEWATCH_DATA_DIR',
  );

  await fill('sign-in-password', 'not the password');
  await (await byTestId('sign-in-submit')).click();
  assert.match(await (await shown('sign-in-error')).getText(), /wrong username or password/i);

  await fill('sign-in-password', SUPERVISOR.password);
  await (await byTestId('sign-in-submit')).click();
  const signedIn = await shown('signed-in-as');
  assert.match(await signedIn.getText(), new RegExp(SUPERVISOR.displayName));
  await shown('no-patients');
});

step('enroll a Spanish-speaking patient with consent read in Spanish', async () => {
  await (await shown('enroll-button')).click();
  await shown('enrollment-form');

  const obtainedBy = await byTestId('consent-obtained-by');
  assert.equal(await obtainedBy.getValue(), SUPERVISOR.displayName);
  const consent = await byTestId('consent-text');
  const firstText = await consent.getText();

  await fill('enroll-name', PATIENT.name);
  await fill('enroll-phone', PATIENT.phone);
  await (await byTestId('enroll-language')).selectByAttribute('value', 'es');
  const spanish = await eventually(async () => {
    const text = await consent.getText();
    return text !== firstText && text;
  }, 'the consent text did not follow the language selection');
  assert.equal(await consent.getAttribute('lang'), 'es');
  assert.ok(spanish.length > 40, `consent text too short to be the real one: ${spanish}`);
  await fill('enroll-timezone', 'America/Los_Angeles');

  await browser.saveScreenshot(join(artifacts, 'enrollment-form.png'));

  const submit = await byTestId('enroll-submit');
  assert.equal(await submit.isEnabled(), false, 'enrolling must wait for the consent checkbox');
  await (await byTestId('consent-given')).click();
  await submit.click();

  const list = await shown('patient-list');
  const row = await list.$(`[data-testid="patient-row"][data-phone="${PATIENT.e164}"]`);
  await row.waitForDisplayed({
    timeout: WAIT.timeout,
    timeoutMsg: 'the new patient is not listed',
  });
  const rowText = await row.getText();
  assert.match(rowText, new RegExp(PATIENT.name));
  assert.match(rowText, /Active/);
});

step('the patient page shows status, consent and messages', async () => {
  const row = await browser.$(`[data-testid="patient-row"][data-phone="${PATIENT.e164}"]`);
  await (await byTestId('open-patient', row)).click();

  await shown('patient-page');
  assert.equal(await (await shown('patient-status')).getText(), 'Active');
  assert.equal(await (await byTestId('patient-phone')).getText(), PATIENT.e164);
  const consent = await (await byTestId('consent-record')).getText();
  assert.match(consent, new RegExp(SUPERVISOR.displayName));
  assert.match(consent, /Verbal/);
  await shown('no-escalations');

  await browser.saveScreenshot(join(artifacts, 'patient-page.png'));
});

step('answers of worsening from the phone simulator open an escalation', async () => {
  await shown('phone-simulator');
  const phone = await byTestId('sim-phone');
  await eventually(async () => (await phone.getValue()) === PATIENT.e164, 'no phone to simulate');

  // The programme texts the patient once enrolled; the simulator shows what arrived.
  await eventually(
    async () => (await browser.$$('[data-testid="sim-message"]').length) > 0,
    'the simulated phone received nothing after enrollment',
    40_000,
  );

  for (const reply of ['3', 'sí']) {
    await fill('sim-text', reply);
    await (await byTestId('sim-send')).click();
    // The field empties once the service took the text; an error shows instead if it did not.
    const error = await byTestId('sim-error');
    await eventually(
      async () => (await error.isExisting()) || (await byTestId('sim-text').getValue()) === '',
      `the simulator did not send "${reply}"`,
    );
    if (await error.isExisting())
      assert.fail(`sending "${reply}" failed: ${await error.getText()}`);
  }

  const escalation = await shown('escalation', 30_000);
  assert.equal(await escalation.getAttribute('data-status'), 'open');
  const inbound = await browser.$$('[data-testid="timeline-entry"][data-direction="inbound"]');
  assert.ok(inbound.length >= 2, `expected both replies in the timeline, saw ${inbound.length}`);

  await browser.saveScreenshot(join(artifacts, 'patient-escalation.png'));
});

step('staff mark the escalation handled', async () => {
  await fill('resolve-note', 'Called back; breathing stable, advised to rest.');
  await (await byTestId('resolve-escalation')).click();
  await eventually(
    async () => (await byTestId('escalation').getAttribute('data-status')) === 'resolved',
    'the escalation did not turn resolved',
  );
  await (await byTestId('nav-patients')).click();
  const row = await browser.$(`[data-testid="patient-row"][data-phone="${PATIENT.e164}"]`);
  await row.waitForDisplayed({ timeout: WAIT.timeout });
  assert.equal(await byTestId('escalation-badge', row).isExisting(), false);
});

step('staff extend the programme and change the check-in times', async () => {
  const row = await browser.$(`[data-testid="patient-row"][data-phone="${PATIENT.e164}"]`);
  await (await byTestId('open-patient', row)).click();
  await shown('patient-page');
  assert.match(await (await shown('patient-episode')).getText(), /^Day \d+ of 14$/);
  await shown('details-note');
  // The check-ins section shows either the slots or that there are none yet.
  assert.ok(
    (await byTestId('check-ins').isExisting()) || (await byTestId('no-check-ins').isExisting()),
    'the patient page has no check-ins section',
  );

  // Beyond the longest programme: the service refuses, and says so next to the form.
  await fill('extend-days', '100000');
  await (await byTestId('extend-submit')).click();
  assert.match(await (await shown('extend-error')).getText(), /days/);

  await fill('extend-days', '7');
  await (await byTestId('extend-submit')).click();
  await eventually(
    async () => /^Day \d+ of 21$/.test(await byTestId('patient-episode').getText()),
    'the episode did not grow to 21 days',
  );
  assert.equal(await byTestId('extend-error').isExisting(), false);

  await fill('details-check-in-times', '09:00, 18:00');
  await (await byTestId('details-submit')).click();
  await shown('details-saved');
  await eventually(
    async () => /at 09:00,18:00/.test(await byTestId('episode').getText()),
    'the episode does not show the new check-in times',
  );

  await (await byTestId('patient-episode')).scrollIntoView();
  await browser.saveScreenshot(join(artifacts, 'patient-extended.png'));
});
