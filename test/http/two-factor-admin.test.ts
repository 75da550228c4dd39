// Practice policy and administration: a practice that requires 2FA for staff sends an un-enrolled member to enrolment
// before anything else; an administrator resets a member's 2FA, which ends their sessions and remembered browsers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, GUARDIAN_PASSWORD, STAFF_PASSWORD, accountId, createTestContext, emailsTo, signIn, tenantId, textOf } from '../support/harness.ts';
import { codeAt, enrol, enrolledStaffMember, freshCode, newStaffMember, passwordStep } from '../support/two-factor.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';

test('a practice requiring staff 2FA sends an un-enrolled member to enrolment before anything else', async () => {
  const oak = await tenantId(ctx.owner, 'oak-family-medicine');
  await ctx.owner`update tenants set settings = settings || '{"staffTwoFactorRequired": true}' where id = ${oak}`;
  const base = '/oak-family-medicine/practice';
  const client = new Client(ctx.app);
  await signIn(client, 'oak-family-medicine', 'practice', 'admin', STAFF_PASSWORD);
  for (const path of ['/', '/account', '/update-password']) {
    const response = await client.get(`${base}${path}`);
    assert.is(response.status, 303, path);
    assert.is(response.headers.get('location'), `${base}/account/two-factor`, path);
  }
  const page = await client.get(`${base}/account/two-factor`);
  assert.is(page.status, 200);
  const html = await page.text();
  assert.match(textOf(html), 'Oak Family Medicine asks all staff to use two-factor authentication');
  assert.not.match(html, 'aria-label="Main"', 'no menu until the step is done');

  const { secret } = await enrol(client, `${base}/account`, STAFF_PASSWORD);
  assert.is((await client.get(`${base}/`)).status, 200, 'enrolled: the portal opens');
  const manage = await (await client.get(`${base}/account/two-factor`)).text();
  assert.match(textOf(manage), 'you will be asked to set it up again right away');

  assert.is((await client.post(`${base}/account/two-factor/disable`, { current_password: STAFF_PASSWORD })).status, 303);
  assert.is((await client.get(`${base}/`)).headers.get('location'), `${base}/account/two-factor`, 'turning it off sends them straight back');
  assert.ok(secret);

  const guardian = new Client(ctx.app);
  await signIn(guardian, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);
  assert.is((await guardian.get('/sunny-pediatrics/patient/')).status, 200, 'the policy is for staff of that practice only');
  await ctx.owner`update tenants set settings = settings - 'staffTwoFactorRequired' where id = ${oak}`;
});

test('an administrator resets a staff member’s 2FA: confirmation first, then sessions and saved browsers end', async () => {
  const member = await enrolledStaffMember(ctx);
  const saved = new Client(ctx.app);
  await passwordStep(saved, PRACTICE, member.username, STAFF_PASSWORD);
  assert.is((await saved.post(`${PRACTICE}/login/two-factor`, { code: await freshCode(ctx, member.id, member.secret), remember_device: '1' })).status, 303);
  assert.is((await ctx.owner`select 1 from remembered_devices where account_id = ${member.id}`).length, 1);

  const admin = new Client(ctx.app);
  await signIn(admin, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const path = `${PRACTICE}/staff/${member.id}/two-factor/reset`;
  const confirm = await admin.get(path);
  assert.is(confirm.status, 200);
  const html = await confirm.text();
  assert.match(textOf(html), 'Reset two-factor authentication');
  assert.match(textOf(html), `${member.username}`);
  assert.match(html, '>Reset 2FA</button>');
  assert.match(html, /name="current_password"[^>]*autocomplete="current-password"/);

  const nurse = new Client(ctx.app);
  await signIn(nurse, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);
  assert.is((await nurse.get(path)).status, 403);
  assert.is((await nurse.post(path, { current_password: STAFF_PASSWORD })).status, 403);
  assert.is((await admin.get(`${PRACTICE}/staff/not-a-uuid/two-factor/reset`)).status, 404);
  const oakAdmin = await accountId(ctx.owner, 'oak-family-medicine', 'practice', 'admin');
  assert.is((await admin.get(`${PRACTICE}/staff/${oakAdmin}/two-factor/reset`)).status, 404, "another practice's member");
  const guardian = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com');
  assert.is((await admin.post(`${PRACTICE}/staff/${guardian}/two-factor/reset`, { current_password: STAFF_PASSWORD })).status, 404);
  const self = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'admin');
  assert.is((await admin.get(`${PRACTICE}/staff/${self}/two-factor/reset`)).status, 403);

  const bare = await admin.post(path, {});
  assert.is(bare.status, 200, "the staff list's bare button gets the confirmation");
  assert.match(await bare.text(), '>Reset 2FA</button>');
  assert.is((await admin.post(path, { current_password: '' })).status, 422);
  const noPassword = await admin.post(path, { current_password: 'not mine' });
  assert.is(noPassword.status, 422);
  assert.match(textOf(await noPassword.text()), 'That is not your current password');
  assert.ok((await ctx.owner`select totp_enabled_at from accounts where id = ${member.id}`)[0].totp_enabled_at, 'nothing changed yet');

  const done = await admin.post(path, { current_password: STAFF_PASSWORD });
  assert.is(done.status, 303);
  assert.is(done.headers.get('location'), `${path}?done=1`);
  assert.match(textOf(await (await admin.get(`${path}?done=1`)).text()), 'They have been signed out everywhere');
  assert.is((await member.client.get(`${PRACTICE}/`)).status, 303, "the member's session ended");
  assert.is((await saved.get(`${PRACTICE}/`)).status, 303);
  const [row] = await ctx.owner`select totp_enabled_at, totp_secret_encrypted from accounts where id = ${member.id}`;
  assert.equal([row.totp_enabled_at, row.totp_secret_encrypted], [null, null]);
  assert.is((await ctx.owner`select 1 from remembered_devices where account_id = ${member.id}`).length, 0);
  const [audit] = await ctx.owner`select actor_account_id from audit_events where subject_account_id = ${member.id} and action = 'two_factor.reset_by_staff'`;
  assert.is(audit.actor_account_id, self);
  const [told] = await emailsTo(ctx, member.email);
  assert.is(told.kind, 'two_factor_reset');
  assert.not.match(told.text, 'passkey', 'a member without passkeys is not told of any');

  const again = await saved.post(`${PRACTICE}/login`, { username: member.username, password: STAFF_PASSWORD });
  assert.is(again.headers.get('location'), `${PRACTICE}/`, 'password alone until they set it up again');
  assert.is((await saved.post(`${PRACTICE}/login/two-factor`, { code: await codeAt(member.secret, 1) })).headers.get('location'),
    `${PRACTICE}/login?two_factor=expired`, 'the old secret is gone');
  assert.match(textOf(await (await admin.get(path)).text()), 'does not have two-factor authentication turned on');
});

test('an open second step ends when an administrator resets 2FA meanwhile', async () => {
  const member = await enrolledStaffMember(ctx);
  const browser = new Client(ctx.app);
  await passwordStep(browser, PRACTICE, member.username, STAFF_PASSWORD);
  const admin = new Client(ctx.app);
  await signIn(admin, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  assert.is((await admin.post(`${PRACTICE}/staff/${member.id}/two-factor/reset`, { current_password: STAFF_PASSWORD })).status, 303);
  const response = await browser.post(`${PRACTICE}/login/two-factor`, { code: await codeAt(member.secret, 1) });
  assert.is(response.headers.get('location'), `${PRACTICE}/login?two_factor=expired`);
  assert.is((await browser.get(`${PRACTICE}/`)).status, 303);
});

test('a member without 2FA shows as such on the reset page, and a POST changes nothing', async () => {
  const member = await newStaffMember(ctx);
  const admin = new Client(ctx.app);
  await signIn(admin, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const path = `${PRACTICE}/staff/${member.id}/two-factor/reset`;
  assert.match(textOf(await (await admin.get(path)).text()), 'does not have two-factor authentication turned on');
  const response = await admin.post(path, { current_password: STAFF_PASSWORD });
  assert.is(response.status, 303);
  assert.is(response.headers.get('location'), path);
  assert.is((await ctx.owner`select 1 from audit_events where subject_account_id = ${member.id} and action = 'two_factor.reset_by_staff'`).length, 0);
});

test.run();
