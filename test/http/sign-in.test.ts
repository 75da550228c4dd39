import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hashSessionId } from '../../src/core/sessions.ts';
import { Client, GUARDIAN_PASSWORD, STAFF_PASSWORD, accountId, createTestContext, signIn, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';
const PATIENT = '/sunny-pediatrics/patient';

test('a staff member signs in with username, sees the practice home, and signs out', async () => {
  const client = new Client(ctx.app);
  const form = await client.get(`${PRACTICE}/login`);
  assert.is(form.status, 200);
  const page = await form.text();
  assert.match(page, 'Sunny Pediatrics');
  assert.match(page, /<label for="field-username">Username<\/label>/);
  assert.match(page, /name="password"[^>]*autocomplete="current-password"/);
  assert.match(page, '>Forgot password?</a>');

  const signedIn = await client.post(`${PRACTICE}/login`, { username: 'admin', password: STAFF_PASSWORD });
  assert.is(signedIn.status, 303);
  assert.is(signedIn.headers.get('location'), `${PRACTICE}/`);
  const cookie = signedIn.headers.get('set-cookie') ?? '';
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Path=\/sunny-pediatrics\/practice/);
  assert.not.match(cookie, /Secure/, 'Secure is for production only');

  const home = await client.get(`${PRACTICE}/`);
  assert.is(home.status, 200);
  const text = textOf(await home.text());
  assert.match(text, 'Welcome, Pat Admin');
  assert.match(text, 'Sign out');

  const stored = await ctx.owner`select id_hash from sessions where account_id = ${await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'admin')}`;
  assert.is(stored.length, 1);
  assert.is.not(stored[0].id_hash, client.cookie('gatehouse_session'), 'only a hash of the session id is stored');
  assert.is(stored[0].id_hash.length, 64);

  const out = await client.post(`${PRACTICE}/logout`, {});
  assert.is(out.status, 303);
  assert.is(out.headers.get('location'), `${PRACTICE}/login?signed_out=1`);
  const after = await client.get(`${PRACTICE}/`);
  assert.is(after.status, 303);
  assert.is(after.headers.get('location'), `${PRACTICE}/login`);
  const left = await ctx.owner`select 1 from sessions where id_hash = ${stored[0].id_hash}`;
  assert.is(left.length, 0, 'signing out deletes the session row');
});

test('a staff member may sign in with their email, in any case', async () => {
  const client = new Client(ctx.app);
  await signIn(client, 'sunny-pediatrics', 'practice', 'CNurse@Sunny-Pediatrics.example', STAFF_PASSWORD);
  assert.match(textOf(await (await client.get(`${PRACTICE}/`)).text()), 'Welcome, Camille Nurse');
});

test('a guardian signs in with email and sees their two children; with JS the form gets HX-Redirect', async () => {
  const client = new Client(ctx.app);
  const page = await (await client.get(`${PATIENT}/login`)).text();
  assert.match(page, '>Forgot your password?</a>');
  const response = await client.post(`${PATIENT}/login`, { username: 'jordan.parent@example.com', password: GUARDIAN_PASSWORD }, { htmx: true });
  assert.is(response.status, 204);
  assert.is(response.headers.get('hx-redirect'), `${PATIENT}/`);
  const home = textOf(await (await client.get(`${PATIENT}/`)).text());
  assert.match(home, 'Welcome, Jordan Parent');
  assert.match(home, 'Riley Parent');
  assert.match(home, 'Account 10001');
  assert.match(home, 'Casey Parent');
  assert.match(home, 'Account 10002');
  assert.not.match(home, 'Garcia', 'no other family is shown');
});

test('a signed-in user who opens the sign-in page goes to their home page', async () => {
  const client = new Client(ctx.app);
  await signIn(client, 'sunny-pediatrics', 'practice', 'marcusstaff', STAFF_PASSWORD);
  const response = await client.get(`${PRACTICE}/login`);
  assert.is(response.status, 303);
  assert.is(response.headers.get('location'), `${PRACTICE}/`);
});

test('a wrong password and an unknown user get the same answer', async () => {
  const wrong = await new Client(ctx.app, '198.51.100.1').post(`${PRACTICE}/login`, { username: 'marcusstaff', password: 'not the password' });
  const unknown = await new Client(ctx.app, '198.51.100.2').post(`${PRACTICE}/login`, { username: 'nobody-here', password: 'not the password' });
  assert.is(wrong.status, 401);
  assert.is(unknown.status, 401);
  const wrongText = textOf(await wrong.text());
  const unknownText = textOf(await unknown.text());
  assert.match(wrongText, 'Invalid username or password');
  assert.is(wrongText.replace('marcusstaff', 'X'), unknownText.replace('nobody-here', 'X'));
  assert.equal([...wrong.headers.keys()].sort(), [...unknown.headers.keys()].sort());
  assert.is(wrong.headers.get('set-cookie'), null);
});

test('a failed form keeps the username and says what is wrong (htmx gets the form fragment)', async () => {
  const client = new Client(ctx.app);
  const response = await client.post(`${PATIENT}/login`, { username: 'jordan.parent@example.com', password: '' }, { htmx: true });
  assert.is(response.status, 422);
  const html = await response.text();
  assert.not.match(html, '<html', 'a fragment, not a page');
  assert.match(html, 'value="jordan.parent@example.com"');
  assert.match(html, 'role="alert"');
});

test('repeated failures lock the account with a growing wait, visible in the database; success after it resets', async () => {
  const client = new Client(ctx.app, '198.51.100.20');
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'drlee');
  for (let i = 1; i <= 4; i++) {
    const r = await client.post(`${PRACTICE}/login`, { username: 'drlee', password: `wrong ${i}` });
    assert.is(r.status, 401);
  }
  const fifth = await client.post(`${PRACTICE}/login`, { username: 'drlee', password: 'wrong 5' });
  assert.is(fifth.status, 429);
  assert.ok(Number(fifth.headers.get('retry-after')) > 0);
  assert.match(textOf(await fifth.text()), 'Too many attempts');
  const locked = await client.post(`${PRACTICE}/login`, { username: 'drlee', password: STAFF_PASSWORD });
  assert.is(locked.status, 429, 'even the right password waits while locked');
  const [row] = await ctx.owner`select failed_sign_ins, locked_until > now() as locked from accounts where id = ${id}`;
  assert.is(row.locked, true);
  assert.is(row.failed_sign_ins, 5);

  await ctx.owner`update accounts set locked_until = now() - interval '1 second' where id = ${id}`;
  const sixth = await client.post(`${PRACTICE}/login`, { username: 'drlee', password: 'wrong 6' });
  assert.is(sixth.status, 429, 'the next failure locks again, for longer');
  const [longer] = await ctx.owner`select extract(epoch from locked_until - now()) as seconds from accounts where id = ${id}`;
  assert.ok(Number(longer.seconds) > 60);

  await ctx.owner`update accounts set locked_until = now() - interval '1 second' where id = ${id}`;
  await signIn(client, 'sunny-pediatrics', 'practice', 'drlee', STAFF_PASSWORD);
  const [reset] = await ctx.owner`select failed_sign_ins, locked_until from accounts where id = ${id}`;
  assert.is(reset.failed_sign_ins, 0);
  assert.is(reset.locked_until, null);
});

test('an unknown name locks the same way, so lockout does not reveal which accounts exist', async () => {
  const client = new Client(ctx.app, '198.51.100.21');
  const statuses = [];
  for (let i = 1; i <= 5; i++) statuses.push((await client.post(`${PRACTICE}/login`, { username: 'ghost', password: `wrong ${i}` })).status);
  assert.equal(statuses, [401, 401, 401, 401, 429]);
});

test('too many attempts from one address get 429 with Retry-After', async () => {
  const client = new Client(ctx.app, '198.51.100.99');
  let last: Response | null = null;
  for (let i = 0; i < 61; i++) last = await client.post(`${PATIENT}/login`, { username: `user${i}@example.com`, password: 'wrong password' });
  assert.is(last!.status, 429);
  assert.ok(Number(last!.headers.get('retry-after')) > 0);
  assert.match(textOf(await last!.text()), 'Too many sign-in attempts from this network');
  const other = await new Client(ctx.app, '198.51.100.98').post(`${PATIENT}/login`, { username: 'jordan.parent@example.com', password: GUARDIAN_PASSWORD });
  assert.is(other.status, 303, 'another address is not affected');
});

test('a practice session replayed on the patient portal or on another practice counts as signed out', async () => {
  const client = new Client(ctx.app);
  await signIn(client, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const stolen = client.cookie('gatehouse_session')!;
  const attacker = new Client(ctx.app, '192.0.2.66');
  for (const path of ['/sunny-pediatrics/patient/', '/oak-family-medicine/practice/', '/oak-family-medicine/patient/']) {
    attacker.setCookie('gatehouse_session', stolen, '/');
    const response = await attacker.get(path);
    assert.is(response.status, 303, path);
    // No session of this practice and portal has that id: the same answer as for any session that is gone.
    assert.match(response.headers.get('location') ?? '', /\/login\?ended=ended$/);
  }
  attacker.setCookie('gatehouse_session', stolen, '/');
  assert.is((await attacker.get(`${PRACTICE}/`)).status, 200, 'the same cookie still works where it belongs');
});

test('a deactivated account cannot sign in (its password is erased), and its open sessions stop working', async () => {
  const client = new Client(ctx.app);
  await signIn(client, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
  const [saved] = await ctx.owner`select password_hash, security_question, security_answer_hash from accounts where id = ${id}`;
  await ctx.owner`update accounts set status = 'deactivated' where id = ${id}`;
  assert.is((await client.get(`${PRACTICE}/`)).status, 303);
  const refused = await new Client(ctx.app, '198.51.100.30').post(`${PRACTICE}/login`, { username: 'camilles', password: STAFF_PASSWORD });
  assert.is(refused.status, 401);
  const [audit] = await ctx.owner`select action from audit_events where subject_account_id = ${id} order by id desc limit 1`;
  assert.is(audit.action, 'sign_in.failed');
  assert.is((await ctx.owner`select password_hash from accounts where id = ${id}`)[0].password_hash, null);
  await ctx.owner`
    update accounts set status = 'active', failed_sign_ins = 0, locked_until = null, password_hash = ${saved.password_hash},
      security_question = ${saved.security_question}, security_answer_hash = ${saved.security_answer_hash}
    where id = ${id}`;
});

test('sessions end after the idle time and after 12 hours whatever the activity', async () => {
  const client = new Client(ctx.app);
  await signIn(client, 'sunny-pediatrics', 'practice', 'marcusstaff', STAFF_PASSWORD);
  const session = hashSessionId(client.cookie('gatehouse_session')!);
  await ctx.owner`update sessions set last_seen_at = now() - interval '29 minutes' where id_hash = ${session}`;
  assert.is((await client.get(`${PRACTICE}/`)).status, 200, 'within 30 idle minutes');
  const [touched] = await ctx.owner`select extract(epoch from now() - last_seen_at) as idle from sessions where id_hash = ${session}`;
  assert.ok(Number(touched.idle) < 5, 'activity moves last_seen_at');
  await ctx.owner`update sessions set last_seen_at = now() - interval '31 minutes' where id_hash = ${session}`;
  assert.is((await client.get(`${PRACTICE}/`)).status, 303, 'idle for 31 minutes: signed out');
  assert.is((await ctx.owner`select 1 from sessions where id_hash = ${session}`).length, 0);

  const guardian = new Client(ctx.app);
  await signIn(guardian, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);
  const guardianSession = hashSessionId(guardian.cookie('gatehouse_session')!);
  await ctx.owner`update sessions set last_seen_at = now() - interval '45 minutes' where id_hash = ${guardianSession}`;
  assert.is((await guardian.get(`${PATIENT}/`)).status, 200, 'the patient portal allows 60 idle minutes');
  await ctx.owner`update sessions set expires_at = now() - interval '1 second' where id_hash = ${guardianSession}`;
  assert.is((await guardian.get(`${PATIENT}/`)).status, 303, 'the absolute limit ends an active session');
});

test('sign-in events are audited with actor, address and device', async () => {
  const client = new Client(ctx.app, '198.51.100.77');
  await client.post(`${PATIENT}/login`, { username: 'jordan.parent@example.com', password: 'wrong wrong wrong' });
  await signIn(client, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);
  await client.post(`${PATIENT}/logout`, {});
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com');
  const rows = await ctx.owner`
    select action, actor_account_id, ip, user_agent, t.slug from audit_events e join tenants t on t.id = e.tenant_id
    where subject_account_id = ${id} and ip = '198.51.100.77' order by e.id`;
  assert.equal(rows.map((r) => r.action), ['sign_in.failed', 'sign_in.succeeded', 'sign_out']);
  for (const row of rows) {
    assert.is(row.slug, 'sunny-pediatrics');
    assert.is(row.actor_account_id, id);
    assert.is(row.user_agent, 'GatehouseTest/1.0');
  }
});

test.run();
