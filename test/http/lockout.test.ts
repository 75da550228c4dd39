// Lockout under attack: guesses sent all at once for one account, failures that must wear off, and names that exist
// and names that do not answering alike at every moment. Time is moved by ageing the stored timestamps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, STAFF_PASSWORD, accountId, createTestContext, signIn } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';
let nextIp = 1;
/** A fresh address per attempt: the per-address limit is not what these tests are about. */
const anyone = () => new Client(ctx.app, `198.18.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`);

/** Moves every lockout record `hours` into the past, as if that much time had gone by. */
async function passTime(hours: number) {
  const shift = `${hours} hours`;
  await ctx.owner`
    update accounts set locked_until = locked_until - ${shift}::interval,
      last_failed_sign_in_at = last_failed_sign_in_at - ${shift}::interval`;
  await ctx.owner`
    update rate_limits set window_started_at = window_started_at - ${shift}::interval,
      blocked_until = blocked_until - ${shift}::interval`;
}

async function weighed(accountIdOrName: { id?: string; name?: string }): Promise<number> {
  const rows = accountIdOrName.id
    ? await ctx.owner`select count(*)::int as n from audit_events where subject_account_id = ${accountIdOrName.id} and action in ('sign_in.failed', 'sign_in.succeeded')`
    : await ctx.owner`select count(*)::int as n from audit_events where detail->>'identifier' = ${accountIdOrName.name!} and action = 'sign_in.failed'`;
  return rows[0].n;
}

test('13 wrong passwords and the right one sent at once: at most 5 are weighed, and no sign-in past the threshold', async () => {
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
  const guesses = [...Array.from({ length: 13 }, (_, i) => `wrong guess ${i}`), STAFF_PASSWORD];
  const responses = await Promise.all(guesses.map((password) => anyone().post(`${PRACTICE}/login`, { username: 'camilles', password })));
  const statuses = responses.map((r) => r.status);
  const events = (await ctx.owner`
    select action from audit_events where subject_account_id = ${id} and action in ('sign_in.failed', 'sign_in.succeeded') order by id`).map((r) => r.action);
  const success = events.indexOf('sign_in.succeeded');
  if (success < 0) {
    assert.ok(events.length <= 5, `weighed ${events.length} passwords: ${statuses.join(' ')}`);
    assert.ok(statuses.filter((s) => s === 429).length >= 9, statuses.join(' '));
  } else {
    // The right password signed in only as one of the first five weighed; guesses after it no longer matter.
    assert.ok(success <= 4, `the right one came after ${success} failures: ${events.join(' ')}`);
  }
  const [row] = await ctx.owner`select failed_sign_ins from accounts where id = ${id}`;
  assert.ok(row.failed_sign_ins <= 5);
});

test('a name that does not exist is weighed the same at most 5 times when guessed at once', async () => {
  const guesses = Array.from({ length: 14 }, (_, i) => `wrong guess ${i}`);
  const statuses = (await Promise.all(guesses.map((password) => anyone().post(`${PRACTICE}/login`, { username: 'nobody-at-all', password })))).map((r) => r.status);
  assert.ok(await weighed({ name: 'nobody-at-all' }) <= 5, statuses.join(' '));
  assert.ok(statuses.filter((s) => s === 429).length >= 9, statuses.join(' '));
});

test('one wrong try an hour does not keep an account locked: the owner signs in', async () => {
  // First a burst that locks it, then one try every hour from the attacker.
  for (let i = 0; i < 5; i++) await anyone().post(`${PRACTICE}/login`, { username: 'admin', password: `burst ${i}` });
  for (let hour = 0; hour < 6; hour++) {
    await passTime(1);
    await anyone().post(`${PRACTICE}/login`, { username: 'admin', password: `hourly ${hour}` });
  }
  await passTime(0.5);
  const owner = await anyone().post(`${PRACTICE}/login`, { username: 'admin', password: STAFF_PASSWORD });
  assert.is(owner.status, 303, 'failures wore off');
});

test('a known and an unknown name answer alike at every step, a day later too', async () => {
  const known = 'marcusstaff';
  const unknown = 'marcus.nobody';
  const steps: [string, number][] = [];
  const attempt = async (hoursBefore: number) => {
    if (hoursBefore) await passTime(hoursBefore);
    const a = await anyone().post(`${PRACTICE}/login`, { username: known, password: 'not the password' });
    const b = await anyone().post(`${PRACTICE}/login`, { username: unknown, password: 'not the password' });
    assert.is(a.status, b.status, `after ${steps.length} steps: ${a.status} for the known name, ${b.status} for the unknown`);
    const wait = (r: Response) => Number(r.headers.get('retry-after') ?? 0);
    assert.ok(Math.abs(wait(a) - wait(b)) <= 1, `the same wait: ${wait(a)} and ${wait(b)}`);
    steps.push([known, a.status]);
  };
  for (let i = 0; i < 7; i++) await attempt(0);
  for (let i = 0; i < 4; i++) await attempt(1);
  await attempt(25);
  assert.is(steps[steps.length - 1][1], 401, 'a day later the failures are forgotten for both');
});

test('a person behind a locked account is still told to wait, and an administrator unlock clears it', async () => {
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'drlee');
  for (let i = 0; i < 5; i++) await anyone().post(`${PRACTICE}/login`, { username: 'drlee', password: `wrong ${i}` });
  assert.is((await anyone().post(`${PRACTICE}/login`, { username: 'drlee', password: STAFF_PASSWORD })).status, 429);
  await ctx.owner`update accounts set failed_sign_ins = 0, locked_until = null where id = ${id}`;
  await signIn(anyone(), 'sunny-pediatrics', 'practice', 'drlee', STAFF_PASSWORD);
});

test('wrong current passwords sent at once on My Account: at most the budget of 10 is weighed', async () => {
  const client = new Client(ctx.app, '198.51.100.77');
  await signIn(client, 'sunny-pediatrics', 'practice', 'marcusstaff', STAFF_PASSWORD);
  const NEW = 'a brand new staff password';
  const tries = Array.from({ length: 16 }, (_, i) => client.post(`${PRACTICE}/account/password`, {
    current_password: i === 15 ? STAFF_PASSWORD : `wrong current ${i}`, new_password: NEW, new_password_confirmation: NEW, sign_out_others: '1',
  }));
  const statuses = (await Promise.all(tries)).map((r) => r.status);
  const wrong = statuses.filter((s) => s === 422).length;
  const changed = statuses.filter((s) => s === 303).length;
  assert.ok(wrong + changed <= 10, `weighed ${wrong + changed}: ${statuses.join(' ')}`);
  assert.ok(statuses.filter((s) => s === 429).length >= 6, statuses.join(' '));
});

test.run();
