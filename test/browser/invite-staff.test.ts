// Inviting staff (P4) from end to end in a real browser, with JavaScript (the drawer) and without (a page of its
// own): Staff → Invite staff → Send invitation → the invitation email → the invitee chooses a password and a
// security question → signs in (the username already filled in) → their Home names their role.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { STAFF_PASSWORD } from '../support/harness.ts';
import { assertAccessible, browserSuite, journey } from '../support/browser.ts';
import { SUNNY_PRACTICE as PRACTICE, linkPath, logIn, nextMail } from '../support/journeys.ts';

const suite = browserSuite();
const { it } = suite;

type Invitee = { first: string; last: string; username: string; email: string; role: string; roleLabel: string; password: string };

async function fillInvitation(page: Page, person: Invitee) {
  await page.getByLabel('First Name').fill(person.first);
  await page.getByLabel('Last Name').fill(person.last);
  await page.getByLabel('Role').selectOption(person.role);
  await page.getByLabel('Username').fill(person.username);
  await page.getByLabel('Email').fill(person.email);
}

/** The invitee, in a browser of their own: the emailed link, a password and a question, then signing in. */
async function acceptInvitation(person: Invitee, javaScript: boolean) {
  const mail = await nextMail(suite.harness, person.email, 'invitation');
  assert.match(mail.subject, 'Sunny Pediatrics');
  assert.match(mail.text, `Your username: ${person.username}`);
  await journey(suite.harness, { javaScript }, async (page) => {
    await page.goto(linkPath(suite.harness, mail.text));
    await page.waitForURL(`**${PRACTICE}/welcome`);
    await page.getByRole('heading', { name: 'Set up your account' }).waitFor();
    if (javaScript) await assertAccessible(page, 'the invitation page');
    await page.getByLabel('New password', { exact: true }).fill(person.password);
    await page.getByLabel('New password confirmation').fill(person.password);
    await page.getByLabel('Security question').selectOption('What was the name of your first school?');
    await page.getByLabel('Answer').fill('Lincoln Elementary');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.waitForURL(`**${PRACTICE}/login?welcome=1`);
    await page.getByText('Your account is ready. Please sign in.').waitFor();
    assert.is(await page.getByLabel('Username').inputValue(), person.username, 'the username is filled in');
    if (javaScript) assert.is(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'password', 'the password is what is left to type');
    await page.getByLabel('Password', { exact: true }).fill(person.password);
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`**${PRACTICE}/`);
    await page.getByRole('heading', { name: `Welcome, ${person.first} ${person.last}` }).waitFor();
    await page.getByText(`Role: ${person.roleLabel}`).waitFor();
  });
}

it('with JavaScript: the Invite staff drawer sends the invitation, and the invitee signs in', async () => {
  const person: Invitee = {
    first: 'Jamie', last: 'Drawer', username: 'jamie_drawer', email: 'jamie.drawer@sunny-pediatrics.example', role: 'nurse', roleLabel: 'Nurse',
    password: 'violet harbor lantern 77',
  };
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PRACTICE, 'admin', STAFF_PASSWORD);
    await page.getByText('Role: Administrator').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('link', { name: 'Invite staff' }).click();
    const drawer = page.getByRole('dialog', { name: 'Invite staff' });
    await drawer.waitFor();
    await assertAccessible(page, 'the Invite staff drawer');

    // A mistake first: the drawer stays open with what was typed.
    await fillInvitation(page, { ...person, username: 'camilles' });
    await drawer.getByRole('button', { name: 'Send invitation' }).click();
    await drawer.getByText('That username is already taken at this practice.').waitFor();
    assert.is(await drawer.getByLabel('First Name').inputValue(), person.first, 'the typed details are kept');
    assert.is(await drawer.getByLabel('Role').inputValue(), person.role);

    await drawer.getByLabel('Username').fill(person.username);
    const sent = page.waitForResponse((r) => r.url().endsWith('/staff/invite') && r.request().method() === 'POST');
    await drawer.getByRole('button', { name: 'Send invitation' }).click();
    assert.is((await sent).status(), 204, 'the invitation is made (answered with a redirect for htmx)');
    await page.waitForURL(/\/staff\/[0-9a-f-]{36}\?done=invited$/);
    await page.getByText('The invitation has been sent.').waitFor();
    await page.getByRole('heading', { name: `${person.first} ${person.last}` }).waitFor();
  });
  await acceptInvitation(person, true);
});

it('without JavaScript: Invite staff is a page of its own that posts and redirects, and the invitee signs in', async () => {
  const person: Invitee = {
    first: 'Riley', last: 'Plainform', username: 'riley_plain', email: 'riley.plain@sunny-pediatrics.example', role: 'staff', roleLabel: 'Front desk',
    password: 'copper meadow kettle 48',
  };
  await journey(suite.harness, { javaScript: false }, async (page) => {
    await logIn(page, PRACTICE, 'admin', STAFF_PASSWORD);
    await page.goto(`${PRACTICE}/staff`);
    await page.getByRole('link', { name: 'Invite staff' }).click();
    await page.waitForURL(`**${PRACTICE}/staff/invite`);
    await page.getByRole('heading', { name: 'Invite staff', level: 1 }).waitFor();
    await fillInvitation(page, { ...person, email: 'not an email' });
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Enter an email address like name@example.com.').waitFor();
    assert.is(page.url().endsWith(`${PRACTICE}/staff/invite`), true, 'the form posted to the invitation, not to the staff list');
    assert.is(await page.getByLabel('Last Name').inputValue(), person.last);
    await page.getByLabel('Email').fill(person.email);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.waitForURL(/\/staff\/[0-9a-f-]{36}\?done=invited$/);
    await page.getByText('The invitation has been sent.').waitFor();
  });
  await acceptInvitation(person, false);
});

test.run();
