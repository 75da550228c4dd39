// Passkeys in a real browser, with Chromium's virtual authenticator (DevTools protocol WebAuthn domain: a platform
// authenticator with resident keys and user verification, touched automatically): add a passkey from Settings, sign
// out, sign in with it without typing a username; refused at another practice and on the other portal; removed, it
// no longer works. Staff under the "2FA required" policy with only a passkey are let in. Without JavaScript the
// buttons are absent and the rest works; every page fits a 320 px wide phone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { GUARDIAN_PASSWORD, STAFF_PASSWORD, emailsTo } from '../support/harness.ts';
import { newStaffMember } from '../support/two-factor.ts';
import { assertAccessible, browserSuite, journey } from '../support/browser.ts';

const PATIENT = '/sunny-pediatrics/patient';
const PRACTICE = '/sunny-pediatrics/practice';
const JORDAN = 'jordan.parent@example.com';

// Chromium accepts no IP address as a relying-party id: these journeys name the server localhost.
const suite = browserSuite({}, { host: 'localhost' });
const { it } = suite;

/** A phone's passkey store for this tab: resident keys, fingerprint always accepted, no prompt to click. */
async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}

async function submitPassword(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log In' }).click();
}

async function logIn(page: Page, base: string, username: string, password: string) {
  await submitPassword(page, base, username, password);
  await page.waitForURL(`**${base}/`);
}

async function signOut(page: Page, base: string) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`**${base}/login?signed_out=1`);
}

async function addPasskeyFromAccount(page: Page, accountPath: string, name: string, password: string) {
  await page.goto(accountPath);
  const section = page.locator('#passkeys');
  await section.getByLabel('Passkey name').fill(name);
  await section.getByLabel('Current password').fill(password);
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  await page.getByText('Your passkey was added. We emailed you a confirmation.').waitFor();
  await section.getByText(name).waitFor();
}

async function passkeyButton(page: Page, base: string) {
  await page.goto(`${base}/login`);
  const button = page.getByRole('button', { name: 'Sign in with a passkey' });
  await button.waitFor();
  return button;
}

async function assertFitsPhone(page: Page, where: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `${where} is ${width} px wide at 320 px`);
}

it('add a passkey in Settings, sign out, sign in with it without a username; refused elsewhere; removed, it stops working', async () => {
  await journey(suite.harness, {}, async (page) => {
    const authenticator = await addVirtualAuthenticator(page);
    await logIn(page, PATIENT, JORDAN, GUARDIAN_PASSWORD);
    await page.goto(`${PATIENT}/settings/account`);
    await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
    await page.getByText('You have no passkeys yet.').waitFor();

    // A wrong password is said beside the form; nothing is created.
    await page.locator('#passkeys').getByLabel('Passkey name').fill('Kitchen laptop');
    await page.locator('#passkeys').getByLabel('Current password').fill('not my password');
    await page.locator('#passkeys').getByRole('button', { name: 'Add a passkey' }).click();
    await page.locator('#passkeys').getByRole('alert').getByText('That is not your current password.').waitFor();
    assert.is((await authenticator.credentials()).length, 0);

    await addPasskeyFromAccount(page, `${PATIENT}/settings/account`, 'Kitchen laptop', GUARDIAN_PASSWORD);
    const [credential] = await authenticator.credentials();
    assert.ok(credential?.isResidentCredential, 'a discoverable credential');
    assert.is(credential.rpId, 'localhost');
    await page.locator('#passkeys').getByText(/Created: \w{3} \d+, \d{4}/).waitFor();
    await page.locator('#passkeys').getByText('Last used: Never').waitFor();
    await assertAccessible(page, 'Settings with a passkey');
    assert.is((await emailsTo(suite.harness.ctx, JORDAN))[0].kind, 'passkey_added');
    await signOut(page, PATIENT);

    await assertAccessible(page, 'the login page with its passkey button');
    await (await passkeyButton(page, PATIENT)).click();
    await page.waitForURL(`**${PATIENT}/`);
    await page.getByRole('heading', { name: /Welcome, Jordan/ }).waitFor();
    await page.goto(`${PATIENT}/settings/account`);
    await page.locator('#passkeys').getByText(/Last used: \w{3} \d+, \d{4}/).waitFor();
    await signOut(page, PATIENT);

    for (const [base, words] of [
      ['/oak-family-medicine/patient', 'That passkey does not belong to the Oak Family Medicine Patient Portal.'],
      [PRACTICE, 'That passkey does not belong to the Sunny Pediatrics Practice Portal.'],
    ]) {
      await (await passkeyButton(page, base)).click();
      await page.getByRole('alert').getByText(words).waitFor();
      assert.ok(page.url().endsWith(`${base}/login`), `still on ${base}/login`);
      const home = await page.goto(`${base}/`);
      assert.ok(home?.url().endsWith(`${base}/login`), 'no session there');
    }

    await logIn(page, PATIENT, JORDAN, GUARDIAN_PASSWORD);
    await page.goto(`${PATIENT}/settings/account`);
    await page.locator('#passkeys').getByRole('link', { name: 'Remove' }).click();
    await page.getByRole('heading', { name: 'Remove a passkey' }).waitFor();
    await assertAccessible(page, 'the removal confirmation');
    await page.getByLabel('Current password').fill(GUARDIAN_PASSWORD);
    await page.getByRole('button', { name: 'Remove passkey' }).click();
    await page.getByText('The passkey was removed. We emailed you a confirmation.').waitFor();
    await page.getByText('You have no passkeys yet.').waitFor();
    await signOut(page, PATIENT);

    await (await passkeyButton(page, PATIENT)).click();
    await page.getByRole('alert').getByText('That passkey does not belong to the Sunny Pediatrics Patient Portal.').waitFor();
    assert.ok(page.url().endsWith(`${PATIENT}/login`));
  });
});

it('staff under "staff must use 2FA" with only a passkey are let in by it', async () => {
  const ctx = suite.harness.ctx;
  const member = await newStaffMember(ctx);
  await journey(suite.harness, {}, async (page) => {
    await addVirtualAuthenticator(page);
    await logIn(page, PRACTICE, member.username, STAFF_PASSWORD);
    await addPasskeyFromAccount(page, `${PRACTICE}/account`, 'Front desk key', STAFF_PASSWORD);
    await signOut(page, PRACTICE);
    await ctx.owner`update tenants set settings = settings || '{"staffTwoFactorRequired": true}' where slug = 'sunny-pediatrics'`;
    try {
      // The password alone is not enough any more: the page asks for the passkey, and it lets the member in.
      await submitPassword(page, PRACTICE, member.username, STAFF_PASSWORD);
      await page.waitForURL(`**${PRACTICE}/login/passkey`);
      await page.getByRole('heading', { name: 'Sign in with your passkey' }).waitFor();
      await assertAccessible(page, 'the page asking staff for their passkey');
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.waitForURL(`**${PRACTICE}/`);
      await page.getByRole('heading', { name: /Welcome, Tess/ }).waitFor();
      await signOut(page, PRACTICE);

      await (await passkeyButton(page, PRACTICE)).click();
      await page.waitForURL(`**${PRACTICE}/`);
      await page.getByRole('heading', { name: /Welcome, Tess/ }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My Account' }).click();
      await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
    } finally {
      await ctx.owner`update tenants set settings = settings - 'staffTwoFactorRequired' where slug = 'sunny-pediatrics'`;
    }
  });
});

it('without JavaScript the passkey buttons are absent and everything else works, removal included', async () => {
  const member = await newStaffMember(suite.harness.ctx);
  await journey(suite.harness, {}, async (page) => {
    await addVirtualAuthenticator(page);
    await logIn(page, PRACTICE, member.username, STAFF_PASSWORD);
    await addPasskeyFromAccount(page, `${PRACTICE}/account`, 'Desk key', STAFF_PASSWORD);
  });
  await journey(suite.harness, { javaScript: false }, async (page) => {
    await page.goto(`${PRACTICE}/login`);
    assert.is(await page.getByRole('button', { name: 'Sign in with a passkey' }).count(), 0);
    await logIn(page, PRACTICE, member.username, STAFF_PASSWORD);
    await page.goto(`${PRACTICE}/account`);
    await page.getByText('Adding a passkey needs JavaScript, which is off in this browser.').waitFor();
    assert.is(await page.getByRole('button', { name: 'Add a passkey' }).count(), 0);
    await page.locator('#passkeys').getByText('Desk key').waitFor();
    await page.locator('#passkeys').getByRole('link', { name: 'Remove' }).click();
    await page.getByLabel('Current password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Remove passkey' }).click();
    await page.getByText('The passkey was removed. We emailed you a confirmation.').waitFor();
  });
});

it('the passkey pages fit a 320 px wide phone', async () => {
  const member = await newStaffMember(suite.harness.ctx);
  await journey(suite.harness, {}, async (page) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await addVirtualAuthenticator(page);
    await passkeyButton(page, PATIENT);
    await assertFitsPhone(page, 'the patient login page');
    await logIn(page, PRACTICE, member.username, STAFF_PASSWORD);
    await addPasskeyFromAccount(page, `${PRACTICE}/account`, 'A passkey with a rather long name for a phone', STAFF_PASSWORD);
    await assertFitsPhone(page, 'My Account with a passkey');
    await page.locator('#passkeys').getByRole('link', { name: 'Remove' }).click();
    await page.getByRole('heading', { name: 'Remove a passkey' }).waitFor();
    await assertFitsPhone(page, 'the removal confirmation');
    await suite.harness.ctx.owner`update tenants set settings = settings || '{"staffTwoFactorRequired": true}' where slug = 'sunny-pediatrics'`;
    try {
      await page.goto(`${PRACTICE}/`);
      await page.waitForURL(`**${PRACTICE}/login/passkey`);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
      await assertFitsPhone(page, 'the page asking staff for their passkey');
    } finally {
      await suite.harness.ctx.owner`update tenants set settings = settings - 'staffTwoFactorRequired' where slug = 'sunny-pediatrics'`;
    }
  });
});

test.run();
