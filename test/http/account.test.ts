import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, GUARDIAN_PASSWORD, STAFF_PASSWORD, accountId, createTestContext, emailsTo, signIn, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';
const PATIENT = '/sunny-pediatrics/patient';
const NEW_PASSWORD = 'velvet otter harbor 2931';

test('My Account: change password needs the current one, signs out other devices, keeps this one, emails and audits', async () => {
  const laptop = new Client(ctx.app, '198.51.100.1');
  const phone = new Client(ctx.app, '198.51.100.2');
  await signIn(laptop, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);
  await signIn(phone, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);

  const page = await laptop.get(`${PRACTICE}/account`);
  assert.is(page.status, 200);
  const html = await page.text();
  assert.match(textOf(html), 'My Account');
  assert.match(html, /<label for="field-current_password">Current password<\/label>/);
  assert.match(html, /name="current_password"[^>]*autocomplete="current-password"/);
  assert.match(html, /name="sign_out_others" value="1" checked/);

  const wrong = await laptop.post(`${PRACTICE}/account/password`, { current_password: 'nope', new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD, sign_out_others: '1' });
  assert.is(wrong.status, 422);
  assert.match(textOf(await wrong.text()), 'That is not your current password');
  const weak = await laptop.post(`${PRACTICE}/account/password`, { current_password: STAFF_PASSWORD, new_password: 'camilles2024', new_password_confirmation: 'camilles2024', sign_out_others: '1' });
  assert.is(weak.status, 422);

  const done = await laptop.post(`${PRACTICE}/account/password`, { current_password: STAFF_PASSWORD, new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD, sign_out_others: '1' });
  assert.is(done.status, 303);
  assert.is(done.headers.get('location'), `${PRACTICE}/account?done=password`);
  assert.match(textOf(await (await laptop.get(`${PRACTICE}/account?done=password`)).text()), 'Your password has been changed');
  assert.is((await phone.get(`${PRACTICE}/`)).status, 303, 'the other device is signed out');
  assert.is((await laptop.get(`${PRACTICE}/`)).status, 200, 'this device stays signed in');
  const [mail] = await emailsTo(ctx, 'cnurse@sunny-pediatrics.example');
  assert.is(mail.kind, 'password_changed');
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
  const [audit] = await ctx.owner`select action from audit_events where subject_account_id = ${id} order by id desc limit 1`;
  assert.is(audit.action, 'password.changed');
  await signIn(new Client(ctx.app), 'sunny-pediatrics', 'practice', 'camilles', NEW_PASSWORD);
});

test('Settings: a guardian sees their devices and signs one out', async () => {
  const home = new Client(ctx.app, '198.51.100.3');
  const tablet = new Client(ctx.app, '198.51.100.4');
  await signIn(home, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);
  await signIn(tablet, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);
  const page = await (await home.get(`${PATIENT}/settings/account`)).text();
  assert.match(textOf(page), 'Manage Login Credentials');
  assert.match(textOf(page), '198.51.100.4');
  assert.match(textOf(page), 'This device');
  const handle = page.match(/settings\/account\/sessions\/([0-9a-f]{16})\/end/)![1];
  const ended = await home.post(`${PATIENT}/settings/account/sessions/${handle}/end`, {});
  assert.is(ended.status, 303);
  assert.is((await tablet.get(`${PATIENT}/`)).status, 303);
  assert.is((await home.get(`${PATIENT}/`)).status, 200);
  const other = new Client(ctx.app);
  await signIn(other, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const adminPage = await (await other.get(`${PRACTICE}/account`)).text();
  const adminHandle = adminPage.match(/account\/sessions\/([0-9a-f]{16})\/end/)?.[1] ?? '0123456789abcdef';
  assert.is((await home.post(`${PATIENT}/settings/account/sessions/${adminHandle}/end`, {})).status, 404, "another person's session cannot be ended");
});

test('changing the security question needs the current password, and the reset flow then asks the new one', async () => {
  const client = new Client(ctx.app, '198.51.100.5');
  await signIn(client, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);
  const question = 'What was the name of your first school?';
  const refused = await client.post(`${PATIENT}/settings/account/security-question`, { current_password: 'wrong', question, answer: 'Lincoln' });
  assert.is(refused.status, 422);
  const invalid = await client.post(`${PATIENT}/settings/account/security-question`, { current_password: GUARDIAN_PASSWORD, question: 'Made up question?', answer: 'x' });
  assert.is(invalid.status, 422);
  const saved = await client.post(`${PATIENT}/settings/account/security-question`, { current_password: GUARDIAN_PASSWORD, question, answer: 'Lincoln Elementary' });
  assert.is(saved.status, 303);
  const [row] = await ctx.owner`select security_question from accounts where username = 'jordan.parent@example.com'`;
  assert.is(row.security_question, question);
});

test('an account that must change its password reaches nothing else until it has', async () => {
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'drlee');
  await ctx.owner`update accounts set must_change_password = true, temporary_password_expires_at = now() + interval '7 days' where id = ${id}`;
  const client = new Client(ctx.app, '198.51.100.6');
  await signIn(client, 'sunny-pediatrics', 'practice', 'drlee', STAFF_PASSWORD);
  for (const path of ['/', '/account']) {
    const response = await client.get(`${PRACTICE}${path}`);
    assert.is(response.status, 303, path);
    assert.is(response.headers.get('location'), `${PRACTICE}/update-password`);
  }
  const blocked = await client.post(`${PRACTICE}/account/password`, { current_password: STAFF_PASSWORD, new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD });
  assert.is(blocked.status, 303);
  assert.is(blocked.headers.get('location'), `${PRACTICE}/update-password`);
  const form = await client.get(`${PRACTICE}/update-password`);
  assert.match(textOf(await form.text()), 'Choose your own password');
  const same = await client.post(`${PRACTICE}/update-password`, { current_password: STAFF_PASSWORD, new_password: 'short', new_password_confirmation: 'short' });
  assert.is(same.status, 422);
  const done = await client.post(`${PRACTICE}/update-password`, { current_password: STAFF_PASSWORD, new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD });
  assert.is(done.status, 303);
  assert.is((await client.get(`${PRACTICE}/`)).status, 200);
  const [row] = await ctx.owner`select must_change_password, temporary_password_expires_at from accounts where id = ${id}`;
  assert.is(row.must_change_password, false);
  assert.is(row.temporary_password_expires_at, null);
});

test('an expired temporary password cannot sign in', async () => {
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'marcusstaff');
  await ctx.owner`update accounts set must_change_password = true, temporary_password_expires_at = now() - interval '1 minute' where id = ${id}`;
  const response = await new Client(ctx.app, '198.51.100.7').post(`${PRACTICE}/login`, { username: 'marcusstaff', password: STAFF_PASSWORD });
  assert.is(response.status, 403);
  assert.match(textOf(await response.text()), 'temporary password has expired');
  await ctx.owner`update accounts set must_change_password = false, temporary_password_expires_at = null where id = ${id}`;
});

test('an account without a security question chooses one before anything else', async () => {
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'admin');
  await ctx.owner`update accounts set security_question = null, security_answer_hash = null where id = ${id}`;
  const client = new Client(ctx.app, '198.51.100.8');
  await signIn(client, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  assert.is((await client.get(`${PRACTICE}/`)).headers.get('location'), `${PRACTICE}/update-password`);
  const page = await (await client.get(`${PRACTICE}/update-password`)).text();
  assert.not.match(page, 'name="new_password"', 'the password itself need not change');
  assert.match(page, /<label for="field-question">/);
  const missing = await client.post(`${PRACTICE}/update-password`, { current_password: STAFF_PASSWORD });
  assert.is(missing.status, 422);
  const done = await client.post(`${PRACTICE}/update-password`, { current_password: STAFF_PASSWORD, question: 'In what city were you born?', answer: 'Springfield' });
  assert.is(done.status, 303);
  assert.is((await client.get(`${PRACTICE}/`)).status, 200);
});

test('once ten wrong current passwords are spent, even the right one is not checked (a stolen session cannot guess it)', async () => {
  const client = new Client(ctx.app, '198.51.100.9');
  await signIn(client, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);
  const question = 'What was the make of your first car?';
  for (let i = 1; i <= 9; i++) {
    const r = await client.post(`${PATIENT}/settings/account/security-question`, { current_password: `guess ${i}`, question, answer: 'Volvo' });
    assert.is(r.status, 422, `guess ${i}`);
  }
  const tenth = await client.post(`${PATIENT}/settings/account/security-question`, { current_password: 'guess 10', question, answer: 'Volvo' });
  assert.is(tenth.status, 429);
  const right = await client.post(`${PATIENT}/settings/account/security-question`, { current_password: GUARDIAN_PASSWORD, question, answer: 'Volvo' });
  assert.is(right.status, 429);
  assert.match(textOf(await right.text()), 'Too many wrong passwords');
  const [row] = await ctx.owner`select security_question from accounts where username = 'jordan.parent@example.com'`;
  assert.is.not(row.security_question, question);
});

test('the strength meter answers as you type, without the password in any URL', async () => {
  const client = new Client(ctx.app);
  const weak = await client.post(`${PATIENT}/password-strength`, { new_password: 'password1234' }, { htmx: true });
  assert.is(weak.status, 200);
  assert.match(textOf(await weak.text()), 'too easy to guess');
  const strong = await client.post(`${PATIENT}/password-strength`, { new_password: NEW_PASSWORD }, { htmx: true });
  assert.match(textOf(await strong.text()), 'Strength: Strong');
});

test.run();
