// Signing in and out of both demo portals in a real browser: with JavaScript (htmx), without it, and by keyboard
// alone, with axe-core checking each page a person lands on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { GUARDIAN_PASSWORD, STAFF_PASSWORD } from '../support/harness.ts';
import { assertAccessible, browserSuite, journey } from '../support/browser.ts';

const PRACTICE = '/sunny-pediatrics/practice';
const PATIENT = '/sunny-pediatrics/patient';

const suite = browserSuite();
const { it } = suite;


async function logIn(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log In' }).click();
}

/** What has focus, as a screen reader would name it: "field Username", "button Log In", "alert Invalid …". */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'nothing (the page itself)';
    if (el instanceof HTMLInputElement) return `field ${el.labels?.[0]?.textContent?.trim() ?? el.name}`;
    const kind = el.getAttribute('role') ?? ({ A: 'link', BUTTON: 'button', MAIN: 'main' } as Record<string, string>)[el.tagName] ?? el.tagName.toLowerCase();
    return kind === 'main' ? 'main' : `${kind} ${el.textContent?.trim().replace(/\s+/g, ' ')}`;
  });
}

it('a staff member signs in to the practice portal, sees the practice home, and signs out', async () => {
  await journey(suite.harness, {}, async (page) => {
    await page.goto(`${PRACTICE}/login`);
    await assertAccessible(page, 'the practice sign-in page');
    await logIn(page, 'admin', STAFF_PASSWORD);
    await page.waitForURL(`**${PRACTICE}/`);
    await page.getByRole('heading', { name: 'Welcome, Pat Admin' }).waitFor();
    assert.ok(await page.getByRole('banner').getByText('Sunny Pediatrics').isVisible());
    await assertAccessible(page, 'the practice home page');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`**${PRACTICE}/login?signed_out=1`);
    await page.getByText('You have signed out.').waitFor();
    assert.ok(await page.getByRole('button', { name: 'Log In' }).isVisible());
  });
});

it('a guardian signs in to the patient portal, sees both children, and signs out', async () => {
  await journey(suite.harness, {}, async (page) => {
    await page.goto(`${PATIENT}/login`);
    await assertAccessible(page, 'the patient sign-in page');
    await logIn(page, 'jordan.parent@example.com', GUARDIAN_PASSWORD);
    await page.waitForURL(`**${PATIENT}/`);
    const children = page.getByRole('list').filter({ hasText: 'Riley Parent' });
    await children.waitFor();
    const items = await children.getByRole('listitem').allInnerTexts();
    assert.is(items.length, 2);
    assert.ok(items.some((text) => text.includes('Riley Parent') && /Account\s+10001/.test(text)), items.join(' | '));
    assert.ok(items.some((text) => text.includes('Casey Parent') && /Account\s+10002/.test(text)), items.join(' | '));
    assert.ok(await page.getByRole('banner').getByText('Sunny Pediatrics').isVisible());
    await assertAccessible(page, 'the patient home page');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`**${PATIENT}/login?signed_out=1`);
    await page.getByText('You have signed out.').waitFor();
    await page.goto(`${PATIENT}/`);
    await page.waitForURL(`**${PATIENT}/login`);
  });
});

it('a wrong password is answered in place: the message shows, the username stays, focus moves to the message', async () => {
  await journey(suite.harness, {}, async (page) => {
    await page.goto(`${PRACTICE}/login`);
    await page.getByLabel('Username').fill('camilles');
    await page.getByLabel('Password').fill('not my password');
    const answer = page.waitForResponse((r) => r.url().endsWith(`${PRACTICE}/login`) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Log In' }).click();
    const response = await answer;
    assert.is(response.request().headers()['hx-request'], 'true', 'htmx sent the form and swaps the answer in place');
    assert.is(response.status(), 401);

    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.is((await alert.innerText()).trim(), 'Invalid username or password');
    assert.is(await page.getByLabel('Username').inputValue(), 'camilles');
    assert.is(await page.getByLabel('Password').inputValue(), '');
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'alert');
    assert.is(await focused(page), 'alert Invalid username or password');
    assert.is(page.url().endsWith(`${PRACTICE}/login`), true);
    await assertAccessible(page, 'the sign-in form showing its error');

    await page.keyboard.press('Tab');
    assert.is(await focused(page), 'field Username', 'the next Tab continues into the form');
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`**${PRACTICE}/`);
    await page.getByRole('heading', { name: 'Welcome, Camille Nurse' }).waitFor();
  });
});

it('with JavaScript off, both portals sign in and out through plain form posts, and errors still get focus', async () => {
  await journey(suite.harness, { javaScript: false }, async (page) => {
    await page.goto(`${PRACTICE}/login`);
    await logIn(page, 'admin', 'not my password');
    await page.getByRole('alert').filter({ hasText: 'Invalid username or password' }).waitFor();
    assert.is(await page.getByLabel('Username').inputValue(), 'admin');
    assert.is(await focused(page), 'alert Invalid username or password');
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`**${PRACTICE}/`);
    await page.getByRole('heading', { name: 'Welcome, Pat Admin' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`**${PRACTICE}/login?signed_out=1`);
    await page.getByText('You have signed out.').waitFor();

    await page.goto(`${PATIENT}/login`);
    await logIn(page, 'jordan.parent@example.com', GUARDIAN_PASSWORD);
    await page.waitForURL(`**${PATIENT}/`);
    await page.getByRole('heading', { name: 'Riley Parent', level: 3 }).waitFor();
    await page.getByRole('heading', { name: 'Casey Parent', level: 3 }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`**${PATIENT}/login?signed_out=1`);
    await page.getByText('You have signed out.').waitFor();
  });
});

// The sign-in page puts the cursor in Username on arrival (autofocus), so the skip link sits just before it:
// Shift+Tab reaches it through the practice's home link, and following it leads back into the form.
it('by keyboard alone: the skip link, then Username, Password and Log In in order, and Enter signs in', async () => {
  await journey(suite.harness, {}, async (page) => {
    await page.goto(`${PRACTICE}/login`);
    assert.is(await focused(page), 'field Username', 'on arrival the cursor is in Username');
    await page.keyboard.press('Shift+Tab');
    assert.is(await focused(page), 'link Sunny Pediatrics');
    await page.keyboard.press('Shift+Tab');
    assert.is(await focused(page), 'link Skip to main content');
    const skip = await page.getByRole('link', { name: 'Skip to main content' }).boundingBox();
    assert.ok(skip && skip.x >= 0 && skip.y >= 0, `the focused skip link is on screen (${JSON.stringify(skip)})`);

    await page.keyboard.press('Enter');
    await page.waitForURL(`**${PRACTICE}/login#main`);
    assert.is(await focused(page), 'main');
    await page.keyboard.press('Tab');
    assert.is(await focused(page), 'field Username');
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    assert.is(await focused(page), 'field Password');
    await page.keyboard.type(STAFF_PASSWORD);
    await page.keyboard.press('Tab');
    assert.is(await focused(page), 'button Show password', 'the password’s own Show toggle comes right after it');
    await page.keyboard.press('Tab');
    assert.is(await focused(page), 'button Log In');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**${PRACTICE}/`);
    await page.getByRole('heading', { name: 'Welcome, Pat Admin' }).waitFor();
  });
});

test.run();
