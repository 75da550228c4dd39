// The forgot-password journey of both portals in a real browser, with JavaScript (htmx) and without: ask for a
// link, read it from the development mailbox, answer the security question, choose a new password, sign in.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { assertAccessible as checkAccessible, browserSuite, journey } from '../support/browser.ts';

const suite = browserSuite();
const { it } = suite;


type Mail = { to: string; subject: string; text: string; kind: string; createdAt: string };

/** Waits (bounded) for a new email of `kind` to `to` in the development mailbox, as a person checks their inbox. */
async function nextEmail(to: string, kind: string, seen: number): Promise<Mail> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`${suite.harness.baseUrl}/_dev/mail?format=json`);
    const mails = ((await response.json()) as Mail[]).filter((m) => m.to === to && m.kind === kind);
    if (mails.length > seen) return mails[0];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no ${kind} email reached ${to}`);
}

async function count(to: string, kind: string): Promise<number> {
  const response = await fetch(`${suite.harness.baseUrl}/_dev/mail?format=json`);
  return ((await response.json()) as Mail[]).filter((m) => m.to === to && m.kind === kind).length;
}

type Person = {
  base: string; forgotLink: string; email: string; username: string; answer: string; newPassword: string;
  /** axe runs as script in the page, so it checks the journeys with JavaScript on; the pages are the same. */
  checkAccessibility?: boolean;
};

async function resetJourney(page: Page, person: Person) {
  const assertAccessible = (p: Page, where: string) => (person.checkAccessibility === false ? Promise.resolve() : checkAccessible(p, where));
  const before = await count(person.email, 'password_reset');
  await page.goto(`${person.base}/login`);
  await page.getByRole('link', { name: person.forgotLink }).click();
  await page.waitForURL(`**${person.base}/forgot-password`);
  await assertAccessible(page, 'the forgot-password page');
  await page.getByLabel('Email').fill(person.email);
  await page.getByRole('button', { name: 'Reset my password' }).click();
  await page.getByRole('heading', { name: 'Almost done' }).waitFor();
  await assertAccessible(page, 'the "Almost done" page');

  const mail = await nextEmail(person.email, 'password_reset', before);
  assert.match(mail.text, `Your username, in case you've forgotten: ${person.username}`);
  const link = mail.text.match(/http:\/\/127\.0\.0\.1:\d+(\/\S+\/reset\/\S+)/)![1];
  await page.goto(link);
  await page.waitForURL(`**${person.base}/reset`);
  assert.not.match(page.url(), /reset\/[A-Za-z0-9_-]{43}/, 'the token has left the address bar');
  await assertAccessible(page, 'the security question page');

  await page.getByLabel('Answer').fill('definitely wrong');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('That answer does not match').waitFor();
  await page.getByLabel('Answer').fill(person.answer);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('New password', { exact: true }).waitFor();
  await assertAccessible(page, 'the new password page');

  await page.getByLabel('New password', { exact: true }).fill('password1234');
  await page.getByLabel('New password confirmation').fill('password1234');
  await page.getByRole('button', { name: 'Change my password' }).click();
  await page.getByText('too easy to guess').first().waitFor();

  await page.getByLabel('New password', { exact: true }).fill(person.newPassword);
  await page.getByLabel('New password confirmation').fill(person.newPassword);
  await page.getByRole('button', { name: 'Change my password' }).click();
  await page.waitForURL(`**${person.base}/login?reset=1`);
  await page.getByText('Your password has been changed').waitFor();
  await assertAccessible(page, 'the sign-in page after the reset');

  await page.getByLabel('Username').fill(person.username);
  await page.getByLabel('Password').fill(person.newPassword);
  await page.getByRole('button', { name: 'Log In' }).click();
  await page.waitForURL(`**${person.base}/`);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

it('practice: a nurse resets her forgotten password through the emailed link (JavaScript on)', async () => {
  await journey(suite.harness, {}, (page) => resetJourney(page, {
    base: '/sunny-pediatrics/practice', forgotLink: 'Forgot password?', email: 'cnurse@sunny-pediatrics.example',
    username: 'camilles', answer: 'springfield', newPassword: 'velvet otter harbor 2931',
  }));
});

it('patient: a parent resets a forgotten password through the emailed link (JavaScript on)', async () => {
  await journey(suite.harness, {}, (page) => resetJourney(page, {
    base: '/sunny-pediatrics/patient', forgotLink: 'Forgot your password?', email: 'jordan.parent@example.com',
    username: 'jordan.parent@example.com', answer: 'Biscuit', newPassword: 'velvet otter harbor 2931',
  }));
});

it('practice and patient: the same journeys work with JavaScript off', async () => {
  await journey(suite.harness, { javaScript: false }, (page) => resetJourney(page, {
    base: '/sunny-pediatrics/practice', forgotLink: 'Forgot password?', email: 'mstaff@sunny-pediatrics.example',
    username: 'marcusstaff', answer: 'Springfield', newPassword: 'quiet meadow lantern 884', checkAccessibility: false,
  }));
  await journey(suite.harness, { javaScript: false }, (page) => resetJourney(page, {
    base: '/sunny-pediatrics/patient', forgotLink: 'Forgot your password?', email: 'jordan.parent@example.com',
    username: 'jordan.parent@example.com', answer: 'biscuit', newPassword: 'quiet meadow lantern 884', checkAccessibility: false,
  }));
});

it('the strength meter answers as a new password is typed (htmx)', async () => {
  await journey(suite.harness, {}, async (page) => {
    await page.goto('/sunny-pediatrics/patient/login');
    await page.getByLabel('Username').fill('jordan.parent@example.com');
    await page.getByLabel('Password').fill('quiet meadow lantern 884');
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL('**/sunny-pediatrics/patient/');
    await page.goto('/sunny-pediatrics/patient/settings/account');
    await checkAccessible(page, 'Manage Login Credentials');
    await page.getByLabel('New password', { exact: true }).pressSequentially('password1234');
    await page.locator('#password-strength').getByText('too easy to guess').waitFor();
    await page.getByLabel('New password', { exact: true }).fill('amber kettle winter 4412');
    await page.getByLabel('New password', { exact: true }).press('End');
    await page.locator('#password-strength').getByText('Strength: Strong').waitFor();
  });
});

test.run();
