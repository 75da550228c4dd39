// Two-factor authentication: enrolment from My Account / Settings, the second sign-in step with app codes computed
// outside the server (otplib, oathtool), replay and drift limits, recovery codes, throttling and its audit trail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generate } from 'otplib';
import { createEncrypter } from '../../src/platform/encryption.ts';
import { Client, GUARDIAN_PASSWORD, STAFF_PASSWORD, accountId, createTestContext, emailsTo, signIn, textOf } from '../support/harness.ts';
import { codeAt, enrol, enrolledStaffMember, freshCode, newStaffMember, oathtoolCode, oathtoolInstalled, passwordStep } from '../support/two-factor.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';
const PATIENT = '/sunny-pediatrics/patient';

const actionsFor = async (id: string) => (await ctx.owner`select action, detail from audit_events where subject_account_id = ${id} order by id`);

test('enrolment needs the current password, shows a QR code and the key, and keeps the secret encrypted', async () => {
  const member = await newStaffMember(ctx);
  const client = new Client(ctx.app);
  await signIn(client, 'sunny-pediatrics', 'practice', member.username, STAFF_PASSWORD);
  const account = await (await client.get(`${PRACTICE}/account`)).text();
  assert.match(account, `<a href="${PRACTICE}/account/two-factor">Set up two-factor authentication</a>`);

  const start = await client.get(`${PRACTICE}/account/two-factor`);
  assert.match(await start.text(), /<label for="field-current_password">Current password<\/label>/);
  const refused = await client.post(`${PRACTICE}/account/two-factor/start`, { current_password: 'not my password' });
  assert.is(refused.status, 422);
  assert.match(textOf(await refused.text()), 'That is not your current password');
  assert.is((await ctx.owner`select 1 from two_factor_enrolments where account_id = ${member.id}`).length, 0);

  assert.is((await client.post(`${PRACTICE}/account/two-factor/start`, { current_password: STAFF_PASSWORD })).status, 303);
  const setup = await client.get(`${PRACTICE}/account/two-factor`);
  assert.is(setup.headers.get('cache-control'), 'no-store');
  const html = await setup.text();
  assert.match(html, /<div class="qr" role="img" aria-label="QR code for your authenticator app"><svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.not.match(html, /<svg[^>]*style=|<style/, 'the QR code needs no style the CSP would block');
  assert.match(html, /<label for="field-code">Two-Factor Token<\/label>/);
  assert.match(html, /name="code"[^>]*autocomplete="one-time-code"/);
  const secret = html.match(/id="totp-key"[^>]*>([A-Z2-7 ]+)</)![1].replace(/ /g, '');
  assert.is(secret.length, 32, '160-bit secret in base32');
  const [pending] = await ctx.owner`select secret_encrypted from two_factor_enrolments where account_id = ${member.id}`;
  assert.not.match(pending.secret_encrypted, secret);

  const wrong = await client.post(`${PRACTICE}/account/two-factor/confirm`, { code: (await codeAt(secret, -3)) });
  assert.is(wrong.status, 422);
  assert.match(textOf(await wrong.text()), 'That code does not match');

  const done = await client.post(`${PRACTICE}/account/two-factor/confirm`, { code: await codeAt(secret) });
  assert.is(done.status, 200);
  const codesPage = await done.text();
  assert.match(textOf(codesPage), 'This is the only time we show them');
  const codes = [...codesPage.matchAll(/<code>([a-z0-9-]{14})<\/code>/g)].map((m) => m[1]);
  assert.is(new Set(codes).size, 10);

  const [row] = await ctx.owner`select totp_secret_encrypted, totp_enabled_at from accounts where id = ${member.id}`;
  assert.ok(row.totp_enabled_at);
  assert.not.match(row.totp_secret_encrypted, secret, 'not stored in clear');
  assert.is(createEncrypter(ctx.config.secretKey, 'totp').decrypt(row.totp_secret_encrypted), secret, 'AES-GCM under SECRET_KEY');
  const stored = await ctx.owner`select code_hash from two_factor_recovery_codes where account_id = ${member.id}`;
  assert.is(stored.length, 10);
  assert.ok(stored.every((r) => !codes.some((code) => r.code_hash.includes(code.replace(/-/g, '')))), 'only hashes are stored');
  assert.ok((await actionsFor(member.id)).some((r) => r.action === 'two_factor.enabled'));
  assert.is((await emailsTo(ctx, member.email))[0].kind, 'two_factor_enabled');

  const download = await client.post(`${PRACTICE}/account/two-factor/recovery-codes/download`, { codes: codes.join(' ') });
  assert.is(download.status, 200);
  assert.match(download.headers.get('content-type') ?? '', 'text/plain');
  assert.match(download.headers.get('content-disposition') ?? '', /^attachment; filename="sunny-pediatrics-recovery-codes.txt"$/);
  const file = await download.text();
  for (const code of codes) assert.match(file, code);
  assert.is((await client.post(`${PRACTICE}/account/two-factor/recovery-codes/download`, { codes: '<script>' })).status, 400);

  assert.match(textOf(await (await client.get(`${PRACTICE}/account`)).text()), '10 unused recovery codes left');
});

test('codes from oathtool and otplib sign in; a replayed, a wrong and a two-steps-old code are refused', async () => {
  const member = await enrolledStaffMember(ctx);
  const browser = new Client(ctx.app);
  const step = await passwordStep(browser, PRACTICE, member.username, STAFF_PASSWORD);
  assert.is(step.headers.get('set-cookie')?.includes('gatehouse_session'), false, 'no session before the code');
  assert.is((await browser.get(`${PRACTICE}/`)).status, 303, 'nothing opens yet');
  const page = await browser.get(`${PRACTICE}/login/two-factor`);
  const html = await page.text();
  assert.match(textOf(html), 'Two-Factor Login');
  assert.match(html, /<label for="field-code">Two-Factor Token<\/label>/);
  assert.match(html, /name="code"[^>]*autocomplete="one-time-code"/);
  assert.match(html, /<input type="checkbox" id="field-remember_device" name="remember_device" value="1"\/?>\s*<label for="field-remember_device">Save token for 30 days\. \(Not on public computers!\)<\/label>/);
  assert.match(html, '>Log In</button>');
  assert.not.match(html, 'Request Token via SMS', 'the practice has not turned SMS codes on');

  const [stored] = await ctx.owner`select secret_hash from two_factor_challenges where account_id = ${member.id}`;
  assert.is.not(stored.secret_hash, browser.cookie('gatehouse_2fa'), 'only a hash of the pending step is stored');

  const wrongCode = String((Number(await codeAt(member.secret)) + 1) % 1_000_000).padStart(6, '0');
  const wrong = await browser.post(`${PRACTICE}/login/two-factor`, { code: wrongCode });
  assert.is(wrong.status, 422);
  assert.match(textOf(await wrong.text()), 'That code did not work');
  const old = await browser.post(`${PRACTICE}/login/two-factor`, { code: await codeAt(member.secret, -2) });
  assert.is(old.status, 422, 'a code two steps old is refused');
  const [{ totp_last_used_step: usedStep }] = await ctx.owner`select totp_last_used_step from accounts where id = ${member.id}`;
  const usedCode = await generate({ secret: member.secret, epoch: Number(usedStep) * 30 });
  const replayed = await browser.post(`${PRACTICE}/login/two-factor`, { code: usedCode }, { htmx: true });
  assert.is(replayed.status, 422, 'the step used to confirm the enrolment is not accepted again');
  assert.not.match(await replayed.text(), '<html', 'htmx gets the form alone');

  // Independent of otplib: the system's oathtool computes the next step's code (±1 step is allowed for drift).
  const next = oathtoolInstalled ? oathtoolCode(member.secret, 1) : await codeAt(member.secret, 1);
  const accepted = await browser.post(`${PRACTICE}/login/two-factor`, { code: next });
  assert.is(accepted.status, 303);
  assert.is(accepted.headers.get('location'), `${PRACTICE}/`);
  assert.match(textOf(await (await browser.get(`${PRACTICE}/`)).text()), `Welcome, Tess`);
  assert.is((await ctx.owner`select 1 from two_factor_challenges where account_id = ${member.id}`).length, 0, 'the step is spent');

  const again = new Client(ctx.app);
  await passwordStep(again, PRACTICE, member.username, STAFF_PASSWORD);
  assert.is((await again.post(`${PRACTICE}/login/two-factor`, { code: next })).status, 422, 'a code is accepted once');
  const actions = (await actionsFor(member.id)).map((r) => r.action);
  assert.ok(actions.includes('two_factor.challenged'));
  assert.is(actions.filter((a) => a === 'two_factor.failed').length, 4);
  const [success] = await ctx.owner`select detail from audit_events where subject_account_id = ${member.id} and action = 'sign_in.succeeded' order by id desc limit 1`;
  assert.is(success.detail.twoFactor, 'totp');
});

test('otplib codes are accepted, even typed with spaces', async () => {
  const member = await enrolledStaffMember(ctx);
  const browser = new Client(ctx.app);
  await passwordStep(browser, PRACTICE, member.username, STAFF_PASSWORD);
  const code = await freshCode(ctx, member.id, member.secret);
  const response = await browser.post(`${PRACTICE}/login/two-factor`, { code: `${code.slice(0, 3)} ${code.slice(3)}` });
  assert.is(response.status, 303);
});

test('a recovery code signs in once, in any case and without dashes', async () => {
  const member = await enrolledStaffMember(ctx);
  const [code] = member.recoveryCodes;
  const first = new Client(ctx.app);
  await passwordStep(first, PRACTICE, member.username, STAFF_PASSWORD);
  assert.is((await first.post(`${PRACTICE}/login/two-factor`, { code: code.replace(/-/g, '').toUpperCase() })).status, 303);
  const actions = await actionsFor(member.id);
  assert.ok(actions.some((r) => r.action === 'two_factor.recovery_code_used' && r.detail.left === 9));

  const second = new Client(ctx.app);
  await passwordStep(second, PRACTICE, member.username, STAFF_PASSWORD);
  assert.is((await second.post(`${PRACTICE}/login/two-factor`, { code })).status, 422, 'a recovery code works once');
  assert.match(textOf(await (await first.get(`${PRACTICE}/account`)).text()), '9 unused recovery codes left');

  const renewed = await first.post(`${PRACTICE}/account/two-factor/recovery-codes`, { current_password: STAFF_PASSWORD });
  assert.is(renewed.status, 200);
  const fresh = [...(await renewed.text()).matchAll(/<code>([a-z0-9-]{14})<\/code>/g)].map((m) => m[1]);
  assert.is(fresh.length, 10);
  assert.is((await second.post(`${PRACTICE}/login/two-factor`, { code: member.recoveryCodes[1] })).status, 422, 'old codes stop');
  assert.is((await second.post(`${PRACTICE}/login/two-factor`, { code: fresh[0] })).status, 303);
});

test('wrong codes end the step after five tries, and ten in a row pause the account; all audited', async () => {
  const member = await enrolledStaffMember(ctx);
  const browser = new Client(ctx.app, '198.51.100.40');
  for (let round = 1; round <= 2; round++) {
    await passwordStep(browser, PRACTICE, member.username, STAFF_PASSWORD);
    for (let i = 1; i <= 4; i++) {
      const response = await browser.post(`${PRACTICE}/login/two-factor`, { code: '000000' });
      assert.is(response.status, 422);
      assert.match(textOf(await response.text()), `${5 - i} ${5 - i === 1 ? 'try' : 'tries'} left`);
    }
    const fifth = await browser.post(`${PRACTICE}/login/two-factor`, { code: '000000' });
    assert.is(fifth.status, 303);
    assert.is(fifth.headers.get('location'), `${PRACTICE}/login?two_factor=exhausted`);
    assert.match(textOf(await (await browser.get(`${PRACTICE}/login?two_factor=exhausted`)).text()), 'Too many wrong codes');
    assert.is((await browser.get(`${PRACTICE}/login/two-factor`)).headers.get('location'), `${PRACTICE}/login?two_factor=expired`);
  }
  await passwordStep(browser, PRACTICE, member.username, STAFF_PASSWORD);
  const paused = await browser.post(`${PRACTICE}/login/two-factor`, { code: await freshCode(ctx, member.id, member.secret) });
  assert.is(paused.status, 429, 'even the right code waits once the account has had ten wrong ones');
  assert.ok(Number(paused.headers.get('retry-after')) > 0);
  const failures = (await actionsFor(member.id)).filter((r) => r.action === 'two_factor.failed');
  assert.is(failures.length, 11);
  assert.is(failures.at(-1)!.detail.throttled, true);
  const [event] = await ctx.owner`select ip, user_agent from audit_events where subject_account_id = ${member.id} and action = 'two_factor.failed' limit 1`;
  assert.is(event.ip, '198.51.100.40');
});

test('the second step is bound to its portal and practice, and expires', async () => {
  const member = await enrolledStaffMember(ctx);
  const browser = new Client(ctx.app);
  await passwordStep(browser, PRACTICE, member.username, STAFF_PASSWORD);
  const secret = browser.cookie('gatehouse_2fa')!;
  for (const base of [PATIENT, '/oak-family-medicine/practice']) {
    const thief = new Client(ctx.app);
    thief.setCookie('gatehouse_2fa', secret, base);
    const response = await thief.post(`${base}/login/two-factor`, { code: await codeAt(member.secret, 1) });
    assert.is(response.status, 303);
    assert.is(response.headers.get('location'), `${base}/login?two_factor=expired`);
  }
  await ctx.owner`update two_factor_challenges set expires_at = now() - interval '1 second' where account_id = ${member.id}`;
  const late = await browser.post(`${PRACTICE}/login/two-factor`, { code: await codeAt(member.secret, 1) });
  assert.is(late.headers.get('location'), `${PRACTICE}/login?two_factor=expired`);
  assert.match(textOf(await (await browser.get(`${PRACTICE}/login?two_factor=expired`)).text()), 'Your sign-in took too long');
});

test('a guardian turns 2FA on in Settings and then signs in with a code; accounts without 2FA sign in as before', async () => {
  const client = new Client(ctx.app);
  await signIn(client, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);
  const settings = await (await client.get(`${PATIENT}/settings/account`)).text();
  assert.match(settings, `<a href="${PATIENT}/settings/account/two-factor">Set up two-factor authentication</a>`);
  const { secret } = await enrol(client, `${PATIENT}/settings/account`, GUARDIAN_PASSWORD);
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com');
  const browser = new Client(ctx.app);
  await passwordStep(browser, PATIENT, 'jordan.parent@example.com', GUARDIAN_PASSWORD);
  const page = await (await browser.get(`${PATIENT}/login/two-factor`)).text();
  assert.match(page, '>Forgot your password?</a>');
  const signedIn = await browser.post(`${PATIENT}/login/two-factor`, { code: await freshCode(ctx, id, secret) }, { htmx: true });
  assert.is(signedIn.status, 204);
  assert.is(signedIn.headers.get('hx-redirect'), `${PATIENT}/`);
  assert.match(textOf(await (await browser.get(`${PATIENT}/`)).text()), 'Riley Parent');

  const off = await browser.post(`${PATIENT}/settings/account/two-factor/disable`, { current_password: 'wrong' });
  assert.is(off.status, 422);
  const done = await browser.post(`${PATIENT}/settings/account/two-factor/disable`, { current_password: GUARDIAN_PASSWORD });
  assert.is(done.status, 303);
  assert.match(textOf(await (await browser.get(done.headers.get('location')!)).text()), 'Two-factor authentication is now off');
  assert.ok((await actionsFor(id)).some((r) => r.action === 'two_factor.disabled'));
  await signIn(new Client(ctx.app), 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);
});

test.run();
