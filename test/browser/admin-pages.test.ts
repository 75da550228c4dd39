// The audit log (P6) and practice settings (P7) in a real browser: an administrator filters the log with htmx and
// with plain form submissions, and changes the idle sign-out; axe-core on every state a person sees (it needs
// JavaScript in the page, so the journeys without it check the same server-rendered pages by behaviour only).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { STAFF_PASSWORD } from '../support/harness.ts';
import { assertAccessible, browserSuite, journey } from '../support/browser.ts';

const PRACTICE = '/sunny-pediatrics/practice';

const suite = browserSuite();
const { it } = suite;


/** Signs in as the administrator, after one wrong password so the log has a failed sign-in too. */
async function logInAsAdmin(page: Page) {
  await page.goto(`${PRACTICE}/login`);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log In' }).click();
  await page.getByRole('alert').filter({ hasText: 'Invalid username or password' }).waitFor();
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Log In' }).click();
  await page.waitForURL(`**${PRACTICE}/`);
}

async function eventRows(page: Page): Promise<string[]> {
  return page.locator('#audit-results tbody tr').allInnerTexts();
}

it('with JavaScript: the audit log filters as the administrator chooses, keeping the address and the focus', async () => {
  await journey(suite.harness, {}, async (page) => {
    await logInAsAdmin(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(`**${PRACTICE}/audit`);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const all = await eventRows(page);
    assert.ok(all.some((row) => row.includes('Signed in')) && all.some((row) => row.includes('Sign-in failed')), all.join('\n'));
    await assertAccessible(page, 'the audit log');

    const answer = page.waitForResponse((r) => r.url().includes('/audit?') && r.request().headers()['hx-request'] === 'true');
    await page.getByLabel('Action').focus();
    await page.getByLabel('Action').selectOption('sign_in.failed');
    const response = await answer;
    assert.is(response.status(), 200);
    await page.waitForURL(/\/audit\?.*action=sign_in\.failed/);
    await page.getByRole('status').filter({ hasText: 'Showing 1 event' }).waitFor();
    const failed = await eventRows(page);
    assert.is(failed.length, 1);
    assert.match(failed[0], 'Sign-in failed');
    assert.match(failed[0], 'Pat Admin');
    assert.is(await page.evaluate(() => document.activeElement?.id), 'field-action', 'focus stays on the filter');

    await page.getByLabel('Person').fill('nobody here');
    await page.getByText('Showing 0 events').waitFor();
    assert.is(await page.evaluate(() => document.activeElement?.id), 'field-person', 'typing is not interrupted');
    await page.getByLabel('Person').fill('pat admin');
    await page.getByText('Showing 1 event').waitFor();
    await assertAccessible(page, 'the audit log after filtering');

    await page.reload();
    assert.is(await page.getByLabel('Action').inputValue(), 'sign_in.failed', 'the address kept the filters');
    assert.is(await page.getByLabel('Person').inputValue(), 'pat admin');
    assert.is((await eventRows(page)).length, 1);
  });
});

it('without JavaScript: the filter form is a plain GET and the CSV link carries the filters', async () => {
  await journey(suite.harness, { javaScript: false }, async (page) => {
    await logInAsAdmin(page);
    await page.goto(`${PRACTICE}/audit`);
    await page.getByLabel('Action').selectOption('sign_out');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/\/audit\?.*action=sign_out/);
    assert.is((await eventRows(page)).length, 0, 'nobody has signed out yet');
    await page.getByText('Showing 0 events').waitFor();

    await page.getByLabel('Action').selectOption('sign_in.succeeded');
    await page.getByLabel('From').fill(new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date()));
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=sign_in\.succeeded/);
    const rows = await eventRows(page);
    assert.ok(rows.length >= 2 && rows.every((row) => row.includes('Signed in')), rows.join('\n'));
    const csv = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    assert.match(csv ?? '', /\/audit\/export\?action=sign_in\.succeeded&(amp;)?from=\d{4}-\d{2}-\d{2}$/);
  });
});

it('practice settings: a mistake is answered in place, then the idle sign-out is saved and confirmed', async () => {
  await journey(suite.harness, {}, async (page) => {
    await logInAsAdmin(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Practice settings' }).click();
    await page.waitForURL(`**${PRACTICE}/settings`);
    await page.getByRole('heading', { name: 'Practice settings' }).waitFor();
    await assertAccessible(page, 'the practice settings');

    const idle = page.getByLabel('Practice portal (minutes without activity)');
    assert.is(await idle.inputValue(), '30');
    await idle.fill('2');
    const refused = page.waitForResponse((r) => r.url().endsWith('/settings') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Save settings' }).click();
    assert.is((await refused).status(), 422);
    await page.getByRole('alert').filter({ hasText: 'Nothing was saved' }).waitFor();
    await page.getByText('Enter a whole number from 5 to 720.').waitFor();
    assert.is(await idle.inputValue(), '2', 'the input is kept');
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'alert');
    await assertAccessible(page, 'the practice settings showing an error');

    await idle.fill('20');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL(`**${PRACTICE}/settings?saved=1`);
    await page.getByRole('status').filter({ hasText: 'Practice settings saved.' }).waitFor();
    assert.is(await page.getByLabel('Practice portal (minutes without activity)').inputValue(), '20');
    await assertAccessible(page, 'the practice settings after saving');

    await page.goto(`${PRACTICE}/audit?action=settings.changed`);
    const rows = await eventRows(page);
    assert.is(rows.length, 1);
    assert.match(rows[0], 'Practice portal (minutes without activity): 30 → 20');
  });
});

it('practice settings without JavaScript: a plain post saves and confirms', async () => {
  await journey(suite.harness, { javaScript: false }, async (page) => {
    await logInAsAdmin(page);
    await page.goto(`${PRACTICE}/settings`);
    await page.getByLabel('Patient portal (minutes without activity)').fill('45');
    await page.getByLabel('Nurses').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL(`**${PRACTICE}/settings?saved=1`);
    await page.getByText('Practice settings saved.').waitFor();
    assert.is(await page.getByLabel('Patient portal (minutes without activity)').inputValue(), '45');
    assert.ok(await page.getByLabel('Nurses').isChecked());
  });
});

test.run();
