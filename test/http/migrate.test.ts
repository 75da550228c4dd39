// Migrations: numbered files applied once, recorded, and safe when several instances start at the same moment.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectAsOwner } from '../../src/platform/db.ts';
import { migrate } from '../../src/platform/migrate.ts';
import { createTestContext } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const SQL_FILES = readdirSync(new URL('../../sql/', import.meta.url)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();

test('every numbered file in sql/ is recorded in schema_migrations', async () => {
  assert.ok(SQL_FILES.length >= 2 && SQL_FILES[0] === '001_foundation.sql', SQL_FILES.join(', '));
  const rows = await ctx.owner`select name, applied_at from schema_migrations order by name`;
  assert.equal(rows.map((r) => r.name), SQL_FILES);
  for (const row of rows) assert.instance(row.applied_at, Date);
});

test('running the migrations again applies nothing and changes no record', async () => {
  const before = await ctx.owner`select name, applied_at from schema_migrations order by name`;
  assert.equal(await migrate(ctx.owner), []);
  assert.equal(await migrate(ctx.owner), []);
  assert.equal(await ctx.owner`select name, applied_at from schema_migrations order by name`, before);
});

test('the application role cannot read or change the migration records', async () => {
  for (const attempt of [() => ctx.db.sql`select name from schema_migrations`, () => ctx.db.sql`delete from schema_migrations`]) {
    let code: string | undefined;
    try {
      await attempt();
    } catch (error) {
      code = (error as { code?: string }).code;
    }
    assert.is(code, '42501', 'permission denied');
  }
});

test('two instances migrating a fresh empty database at the same moment both succeed, each file applied once', async () => {
  const server = process.env.TEST_SERVER_URL!;
  const name = `gatehouse_migrate_${randomBytes(6).toString('hex')}`;
  const admin = connectAsOwner(server);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const first = connectAsOwner(url.toString());
  const second = connectAsOwner(url.toString());
  try {
    const [a, b] = await Promise.all([migrate(first), migrate(second)]);
    assert.equal([...a, ...b].sort(), SQL_FILES, 'between them, every file exactly once');
    assert.ok(a.length === 0 || b.length === 0, 'one instance did all the work while the other waited');
    const rows = await first`select name from schema_migrations order by name`;
    assert.equal(rows.map((r) => r.name), SQL_FILES);
    const [tables] = await first`select count(*)::int as n from pg_tables where schemaname = 'public' and tablename in ('tenants', 'accounts', 'audit_events')`;
    assert.is(tables.n, 3);
    assert.equal(await migrate(second), [], 'and a third start later finds nothing to do');
  } finally {
    await first.end();
    await second.end();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
});

test.run();
