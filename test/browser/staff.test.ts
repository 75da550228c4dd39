// Staff administration (P4) in a real browser: the administrator opens Staff → View → Edit (the Update Staff
// drawer) → Reset Password; the staff member completes the reset from the mailbox, and the session she had open
// before is gone. With JavaScript (htmx dialogs, keyboard and focus) and without it, axe-core on every page.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { STAFF_PASSWORD } from '../support/harness.ts';
import { assertAccessible, browserSuite, journey } from '../support/browser.ts';

const PRACTICE = '/sunny-pediatrics/practice';

const suite = browserSuite();
const { it } = suite;

// axe-core runs inside the page, and with JavaScript disabled its analysis never returns here (it hangs on every page,
// the sign-in page included). The journey without JavaScript therefore skips it; the pages it visits are the same
// HTML, and the JavaScript journey checks the no-JavaScript pages (edit, confirmation) directly too.

async function logIn(page: Page, username: string, password: string) {
  await page.goto(`${PRACTICE}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log In' }).click();
  await page.waitForURL(`**${PRACTICE}/`);
}

type Mail = { to: string; kind: string; text: string };

async function staffResetLink(to: string): Promise<string> {
  const mails = (await (await fetch(`${suite.harness.baseUrl}/_dev/mail?format=json`)).json()) as Mail[];
  const mail = mails.find((m) => m.to === to && m.kind === 'staff_password_reset');
  assert.ok(mail, `a reset email reached ${to}`);
  assert.match(mail!.text, 'valid for 72 hours');
  return mail!.text.match(/http:\/\/127\.0\.0\.1:\d+(\/\S+\/reset\/[A-Za-z0-9_-]{43})/)![1];
}

/** What has focus, as a screen reader would name it. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'nothing';
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) return `field ${el.labels?.[0]?.textContent?.trim() ?? el.name}`;
    const kind = ({ A: 'link', BUTTON: 'button' } as Record<string, string>)[el.tagName] ?? el.tagName.toLowerCase();
    return `${kind} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ')}`;
  });
}

type Person = { name: string; username: string; email: string; cell: string; newPassword: string };

/** The staff member completes the emailed reset in a browser of their own. */
async function completeReset(javaScript: boolean, person: Person) {
  const context = await suite.harness.browser.newContext({ baseURL: suite.harness.baseUrl, javaScriptEnabled: javaScript });
  try {
    const page = await context.newPage();
    await page.goto(await staffResetLink(person.email));
    await page.waitForURL(`**${PRACTICE}/reset`);
    await page.getByLabel('Answer').fill('Springfield');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('New password', { exact: true }).fill(person.newPassword);
    await page.getByLabel('New password confirmation').fill(person.newPassword);
    await page.getByRole('button', { name: 'Change my password' }).click();
    await page.waitForURL(`**${PRACTICE}/login?reset=1`);
    await logIn(page, person.username, person.newPassword);
  } finally {
    await context.close();
  }
}

async function staffJourney(page: Page, javaScript: boolean, person: Person) {
  const axe = (where: string) => (javaScript ? assertAccessible(page, where) : Promise.resolve());
  // The staff member is signed in somewhere before the reset.
  const before = await suite.harness.browser.newContext({ baseURL: suite.harness.baseUrl, javaScriptEnabled: javaScript });
  const theirPage = await before.newPage();
  await logIn(theirPage, person.username, STAFF_PASSWORD);

  await logIn(page, 'admin', STAFF_PASSWORD);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
  await page.waitForURL(`**${PRACTICE}/staff`);
  await page.getByText('Showing 4 of 4 records').waitFor();
  await axe('the staff list');
  await page.getByRole('row', { name: new RegExp(person.name) }).getByRole('link', { name: 'View' }).click();
  await page.getByRole('heading', { level: 1, name: person.name }).waitFor();
  await axe('the staff member page');

  // Edit → Update Staff: a drawer with JavaScript, a page of its own without.
  await page.getByRole('link', { name: 'Edit' }).click();
  const surface = javaScript ? page.getByRole('dialog', { name: 'Update Staff' }) : page.getByRole('main');
  if (javaScript) {
    await surface.waitFor();
    await page.waitForFunction(() => document.querySelector('[role="dialog"]')?.contains(document.activeElement));
    assert.is(await focused(page), 'h2 Update Staff', 'focus moves into the drawer');
    await axe('the Update Staff drawer');
    await page.keyboard.press('Escape');
    await surface.waitFor({ state: 'detached' });
    assert.is(await focused(page), 'link Edit', 'Escape closes the drawer and focus returns to Edit');
    await page.getByRole('link', { name: 'Edit' }).click();
    await surface.waitFor();
  } else {
    await page.waitForURL(/\/staff\/[0-9a-f-]{36}\/edit$/);
    await page.getByRole('heading', { level: 1, name: 'Update Staff' }).waitFor();
    await axe('the Update Staff page');
  }
  // The email shows here with its own Change Email, the one place it changes.
  await surface.getByText(person.email).waitFor();
  await surface.getByRole('link', { name: 'Change Email' }).waitFor();
  await surface.getByLabel('Cell Phone').fill('call me');
  await surface.getByRole('button', { name: 'Save' }).click();
  await surface.getByText('Enter a phone number like 555-0100.').waitFor();
  assert.is(await surface.getByLabel('Cell Phone').inputValue(), 'call me', 'the input is kept');
  if (javaScript) assert.is(await focused(page), 'field Cell Phone', 'focus goes to the field to fix');
  await surface.getByLabel('Cell Phone').fill(person.cell);
  await surface.getByRole('button', { name: 'Save' }).click();
  await page.getByText('The staff information has been saved.').waitFor();
  assert.match(await page.getByRole('main').innerText(), person.cell);

  // Reset Password, confirmation first.
  await page.getByRole('button', { name: 'Reset Password' }).click();
  const confirm = javaScript ? page.getByRole('dialog', { name: 'Reset Password' }) : page.getByRole('main');
  await confirm.getByText('valid for 72 hours').waitFor();
  await axe('the Reset Password confirmation');
  await confirm.getByRole('button', { name: 'Reset Password' }).click();
  await page.getByText(`A password reset link was sent to ${person.email}. It is valid for 72 hours.`).waitFor();
  assert.match(await page.getByRole('main').innerText(), /Pending password reset\s+Sent /);
  if (javaScript) {
    // The pages that stand in for the drawer and dialogs without JavaScript, checked here (see assertAccessible).
    const memberUrl = page.url().split('?')[0];
    for (const [path, heading] of [['/edit', 'Update Staff'], ['/reset-password', 'Reset Password'], ['/email', 'Change Email'], ['/deactivate', `Deactivate ${person.name}`]]) {
      await page.goto(`${memberUrl}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await assertAccessible(page, `the ${heading} page`);
    }
  }

  await completeReset(javaScript, person);
  await theirPage.goto(`${PRACTICE}/`);
  await theirPage.waitForURL(`**${PRACTICE}/login?ended=ended`);
  await theirPage.getByText('You were signed out, by another device or a change to your account.').waitFor();
  await before.close();
}

it('administrator: Staff → View Camille → Edit drawer → Reset Password; Camille resets and her old session is gone', async () => {
  await journey(suite.harness, {}, (page) => staffJourney(page, true, {
    name: 'Camille Nurse', username: 'camilles', email: 'cnurse@sunny-pediatrics.example', cell: '111-222-3333', newPassword: 'velvet otter harbor 2931',
  }));
});

it('the same journey with JavaScript off: pages instead of the drawer and dialogs', async () => {
  await journey(suite.harness, { javaScript: false }, (page) => staffJourney(page, false, {
    name: 'Marcus Staff', username: 'marcusstaff', email: 'mstaff@sunny-pediatrics.example', cell: '444-555-6666', newPassword: 'quiet meadow lantern 884',
  }));
});

it('more staff load as the list scrolls (htmx), and Deactivate asks first in a dialog', async () => {
  const { ctx } = suite.harness;
  const [tenant] = await ctx.owner`select id from tenants where slug = 'sunny-pediatrics'`;
  for (let i = 1; i <= 30; i++) {
    const n = String(i).padStart(2, '0');
    const [account] = await ctx.owner`insert into accounts (tenant_id, portal, username, email, status) values (${tenant.id}, 'practice', ${`zimmer${n}`}, ${`zimmer${n}@example.com`}, 'invited') returning id`;
    await ctx.owner`insert into staff_profiles (tenant_id, account_id, first_name, last_name, role) values (${tenant.id}, ${account.id}, ${`Temp${n}`}, 'Zimmer', 'staff')`;
  }
  try {
    await journey(suite.harness, {}, async (page) => {
      await logIn(page, 'admin', STAFF_PASSWORD);
      await page.goto(`${PRACTICE}/staff`);
      await page.getByText('Showing 25 of 34 records.').waitFor();
      await page.getByRole('row', { name: /Temp30 Zimmer/ }).waitFor({ state: 'detached' });
      await page.locator('#staff-more').scrollIntoViewIfNeeded();
      await page.getByText('Showing 34 of 34 records. You have reached the end.').waitFor();
      await page.getByRole('row', { name: /Temp30 Zimmer/ }).waitFor();
      assert.is(await page.locator('tbody tr').count(), 34);

      const row = page.getByRole('row', { name: /Temp30 Zimmer/ });
      await row.getByRole('button', { name: 'Deactivate' }).click();
      const dialog = page.getByRole('dialog', { name: 'Deactivate Temp30 Zimmer' });
      await dialog.waitFor();
      await assertAccessible(page, 'the Deactivate confirmation dialog');
      await dialog.getByRole('link', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.is(await focused(page), 'button Deactivate', 'Cancel returns focus to the button that opened it');
      await row.getByRole('button', { name: 'Deactivate' }).click();
      await dialog.getByRole('button', { name: 'Deactivate' }).click();
      await page.getByText('has been deactivated and signed out everywhere').waitFor();
    });
  } finally {
    await ctx.owner`delete from accounts where username like 'zimmer%'`;
  }
});

test.run();
