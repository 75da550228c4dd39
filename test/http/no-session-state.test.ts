// Nothing Gatehouse does on a database connection outlives the transaction (or the single statement) that did it, so
// a transaction-mode pooler may hand the same server connection to any request next. .ci/run runs the HTTP tests a
// second time through a real PgBouncer in that mode (TEST_PGBOUNCER); this file checks the property itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, GUARDIAN_PASSWORD, STAFF_PASSWORD, createTestContext, signIn } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

test('after signed-in pages of two practices, no connection still names a practice, and tenant rows stay invisible outside a transaction', async () => {
  const staff = new Client(ctx.app, '198.51.100.80');
  await signIn(staff, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const oak = new Client(ctx.app, '198.51.100.81');
  await signIn(oak, 'oak-family-medicine', 'practice', 'admin', STAFF_PASSWORD);
  const guardian = new Client(ctx.app, '198.51.100.82');
  await signIn(guardian, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);
  await Promise.all(Array.from({ length: 30 }, (_, i) => [staff, oak, guardian][i % 3].get(['/sunny-pediatrics/practice/', '/oak-family-medicine/practice/staff', '/sunny-pediatrics/patient/'][i % 3])));
  // Every connection of the pool (or of the pooler's server side), many times over.
  const seen = await Promise.all(Array.from({ length: 40 }, () => ctx.db.sql`
    select coalesce(current_setting('app.tenant_id', true), '') as tenant, coalesce(current_setting('app.worker', true), '') as worker,
           (select count(*)::int from accounts) as accounts, (select count(*)::int from sessions) as sessions`));
  for (const [row] of seen) assert.equal({ ...row }, { tenant: '', worker: '', accounts: 0, sessions: 0 });
});

test('the application role has no settings of its own session beyond the role defaults', async () => {
  const [row] = await ctx.db.sql`select current_user as role, current_setting('statement_timeout') as statement_timeout`;
  assert.is(row.role, 'gatehouse_app');
  assert.is(row.statement_timeout, '15s', 'the time limits are the role\'s own (sql/008), not set per connection');
});

test.run();
