// Every page on a 320 CSS px wide phone (WCAG 2.2 SC 1.4.10, Reflow): both portals, every role that can open it,
// signed out and in, the error pages, the dialogs, every step of the reset, invitation and two-factor journeys. On
// each one the page is no wider than the screen and nothing inside it scrolls sideways. The menu folds behind
// "Menu" and still reaches every area; without JavaScript it is a list that fits as well.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { codeAt, newStaffMember } from '../support/two-factor.ts';
import { GUARDIAN_PASSWORD, STAFF_PASSWORD, accountId } from '../support/harness.ts';
import { familyOf, patientId } from '../support/patient-admin.ts';
import { assertAccessible, browserSuite, journey } from '../support/browser.ts';
import { SUNNY_PATIENT as PATIENT, SUNNY_PRACTICE as PRACTICE, linkPath, logIn, mailCount, nextMail } from '../support/journeys.ts';

const PHONE = { width: 320, height: 640 };
const JORDAN = 'jordan.parent@example.com';

const suite = browserSuite();
const { it } = suite;

/** Everything on the page that scrolls sideways, the page itself included; empty when it all fits. */
async function sidewaysScrolling(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) found.push(`the page is ${root.scrollWidth} px wide on a ${root.clientWidth} px screen`);
    for (const element of document.querySelectorAll<HTMLElement>('body *')) {
      const overflow = getComputedStyle(element).overflowX;
      if ((overflow === 'auto' || overflow === 'scroll') && element.scrollWidth > element.clientWidth + 1) {
        const name = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className ? `.${String(element.className).replace(/\s+/g, '.')}` : ''}`;
        found.push(`${name} scrolls sideways (${element.scrollWidth} px in ${element.clientWidth} px)`);
      }
    }
    return found;
  });
}

const checked: string[] = [];

async function assertFits(page: Page, where: string): Promise<void> {
  assert.equal(await sidewaysScrolling(page), [], `${where} (${page.url()}) scrolls sideways at 320 px`);
  checked.push(where);
}

/** Opens `path` and checks it fits; `status` is what the page should answer (an error page is a page too). */
async function visit(page: Page, path: string, status = 200, where = path): Promise<void> {
  const response = await page.goto(path);
  assert.is(response?.status(), status, `${path} answered ${response?.status()}`);
  await assertFits(page, where);
}

/** The menu, folded behind its button on a phone: it opens, lists the areas, and each link works. */
async function openMenuArea(page: Page, area: string): Promise<void> {
  const menu = page.getByRole('navigation', { name: 'Main' });
  assert.is(await menu.isVisible(), false, 'the menu is folded on a phone');
  await page.locator('summary', { hasText: 'Menu' }).click();
  await menu.getByRole('link', { name: area }).click();
}

it('signed out, both portals: sign-in, its errors and notices, forgotten passwords, broken links and error pages', async () => {
  await journey(suite.harness, { viewport: PHONE }, async (page) => {
    await visit(page, '/', 200, 'the landing page');
    for (const base of [PRACTICE, PATIENT]) {
      await visit(page, `${base}/login`);
      await page.getByLabel('Username').fill('someone.with.a.rather.long.address@sunny-pediatrics.example');
      await page.getByLabel('Password', { exact: true }).fill('not the password');
      await page.getByRole('button', { name: 'Log In' }).click();
      await page.getByRole('alert').waitFor();
      await assertFits(page, `${base} sign-in with its error`);
      await assertAccessible(page, `${base} sign-in with its error at 320 px`);
      await visit(page, `${base}/login?ended=idle`);
      await visit(page, `${base}/login?signed_out=1`);
      await visit(page, `${base}/login?two_factor=expired`);
      await visit(page, `${base}/forgot-password`);
      await visit(page, `${base}/forgot-password/sent`);
      await visit(page, `${base}/reset/not-a-real-token`, 404);
      await visit(page, `${base}/reset`, 400);
      await visit(page, `${base}/welcome/not-a-real-token`, 410);
      await visit(page, `${base}/no-such-page`, 404);
      const behindSignIn = base === PRACTICE ? '/staff' : '/settings/account';
      await visit(page, `${base}${behindSignIn}`, 200, `${base}: a page behind sign-in leads to sign-in`);
    }
    await visit(page, '/no-such-practice/practice/login', 404);
    await visit(page, '/_dev/mail', 200, 'the development mailbox');
  });
});

/** The staff member who turns two-factor on below; later journeys use their second step. */
let enrolled = { id: '', username: '', email: '', secret: '' };

it('a staff member sets up two-factor authentication on a phone', async () => {
  const member = await newStaffMember(suite.harness.ctx);
  enrolled = { ...member, secret: '' };
  await journey(suite.harness, { viewport: PHONE }, async (page) => {
    await logIn(page, PRACTICE, member.username, STAFF_PASSWORD);
    await page.goto(`${PRACTICE}/account/two-factor`);
    await assertFits(page, 'the start of the two-factor setup');
    await page.getByLabel('Current password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    await assertFits(page, 'the QR code and key');
    const secret = (await page.locator('#totp-key').innerText()).replace(/\s/g, '');
    enrolled.secret = secret;
    await page.getByLabel('Two-Factor Token').fill(await codeAt(secret));
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    await assertFits(page, 'the recovery codes');
    await visit(page, `${PRACTICE}/account/two-factor`, 200, 'two-factor authentication is on');
    await visit(page, `${PRACTICE}/account`, 200, 'My Account with two-factor on');
  });
});

it('the administrator: every area, its dialogs and forms, the practice settings, My Account and two-factor setup', async () => {
  const { ctx } = suite.harness;
  const camille = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
  const riley = await patientId(ctx, '10001');
  const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN);
  const jordanPage = `${PRACTICE}/patients/${riley}/portal/${jordan}`;
  // A temporary password is set for another family's guardian (invited, no password yet): Jordan keeps theirs.
  const family = await familyOf(ctx, '20001');
  const familyPage = `${PRACTICE}/patients/${await patientId(ctx, '20001')}/portal/${family.accountId}`;
  await journey(suite.harness, { viewport: PHONE }, async (page) => {
    await logIn(page, PRACTICE, 'admin', STAFF_PASSWORD);
    await assertFits(page, 'the administrator’s home');
    await assertAccessible(page, 'the practice home at 320 px');
    await openMenuArea(page, 'Staff');
    await page.waitForURL(`**${PRACTICE}/staff`);
    await assertFits(page, 'the staff list');
    await assertAccessible(page, 'the staff list at 320 px');
    await page.getByRole('link', { name: 'Invite staff' }).click();
    await page.getByRole('dialog', { name: 'Invite staff' }).waitFor();
    await assertFits(page, 'the Invite staff drawer');
    await page.keyboard.press('Escape');

    for (const [path, status] of [
      [`/staff/${camille}`, 200], [`/staff/${camille}/edit`, 200], [`/staff/${camille}/reset-password`, 200], [`/staff/${camille}/email`, 200],
      [`/staff/${camille}/deactivate`, 200], [`/staff/${camille}/password`, 403], [`/staff/${enrolled.id}/two-factor/reset`, 200],
      ['/staff/invite', 200], ['/patients', 200], ['/patients?name=parent', 200], ['/patients?dob=02/30/2016', 422], [`/patients/${riley}`, 200],
      [jordanPage.slice(PRACTICE.length), 200], [`${jordanPage.slice(PRACTICE.length)}/reset-password`, 200],
      [`${jordanPage.slice(PRACTICE.length)}/disable`, 200], [`${jordanPage.slice(PRACTICE.length)}/temporary-password`, 200],
      ['/audit', 200], ['/audit?action=sign_in.succeeded', 200], ['/audit?from=yesterday', 422], ['/settings', 200], ['/account', 200],
      ['/nowhere', 404],
    ] as const) await visit(page, `${PRACTICE}${path}`, status);

    await page.goto(`${PRACTICE}/staff/${camille}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('dialog', { name: 'Update Staff' }).waitFor();
    await assertFits(page, 'the Update Staff drawer');
    await page.keyboard.press('Escape');

    await page.goto(familyPage);
    await page.getByRole('button', { name: 'Set temporary password' }).click();
    await page.getByRole('heading', { name: /Set temporary password for/ }).waitFor();
    await assertFits(page, 'the temporary password panel');
    await page.locator('#action-panel').getByRole('button', { name: 'Set temporary password' }).click();
    await page.getByRole('heading', { name: /Temporary password set for/ }).waitFor();
    await assertFits(page, 'the printout page');
    await page.getByRole('button', { name: /delete the copy now/ }).click();
    await page.waitForURL(/done=discarded/);
    await assertFits(page, 'portal access after the sheet is deleted');

  });
});

it('nurse and front desk: their home, the pages they may open, and the refusals of the others', async () => {
  const riley = await patientId(suite.harness.ctx, '10001');
  await journey(suite.harness, { viewport: PHONE }, async (page) => {
    await logIn(page, PRACTICE, 'camilles', STAFF_PASSWORD);
    await assertFits(page, 'the nurse’s home');
    for (const [path, status] of [['/account', 200], ['/staff', 403], ['/patients', 403], ['/audit', 403], ['/settings', 403]] as const) {
      await visit(page, `${PRACTICE}${path}`, status, `the nurse at ${path}`);
    }
    await assertAccessible(page, 'a refusal (403) inside the practice at 320 px');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/signed_out=1/);

    await logIn(page, PRACTICE, 'marcusstaff', STAFF_PASSWORD);
    await openMenuArea(page, 'Patient Administration');
    await page.waitForURL(`**${PRACTICE}/patients`);
    await page.getByLabel('Name').fill('parent');
    await page.getByRole('link', { name: 'Parent, Riley' }).waitFor();
    await assertFits(page, 'live search results');
    await assertAccessible(page, 'the patient search with results at 320 px');
    await visit(page, `${PRACTICE}/patients/${riley}`, 200, 'the patient page with its Associations');
    await assertAccessible(page, 'the patient page at 320 px');
    await page.getByRole('link', { name: 'Jordan Parent' }).click();
    await page.getByRole('heading', { name: 'Portal access: Jordan Parent' }).waitFor();
    await assertFits(page, 'the guardian’s portal access (front desk)');
    await assertAccessible(page, 'portal access at 320 px');
    await visit(page, `${PRACTICE}/staff`, 403, 'the front desk at /staff');
  });
});

it('the guardian: home, settings, two-factor, the sessions list, a reset link and the forced first password', async () => {
  const { ctx } = suite.harness;
  await journey(suite.harness, { viewport: PHONE }, async (page) => {
    await logIn(page, PATIENT, JORDAN, GUARDIAN_PASSWORD);
    await assertFits(page, 'the guardian’s home');
    await assertAccessible(page, 'the guardian’s home at 320 px');
    await openMenuArea(page, 'Settings');
    await page.waitForURL(`**${PATIENT}/settings/account`);
    await assertFits(page, 'Manage Login Credentials with “Where you are signed in”');
    await assertAccessible(page, 'Manage Login Credentials at 320 px');
    await visit(page, `${PATIENT}/settings/account/two-factor`);
    await visit(page, `${PATIENT}/settings/account?done=password`);
    await visit(page, `${PATIENT}/nowhere`, 404);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/signed_out=1/);

    // The reset link: the security question and the new password form (not completed: Jordan keeps the password).
    const seen = await mailCount(suite.harness, JORDAN, 'password_reset');
    await page.goto(`${PATIENT}/forgot-password`);
    await page.getByLabel('Email').fill(JORDAN);
    await page.getByRole('button', { name: 'Reset my password' }).click();
    await page.getByRole('heading', { name: 'Almost done' }).waitFor();
    const mail = await nextMail(suite.harness, JORDAN, 'password_reset', seen);
    await page.goto(linkPath(suite.harness, mail.text));
    await page.getByRole('heading', { name: 'Answer your security question' }).waitFor();
    await assertFits(page, 'the security question of a reset');
    await page.getByLabel('Answer').fill('Biscuit');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Change my password' }).click();
    await page.getByText('Use at least 12 characters').first().waitFor();
    await assertFits(page, 'the new password form with its error');

    // A temporary password from the practice: the forced first password and security question (G4).
    await ctx.owner`update tenants set settings = settings || '{"staffMayTypeTemporaryPassword": true}' where slug = 'sunny-pediatrics'`;
    const account = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN);
    await ctx.owner`update accounts set security_question = null, security_answer_hash = null where id = ${account}`;
    const front = await suite.harness.browser.newContext({ baseURL: suite.harness.baseUrl });
    try {
      const desk = await front.newPage();
      await logIn(desk, PRACTICE, 'marcusstaff', STAFF_PASSWORD);
      await desk.goto(`${PRACTICE}/patients/${await patientId(ctx, '10001')}/portal/${account}/temporary-password`);
      await desk.getByLabel('Type a password').check();
      await desk.getByLabel('Temporary password (only if you type one)').fill('maple-otter-lantern-482');
      await desk.getByLabel(/Email a notice/).uncheck();
      await desk.getByRole('button', { name: 'Set temporary password' }).click();
      await desk.getByRole('heading', { name: /Temporary password set for/ }).waitFor();
    } finally {
      await front.close();
      await ctx.owner`update tenants set settings = settings - 'staffMayTypeTemporaryPassword' where slug = 'sunny-pediatrics'`;
    }
    await logIn(page, PATIENT, JORDAN, 'maple-otter-lantern-482', `${PATIENT}/update-password`);
    await assertFits(page, 'the forced first password with a security question');
    await assertAccessible(page, 'the forced first password at 320 px');
  });
});

it('invitation, second sign-in step and a reset that asks for a code, on a phone', async () => {
  const member = enrolled;
  await journey(suite.harness, { viewport: PHONE }, async (page) => {
    await page.goto(`${PRACTICE}/login`);
    await page.getByLabel('Username').fill(member.username);
    await page.getByLabel('Password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`**${PRACTICE}/login/two-factor`);
    await assertFits(page, 'the second sign-in step');
    await page.getByLabel('Two-Factor Token').fill('000000');
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.getByRole('alert').waitFor();
    await assertFits(page, 'the second step with its error');

    const seen = await mailCount(suite.harness, member.email, 'password_reset');
    await page.goto(`${PRACTICE}/forgot-password`);
    await page.getByLabel('Email').fill(member.email);
    await page.getByRole('button', { name: 'Reset my password' }).click();
    await page.getByRole('heading', { name: 'Almost done' }).waitFor();
    const mail = await nextMail(suite.harness, member.email, 'password_reset', seen);
    await page.goto(linkPath(suite.harness, mail.text));
    await page.getByLabel('Answer').fill('Springfield');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Enter your two-factor code' }).waitFor();
    await assertFits(page, 'the code step of a reset');
  });

  const invitee = `phone.invitee.${Date.now()}@sunny-pediatrics.example`;
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PRACTICE, 'admin', STAFF_PASSWORD);
    await page.goto(`${PRACTICE}/staff/invite`);
    await page.getByLabel('First Name').fill('Phoebe');
    await page.getByLabel('Last Name').fill('Phone');
    await page.getByLabel('Username').fill(`phoebe${Date.now().toString(36)}`);
    await page.getByLabel('Email').fill(invitee);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.waitForURL(/done=invited/);
  });
  const invitation = await nextMail(suite.harness, invitee, 'invitation');
  await journey(suite.harness, { viewport: PHONE }, async (page) => {
    await page.goto(linkPath(suite.harness, invitation.text));
    await page.getByRole('heading', { name: 'Set up your account' }).waitFor();
    await assertFits(page, 'the invitation page');
    await assertAccessible(page, 'the invitation page at 320 px');
  });
});

it('without JavaScript the menu is an open list, and the signed-in pages still fit', async () => {
  await journey(suite.harness, { viewport: PHONE, javaScript: false }, async (page) => {
    await logIn(page, PRACTICE, 'marcusstaff', STAFF_PASSWORD);
    assert.ok(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patient Administration' }).isVisible(), 'the menu is open without JavaScript');
    for (const path of ['/', '/patients?name=parent', '/account']) await visit(page, `${PRACTICE}${path}`, 200, `${path} without JavaScript`);
  });
});

it('says which pages it checked', () => {
  if (checked.length) console.log(`checked at 320 px: ${checked.length} pages and states`);
});

test.run();
