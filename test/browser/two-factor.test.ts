// Two-factor authentication in a real browser: enrol from My Account by reading the key off the page and computing
// the code here, sign out, sign in with the code and "Save token for 30 days", sign out, sign in again without the
// code; axe-core on the setup and second-step pages; and the second step with JavaScript off.
import { readFile } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { STAFF_PASSWORD } from '../support/harness.ts';
import { codeAt, newStaffMember } from '../support/two-factor.ts';
import { assertAccessible, browserSuite, journey } from '../support/browser.ts';

const PRACTICE = '/sunny-pediatrics/practice';
const REMEMBER = 'Save token for 30 days. (Not on public computers!)';

const suite = browserSuite();
const { it } = suite;


async function logIn(page: Page, username: string) {
  await page.goto(`${PRACTICE}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Log In' }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`**${PRACTICE}/login?signed_out=1`);
}

/** From My Account to 2FA on; returns the key as the page showed it (spaces removed). */
async function enrolFromMyAccount(page: Page, check: boolean): Promise<string> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My Account' }).click();
  await page.getByRole('link', { name: 'Set up two-factor authentication' }).click();
  await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
  if (check) await assertAccessible(page, 'the start of the 2FA setup');
  await page.getByLabel('Current password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
  await qr.waitFor();
  const box = await qr.locator('svg').boundingBox();
  assert.ok(box && box.width >= 150 && box.height >= 150, `the QR code is drawn (${JSON.stringify(box)})`);
  if (check) await assertAccessible(page, 'the 2FA setup page with its QR code');
  const secret = (await page.locator('#totp-key').innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await page.getByLabel('Two-Factor Token').fill(await codeAt(secret));
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
  assert.is(await page.locator('.recovery-codes li').count(), 10);
  return secret;
}

it('enrol by reading the key, sign in with the code and "Save token for 30 days", then again without a code', async () => {
  const member = await newStaffMember(suite.harness.ctx);
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, member.username);
    await page.waitForURL(`**${PRACTICE}/`);
    const secret = await enrolFromMyAccount(page, true);
    await assertAccessible(page, 'the recovery codes page');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as a text file' }).click()]);
    assert.is(download.suggestedFilename(), 'sunny-pediatrics-recovery-codes.txt');
    const file = await readFile((await download.path())!, 'utf8');
    const shown = await page.locator('.recovery-codes code').allInnerTexts();
    for (const code of shown) assert.match(file, code);

    await page.getByRole('link', { name: 'I have saved my codes' }).click();
    await page.getByText(/On since [A-Z][a-z]{2} \d{1,2}, \d{4}\. 10 unused recovery codes left\./).waitFor();
    await signOut(page);

    await logIn(page, member.username);
    await page.waitForURL(`**${PRACTICE}/login/two-factor`);
    await page.getByRole('heading', { name: 'Two-Factor Login' }).waitFor();
    await assertAccessible(page, 'the second sign-in step');
    await page.getByLabel('Two-Factor Token').fill(await codeAt(secret, 1));
    await page.getByLabel(REMEMBER).check();
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`**${PRACTICE}/`);
    await page.getByRole('heading', { name: /Welcome, Tess/ }).waitFor();
    await signOut(page);

    await logIn(page, member.username);
    await page.waitForURL(`**${PRACTICE}/`);
    await page.getByRole('heading', { name: /Welcome, Tess/ }).waitFor();
  });

  await journey(suite.harness, {}, async (page) => {
    await logIn(page, member.username);
    await page.waitForURL(`**${PRACTICE}/login/two-factor`);
    assert.ok(await page.getByLabel('Two-Factor Token').isVisible(), 'another browser is asked for the code');
  });
});

it('a wrong code is answered in place with focus on the message; the right one signs in', async () => {
  const member = await newStaffMember(suite.harness.ctx);
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, member.username);
    await page.waitForURL(`**${PRACTICE}/`);
    const secret = await enrolFromMyAccount(page, false);
    await signOut(page);
    await logIn(page, member.username);
    await page.waitForURL(`**${PRACTICE}/login/two-factor`);
    await page.getByLabel('Two-Factor Token').fill('000000');
    const answer = page.waitForResponse((r) => r.url().endsWith(`${PRACTICE}/login/two-factor`) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Log In' }).click();
    const response = await answer;
    assert.is(response.request().headers()['hx-request'], 'true');
    assert.is(response.status(), 422);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), 'That code did not work');
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'alert');
    await assertAccessible(page, 'the second step showing its error');
    await page.getByLabel('Two-Factor Token').fill(await codeAt(secret, 1));
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`**${PRACTICE}/`);
  });
});

it('with JavaScript off, setup and the second step work through plain form posts', async () => {
  const member = await newStaffMember(suite.harness.ctx);
  await journey(suite.harness, { javaScript: false }, async (page) => {
    await logIn(page, member.username);
    await page.waitForURL(`**${PRACTICE}/`);
    const secret = await enrolFromMyAccount(page, false);
    await page.getByRole('link', { name: 'I have saved my codes' }).click();
    await signOut(page);

    await logIn(page, member.username);
    await page.waitForURL(`**${PRACTICE}/login/two-factor`);
    await page.getByLabel('Two-Factor Token').fill('123');
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code did not work' }).waitFor();
    // (axe-core runs inside the page, so it cannot check a page with JavaScript off; the same page with an error was
    // checked with JavaScript on above.)
    assert.is(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert', 'the error has focus (autofocus)');
    await page.getByLabel('Two-Factor Token').fill(await codeAt(secret, 1));
    await page.getByLabel(REMEMBER).check();
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`**${PRACTICE}/`);
    await signOut(page);
    await logIn(page, member.username);
    await page.waitForURL(`**${PRACTICE}/`);
  });
});

test.run();
