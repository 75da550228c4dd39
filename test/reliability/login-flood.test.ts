// A login flood: 10,000 wrong-password attempts against 100 staff accounts from a thousand addresses, while the
// practice's front desk (ten people behind one office address) keeps signing in. No wrong password ever signs in,
// the locks hold, and the front desk is never turned away: the per-address limit counts failures only.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hashSecret } from '../../src/core/passwords.ts';
import { Client, createTestContext, tenantId } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';
const RIGHT = 'the right password of this practice';
const ATTACKS = 10_000;
const ACCOUNTS = 100;
const OFFICE_IP = '198.51.100.200';

async function createStaff(prefix: string, count: number) {
  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  const hash = await hashSecret(RIGHT);
  await ctx.owner`
    with made as (
      insert into accounts (tenant_id, portal, username, email, password_hash, status, security_question, security_answer_hash, password_changed_at)
      select ${sunny}, 'practice', ${prefix} || lpad(n::text, 3, '0'), ${prefix} || lpad(n::text, 3, '0') || '@sunny-pediatrics.example',
             ${hash}, 'active', 'In what city were you born?', ${hash}, now()
      from generate_series(1, ${count}) n
      returning tenant_id, id, username)
    insert into staff_profiles (tenant_id, account_id, first_name, last_name, role)
    select tenant_id, id, 'Flood', username, 'staff' from made`;
}

test('10,000 wrong passwords from 1,000 addresses: none signs in, locks hold, the front desk behind one address signs in all along', async () => {
  await createStaff('target', ACCOUNTS);
  await createStaff('desk', 10);
  const statuses = new Map<number, number>();
  const attack = Array.from({ length: ATTACKS }, (_, i) => ({
    username: `target${String((i % ACCOUNTS) + 1).padStart(3, '0')}`,
    password: `guess number ${i}`,
    ip: `10.${Math.floor(i / 2500)}.${Math.floor(i / 10) % 250}.${(i % 10) + 1}`,
  }));
  let next = 0;
  const attackers = Array.from({ length: 16 }, async () => {
    for (let job = attack[next++]; job; job = attack[next++]) {
      const response = await new Client(ctx.app, job.ip).post(`${PRACTICE}/login`, { username: job.username, password: job.password });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  });

  // The front desk: ten people, one office address, signing in (and now and then mistyping) throughout the flood.
  const desk = { signedIn: 0, refused: 0, typos: 0 };
  const frontDesk = (async () => {
    for (let round = 0; next < ATTACKS; round++) {
      const username = `desk${String((round % 10) + 1).padStart(3, '0')}`;
      if (round % 7 === 3) {
        await new Client(ctx.app, OFFICE_IP).post(`${PRACTICE}/login`, { username, password: 'a typo of the password' });
        desk.typos++;
      }
      const response = await new Client(ctx.app, OFFICE_IP).post(`${PRACTICE}/login`, { username, password: RIGHT });
      if (response.status === 303) desk.signedIn++;
      else desk.refused++;
    }
  })();
  await Promise.all([...attackers, frontDesk]);

  const [weighed] = await ctx.owner`
    select count(*) filter (where e.action = 'sign_in.failed')::int as wrong,
           count(*) filter (where e.action = 'sign_in.succeeded')::int as signed_in
    from audit_events e join accounts a on a.id = e.subject_account_id where a.username like 'target%'`;
  const [locks] = await ctx.owner`
    select count(*) filter (where failed_sign_ins >= 5)::int as locked_once, min(failed_sign_ins)::int as fewest,
           max(failed_sign_ins)::int as most
    from accounts where username like 'target%'`;
  const count = (status: number) => statuses.get(status) ?? 0;
  console.log(`reliability: login flood: ${ATTACKS} attempts on ${ACCOUNTS} accounts, ${count(303)} accepted, ${count(401)} refused as wrong, ${count(429)} refused as locked or throttled; ${weighed.wrong} passwords weighed (the rest refused before Argon2); front desk behind one address: ${desk.signedIn} sign-ins accepted, ${desk.refused} refused (with ${desk.typos} typos between them)`);

  assert.is(count(303), 0, 'no wrong password ever signs in');
  assert.is(weighed.signed_in, 0);
  assert.is(count(401) + count(429), ATTACKS);
  assert.is(locks.locked_once, ACCOUNTS, 'every attacked account reached its lock');
  assert.ok(weighed.wrong < ATTACKS / 5, `most guesses were refused before they were weighed (${weighed.wrong} weighed)`);
  assert.ok(desk.signedIn > 0);
  assert.is(desk.refused, 0, 'the front desk was never turned away');

  // While an attacked account is locked, even its right password waits.
  const [locked] = await ctx.owner`select username from accounts where username like 'target%' and locked_until > now() limit 1`;
  if (locked) assert.is((await new Client(ctx.app, '198.51.100.201').post(`${PRACTICE}/login`, { username: locked.username, password: RIGHT })).status, 429);
});

test.run();
