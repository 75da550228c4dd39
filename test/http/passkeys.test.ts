// Passkeys over HTTP, with a software authenticator standing in for a phone: adding one from Settings / My Account
// (password first, audited, emailed), signing in with it without a username, and every way a ceremony can be wrong
// (another practice, the other portal, a replayed or foreign answer, no user verification, a copied authenticator,
// malformed input) ending in a clear 4xx with nothing written but the audit row.
import { readFile } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Client, GUARDIAN_PASSWORD, PUBLIC_URL, STAFF_PASSWORD, accountId, createTestContext, emailsTo, linkIn, signIn, textOf,
} from '../support/harness.ts';
import { addPasskey, newAuthenticator, passkeySignIn, postJson, signInOptions } from '../support/passkeys.ts';
import { newStaffMember } from '../support/two-factor.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PATIENT = '/sunny-pediatrics/patient';
const SETTINGS = `${PATIENT}/settings/account`;
const PRACTICE = '/sunny-pediatrics/practice';
const JORDAN = 'jordan.parent@example.com';
const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN);

async function guardianClient(ip?: string) {
  const client = new Client(ctx.app, ip);
  await signIn(client, 'sunny-pediatrics', 'patient', JORDAN, GUARDIAN_PASSWORD);
  return client;
}

async function auditOf(subject: string, action: string) {
  return ctx.owner`select actor_account_id, subject_account_id, detail from audit_events where subject_account_id = ${subject} and action = ${action} order by id`;
}

async function passkeysOf(account: string) {
  return ctx.owner`select id, name, portal, sign_count, backed_up, device_type, transports, last_used_at from passkeys where account_id = ${account} order by created_at`;
}

test('Settings: "Add a passkey" takes a name and the current password, lists it, audits it and emails Jordan', async () => {
  const client = await guardianClient();
  const page = await (await client.get(SETTINGS)).text();
  assert.match(page, /<section class="card" id="passkeys"/);
  assert.match(textOf(page), 'Passkeys');
  assert.match(textOf(page), 'You have no passkeys yet.');
  assert.match(page, /<div data-passkey-add="true"[^>]*hidden="">/, 'the add form waits for the script (absent without JavaScript)');
  assert.match(page, />Add a passkey<\/button>/);
  // The browser library is fetched by passkeys.js when a ceremony starts (a first visit stays small).
  assert.match(page, /<script src="\/public\/passkeys\.js\?v=[0-9a-f]{10}" defer="">/);
  assert.not.match(page, /simplewebauthn-browser/);

  const missing = await client.post(`${SETTINGS}/passkeys/options`, { passkey_name: 'My phone', current_password: '' });
  assert.is(missing.status, 422);
  assert.equal(await missing.json(), { error: 'Enter your current password.', field: 'current_password' });
  const wrong = await client.post(`${SETTINGS}/passkeys/options`, { passkey_name: 'My phone', current_password: 'not my password at all' });
  assert.is(wrong.status, 422);
  assert.equal(await wrong.json(), { error: 'That is not your current password.', field: 'current_password' });
  const unnamed = await client.post(`${SETTINGS}/passkeys/options`, { passkey_name: '   ', current_password: GUARDIAN_PASSWORD });
  assert.is(unnamed.status, 422);
  assert.is((await unnamed.json()).field, 'passkey_name');
  assert.is((await passkeysOf(jordan)).length, 0);

  const options = await (await client.post(`${SETTINGS}/passkeys/options`, { passkey_name: 'My phone', current_password: GUARDIAN_PASSWORD })).json();
  assert.is(options.rp.id, 'gatehouse.test', 'one relying party: the host of PUBLIC_URL');
  assert.is(options.user.name, `${JORDAN} (Sunny Pediatrics)`, 'the practice tells passkeys apart in the picker');
  assert.is(options.authenticatorSelection.residentKey, 'required');
  assert.is(options.authenticatorSelection.userVerification, 'required');
  assert.not.match(JSON.stringify(options), jordan, 'the user handle is not the account id');

  const authenticator = newAuthenticator({ synced: true });
  const added = await postJson(client, `${SETTINGS}/passkeys`, authenticator.register(options));
  assert.is(added.status, 200);
  assert.equal(await added.json(), { redirect: `${SETTINGS}?passkey=added#passkeys` });
  const [row] = await passkeysOf(jordan);
  assert.is(row.name, 'My phone');
  assert.is(row.portal, 'patient');
  assert.is(row.device_type, 'multiDevice');
  assert.is(row.backed_up, true);
  assert.equal(row.transports, ['internal']);

  const listed = textOf(await (await client.get(`${SETTINGS}?passkey=added`)).text());
  assert.match(listed, 'Your passkey was added. We emailed you a confirmation.');
  assert.match(listed, /My phone · Created: \w{3} \d+, \d{4}, \d+:\d{2} [AP]M E[SD]T · Last used: Never Remove/);

  const [mail] = await emailsTo(ctx, JORDAN);
  assert.is(mail.kind, 'passkey_added');
  assert.is(mail.subject, 'A passkey was added to your Sunny Pediatrics portal account');
  assert.match(mail.text, 'A passkey named “My phone” was added to your portal account');
  const [event] = await auditOf(jordan, 'passkey.added');
  assert.is(event.actor_account_id, jordan);
  assert.is(event.detail.name, 'My phone');

  const again = await postJson(client, `${SETTINGS}/passkeys`, authenticator.register(options));
  assert.is(again.status, 400, 'a finished ceremony cannot be finished twice');
  assert.is((await passkeysOf(jordan)).length, 1);
});

test('sign in with the passkey, no username typed: a session, the counter kept, audited as a passkey sign-in', async () => {
  const client = await guardianClient();
  const authenticator = newAuthenticator();
  assert.is((await addPasskey(client, SETTINGS, authenticator, { name: 'Laptop', password: GUARDIAN_PASSWORD })).status, 200);
  const resetLinksBefore = await ctx.owner`select count(*)::int as n from account_tokens where account_id = ${jordan} and revoked_at is null and used_at is null`;

  const login = await (await new Client(ctx.app).get(`${PATIENT}/login`)).text();
  assert.match(login, /<div class="passkey-sign-in" data-passkey-sign-in="true"[^>]*hidden="">/);
  assert.match(login, />Sign in with a passkey<\/button>/);

  const visitor = new Client(ctx.app);
  const options = await signInOptions(visitor, PATIENT);
  assert.is(options.userVerification, 'required');
  assert.equal(options.allowCredentials ?? [], [], 'discoverable: the server names no account');
  const signedIn = await postJson(visitor, `${PATIENT}/login/passkey`, authenticator.assert(options));
  assert.is(signedIn.status, 200);
  assert.equal(await signedIn.json(), { redirect: `${PATIENT}/` });
  const home = await visitor.get(`${PATIENT}/`);
  assert.is(home.status, 200, 'no second step after a passkey');
  assert.match(textOf(await home.text()), 'Welcome, Jordan Parent');

  const laptop = (await passkeysOf(jordan)).find((p) => p.name === 'Laptop')!;
  assert.is(Number(laptop.sign_count), 1);
  assert.ok(laptop.last_used_at);
  const [session] = await ctx.owner`select signed_in_with from sessions where account_id = ${jordan} order by created_at desc limit 1`;
  assert.is(session.signed_in_with, 'passkey');
  const succeeded = (await auditOf(jordan, 'sign_in.succeeded')).at(-1)!;
  assert.equal([succeeded.detail.method, succeeded.detail.passkey], ['passkey', laptop.id]);
  const resetLinksAfter = await ctx.owner`select count(*)::int as n from account_tokens where account_id = ${jordan} and revoked_at is null and used_at is null`;
  assert.is(resetLinksAfter[0].n, resetLinksBefore[0].n, 'a passkey says nothing about the password: reset links stay');
});

test('a passkey of one practice is refused at another practice and on the other portal of the same practice', async () => {
  const client = await guardianClient();
  const authenticator = newAuthenticator();
  await addPasskey(client, SETTINGS, authenticator, { name: 'Tablet', password: GUARDIAN_PASSWORD });
  const before = (await passkeysOf(jordan)).find((p) => p.name === 'Tablet')!;

  for (const [base, words] of [
    ['/oak-family-medicine/patient', 'That passkey does not belong to the Oak Family Medicine Patient Portal.'],
    [PRACTICE, 'That passkey does not belong to the Sunny Pediatrics Practice Portal.'],
  ] as const) {
    const stranger = new Client(ctx.app);
    const refused = await passkeySignIn(stranger, base, authenticator);
    assert.is(refused.status, 401, base);
    assert.match((await refused.json()).error, words);
    assert.is(refused.headers.getSetCookie().some((c) => c.startsWith('gatehouse_session=') && !c.startsWith('gatehouse_session=;')), false);
    assert.is((await stranger.get(`${base}/`)).status, 303, 'no session there');
  }
  const after = (await passkeysOf(jordan)).find((p) => p.name === 'Tablet')!;
  assert.is(Number(after.sign_count), Number(before.sign_count), 'nothing about the passkey changed');
  const oak = await ctx.owner`select detail from audit_events where action = 'passkey.sign_in_failed' and tenant_id = (select id from tenants where slug = 'oak-family-medicine')`;
  assert.is(oak.length, 1);
  assert.is(oak[0].detail.why, 'not registered on this portal');
});

test('replayed, foreign-origin, unverified and malformed answers get a clear 4xx, never a session or a 500', async () => {
  const client = await guardianClient();
  const authenticator = newAuthenticator();
  await addPasskey(client, SETTINGS, authenticator, { name: 'Key', password: GUARDIAN_PASSWORD });
  const visitor = new Client(ctx.app);

  const options = await signInOptions(visitor, PATIENT);
  const answer = authenticator.assert(options);
  assert.is((await postJson(visitor, `${PATIENT}/login/passkey`, answer)).status, 200);
  const replayed = await postJson(new Client(ctx.app), `${PATIENT}/login/passkey`, answer);
  assert.is(replayed.status, 400, 'without its browser the answer has no challenge');
  const replayedHere = await postJson(visitor, `${PATIENT}/login/passkey`, answer);
  assert.is(replayedHere.status, 400, 'the challenge was used up');
  assert.equal(await replayedHere.json(), { error: 'This took too long. Please try again.' });
  await signInOptions(visitor, PATIENT);
  const staleAnswer = await postJson(visitor, `${PATIENT}/login/passkey`, answer);
  assert.is(staleAnswer.status, 401, 'an old answer does not sign a new challenge');

  const phishing = await passkeySignIn(new Client(ctx.app), PATIENT, authenticator, { origin: 'https://gatehouse-login.example' });
  assert.is(phishing.status, 401);
  const unverified = await passkeySignIn(new Client(ctx.app), PATIENT, authenticator, { userVerified: false });
  assert.is(unverified.status, 401, 'user verification is required');
  const otherRp = await passkeySignIn(new Client(ctx.app), PATIENT, authenticator, { rpId: 'evil.example' });
  assert.is(otherRp.status, 401);
  const whys = (await auditOf(jordan, 'passkey.sign_in_failed')).map((e) => e.detail.why);
  for (const why of ['wrong origin', 'user not verified', 'wrong relying party', 'wrong challenge']) assert.ok(whys.includes(why), `${why} in ${whys}`);

  const base = `${PATIENT}/login/passkey`;
  const fresh = new Client(ctx.app);
  await signInOptions(fresh, PATIENT);
  assert.is((await postJson(fresh, base, '{"id": ')).status, 400, 'broken JSON');
  assert.is((await postJson(fresh, base, { id: 'x', response: 'nope' })).status, 400, 'wrong shape');
  assert.is((await postJson(fresh, base, [1, 2, 3])).status, 400);
  assert.is((await fresh.post(base, { id: 'abc' })).status, 415, 'a form is not JSON');
  assert.is((await postJson(fresh, base, { pad: 'x'.repeat(70_000) })).status, 413);
  assert.is((await postJson(fresh, base, answer, { origin: 'https://evil.example' })).status, 403, 'the origin check comes first');
  assert.is((await postJson(fresh, `${PATIENT}/login/passkey/options`, {}, { origin: 'https://evil.example' })).status, 403);

  const other = authenticator.assert(await signInOptions(fresh, PATIENT));
  const forged = await postJson(fresh, base, { ...other, response: { ...other.response, signature: Buffer.from('not a signature').toString('base64url') } });
  assert.is(forged.status, 401);
  const someoneElse = authenticator.assert(await signInOptions(fresh, PATIENT));
  const handleSwapped = await postJson(fresh, base, { ...someoneElse, response: { ...someoneElse.response, userHandle: 'B'.repeat(43) } });
  assert.is(handleSwapped.status, 401, "the answer's user handle must be the passkey owner's");
  const noHandle = authenticator.assert(await signInOptions(fresh, PATIENT));
  assert.is((await postJson(fresh, base, { ...noHandle, response: { ...noHandle.response, userHandle: null } })).status, 401);
  const sessions = await ctx.owner`select count(*)::int as n from sessions where account_id = ${jordan} and signed_in_with = 'passkey'`;
  assert.is(sessions[0].n, 2, 'only the two good sign-ins (this test and the one before) made sessions');
});

test('a counter that goes backwards (a copied authenticator) is refused and audited; the genuine one still works', async () => {
  const client = await guardianClient();
  const authenticator = newAuthenticator();
  await addPasskey(client, SETTINGS, authenticator, { name: 'Old phone', password: GUARDIAN_PASSWORD });
  const credential = authenticator.credentials[0];
  assert.is((await passkeySignIn(new Client(ctx.app), PATIENT, authenticator, { counter: 5 })).status, 200);
  const copy = await passkeySignIn(new Client(ctx.app), PATIENT, authenticator, { counter: 3, credential });
  assert.is(copy.status, 403);
  assert.match((await copy.json()).error, 'it may have been copied');
  const [event] = await auditOf(jordan, 'passkey.clone_suspected');
  assert.equal([event.detail.storedCounter, event.detail.receivedCounter], [5, 3]);
  const row = (await passkeysOf(jordan)).find((p) => p.name === 'Old phone')!;
  assert.is(Number(row.sign_count), 5, 'the stored counter stays where the genuine authenticator left it');
  assert.is((await passkeySignIn(new Client(ctx.app), PATIENT, authenticator, { counter: 6, credential })).status, 200);
});

test('"Remove": a confirmation with the current password, then the passkey no longer signs in; audited and emailed', async () => {
  const client = await guardianClient();
  const authenticator = newAuthenticator();
  await addPasskey(client, SETTINGS, authenticator, { name: 'Work laptop', password: GUARDIAN_PASSWORD });
  const passkey = (await passkeysOf(jordan)).find((p) => p.name === 'Work laptop')!;
  const settings = await (await client.get(SETTINGS)).text();
  assert.match(settings, `<a class="button secondary" href="${SETTINGS}/passkeys/${passkey.id}/remove" aria-describedby="passkey-${passkey.id}">Remove</a>`);

  const confirm = await client.get(`${SETTINGS}/passkeys/${passkey.id}/remove`);
  assert.is(confirm.status, 200);
  assert.match(textOf(await confirm.text()), 'Remove the passkey “Work laptop”? It will no longer sign you in. Your password stays the same.');
  const wrong = await client.post(`${SETTINGS}/passkeys/${passkey.id}/remove`, { current_password: 'wrong wrong wrong' });
  assert.is(wrong.status, 422);
  assert.match(textOf(await wrong.text()), 'That is not your current password.');
  assert.is((await client.post(`${SETTINGS}/passkeys/${passkey.id}/remove`, { current_password: '' })).status, 422);
  assert.ok((await passkeysOf(jordan)).some((p) => p.id === passkey.id), 'still there');

  const removed = await client.post(`${SETTINGS}/passkeys/${passkey.id}/remove`, { current_password: GUARDIAN_PASSWORD });
  assert.is(removed.status, 303);
  assert.is(removed.headers.get('location'), `${SETTINGS}?passkey=removed#passkeys`);
  assert.match(textOf(await (await client.get(`${SETTINGS}?passkey=removed`)).text()), 'The passkey was removed. We emailed you a confirmation.');
  assert.not.ok((await passkeysOf(jordan)).some((p) => p.id === passkey.id));
  const [mail] = await emailsTo(ctx, JORDAN);
  assert.is(mail.kind, 'passkey_removed');
  assert.match(mail.text, 'The passkey named “Work laptop” was removed');
  assert.is((await auditOf(jordan, 'passkey.removed')).at(-1)!.detail.name, 'Work laptop');

  const refused = await passkeySignIn(new Client(ctx.app), PATIENT, authenticator);
  assert.is(refused.status, 401);
  assert.is((await client.get(`${SETTINGS}/passkeys/${passkey.id}/remove`)).status, 404);
  assert.is((await client.post(`${SETTINGS}/passkeys/${passkey.id}/remove`, { current_password: GUARDIAN_PASSWORD })).status, 404);
  assert.is((await client.get(`${SETTINGS}/passkeys/not-a-uuid/remove`)).status, 404);
});

test("nobody removes or sees another account's passkey, nor one of another practice", async () => {
  const client = await guardianClient();
  await addPasskey(client, SETTINGS, newAuthenticator(), { name: 'Jordan’s phone', password: GUARDIAN_PASSWORD });
  const passkey = (await passkeysOf(jordan)).find((p) => p.name === 'Jordan’s phone')!;
  const member = await newStaffMember(ctx);
  const staff = new Client(ctx.app);
  await signIn(staff, 'sunny-pediatrics', 'practice', member.username, STAFF_PASSWORD);
  assert.is((await staff.get(`${PRACTICE}/account/passkeys/${passkey.id}/remove`)).status, 404);
  assert.is((await staff.post(`${PRACTICE}/account/passkeys/${passkey.id}/remove`, { current_password: STAFF_PASSWORD })).status, 404);
  const oakAdmin = new Client(ctx.app);
  await signIn(oakAdmin, 'oak-family-medicine', 'practice', 'admin', STAFF_PASSWORD);
  assert.is((await oakAdmin.post(`/oak-family-medicine/practice/account/passkeys/${passkey.id}/remove`, { current_password: STAFF_PASSWORD })).status, 404);
  assert.ok((await passkeysOf(jordan)).some((p) => p.id === passkey.id));
});

test('a registration is bound to the browser and session that confirmed the password, and to a real answer', async () => {
  const client = await guardianClient();
  const other = await guardianClient();
  const options = await (await client.post(`${SETTINGS}/passkeys/options`, { passkey_name: 'Stolen', current_password: GUARDIAN_PASSWORD })).json();
  const authenticator = newAuthenticator();
  const answer = authenticator.register(options);
  assert.is((await postJson(other, `${SETTINGS}/passkeys`, answer)).status, 400, 'another session has no such ceremony');
  other.setCookie('gatehouse_passkey', client.cookie('gatehouse_passkey')!, PATIENT);
  assert.is((await postJson(other, `${SETTINGS}/passkeys`, answer)).status, 400, 'even with the cookie copied, the session differs');

  const retry = await (await client.post(`${SETTINGS}/passkeys/options`, { passkey_name: 'Phone', current_password: GUARDIAN_PASSWORD })).json();
  const foreign = await postJson(client, `${SETTINGS}/passkeys`, authenticator.register(retry, { origin: 'https://evil.example' }));
  assert.is(foreign.status, 400);
  const retry2 = await (await client.post(`${SETTINGS}/passkeys/options`, { passkey_name: 'Phone', current_password: GUARDIAN_PASSWORD })).json();
  const unverified = await postJson(client, `${SETTINGS}/passkeys`, authenticator.register(retry2, { userVerified: false }));
  assert.is(unverified.status, 400);
  assert.is((await postJson(client, `${SETTINGS}/passkeys`, '{')).status, 400);
  assert.not.ok((await passkeysOf(jordan)).some((p) => p.name === 'Stolen' || p.name === 'Phone'));
  assert.is((await new Client(ctx.app).post(`${SETTINGS}/passkeys/options`, { passkey_name: 'x', current_password: GUARDIAN_PASSWORD })).status, 303, 'signed out: to the login page');
});

test('staff under "2FA required": a passkey sign-in lets them in; a password-only sign-in is asked for the passkey', async () => {
  const member = await newStaffMember(ctx);
  const staff = new Client(ctx.app);
  await signIn(staff, 'sunny-pediatrics', 'practice', member.username, STAFF_PASSWORD);
  const authenticator = newAuthenticator();
  assert.is((await addPasskey(staff, `${PRACTICE}/account`, authenticator, { name: 'Security key', password: STAFF_PASSWORD })).status, 200);
  assert.is((await emailsTo(ctx, member.email))[0].kind, 'passkey_added');
  await ctx.owner`update tenants set settings = settings || '{"staffTwoFactorRequired": true}' where slug = 'sunny-pediatrics'`;
  try {
    const viaPassword = new Client(ctx.app);
    await signIn(viaPassword, 'sunny-pediatrics', 'practice', member.username, STAFF_PASSWORD);
    const home = await viaPassword.get(`${PRACTICE}/`);
    assert.is(home.status, 303);
    assert.is(home.headers.get('location'), `${PRACTICE}/login/passkey`);
    const ask = await viaPassword.get(`${PRACTICE}/login/passkey`);
    assert.is(ask.status, 200);
    assert.match(textOf(await ask.text()), 'Sunny Pediatrics asks all staff to sign in with two-factor authentication. You have a passkey: sign in with it to continue.');
    assert.is((await viaPassword.get(`${PRACTICE}/account/two-factor`)).headers.get('location'), `${PRACTICE}/login/passkey`,
      'a password-only session cannot set up an app in place of the passkey');
    const passwordSession = viaPassword.cookie('gatehouse_session');
    const upgraded = await passkeySignIn(viaPassword, PRACTICE, authenticator);
    assert.is(upgraded.status, 200);
    assert.is((await viaPassword.get(`${PRACTICE}/`)).status, 200);
    assert.is(viaPassword.cookie('gatehouse_session') === passwordSession, false);
    const stale = new Client(ctx.app);
    stale.setCookie('gatehouse_session', passwordSession!, PRACTICE);
    assert.is((await stale.get(`${PRACTICE}/`)).status, 303, 'the password-only session ended');

    const direct = new Client(ctx.app);
    assert.is((await passkeySignIn(direct, PRACTICE, authenticator)).status, 200);
    const page = await direct.get(`${PRACTICE}/`);
    assert.is(page.status, 200, 'let in with only a passkey');
    assert.match(textOf(await page.text()), 'Welcome, Tess');

    const other = await newStaffMember(ctx);
    const noPasskey = new Client(ctx.app);
    await signIn(noPasskey, 'sunny-pediatrics', 'practice', other.username, STAFF_PASSWORD);
    assert.is((await noPasskey.get(`${PRACTICE}/`)).headers.get('location'), `${PRACTICE}/account/two-factor`, 'without a passkey: set up 2FA, as before');
    assert.is((await noPasskey.get(`${PRACTICE}/login/passkey`)).headers.get('location'), `${PRACTICE}/`);
  } finally {
    await ctx.owner`update tenants set settings = settings - 'staffTwoFactorRequired' where slug = 'sunny-pediatrics'`;
  }
});

test("an administrator's 2FA reset and a deactivation remove the member's passkeys; a password reset keeps them", async () => {
  const admin = new Client(ctx.app);
  await signIn(admin, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const adminId = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'admin');

  const member = await newStaffMember(ctx);
  const staff = new Client(ctx.app);
  await signIn(staff, 'sunny-pediatrics', 'practice', member.username, STAFF_PASSWORD);
  const authenticator = newAuthenticator();
  await addPasskey(staff, `${PRACTICE}/account`, authenticator, { name: 'Phone', password: STAFF_PASSWORD });
  const memberPage = await (await admin.get(`${PRACTICE}/staff/${member.id}`)).text();
  assert.match(memberPage, '>Reset 2FA</button>', 'a member with only a passkey has two-factor sign-in to reset');
  const confirm = textOf(await (await admin.get(`${PRACTICE}/staff/${member.id}/two-factor/reset`)).text());
  assert.match(confirm, 'signs in with a passkey');
  assert.match(confirm, 'Resetting turns it off, removes their passkeys');

  // A password reset (link from the administrator, security question, new password) leaves the passkeys alone.
  const sendLink = await admin.post(`${PRACTICE}/staff/${member.id}/reset-password`, {});
  assert.ok([200, 303].includes(sendLink.status), `reset link sent (${sendLink.status})`);
  const [resetMail] = await emailsTo(ctx, member.email);
  const person = new Client(ctx.app);
  assert.is((await person.get(linkIn(resetMail.text))).status, 303);
  assert.is((await person.post(`${PRACTICE}/reset/answer`, { answer: 'Springfield' })).status, 303);
  const newPassword = 'lantern meadow copper 7719';
  const changed = await person.post(`${PRACTICE}/reset/password`, { new_password: newPassword, new_password_confirmation: newPassword });
  assert.is(changed.headers.get('location'), `${PRACTICE}/login?reset=1`);
  assert.is((await passkeysOf(member.id)).length, 1, 'a password reset keeps the passkeys');
  assert.is((await passkeySignIn(new Client(ctx.app), PRACTICE, authenticator)).status, 200, 'and the passkey still signs in');

  const reset = await admin.post(`${PRACTICE}/staff/${member.id}/two-factor/reset`, { current_password: STAFF_PASSWORD });
  assert.is(reset.status, 303);
  assert.is((await passkeysOf(member.id)).length, 0);
  const [told] = await emailsTo(ctx, member.email);
  assert.is(told.kind, 'two_factor_reset');
  assert.match(told.text, 'The reset also removed your passkey. You can add one again on My Account once you are signed in.');
  const [event] = await auditOf(member.id, 'passkey.removed');
  assert.equal([event.actor_account_id, event.detail.count, event.detail.reason], [adminId, 1, 'two_factor_reset']);
  assert.is((await passkeySignIn(new Client(ctx.app), PRACTICE, authenticator)).status, 401);

  const second = await newStaffMember(ctx);
  const secondClient = new Client(ctx.app);
  await signIn(secondClient, 'sunny-pediatrics', 'practice', second.username, STAFF_PASSWORD);
  const secondKey = newAuthenticator();
  await addPasskey(secondClient, `${PRACTICE}/account`, secondKey, { name: 'Phone', password: STAFF_PASSWORD });
  assert.is((await admin.post(`${PRACTICE}/staff/${second.id}/deactivate`, {})).status, 303);
  assert.is((await passkeysOf(second.id)).length, 0);
  assert.is((await auditOf(second.id, 'passkey.removed'))[0].detail.reason, 'deactivated');
  assert.is((await passkeySignIn(new Client(ctx.app), PRACTICE, secondKey)).status, 401);
});

test('a deactivated account is refused even with its passkey (status checked at sign-in, whatever removed what)', async () => {
  const member = await newStaffMember(ctx);
  const staff = new Client(ctx.app);
  await signIn(staff, 'sunny-pediatrics', 'practice', member.username, STAFF_PASSWORD);
  const authenticator = newAuthenticator();
  await addPasskey(staff, `${PRACTICE}/account`, authenticator, { name: 'Phone', password: STAFF_PASSWORD });
  await ctx.owner`update accounts set status = 'locked' where id = ${member.id}`;
  const refused = await passkeySignIn(new Client(ctx.app), PRACTICE, authenticator);
  assert.is(refused.status, 403);
  assert.match((await refused.json()).error, 'deactivated');
});

test('passkey sign-in attempts are throttled per network address, as passwords are', async () => {
  const ip = '198.51.100.77';
  const visitor = new Client(ctx.app, ip);
  let last: Response | null = null;
  for (let i = 0; i < 61; i += 1) last = await postJson(visitor, `${PATIENT}/login/passkey`, { id: 'A'.repeat(22), rawId: 'A'.repeat(22), type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' } });
  assert.is(last!.status, 429);
  assert.ok(Number(last!.headers.get('retry-after')) > 0);
  assert.is((await postJson(new Client(ctx.app, '198.51.100.78'), `${PATIENT}/login/passkey`, {})).status, 400, 'another address is not held up');
});

test('the browser library is served byte for byte as the pinned package ships it', async () => {
  const served = new Uint8Array(await (await new Client(ctx.app).get('/public/simplewebauthn-browser.min.js')).arrayBuffer());
  const shipped = await readFile(new URL('../../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js', import.meta.url));
  assert.ok(Buffer.from(served).equals(shipped), 'public/simplewebauthn-browser.min.js equals the installed @simplewebauthn/browser bundle');
  const pinned = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')).devDependencies['@simplewebauthn/browser'];
  assert.match(Buffer.from(served).subarray(0, 60).toString(), `[@simplewebauthn/browser@${pinned}]`);
  assert.is(PUBLIC_URL, 'http://gatehouse.test');
});

test.run();
