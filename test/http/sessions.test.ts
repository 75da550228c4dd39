// Sessions without a library: the cookie's id, only its SHA-256 stored, limits enforced by the database, the touch at
// most once a minute, and sessions begun under the previous code (same table, same id format) still valid.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { createApp } from '../../src/app.ts';
import { generateSessionId, hashSessionId } from '../../src/core/sessions.ts';
import type { Database } from '../../src/platform/db.ts';
import { Client, GUARDIAN_PASSWORD, STAFF_PASSWORD, accountId, createTestContext, signIn, tenantId, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';

test('a session id is 40 characters of lowercase base32 (200 random bits), and only its SHA-256 is stored', async () => {
  const ids = new Set(Array.from({ length: 200 }, generateSessionId));
  assert.is(ids.size, 200);
  for (const id of ids) assert.match(id, /^[a-z2-7]{40}$/);
  const client = new Client(ctx.app, '198.51.100.70');
  await signIn(client, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const id = client.cookie('gatehouse_session')!;
  assert.match(id, /^[a-z2-7]{40}$/);
  const rows = await ctx.owner`select id_hash from sessions where id_hash in (${id}, ${hashSessionId(id)})`;
  assert.equal(rows.map((r) => r.id_hash), [createHash('sha256').update(id).digest('hex')]);
});

test('a session written before (same table, same id format) still signs its owner in', async () => {
  // What the previous session code wrote: a 40-character base32 id in the cookie, its hex SHA-256 in the row.
  const id = Array.from(randomBytes(40), (b) => 'abcdefghijklmnopqrstuvwxyz234567'[b % 32]).join('');
  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  const admin = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'admin');
  await ctx.owner`
    insert into sessions (tenant_id, id_hash, account_id, portal, expires_at, ip, user_agent)
    values (${sunny}, ${createHash('sha256').update(id).digest('hex')}, ${admin}, 'practice', now() + interval '12 hours', '198.51.100.71', 'Before/1.0')`;
  const client = new Client(ctx.app, '198.51.100.71');
  client.setCookie('gatehouse_session', id, PRACTICE);
  const home = await client.get(`${PRACTICE}/`);
  assert.is(home.status, 200);
  assert.match(textOf(await home.text()), 'Signed in as');
});

test('a signed-in page writes last_seen_at at most once a minute', async () => {
  const client = new Client(ctx.app, '198.51.100.72');
  await signIn(client, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);
  const hash = hashSessionId(client.cookie('gatehouse_session')!);
  const seen = async () => (await ctx.owner`select last_seen_at from sessions where id_hash = ${hash}`)[0].last_seen_at.getTime();
  await ctx.owner`update sessions set last_seen_at = now() - interval '50 seconds' where id_hash = ${hash}`;
  const before = await seen();
  for (let i = 0; i < 3; i++) assert.is((await client.get(`${PRACTICE}/`)).status, 200);
  assert.is(await seen(), before, 'not written within the minute');
  await ctx.owner`update sessions set last_seen_at = now() - interval '70 seconds' where id_hash = ${hash}`;
  const stale = await seen();
  assert.is((await client.get(`${PRACTICE}/`)).status, 200);
  assert.ok(await seen() > stale + 60_000, 'written once more than a minute has passed');
});

test('a session of one practice or portal signs nobody in elsewhere, and a forged or malformed cookie is cleared', async () => {
  const client = new Client(ctx.app, '198.51.100.73');
  await signIn(client, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const id = client.cookie('gatehouse_session')!;
  for (const path of ['/oak-family-medicine/practice/', '/sunny-pediatrics/patient/']) {
    const other = new Client(ctx.app, '198.51.100.74');
    other.setCookie('gatehouse_session', id, '/');
    const response = await other.get(path);
    assert.is(response.status, 303, path);
    assert.match(response.headers.get('location') ?? '', /\/login/);
  }
  for (const forged of [generateSessionId(), 'not a session id!']) {
    const other = new Client(ctx.app, '198.51.100.75');
    other.setCookie('gatehouse_session', forged, PRACTICE);
    const response = await other.get(`${PRACTICE}/`);
    assert.is(response.status, 303);
    assert.match(response.headers.getSetCookie().join('\n'), /gatehouse_session=;/);
  }
});

test('a signed-in page costs one statement for its session and practice, whatever else it reads', async () => {
  // The same app over a database that counts what is sent: statements outside a transaction, and transactions.
  // Each home then reads what it shows in one transaction of its own (the administrator's sign-in health, the
  // family's children).
  const counted = { statements: 0, transactions: 0 };
  const db: Database = {
    ...ctx.db,
    sql: new Proxy(ctx.db.sql, { apply: (target, self, args) => (counted.statements++, Reflect.apply(target, self, args)) }),
    inTenant: (tenant, work) => (counted.transactions++, ctx.db.inTenant(tenant, work)),
  };
  const app = createApp({ config: ctx.config, db, mailer: ctx.mailer });
  const staff = new Client(app, '198.51.100.76');
  await signIn(staff, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const guardian = new Client(app, '198.51.100.77');
  await signIn(guardian, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);
  for (const [client, path, transactions] of [[staff, '/sunny-pediatrics/practice/', 1], [staff, '/sunny-pediatrics/practice', 1], [guardian, '/sunny-pediatrics/patient/', 1]] as const) {
    await client.get(path);
    counted.statements = 0;
    counted.transactions = 0;
    const page = await client.get(path);
    assert.is(page.status, 200, path);
    assert.equal(counted, { statements: 1, transactions }, path);
  }
});

test.run();
