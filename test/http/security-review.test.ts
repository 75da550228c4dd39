// Findings of the security review that are about the front door as a whole: pages kept by the browser after Sign
// out, hostile query strings, a real database without NODE_ENV, and what signing out other devices means.
import { execFile } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/platform/config.ts';
import { Client, GUARDIAN_PASSWORD, STAFF_PASSWORD, accountId, createTestContext, signIn, textOf } from '../support/harness.ts';
import { JORDAN_EMAIL, PATIENTS, PRACTICE, patientId, staff } from '../support/patient-admin.ts';
import { enrolledStaffMember, freshCode, passwordStep } from '../support/two-factor.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PATIENT = '/sunny-pediatrics/patient';

test('every portal response says no-store, so Back after Sign out shows no patient; assets keep their cache', async () => {
  const frontDesk = await staff(ctx);
  const riley = await patientId(ctx, '10001');
  const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN_EMAIL);
  const guardian = new Client(ctx.app, '198.51.100.201');
  await signIn(guardian, 'sunny-pediatrics', 'patient', JORDAN_EMAIL, GUARDIAN_PASSWORD);
  const pages: [Client, string][] = [
    [frontDesk, `${PRACTICE}/`], [frontDesk, PATIENTS], [frontDesk, `${PATIENTS}/${riley}`], [frontDesk, `${PATIENTS}/${riley}/portal/${jordan}`],
    [frontDesk, `${PATIENTS}?account=1000`], [frontDesk, `${PRACTICE}/account`], [frontDesk, `${PRACTICE}/no-such-page`],
    [guardian, `${PATIENT}/`], [guardian, `${PATIENT}/settings/account`], [new Client(ctx.app), `${PRACTICE}/login`],
    [new Client(ctx.app), `${PATIENT}/forgot-password`], [new Client(ctx.app), `${PRACTICE}/staff`], [new Client(ctx.app), '/no-such-practice/practice/login'],
  ];
  for (const [client, path] of pages) {
    const response = await client.get(path);
    assert.is(response.headers.get('cache-control'), 'no-store', `${path} (${response.status})`);
  }
  const page = await (await frontDesk.get(`${PATIENTS}/${riley}/portal/${jordan}`)).text();
  const css = page.match(/href="(\/public\/app\.css\?v=[0-9a-f]+)"/)![1];
  assert.match((await frontDesk.get(css)).headers.get('cache-control') ?? '', 'immutable', 'assets are not portal pages');
  const signOut = await frontDesk.post(`${PRACTICE}/logout`, {});
  assert.is(signOut.headers.get('cache-control'), 'no-store');
});

test('a NUL byte or a broken encoding in a query string gets a calm 400, never a 500', async () => {
  const frontDesk = await staff(ctx);
  const queries = ['?account=1%00', '?account=%E0%A4%A', '?last_name=%FF%FE', '?date_of_birth=01%2F01%2F2020%00', '?account=%', `?account=${'1'.repeat(3000)}`];
  for (const query of queries) {
    const response = await frontDesk.get(`${PATIENTS}${query}`);
    assert.is(response.status, 400, query);
    assert.match(textOf(await response.text()), 'That request could not be read');
  }
  const htmx = await frontDesk.get(`${PATIENTS}?account=1%00`, { htmx: true });
  assert.is(htmx.status, 400);
  assert.match(await htmx.text(), 'role="alert"');
  for (const path of [`${PRACTICE}/login?next=%00`, '/?x=%C3%28', `${PRACTICE}/audit?person=%00`]) {
    assert.is((await new Client(ctx.app).get(path)).status, 400, path);
  }
  assert.is((await frontDesk.get(`${PATIENTS}?account=10001`)).status, 200, 'a good search still works');
});

test('a real DATABASE_URL without NODE_ENV is refused; nothing set, NODE_ENV set or demo data asked for all start', () => {
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://owner@db.example/gatehouse' }), /DATABASE_URL is set but NODE_ENV is not/);
  assert.is(loadConfig({}).demoData, true, '`npm start` with nothing set: embedded database and demo practices');
  assert.is(loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgres://x@h/d' }).demoData, false, 'no demo data unless asked');
  assert.is(loadConfig({ DEMO_DATA: '1', DATABASE_URL: 'postgres://x@h/d' }).demoData, true, 'asked for explicitly');
  assert.throws(() => loadConfig({
    NODE_ENV: 'production', DEMO_DATA: '1', DATABASE_URL: 'postgres://x@h/d', APP_DATABASE_URL: 'postgres://y@h/d',
    PUBLIC_URL: 'https://x.example', SECRET_KEY: 'x'.repeat(40),
  }), /DEMO_DATA cannot be used in production/);
});

test('the server itself stops with one sentence when DATABASE_URL comes without NODE_ENV', async () => {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', DATABASE_URL: ctx.databaseUrl, PORT: '3999' };
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, timeout: 60_000 }, (error, _stdout, stderr) =>
      done({ code: child.exitCode ?? (error as { code?: number } | null)?.code ?? null, stderr }));
  });
  assert.is(code, 1);
  const lines = stderr.trim().split('\n');
  assert.is(lines.length, 1, stderr);
  assert.match(lines[0], /^Gatehouse did not start: DATABASE_URL is set but NODE_ENV is not/);
  const [demo] = await ctx.owner`select count(*)::int as n from tenants`;
  assert.is(demo.n, 2, 'nothing was seeded');
});

test('changing my password: "sign out my other devices" is checked by default, and unchecking it keeps them', async () => {
  const laptop = new Client(ctx.app, '198.51.100.211');
  const phone = new Client(ctx.app, '198.51.100.212');
  await signIn(laptop, 'sunny-pediatrics', 'patient', JORDAN_EMAIL, GUARDIAN_PASSWORD);
  await signIn(phone, 'sunny-pediatrics', 'patient', JORDAN_EMAIL, GUARDIAN_PASSWORD);
  const form = await (await laptop.get(`${PATIENT}/settings/account`)).text();
  assert.match(form, /name="sign_out_others" value="1" checked/);
  const NEW = 'a calm spring morning';
  const keep = await laptop.post(`${PATIENT}/settings/account/password`, { current_password: GUARDIAN_PASSWORD, new_password: NEW, new_password_confirmation: NEW });
  assert.is(keep.status, 303);
  assert.is((await phone.get(`${PATIENT}/`)).status, 200, 'unchecked: the phone stays signed in');
  const [event] = await ctx.owner`select detail from audit_events where action = 'password.changed' order by id desc limit 1`;
  assert.is(event.detail.signedOutOthers, false);

  const AGAIN = 'a quiet autumn evening';
  await laptop.post(`${PATIENT}/settings/account/password`, { current_password: NEW, new_password: AGAIN, new_password_confirmation: AGAIN, sign_out_others: '1' });
  assert.is((await phone.get(`${PATIENT}/`)).status, 303, 'checked: the phone is signed out');
  assert.is((await laptop.get(`${PATIENT}/`)).status, 200, 'this browser stays');
});

test('turning 2FA off keeps my other sessions: it makes signing in easier, it does not suggest a break-in', async () => {
  const member = await enrolledStaffMember(ctx);
  const other = new Client(ctx.app, '198.51.100.221');
  await passwordStep(other, PRACTICE, member.username, STAFF_PASSWORD);
  assert.is((await other.post(`${PRACTICE}/login/two-factor`, { code: await freshCode(ctx, member.id, member.secret) })).status, 303);
  assert.is((await member.client.post(`${PRACTICE}/account/two-factor/disable`, { current_password: STAFF_PASSWORD })).status, 303);
  assert.is((await other.get(`${PRACTICE}/`)).status, 200, 'the other browser is still signed in');
  assert.is((await member.client.get(`${PRACTICE}/`)).status, 200);
  const [row] = await ctx.owner`select count(*)::int as n from remembered_devices where account_id = ${member.id}`;
  assert.is(row.n, 0, 'remembered browsers are forgotten: they only meant something with 2FA on');
});

test.run();
