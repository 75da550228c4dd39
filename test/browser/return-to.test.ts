// Where people are sent, in a real browser: back to the page they asked for after signing in (and after the second
// step), with a sentence saying why a session ended (an idle timeout while typing in the patient search included),
// never to another site; and error pages inside a practice that keep its header, menu and Sign out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { STAFF_PASSWORD, accountId } from '../support/harness.ts';
import { codeAt, newStaffMember } from '../support/two-factor.ts';
import { assertAccessible, browserSuite, journey } from '../support/browser.ts';
import { SUNNY_PRACTICE as PRACTICE, logIn } from '../support/journeys.ts';

const suite = browserSuite();
const { it } = suite;

async function signInHere(page: Page, username: string, password = STAFF_PASSWORD) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log In' }).click();
}

for (const javaScript of [true, false]) {
  it(`signed out, /staff → sign in → back on /staff (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
    await journey(suite.harness, { javaScript }, async (page) => {
      await page.goto(`${PRACTICE}/staff`);
      await page.waitForURL(`**${PRACTICE}/login?next=%2Fsunny-pediatrics%2Fpractice%2Fstaff`);
      await signInHere(page, 'admin', 'not the password');
      await page.getByRole('alert').filter({ hasText: 'Invalid username or password' }).waitFor();
      await signInHere(page, 'admin');
      await page.waitForURL(`**${PRACTICE}/staff`);
      await page.getByRole('heading', { name: 'Staff', level: 1 }).waitFor();
    });
  });
}

it('the way back survives the second step, and a hostile address leads home', async () => {
  const member = await newStaffMember(suite.harness.ctx);
  let secret = '';
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PRACTICE, member.username, STAFF_PASSWORD);
    await page.goto(`${PRACTICE}/account/two-factor`);
    await page.getByLabel('Current password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    secret = (await page.locator('#totp-key').innerText()).replace(/\s/g, '');
    await page.getByLabel('Two-Factor Token').fill(await codeAt(secret));
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await page.getByText('Two-factor authentication is now on.').waitFor();
  });
  await journey(suite.harness, {}, async (page) => {
    await page.goto(`${PRACTICE}/account`);
    await signInHere(page, member.username);
    await page.waitForURL(`**${PRACTICE}/login/two-factor?next=%2Fsunny-pediatrics%2Fpractice%2Faccount`);
    await suite.harness.ctx.owner`update accounts set totp_last_used_step = null where id = ${member.id}`;
    await page.getByLabel('Two-Factor Token').fill(await codeAt(secret));
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`**${PRACTICE}/account`);
    await page.getByRole('heading', { name: 'My Account' }).waitFor();
  });
  await journey(suite.harness, {}, async (page) => {
    await page.goto(`${PRACTICE}/login?next=${encodeURIComponent('//evil.example/steal')}`);
    await signInHere(page, 'marcusstaff');
    await page.waitForURL(`**${PRACTICE}/`);
    assert.is(new URL(page.url()).host, new URL(suite.harness.baseUrl).host, 'still on Gatehouse');
  });
});

it('an idle timeout while typing in the patient search: sign-in says why, then back to the search', async () => {
  const marcus = await accountId(suite.harness.ctx.owner, 'sunny-pediatrics', 'practice', 'marcusstaff');
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PRACTICE, 'marcusstaff', STAFF_PASSWORD);
    await page.goto(`${PRACTICE}/patients`);
    await page.getByLabel('Name').fill('parent');
    await page.getByRole('link', { name: 'Parent, Riley' }).waitFor();
    // Thirty-one minutes pass without activity.
    await suite.harness.ctx.owner`update sessions set last_seen_at = now() - interval '31 minutes' where account_id = ${marcus}`;
    await page.getByLabel('Name').fill('riley');
    await page.waitForURL(/\/login\?next=.*ended=idle/);
    await page.getByText('You were signed out after 30 minutes without activity. Sign in again to continue where you were.').waitFor();
    await assertAccessible(page, 'the sign-in page after an idle timeout');
    await signInHere(page, 'marcusstaff');
    await page.waitForURL(/\/patients\?(.*&)?name=riley(&|$)/);
    await page.getByRole('link', { name: 'Parent, Riley' }).waitFor();
    assert.is(await page.getByLabel('Name').inputValue(), 'riley', 'what was typed is back in the search');
  });
});

it('a refusal and a missing page inside the practice keep its header, menu and Sign out, and lead to its home', async () => {
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PRACTICE, 'camilles', STAFF_PASSWORD);
    for (const [path, status, title] of [['/staff', 403, 'That request was refused'], ['/no-such-page', 404, 'Page not found']] as const) {
      const response = await page.goto(`${PRACTICE}${path}`);
      assert.is(response?.status(), status);
      await page.getByRole('heading', { name: title }).waitFor();
      const header = page.locator('header.top');
      assert.match(await header.innerText(), 'Sunny Pediatrics');
      assert.match(await header.innerText(), 'Signed in as Camille Nurse');
      assert.ok(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My Account' }).isVisible(), 'the menu is there');
      assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible(), 'Sign out is there');
      assert.is(await page.title(), `${title} · Sunny Pediatrics`);
      await assertAccessible(page, `the ${status} page inside the practice`);
    }
    await page.getByRole('link', { name: 'Go to Sunny Pediatrics home' }).click();
    await page.waitForURL(`**${PRACTICE}/`);
    await page.getByRole('heading', { name: 'Welcome, Camille Nurse' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/signed_out=1/);

    await page.goto(`${PRACTICE}/no-such-page`);
    await page.getByRole('link', { name: 'Go to the Sunny Pediatrics sign-in page' }).click();
    await page.waitForURL(`**${PRACTICE}/login`);
    const elsewhere = await page.goto('/no-such-practice/practice/login');
    assert.is(elsewhere?.status(), 404);
    assert.match(await page.locator('header.top').innerText(), 'Gatehouse', 'outside any practice, Gatehouse’s own page');
    await page.getByRole('link', { name: 'Go to the start page' }).waitFor();
  });
});

test.run();
