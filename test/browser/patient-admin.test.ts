// Patient Administration (P5) in a real browser, with JavaScript (htmx) and without: the front desk finds patient
// 10001 by the Account filter, opens Jordan's portal access and sends a reset link that Jordan completes from the
// mailbox; then sets a temporary password, opens the PDF credentials sheet, and Jordan signs in with it and is made
// to choose a new one. axe-core checks the search, patient, portal access and printout pages.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page, Response } from 'playwright-core';
import { STAFF_PASSWORD } from '../support/harness.ts';
import { assertAccessible as checkAccessible, browserSuite, journey } from '../support/browser.ts';

const PRACTICE = '/sunny-pediatrics/practice';
const PATIENT = '/sunny-pediatrics/patient';
const JORDAN = 'jordan.parent@example.com';

const suite = browserSuite();
const { it } = suite;

// axe runs inside the page, so only where JavaScript runs; the pages that stand in for htmx panels without
// JavaScript are opened and checked in the JavaScript journeys (see checkConfirmationPages).
let javaScriptOn = true;
async function assertAccessible(page: Page, where: string) {
  if (!javaScriptOn) return;
  await checkAccessible(page, where);
}

async function logIn(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log In' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}

type Mail = { to: string; subject: string; text: string; kind: string };

async function mailCount(kind: string): Promise<number> {
  const mails = (await (await fetch(`${suite.harness.baseUrl}/_dev/mail?format=json`)).json()) as Mail[];
  return mails.filter((m) => m.to === JORDAN && m.kind === kind).length;
}

/** The newest email of `kind` to Jordan once there are more than `seen`, as Jordan would find it in the inbox. */
async function nextMail(kind: string, seen: number): Promise<Mail> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const mails = ((await (await fetch(`${suite.harness.baseUrl}/_dev/mail?format=json`)).json()) as Mail[]).filter((m) => m.to === JORDAN && m.kind === kind);
    if (mails.length > seen) return mails[0];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no ${kind} email reached ${JORDAN}`);
}

/** Front desk: Patient Administration → Account filter 10001 → Riley → Associations → Jordan's portal access. */
async function findJordan(page: Page, javaScript: boolean) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patient Administration' }).click();
  await page.waitForURL(`**${PRACTICE}/patients`);
  await page.getByRole('heading', { name: 'Patient Administration', level: 1 }).waitFor();
  await assertAccessible(page, 'the patient search page');
  await page.getByLabel('Account', { exact: true }).fill('10001');
  if (javaScript) {
    // Results arrive as you type; the address bar keeps the search so it can be bookmarked or reloaded.
    await page.getByRole('link', { name: 'Parent, Riley' }).waitFor();
    await page.waitForURL(`**${PRACTICE}/patients?account=10001**`);
    await page.getByRole('status').filter({ hasText: '1 patient matches.' }).waitFor();
    assert.is(await page.getByLabel('Account', { exact: true }).evaluate((el) => el === document.activeElement), true, 'focus stays in the filter');
  } else {
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`**${PRACTICE}/patients?account=10001**`);
  }
  assert.is(await page.getByRole('row').count(), 2, 'one result row under the header');
  await assertAccessible(page, 'the search page with results');
  await page.getByRole('link', { name: 'Parent, Riley' }).click();
  await page.getByRole('heading', { name: 'Riley Parent', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Associations' }).waitFor();
  await assertAccessible(page, 'the patient page');
  await page.getByRole('link', { name: 'Jordan Parent' }).click();
  await page.getByRole('heading', { name: 'Portal access: Jordan Parent' }).waitFor();
  await page.getByRole('heading', { name: 'Account Settings' }).waitFor();
  await assertAccessible(page, 'the portal access page');
}

/** The full pages that stand in for the htmx panels without JavaScript, checked by axe (it needs JavaScript). */
async function checkConfirmationPages(page: Page) {
  const here = new URL(page.url()).pathname;
  const other = await page.context().newPage();
  try {
    for (const [path, heading] of [['/reset-password', 'Reset Password for Jordan Parent?'], ['/temporary-password', 'Set temporary password for Jordan Parent'], ['/disable', 'Disable portal access for Jordan Parent?']]) {
      await other.goto(here + path);
      await other.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await assertAccessible(other, `the ${heading} page`);
    }
  } finally {
    await other.close();
  }
}

/** Jordan opens the emailed link, answers the pet question, chooses a password and signs in with it. */
async function jordanCompletesReset(page: Page, link: string, newPassword: string) {
  await page.goto(link);
  await page.waitForURL(`**${PATIENT}/reset`);
  await page.getByLabel('Answer').fill('Biscuit');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('New password confirmation').fill(newPassword);
  await page.getByRole('button', { name: 'Change my password' }).click();
  await page.waitForURL(`**${PATIENT}/login?reset=1`);
  await logIn(page, PATIENT, JORDAN, newPassword);
  await page.getByRole('heading', { name: 'Riley Parent', level: 3 }).waitFor();
}

/**
 * Follows "Print credentials (PDF)", which opens the sheet in a tab of its own, and reads it. Chromium shows PDFs in
 * its viewer, which hands the page an HTML wrapper instead of the bytes, so the same address is fetched again with
 * this browser's cookies for its text.
 */
async function openCredentialsSheet(page: Page): Promise<{ response: Response; text: string }> {
  const responded = page.context().waitForEvent('response', (r) => /\/credentials\.pdf(\?lang=[a-z]{2})?$/.test(r.url()));
  const opened = page.context().waitForEvent('page');
  await page.getByRole('link', { name: 'Print credentials (PDF)' }).click();
  const response = await responded;
  await (await opened).close();
  assert.match(page.url(), /\/printouts\/[0-9a-f-]{36}$/, 'the page with “delete the copy now” stays where it was');
  const again = await page.context().request.get(response.url());
  assert.is(again.headers()['content-type'], 'application/pdf');
  const folder = mkdtempSync(join(tmpdir(), 'browser-sheet-'));
  try {
    writeFileSync(join(folder, 'sheet.pdf'), await again.body());
    return { response, text: execFileSync('/usr/bin/pdftotext', ['-layout', join(folder, 'sheet.pdf'), '-'], { encoding: 'utf8' }) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const resetPassword = javaScript ? 'amber falcon meadow 4417' : 'copper kettle island 8823';
  const ownPassword = javaScript ? 'silent orchard comet 5190' : 'woven lantern pebble 7302';

  it(`${how}: front desk finds 10001 by Account → Jordan → Reset Password → Jordan completes it and signs in`, async () => {
    javaScriptOn = javaScript;
    const seen = await mailCount('password_reset');
    await journey(suite.harness, { javaScript }, async (page) => {
      await logIn(page, PRACTICE, 'marcusstaff', STAFF_PASSWORD);
      await findJordan(page, javaScript);
      await page.getByRole('button', { name: 'Reset Password' }).click();
      const confirm = page.getByRole('heading', { name: 'Reset Password for Jordan Parent?' });
      await confirm.waitFor();
      if (javaScript) {
        assert.ok(page.url().endsWith(`/portal/${page.url().split('/portal/')[1].split('/')[0]}`), 'the confirmation opened in place');
        await page.waitForFunction(() => document.activeElement?.id === 'confirm-heading');
      }
      await assertAccessible(page, 'the Reset Password confirmation');
      if (javaScript) await checkConfirmationPages(page);
      await page.getByRole('button', { name: 'Send the reset link' }).click();
      await page.getByText('A password reset link was emailed to j****t@example.com. It works for 48 hours').waitFor();
    });
    const mail = await nextMail('password_reset', seen);
    assert.match(mail.text, '48 hours');
    const link = mail.text.match(/http:\/\/127\.0\.0\.1:\d+(\/\S+\/reset\/\S+)/)![1];
    await journey(suite.harness, { javaScript }, (page) => jordanCompletesReset(page, link, resetPassword));
  });

  it(`${how}: front desk sets a temporary password → the PDF opens → Jordan signs in with it and must change it`, async () => {
    javaScriptOn = javaScript;
    let temporary = '';
    await journey(suite.harness, { javaScript }, async (page) => {
      await logIn(page, PRACTICE, 'marcusstaff', STAFF_PASSWORD);
      await findJordan(page, javaScript);
      await page.getByRole('button', { name: 'Set temporary password' }).click();
      const form = page.getByRole('region', { name: 'Set temporary password for Jordan Parent' });
      await form.waitFor();
      if (javaScript) await page.waitForFunction(() => document.activeElement?.id === 'temporary-heading');
      await assertAccessible(page, 'the temporary password form');
      assert.is(await form.getByLabel(/Email a notice to j\*\*\*\*t@example.com/).isChecked(), true);
      await form.getByRole('button', { name: 'Set temporary password' }).click();
      await page.getByRole('heading', { name: 'Temporary password set for Jordan Parent' }).waitFor();
      await assertAccessible(page, 'the credentials sheet page');

      const { response, text } = await openCredentialsSheet(page);
      assert.is(response.status(), 200);
      assert.is(response.headers()['content-type'], 'application/pdf');
      assert.is(response.headers()['cache-control'], 'no-store');
      for (const words of ['Sunny Pediatrics', 'Jordan Parent', 'Riley Parent', `${suite.harness.baseUrl}${PATIENT}/login`, JORDAN,
        'A notification was sent to j****t@example.com']) {
        assert.ok(text.includes(words), `the sheet says "${words}":\n${text}`);
      }
      temporary = text.match(/Temporary password\s+(\S+)/)?.[1] ?? '';
      assert.match(temporary, /^[a-z]+-[a-z]+-[a-z]+-\d{3}$/);
    });

    await journey(suite.harness, { javaScript }, async (page) => {
      await logIn(page, PATIENT, JORDAN, temporary);
      await page.waitForURL(`**${PATIENT}/update-password`);
      await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
      await page.getByLabel('Temporary password').fill(temporary);
      await page.getByLabel('New password', { exact: true }).fill(ownPassword);
      await page.getByLabel('New password confirmation').fill(ownPassword);
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await page.waitForURL(`**${PATIENT}/?done=password-set`);
      await page.getByText('Your password is set.').waitFor();
      await page.getByRole('heading', { name: 'Riley Parent', level: 3 }).waitFor();
    });
  });
}

test.run();
