// "Save token for 30 days. (Not on public computers!)": remembered browsers skip the second step, rotate on each use,
// and stop counting after a password change or reset and when 2FA is turned off. A reset link of an account with 2FA
// cannot set a password without a code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { processResetRequests } from '../../src/features/recovery/reset-requests.ts';
import { hashToken } from '../../src/core/account-tokens.ts';
import { Client, STAFF_PASSWORD, createTestContext, emailsTo, linkIn, textOf, tenantId } from '../support/harness.ts';
import { codeAt, enrolledStaffMember, freshCode, passwordStep } from '../support/two-factor.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';
const NEW_PASSWORD = 'velvet otter harbor 2931';

type Member = Awaited<ReturnType<typeof enrolledStaffMember>>;

/** Signs in with a code and "Save token for 30 days"; returns the browser, now remembered. */
async function rememberedBrowser(member: Member, password = STAFF_PASSWORD): Promise<Client> {
  const browser = new Client(ctx.app);
  await passwordStep(browser, PRACTICE, member.username, password);
  const response = await browser.post(`${PRACTICE}/login/two-factor`, { code: await freshCode(ctx, member.id, member.secret), remember_device: '1' });
  assert.is(response.status, 303);
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('gatehouse_device='));
  assert.ok(cookie, 'the browser gets a device cookie');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /Path=\/sunny-pediatrics\/practice/);
  assert.match(cookie, /Expires=/);
  await browser.post(`${PRACTICE}/logout`, {});
  return browser;
}

/** Password only: 'home' when the browser is remembered, 'code' when the second step is asked. */
async function signInOutcome(browser: Client, member: Member, password = STAFF_PASSWORD): Promise<'home' | 'code'> {
  const response = await browser.post(`${PRACTICE}/login`, { username: member.username, password });
  assert.is(response.status, 303);
  const where = response.headers.get('location');
  if (where === `${PRACTICE}/`) {
    await browser.post(`${PRACTICE}/logout`, {});
    return 'home';
  }
  assert.is(where, `${PRACTICE}/login/two-factor`);
  return 'code';
}

test('a remembered browser skips the code; its token rotates on each use; another browser is asked', async () => {
  const member = await enrolledStaffMember(ctx);
  const browser = await rememberedBrowser(member);
  const first = browser.cookie('gatehouse_device')!;
  const [row] = await ctx.owner`select token_hash, expires_at - created_at as lifetime from remembered_devices where account_id = ${member.id}`;
  assert.is(row.token_hash, hashToken(first), 'only a hash of the token is stored');
  assert.ok(!row.token_hash.includes(first));
  const audit = await ctx.owner`select detail from audit_events where subject_account_id = ${member.id} and action = 'two_factor.device_remembered'`;
  assert.is(audit[0].detail.days, 30);

  assert.is(await signInOutcome(browser, member), 'home');
  const second = browser.cookie('gatehouse_device')!;
  assert.is.not(second, first, 'rotated on use');
  const [success] = await ctx.owner`select detail from audit_events where subject_account_id = ${member.id} and action = 'sign_in.succeeded' order by id desc limit 1`;
  assert.is(success.detail.twoFactor, 'remembered_device');

  const copy = new Client(ctx.app);
  copy.setCookie('gatehouse_device', first, PRACTICE);
  assert.is(await signInOutcome(copy, member), 'code', 'the token before rotation works no more');
  assert.is(await signInOutcome(new Client(ctx.app), member), 'code', 'another browser is not remembered');
  assert.is(await signInOutcome(browser, member), 'home', 'the rotated token still works');

  const wrongPassword = await browser.post(`${PRACTICE}/login`, { username: member.username, password: 'not the password' });
  assert.is(wrongPassword.status, 401, 'a remembered browser still needs the password');
});

test('a practice that sets remember-device days to 0 hides the checkbox and ignores saved browsers', async () => {
  const member = await enrolledStaffMember(ctx);
  const browser = await rememberedBrowser(member);
  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  await ctx.owner`update tenants set settings = settings || '{"rememberDeviceDays": 0}' where id = ${sunny}`;
  try {
    assert.is(await signInOutcome(browser, member), 'code');
    assert.not.match(await (await browser.get(`${PRACTICE}/login/two-factor`)).text(), 'remember_device');
  } finally {
    await ctx.owner`update tenants set settings = settings - 'rememberDeviceDays' where id = ${sunny}`;
  }
});

test('changing the password forgets remembered browsers', async () => {
  const member = await enrolledStaffMember(ctx);
  const browser = await rememberedBrowser(member);
  const changed = await member.client.post(`${PRACTICE}/account/password`, {
    current_password: STAFF_PASSWORD, new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD, sign_out_others: '1',
  });
  assert.is(changed.status, 303);
  assert.is((await ctx.owner`select 1 from remembered_devices where account_id = ${member.id}`).length, 0);
  assert.is(await signInOutcome(browser, member, NEW_PASSWORD), 'code');
});

test('deactivating the account forgets its remembered browsers and its two-factor secret, so reactivation starts over', async () => {
  const member = await enrolledStaffMember(ctx);
  await rememberedBrowser(member);
  await ctx.owner`update accounts set status = 'deactivated' where id = ${member.id}`;
  assert.is((await ctx.owner`select 1 from remembered_devices where account_id = ${member.id}`).length, 0);
  assert.is((await ctx.owner`select 1 from two_factor_recovery_codes where account_id = ${member.id}`).length, 0);
  const [row] = await ctx.owner`select totp_secret_encrypted, totp_enabled_at, password_hash from accounts where id = ${member.id}`;
  assert.equal([row.totp_secret_encrypted, row.totp_enabled_at, row.password_hash], [null, null, null]);
});

test('turning 2FA off needs the current password and forgets remembered browsers', async () => {
  const member = await enrolledStaffMember(ctx);
  const browser = await rememberedBrowser(member);
  const manage = await (await member.client.get(`${PRACTICE}/account/two-factor`)).text();
  assert.match(textOf(manage), 'Two-factor authentication is on');
  assert.is((await member.client.post(`${PRACTICE}/account/two-factor/disable`, { current_password: 'nope' })).status, 422);
  assert.is((await ctx.owner`select 1 from remembered_devices where account_id = ${member.id}`).length, 1);
  assert.is((await member.client.post(`${PRACTICE}/account/two-factor/disable`, { current_password: STAFF_PASSWORD })).status, 303);
  const [row] = await ctx.owner`select totp_secret_encrypted, totp_enabled_at from accounts where id = ${member.id}`;
  assert.equal([row.totp_secret_encrypted, row.totp_enabled_at], [null, null]);
  assert.is((await ctx.owner`select 1 from remembered_devices where account_id = ${member.id}`).length, 0);
  assert.is((await ctx.owner`select 1 from two_factor_recovery_codes where account_id = ${member.id}`).length, 0);
  assert.is((await emailsTo(ctx, member.email))[0].kind, 'two_factor_disabled');
  assert.is(await signInOutcome(browser, member), 'home', 'password alone again');
});

test('the reset link of a 2FA account asks for a code before any new password; afterwards sessions and saved browsers end', async () => {
  const member = await enrolledStaffMember(ctx);
  const browser = await rememberedBrowser(member);
  const session = new Client(ctx.app);
  await passwordStep(session, PRACTICE, member.username, STAFF_PASSWORD);
  assert.is((await session.post(`${PRACTICE}/login/two-factor`, { code: await freshCode(ctx, member.id, member.secret) })).status, 303);

  const client = new Client(ctx.app);
  await client.post(`${PRACTICE}/forgot-password`, { email: member.email });
  await processResetRequests(ctx.db, ctx);
  const mail = (await emailsTo(ctx, member.email)).find((m) => m.kind === 'password_reset')!;
  await client.get(linkIn(mail.text));
  assert.is((await client.post(`${PRACTICE}/reset/answer`, { answer: 'springfield' })).status, 303);

  const step = await client.get(`${PRACTICE}/reset`);
  const html = await step.text();
  assert.match(textOf(html), 'Enter your two-factor code');
  assert.match(html, /<label for="field-code">Two-Factor Token<\/label>/);
  assert.not.match(html, 'name="new_password"');

  const passwordHash = async () => (await ctx.owner`select password_hash from accounts where id = ${member.id}`)[0].password_hash;
  const before = await passwordHash();
  const skipped = await client.post(`${PRACTICE}/reset/password`, { new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD });
  assert.is(skipped.status, 303, 'no password is set without the code');
  assert.is(skipped.headers.get('location'), `${PRACTICE}/reset`);
  assert.is(await passwordHash(), before);
  const wrong = await client.post(`${PRACTICE}/reset/two-factor`, { code: await codeAt(member.secret, -2) });
  assert.is(wrong.status, 422);
  assert.match(textOf(await wrong.text()), 'That code does not match');
  assert.is((await client.post(`${PRACTICE}/reset/two-factor`, { code: member.recoveryCodes[0] })).status, 303, 'a recovery code will do');

  assert.match(await (await client.get(`${PRACTICE}/reset`)).text(), 'name="new_password"');
  const done = await client.post(`${PRACTICE}/reset/password`, { new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD });
  assert.is(done.status, 303);
  assert.is(done.headers.get('location'), `${PRACTICE}/login?reset=1`);
  assert.is((await session.get(`${PRACTICE}/`)).status, 303, 'the session from before the reset ended');
  assert.is((await ctx.owner`select 1 from remembered_devices where account_id = ${member.id}`).length, 0);
  assert.is(await signInOutcome(browser, member, NEW_PASSWORD), 'code', 'the saved browser is asked for a code again');
  const actions = (await ctx.owner`select action from audit_events where subject_account_id = ${member.id}`).map((r) => r.action);
  assert.ok(actions.includes('two_factor.recovery_code_used'));
  assert.ok(actions.includes('password.reset_completed'));
});

test.run();
