// Return to where you were going (DESIGN.md): a signed-out visitor comes back to the page they asked for after
// signing in (and after the second step), for a path of the same practice and portal only; a session that ended
// sends the person to sign in with a sentence saying why, and an htmx request gets that as HX-Redirect.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, GUARDIAN_PASSWORD, STAFF_PASSWORD, accountId, createTestContext, signIn, textOf } from '../support/harness.ts';
import { enrolledStaffMember, freshCode } from '../support/two-factor.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';
const PATIENT = '/sunny-pediatrics/patient';

const hiddenNext = (html: string) => html.match(/<input type="hidden" name="next" value="([^"]*)"/)?.[1]?.replace(/&amp;/g, '&') ?? null;

test('signed out, /staff leads to sign-in and back to /staff, the form carrying the way back', async () => {
  const admin = new Client(ctx.app, '198.51.100.60');
  const asked = await admin.get(`${PRACTICE}/staff`);
  assert.is(asked.status, 303);
  const login = asked.headers.get('location')!;
  assert.is(login, `${PRACTICE}/login?next=%2Fsunny-pediatrics%2Fpractice%2Fstaff`);
  const page = await (await admin.get(login)).text();
  assert.is(hiddenNext(page), `${PRACTICE}/staff`);

  const wrong = await admin.post(`${PRACTICE}/login`, { username: 'admin', password: 'not it', next: `${PRACTICE}/staff` });
  assert.is(wrong.status, 401);
  assert.is(hiddenNext(await wrong.text()), `${PRACTICE}/staff`, 'a wrong password keeps the way back');
  const signedIn = await admin.post(`${PRACTICE}/login`, { username: 'admin', password: STAFF_PASSWORD, next: `${PRACTICE}/staff` });
  assert.is(signedIn.status, 303);
  assert.is(signedIn.headers.get('location'), `${PRACTICE}/staff`);
  assert.is((await admin.get(`${PRACTICE}/staff`)).status, 200);

  // The query of a search comes back too; a signed-in visit to the sign-in page goes straight there.
  const search = `${PRACTICE}/patients?name=parent&page=1`;
  const again = await admin.get(`${PRACTICE}/login?${new URLSearchParams({ next: search })}`);
  assert.is(again.headers.get('location'), search);
});

test('with two-factor, the way back survives the second step', async () => {
  const member = await enrolledStaffMember(ctx);
  const client = new Client(ctx.app, '198.51.100.61');
  const next = `${PRACTICE}/account`;
  const password = await client.post(`${PRACTICE}/login`, { username: member.username, password: STAFF_PASSWORD, next });
  assert.is(password.status, 303);
  const step = password.headers.get('location')!;
  assert.is(step, `${PRACTICE}/login/two-factor?next=%2Fsunny-pediatrics%2Fpractice%2Faccount`);
  assert.is(hiddenNext(await (await client.get(step)).text()), next);
  const wrong = await client.post(`${PRACTICE}/login/two-factor`, { code: '000000', next });
  assert.is(wrong.status, 422);
  assert.is(hiddenNext(await wrong.text()), next);
  const done = await client.post(`${PRACTICE}/login/two-factor`, { code: await freshCode(ctx, member.id, member.secret), next });
  assert.is(done.status, 303);
  assert.is(done.headers.get('location'), next);

  const hostile = new Client(ctx.app, '198.51.100.62');
  await hostile.post(`${PRACTICE}/login`, { username: member.username, password: STAFF_PASSWORD });
  const elsewhere = await hostile.post(`${PRACTICE}/login/two-factor`, { code: await freshCode(ctx, member.id, member.secret), next: '//evil.example/' });
  assert.is(elsewhere.headers.get('location'), `${PRACTICE}/`);
});

test('no open redirect: another site, practice or portal, tricks of encoding, and the sign-in pages all lead home', async () => {
  const hostile = [
    '//evil.example', '//evil.example/sunny-pediatrics/practice/staff', 'https://evil.example/', 'http:evil.example',
    '/\\evil.example', '\\\\evil.example', ' /sunny-pediatrics/practice/staff', '/sunny-pediatrics/practice/staff\n',
    'javascript:alert(1)', 'evil.example', '/oak-family-medicine/practice/staff', '/sunny-pediatrics/patient/',
    '/sunny-pediatrics/practice/../../oak-family-medicine/practice/staff', '/sunny-pediatrics/practice/%2e%2e/%2e%2e/oak-family-medicine/practice/',
    '/sunny-pediatrics/practice/%2F%2Fevil.example', '/sunny-pediatrics%2Fpractice/staff', '/sunny-pediatrics/practiceX/staff',
    '/sunny-pediatrics/practice/..%2F..%2Foak-family-medicine%2Fpractice', '/sunny-pediatrics/practice/login', '/sunny-pediatrics/practice/logout',
    '/sunny-pediatrics/practice/login/two-factor', `/${'a'.repeat(2010)}`,
  ];
  for (const next of hostile) {
    const client = new Client(ctx.app, '198.51.100.63');
    const login = await (await client.get(`${PRACTICE}/login?${new URLSearchParams({ next })}`)).text();
    assert.is(hiddenNext(login), null, `the form does not carry ${JSON.stringify(next)}`);
    const signedIn = await client.post(`${PRACTICE}/login`, { username: 'marcusstaff', password: STAFF_PASSWORD, next });
    assert.is(signedIn.status, 303, next);
    assert.is(signedIn.headers.get('location'), `${PRACTICE}/`, `${JSON.stringify(next)} leads home`);
    const visit = await client.get(`${PRACTICE}/login?${new URLSearchParams({ next })}`);
    assert.is(visit.headers.get('location'), `${PRACTICE}/`, `signed in, ${JSON.stringify(next)} leads home`);
  }
  // The patient portal's own pages are fine there, and only there.
  const guardian = new Client(ctx.app, '198.51.100.64');
  const back = await guardian.post(`${PATIENT}/login`, { username: 'jordan.parent@example.com', password: GUARDIAN_PASSWORD, next: `${PATIENT}/settings/account` });
  assert.is(back.headers.get('location'), `${PATIENT}/settings/account`);
});

test('after an idle timeout the sign-in page says why, and an htmx request is sent there with the page it came from', async () => {
  const front = new Client(ctx.app, '198.51.100.65');
  await signIn(front, 'sunny-pediatrics', 'practice', 'marcusstaff', STAFF_PASSWORD);
  const marcus = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'marcusstaff');
  await ctx.owner`update sessions set last_seen_at = now() - interval '31 minutes' where account_id = ${marcus}`;

  // Typing in the patient search: htmx asks for results; the answer sends the whole page to sign in.
  const typed = await front.get(`${PRACTICE}/patients?name=riley`, {
    htmx: true, headers: { 'hx-current-url': `http://gatehouse.test${PRACTICE}/patients?name=ril` },
  });
  assert.is(typed.status, 204);
  const target = typed.headers.get('hx-redirect')!;
  assert.is(target, `${PRACTICE}/login?next=%2Fsunny-pediatrics%2Fpractice%2Fpatients%3Fname%3Driley&ended=idle`);
  assert.is(await typed.text(), '', 'no fragment to swap into the results');
  const login = await (await front.get(target)).text();
  assert.match(textOf(login), 'You were signed out after 30 minutes without activity. Sign in again to continue where you were.');
  const back = await front.post(`${PRACTICE}/login`, { username: 'marcusstaff', password: STAFF_PASSWORD, next: hiddenNext(login)! });
  assert.is(back.headers.get('location'), `${PRACTICE}/patients?name=riley`);
  assert.match(textOf(await (await front.get(`${PRACTICE}/patients?name=riley`)).text()), 'Parent, Riley');

  // A form posted with htmx after the timeout: back to the page it was on (a post is never replayed).
  await ctx.owner`update sessions set last_seen_at = now() - interval '31 minutes' where account_id = ${marcus}`;
  const posted = await front.request(`${PRACTICE}/account/password`, {
    method: 'POST', form: { current_password: 'x' }, htmx: true, headers: { 'hx-current-url': `http://gatehouse.test${PRACTICE}/account` },
  });
  assert.is(posted.status, 204);
  assert.is(posted.headers.get('hx-redirect'), `${PRACTICE}/login?next=%2Fsunny-pediatrics%2Fpractice%2Faccount&ended=idle`);
});

test('a session ended elsewhere says so; signing out says so; the 12-hour limit says so', async () => {
  const nurse = new Client(ctx.app, '198.51.100.66');
  await signIn(nurse, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);
  const camille = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
  await ctx.owner`delete from sessions where account_id = ${camille}`;
  const gone = await nurse.get(`${PRACTICE}/account`);
  assert.is(gone.headers.get('location'), `${PRACTICE}/login?next=%2Fsunny-pediatrics%2Fpractice%2Faccount&ended=ended`);
  assert.match(textOf(await (await nurse.get(gone.headers.get('location')!)).text()), 'You were signed out, by another device or a change to your account.');

  await signIn(nurse, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);
  await ctx.owner`update sessions set expires_at = now() - interval '1 minute' where account_id = ${camille}`;
  const old = await nurse.get(`${PRACTICE}/`);
  assert.is(old.headers.get('location'), `${PRACTICE}/login?ended=expired`);
  assert.match(textOf(await (await nurse.get(`${PRACTICE}/login?ended=expired`)).text()), 'signed in for 12 hours');

  await signIn(nurse, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);
  const out = await nurse.post(`${PRACTICE}/logout`, {});
  assert.match(textOf(await (await nurse.get(out.headers.get('location')!)).text()), 'You have signed out.');
});

test.run();
