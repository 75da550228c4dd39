// Each instance keeps the practices it has served in memory (core/tenant.ts) so a signed-in page costs one statement;
// a setting saved through one instance must still be in force on the other at once, as if there were one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { STAFF_PASSWORD, createTestContext, signIn, tenantId, textOf } from '../support/harness.ts';
import { startInstance } from '../support/instances.ts';
import { settingsForm } from '../support/settings-form.ts';

const ctx = await createTestContext();
const [a, b] = await Promise.all([startInstance('A', { APP_DATABASE_URL: ctx.appDatabaseUrl }), startInstance('B', { APP_DATABASE_URL: ctx.appDatabaseUrl })]);
test.after(async () => {
  await Promise.all([a.stop(), b.stop()]);
  await ctx.close();
});

const PRACTICE = '/sunny-pediatrics/practice';
const admin = a.client('198.51.100.60');
const nurse = b.client('198.51.100.61');
await signIn(admin, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
await signIn(nurse, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);

/** The settings form as the page shows it on instance A, with `changes` on top (undefined unticks a box). */
const settingsFormOnA = (changes: Record<string, string | undefined>) => settingsForm(admin, `${PRACTICE}/settings`, changes);

test('two-factor required, saved on A, stops the nurse on B at her very next page', async () => {
  assert.is((await nurse.get(`${PRACTICE}/`)).status, 200, 'B has served the practice (and remembered it) before the change');
  const saved = await admin.post(`${PRACTICE}/settings`, await settingsFormOnA({ staff_two_factor_required: '1' }));
  assert.is(saved.status, 303);
  const next = await nurse.get(`${PRACTICE}/`);
  assert.is(next.status, 303);
  assert.is(next.headers.get('location'), `${PRACTICE}/account/two-factor`);

  // The administrator, without two-factor either, is held to it as well: an operator turns it off in the database.
  assert.is((await admin.get(`${PRACTICE}/settings`)).status, 303);
  await ctx.owner`update tenants set settings = settings - 'staffTwoFactorRequired' where slug = 'sunny-pediatrics'`;
  assert.is((await nurse.get(`${PRACTICE}/`)).status, 200, 'and turning it off is seen at once on B');
  assert.is((await admin.get(`${PRACTICE}/settings`)).status, 200, 'and on A');
});

test('a shorter idle sign-out saved on A ends an idle session on B', async () => {
  const camille = (await ctx.owner`select id from accounts where username = 'camilles'`)[0].id;
  await ctx.owner`update sessions set last_seen_at = now() - interval '10 minutes' where account_id = ${camille}`;
  assert.is((await nurse.get(`${PRACTICE}/`)).status, 200, '10 minutes idle is within the default 30');
  await ctx.owner`update sessions set last_seen_at = now() - interval '10 minutes' where account_id = ${camille}`;
  assert.is((await admin.post(`${PRACTICE}/settings`, await settingsFormOnA({ idle_minutes_practice: '5' }))).status, 303);
  const after = await nurse.get(`${PRACTICE}/`);
  assert.is(after.status, 303);
  assert.match(after.headers.get('location') ?? '', `${PRACTICE}/login`);
  assert.is((await ctx.owner`select 1 from sessions where account_id = ${camille}`).length, 0, 'the expired session is gone');
});

test('a change made straight in the database (an operator) is in force on both instances', async () => {
  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  const staff = b.client('198.51.100.62');
  await signIn(staff, 'sunny-pediatrics', 'practice', 'marcusstaff', STAFF_PASSWORD);
  assert.is((await staff.get(`${PRACTICE}/patients`)).status, 200, 'front desk staff may search patients by default');
  await ctx.owner`update tenants set settings = settings || '{"patientAdminRoles": ["admin"]}' where id = ${sunny}`;
  const refused = await staff.get(`${PRACTICE}/patients`);
  assert.is(refused.status, 403);
  assert.match(textOf(await refused.text()), 'Your role does not include Patient Administration');
  await ctx.owner`update tenants set name = 'Sunny Pediatrics of Springfield' where id = ${sunny}`;
  for (const instance of [a, b]) assert.match(textOf(await (await instance.client('198.51.100.63').get(`${PRACTICE}/login`)).text()), 'Sunny Pediatrics of Springfield', instance.name);
  assert.match(textOf(await (await staff.get(`${PRACTICE}/`)).text()), 'Sunny Pediatrics of Springfield');
});

test.run();
