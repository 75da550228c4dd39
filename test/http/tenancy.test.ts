// Row-level security, proven in the database itself: a query that forgets `where tenant_id = …` still sees only
// the practice whose transaction it runs in, and nothing at all outside one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { APP_ROLE, unsafeAppConnection } from '../../src/platform/app-role.ts';
import { connectDatabase, type Sql } from '../../src/platform/db.ts';
import { Client, GUARDIAN_PASSWORD, STAFF_PASSWORD, createTestContext, signIn, tenantId } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const TABLES = ['accounts', 'staff_profiles', 'patients', 'family_contacts', 'associations', 'sessions', 'audit_events'];

const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
const oak = await tenantId(ctx.owner, 'oak-family-medicine');

// Sessions and audit events in both practices, made the way users make them.
for (const [slug, portal, user, password] of [
  ['sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD],
  ['sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD],
  ['oak-family-medicine', 'practice', 'admin', STAFF_PASSWORD],
] as const) {
  await signIn(new Client(ctx.app), slug, portal, user, password);
}

/** The tenant ids of every row a query without a tenant filter returns. */
async function tenantsSeen(sql: Sql, table: string): Promise<string[]> {
  return (await sql.unsafe(`select tenant_id from ${table}`)).map((row) => row.tenant_id as string);
}

async function refusal(work: () => Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await work();
  } catch (error) {
    const e = error as { code?: string; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error('expected the database to refuse');
}

test('the owner sees rows of both practices in every table (the data the other tests rely on)', async () => {
  for (const table of ['accounts', 'staff_profiles', 'sessions', 'audit_events']) {
    const seen = new Set(await tenantsSeen(ctx.owner, table));
    assert.ok(seen.has(sunny) && seen.has(oak), table);
  }
});

test("inside Sunny's transaction, a query without a tenant filter returns Sunny's rows and none of Oak's", async () => {
  for (const table of TABLES) {
    const seen = await ctx.db.inTenant(sunny, (tx) => tenantsSeen(tx, table));
    assert.ok(seen.length > 0, `${table}: at least one Sunny row`);
    assert.ok(seen.every((id) => id === sunny), `${table}: no row of another practice`);
  }
  const patients = await ctx.db.inTenant(sunny, (tx) => tx`select account_number from patients where account_number = '10001'`);
  assert.is(patients.length, 1);
});

test("inside Oak's transaction, Sunny's patients, families and accounts do not exist", async () => {
  for (const table of TABLES) {
    const seen = await ctx.db.inTenant(oak, (tx) => tenantsSeen(tx, table));
    assert.ok(seen.every((id) => id === oak), `${table}: no Sunny row`);
  }
  const [counts] = await ctx.db.inTenant(oak, (tx) => tx`
    select (select count(*) from accounts)::int as accounts, (select count(*) from patients)::int as patients,
           (select count(*) from accounts where email = 'jordan.parent@example.com')::int as jordan`);
  assert.ok(counts.accounts > 0, "Oak's own admin is there");
  assert.is(counts.patients, 0);
  assert.is(counts.jordan, 0);
});

test('outside any tenant transaction the app sees no tenant rows at all', async () => {
  for (const table of TABLES) {
    assert.equal(await tenantsSeen(ctx.db.sql, table), [], table);
  }
  const [row] = await ctx.db.sql`select count(*)::int as n from patients where account_number = '10001'`;
  assert.is(row.n, 0);
});

test('the tenant setting does not outlive its transaction on a pooled connection', async () => {
  await ctx.db.inTenant(sunny, (tx) => tx`select 1`);
  const [row] = await ctx.db.sql`select coalesce(current_setting('app.tenant_id', true), '') as tenant, (select count(*)::int from accounts) as n`;
  assert.is(row.tenant, '');
  assert.is(row.n, 0);
});

test("writing a row for Oak from Sunny's transaction is refused", async () => {
  const attempts: [string, (tx: Sql) => Promise<unknown>][] = [
    ['accounts', (tx) => tx`insert into accounts (tenant_id, portal, username, email) values (${oak}, 'practice', 'intruder', 'intruder@example.com')`],
    ['patients', (tx) => tx`insert into patients (tenant_id, account_number, first_name, last_name, date_of_birth) values (${oak}, '99999', 'In', 'Truder', '2010-01-01')`],
    ['family_contacts', (tx) => tx`insert into family_contacts (tenant_id, first_name, last_name) values (${oak}, 'In', 'Truder')`],
    ['audit_events', (tx) => tx`insert into audit_events (tenant_id, action) values (${oak}, 'sign_in.succeeded')`],
    ['moved account', (tx) => tx`update accounts set tenant_id = ${oak} where username = 'camilles'`],
  ];
  for (const [what, attempt] of attempts) {
    const error = await refusal(() => ctx.db.inTenant(sunny, attempt));
    assert.is(error.code, '42501', `${what}: ${error.message}`);
    assert.match(error.message, 'row-level security', what);
  }
  const [left] = await ctx.owner`
    select (select count(*) from accounts where username = 'intruder')::int + (select count(*) from patients where account_number = '99999')::int
         + (select count(*) from family_contacts where last_name = 'Truder')::int as n`;
  assert.is(left.n, 0);
  const [camille] = await ctx.owner`select tenant_id from accounts where username = 'camilles'`;
  assert.is(camille.tenant_id, sunny);
});

test("Sunny's transaction cannot change or delete Oak's rows (they are invisible to it)", async () => {
  const result = await ctx.db.inTenant(sunny, async (tx) => {
    const updated = await tx`update accounts set email = 'taken@example.com' where tenant_id = ${oak}`;
    const deleted = await tx`delete from sessions where tenant_id = ${oak}`;
    return { updated: updated.count, deleted: deleted.count };
  });
  assert.equal(result, { updated: 0, deleted: 0 });
  const [oakAdmin] = await ctx.owner`select email from accounts where tenant_id = ${oak} and username = 'admin'`;
  assert.is(oakAdmin.email, 'admin@oak-family-medicine.example');
});

test('outside a tenant transaction the app cannot write tenant rows either', async () => {
  const error = await refusal(() => ctx.db.sql`insert into patients (tenant_id, account_number, first_name, last_name, date_of_birth) values (${sunny}, '99998', 'No', 'Tenant', '2010-01-01')`);
  assert.is(error.code, '42501');
});

test('the audit log is append-only: the app role may not update or delete it, and even the owner is refused', async () => {
  const appUpdate = await refusal(() => ctx.db.inTenant(sunny, (tx) => tx`update audit_events set action = 'tampered'`));
  assert.is(appUpdate.code, '42501', appUpdate.message);
  // DELETE is granted for the six-year retention sweep only (sql/030); the trigger refuses every other one.
  const appDelete = await refusal(() => ctx.db.inTenant(sunny, (tx) => tx`delete from audit_events`));
  assert.match(appDelete.message, 'append-only');
  const appTruncate = await refusal(() => ctx.db.inTenant(sunny, (tx) => tx`truncate audit_events`));
  assert.is(appTruncate.code, '42501', appTruncate.message);

  const before = await ctx.owner`select id, action from audit_events order by tenant_id, id`;
  for (const statement of ["update audit_events set action = 'tampered'", 'delete from audit_events', 'truncate audit_events']) {
    const error = await refusal(() => ctx.owner.unsafe(statement));
    assert.match(error.message, 'append-only', statement);
  }
  assert.equal(await ctx.owner`select id, action from audit_events order by tenant_id, id`, before);
  assert.ok(before.length > 0);
});

test('the app connects as a role that cannot bypass row-level security', async () => {
  const [who] = await ctx.db.sql`select current_user as name`;
  assert.is(who.name, APP_ROLE);
  const [role] = await ctx.owner`select rolbypassrls, rolsuper from pg_roles where rolname = ${APP_ROLE}`;
  assert.is(role.rolbypassrls, false);
  assert.is(role.rolsuper, false);
  const tables = await ctx.owner`
    select relname, relrowsecurity, relforcerowsecurity from pg_class
    where relname in ${ctx.owner(TABLES)} and relkind = 'r' order by relname`;
  assert.is(tables.length, TABLES.length);
  for (const table of tables) {
    assert.ok(table.relrowsecurity && table.relforcerowsecurity, `${table.relname}: RLS enabled and forced`);
  }
});

test('the app connection cannot step out of row-level security: SET ROLE NONE, RESET ROLE and SET ROLE to the owner', async () => {
  const [owner] = await ctx.owner`select current_user as name`;
  const seen = await ctx.db.sql.begin(async (tx) => {
    await tx`set local role none`;
    const [afterNone] = await tx`select current_user as name, (select count(*)::int from accounts) as accounts`;
    await tx`reset role`;
    const [afterReset] = await tx`select current_user as name, (select count(*)::int from accounts) as accounts`;
    return { afterNone, afterReset };
  });
  assert.is(seen.afterNone.name, APP_ROLE, 'still the application role');
  assert.is(seen.afterNone.accounts, 0, 'no practice is visible without a practice scope');
  assert.is(seen.afterReset.accounts, 0);
  try {
    await ctx.db.sql.begin((tx) => tx.unsafe(`set local role "${owner.name}"`));
    assert.unreachable('the owner role is out of reach');
  } catch (error) {
    assert.is((error as { code?: string }).code, '42501', 'permission denied');
  }
  const [session] = await ctx.db.sql`select session_user as name`;
  assert.is(session.name, APP_ROLE, 'it logged in as the application role itself, not the owner');
  const [limits] = await ctx.db.sql`
    select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle`;
  assert.equal(limits, { statement: '15s', idle: '30s' }, 'whatever it runs is bounded in time');
});

test('the app refuses to serve on the owner connection', async () => {
  assert.is(await unsafeAppConnection(ctx.db.sql), null);
  const asOwner = connectDatabase(ctx.databaseUrl, { max: 1 });
  try {
    const refusal = await unsafeAppConnection(asOwner.sql);
    assert.ok(refusal, 'the owner connection is refused');
    assert.match(refusal!, 'give the application its own role');
  } finally {
    await asOwner.close();
  }
});

test('every table with a tenant_id column is under forced row-level security', async () => {
  const unguarded = await ctx.owner`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
      and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
      and not (c.relrowsecurity and c.relforcerowsecurity)`;
  assert.equal(unguarded.map((r) => r.relname), []);
});

test.run();
