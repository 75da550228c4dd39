// What people expect of a well-made sign-in, in a real browser: feedback while a form is being sent (disabled
// buttons, a spinner, "Searching…", a plain form sent once however often it is clicked), a show-password toggle,
// a Caps Lock warning, errors that clear as the person corrects them, a visible strength meter, "Use another
// account" on the second step, the temporary password asked for as such, and confirmations that things worked.
// Every journey also fails on a console error or a content-security-policy violation (test/support/browser.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page, Route } from 'playwright-core';
import { GUARDIAN_PASSWORD, STAFF_PASSWORD, accountId } from '../support/harness.ts';
import { patientId } from '../support/patient-admin.ts';
import { codeAt, newStaffMember } from '../support/two-factor.ts';
import { assertAccessible, browserSuite, journey } from '../support/browser.ts';
import { SUNNY_PATIENT as PATIENT, SUNNY_PRACTICE as PRACTICE, logIn } from '../support/journeys.ts';

const suite = browserSuite();
const { it } = suite;

/** Holds the requests that `matches` until release() is called, as a slow network would; counts them all. */
async function holdRequests(page: Page, matches: (url: URL, method: string) => boolean) {
  const held: Route[] = [];
  let seen = 0;
  let released = false;
  let arrived: () => void = () => {};
  const first = new Promise<void>((resolve) => (arrived = resolve));
  await page.route(() => true, async (route) => {
    if (!matches(new URL(route.request().url()), route.request().method())) return route.continue();
    seen++;
    if (released) return route.continue();
    held.push(route);
    arrived();
  });
  return {
    count: () => seen,
    waitForOne: () => first,
    async release() {
      released = true;
      for (const route of held.splice(0)) await route.continue();
    },
  };
}

it('an htmx form disables its button and shows it is working until the answer comes', async () => {
  await journey(suite.harness, {}, async (page) => {
    await page.goto(`${PRACTICE}/login`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    const slow = await holdRequests(page, (url, method) => url.pathname === `${PRACTICE}/login` && method === 'POST');
    await page.getByRole('button', { name: 'Log In' }).click();
    await slow.waitForOne();
    const button = page.getByRole('button', { name: 'Log In' });
    assert.ok(await button.isDisabled(), 'the button is disabled while the form is sent');
    assert.is(await page.locator('form#sign-in').getAttribute('class'), 'htmx-request', 'the form shows it is working');
    const spinner = await button.evaluate((el) => getComputedStyle(el, '::after').animationName);
    assert.is(spinner, 'spin', 'the button shows a spinner');
    await button.click({ force: true }).catch(() => undefined);
    await slow.release();
    await page.getByRole('alert').filter({ hasText: 'Invalid username or password' }).waitFor();
    assert.is(slow.count(), 1, 'one request, however often it was clicked');
    assert.ok(await page.getByRole('button', { name: 'Log In' }).isEnabled(), 'ready again');
  });
});

it('a plain form (no htmx) is sent once, and the live patient search says it is searching', async () => {
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PRACTICE, 'marcusstaff', STAFF_PASSWORD);
    await page.goto(`${PRACTICE}/account`);
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Save security question' }) });
    await form.getByLabel('Current password').fill(STAFF_PASSWORD);
    await form.getByLabel('Security question', { exact: true }).selectOption('What was the make of your first car?');
    await form.getByLabel('Answer').fill('Volvo');
    const slow = await holdRequests(page, (url, method) => url.pathname.endsWith('/account/security-question') && method === 'POST');
    // Three clicks while the first is on its way (clicked inside the page: the browser is busy leaving it).
    const state = await page.evaluate(async () => {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Save security question')!;
      for (let click = 0; click < 3; click++) {
        button.click();
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      return { sending: button.form!.classList.contains('is-submitting'), busy: button.form!.getAttribute('aria-busy'), spinner: getComputedStyle(button, '::after').animationName };
    });
    await slow.waitForOne();
    assert.equal(state, { sending: true, busy: 'true', spinner: 'spin' }, 'the form shows it is on its way');
    await slow.release();
    await page.waitForURL(`**${PRACTICE}/account?done=question`);
    assert.is(slow.count(), 1, 'three clicks, one request');
    await page.getByText('Your security question has been saved.').waitFor();

    await page.goto(`${PRACTICE}/patients`);
    const search = await holdRequests(page, (url) => url.pathname === `${PRACTICE}/patients` && url.searchParams.get('name') === 'riley');
    await page.getByLabel('Name').fill('riley');
    await search.waitForOne();
    await page.getByText('Searching…').waitFor({ state: 'visible' });
    await search.release();
    await page.getByRole('link', { name: 'Parent, Riley' }).waitFor();
    await page.getByText('Searching…').waitFor({ state: 'hidden' });
  });
});

it('the password field: Show password (aria-pressed), a Caps Lock warning, and the error that clears as it is corrected', async () => {
  await journey(suite.harness, {}, async (page) => {
    await page.goto(`${PATIENT}/login`);
    const password = page.getByLabel('Password', { exact: true });
    const toggle = page.getByRole('button', { name: 'Show password' });
    assert.is(await toggle.getAttribute('aria-pressed'), 'false');
    await password.fill('tulip garden evening');
    await toggle.click();
    assert.is(await password.getAttribute('type'), 'text', 'the password can be read');
    assert.is(await toggle.getAttribute('aria-pressed'), 'true');
    await toggle.click();
    assert.is(await password.getAttribute('type'), 'password');
    assert.is(await toggle.getAttribute('aria-pressed'), 'false');

    await password.focus();
    await password.dispatchEvent('keydown', { key: 'A', modifierCapsLock: true });
    const warning = page.getByRole('status').filter({ hasText: 'Caps Lock is on.' });
    await warning.waitFor();
    assert.match((await password.getAttribute('aria-describedby')) ?? '', (await warning.getAttribute('id'))!);
    await password.dispatchEvent('keyup', { key: 'a', modifierCapsLock: false });
    await warning.waitFor({ state: 'hidden' });
    await assertAccessible(page, 'the sign-in page with Show password');

    // Without JavaScript there is no toggle: nothing is offered that cannot work.
  });
  await journey(suite.harness, { javaScript: false }, async (page) => {
    await page.goto(`${PATIENT}/login`);
    assert.is(await page.getByRole('button', { name: 'Show password' }).count(), 0);
  });
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PATIENT, 'jordan.parent@example.com', GUARDIAN_PASSWORD);
    await page.goto(`${PATIENT}/settings/account`);
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Change my password' }) });
    await form.getByLabel('Current password').fill(GUARDIAN_PASSWORD);
    await form.getByLabel('New password', { exact: true }).fill('short');
    await form.getByLabel('New password confirmation').fill('short');
    await form.getByRole('button', { name: 'Change my password' }).click();
    const error = page.locator('#field-new_password-error');
    await error.waitFor();
    assert.match(await error.innerText(), 'Use at least 12 characters');
    const field = page.locator('#field-new_password');
    assert.is(await field.getAttribute('aria-invalid'), 'true');
    await field.fill('short but now a much longer passphrase 77');
    await error.waitFor({ state: 'detached' });
    assert.is(await field.getAttribute('aria-invalid'), null, 'the old error is gone as the person types');
    const meter = page.locator('#password-strength .strength-meter');
    await meter.waitFor();
    await page.locator('#password-strength').getByText('Strength: Strong.').waitFor();
    const filled = await meter.locator('span').evaluateAll((spans) => spans.map((s) => getComputedStyle(s).backgroundColor));
    assert.is(new Set(filled).size, 1, 'all four steps filled for a strong password');
    assert.not.equal(filled[0], 'rgba(0, 0, 0, 0)', 'the meter is visibly coloured');
    const box = await meter.boundingBox();
    assert.ok(box && box.width > 100 && box.height >= 4, `the meter is drawn (${JSON.stringify(box)})`);
    await assertAccessible(page, 'the password form with its strength meter');
  });
});

it('the second step offers "Use another account", and turning two-factor on says it worked', async () => {
  const member = await newStaffMember(suite.harness.ctx);
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PRACTICE, member.username, STAFF_PASSWORD);
    await page.goto(`${PRACTICE}/account/two-factor`);
    await page.getByLabel('Current password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    const secret = (await page.locator('#totp-key').innerText()).replace(/\s/g, '');
    await page.getByLabel('Two-Factor Token').fill(await codeAt(secret));
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await page.getByRole('status').filter({ hasText: 'Two-factor authentication is now on.' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/signed_out=1/);

    await page.getByLabel('Username').fill(member.username);
    await page.getByLabel('Password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`**${PRACTICE}/login/two-factor`);
    await page.getByRole('button', { name: 'Use another account' }).click();
    await page.waitForURL(`**${PRACTICE}/login`);
    assert.is(await page.getByLabel('Username').inputValue(), '', 'a fresh sign-in form');
    const back = await page.goto(`${PRACTICE}/login/two-factor`);
    assert.match(back?.url() ?? '', /two_factor=expired/, 'the abandoned second step is gone');
  });
});

it('first sign-in with a temporary password asks for it as such, and confirms the new password', async () => {
  const { ctx } = suite.harness;
  const riley = await patientId(ctx, '10001');
  const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com');
  await ctx.owner`update tenants set settings = settings || '{"staffMayTypeTemporaryPassword": true}' where slug = 'sunny-pediatrics'`;
  try {
    await journey(suite.harness, {}, async (page) => {
      await logIn(page, PRACTICE, 'marcusstaff', STAFF_PASSWORD);
      await page.goto(`${PRACTICE}/patients/${riley}/portal/${jordan}/temporary-password`);
      await page.getByLabel('Type a password').check();
      await page.getByLabel('Temporary password (only if you type one)').fill('walnut-harbor-quilt-512');
      await page.getByRole('button', { name: 'Set temporary password' }).click();
      await page.getByRole('heading', { name: /Temporary password set for/ }).waitFor();
    });
  } finally {
    await ctx.owner`update tenants set settings = settings - 'staffMayTypeTemporaryPassword' where slug = 'sunny-pediatrics'`;
  }
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PATIENT, 'jordan.parent@example.com', 'walnut-harbor-quilt-512', `${PATIENT}/update-password`);
    await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    const temporary = page.getByLabel('Temporary password');
    await temporary.waitFor();
    assert.is(await temporary.getAttribute('name'), 'current_password');
    await page.getByText('The temporary password from your printed sheet, or the one the practice gave you.').waitFor();
    await temporary.fill('walnut-harbor-quilt-512');
    await page.getByLabel('New password', { exact: true }).fill(GUARDIAN_PASSWORD);
    await page.getByLabel('New password confirmation').fill(GUARDIAN_PASSWORD);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForURL(`**${PATIENT}/?done=password-set`);
    await page.getByRole('status').filter({ hasText: 'Your password is set.' }).waitFor();
    await assertAccessible(page, 'Home after the first password');
  });
});

it('a page that breaks the content security policy fails its journey', async () => {
  let failure: unknown = null;
  await journey(suite.harness, {}, async (page) => {
    await page.goto(`${PRACTICE}/login`);
    const reported = page.waitForEvent('console', (message) => message.type() === 'error');
    await page.evaluate(() => {
      const sneaky = document.createElement('div');
      sneaky.innerHTML = '<p style="color: red">inline style</p>';
      document.body.append(sneaky);
    });
    await reported;
  }).catch((error) => {
    failure = error;
  });
  assert.ok(failure instanceof Error, 'the journey failed');
  assert.match((failure as Error).message, /CSP violation|Content Security Policy/);
});

test.run();
