// One practice's administrator must not be able to make every practice unavailable: audit exports read by clients
// that never take the bytes hold no database connection, run a bounded number at a time, and other practices'
// pages and /healthz keep answering. Over real HTTP on a port, with raw sockets that never read.
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXPORTS_PER_PRACTICE } from '../../src/features/audit-log/audit-log.ts';
import { Client, STAFF_PASSWORD, createTestContext, signIn, tenantId } from '../support/harness.ts';

const ctx = await createTestContext();
const server = await new Promise<Server>((done) => {
  const s = serve({ fetch: ctx.app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s as Server)) as Server;
});
const port = (server.address() as { port: number }).port;
const sockets: Socket[] = [];
test.after(async () => {
  for (const socket of sockets) socket.destroy();
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await ctx.close();
});

const SUNNY = '/sunny-pediatrics/practice';
// A request that never answers is a failure, not a wait: this only stops a hung request from hanging the file.
const NEVER = 30_000;

/** An export requested by a client that then reads nothing at all, like a deliberately slow administrator. */
function slowExport(cookie: string): Promise<string> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${SUNNY}/audit/export HTTP/1.1\r\nHost: gatehouse.test\r\nCookie: ${cookie}\r\nfly-client-ip: 198.51.100.60\r\n\r\n`);
    });
    sockets.push(socket);
    socket.once('data', (chunk) => {
      socket.pause(); // never read another byte
      done(chunk.toString('latin1').split('\r\n')[0]);
    });
  });
}

/** Polls `condition` until it holds; false if it never does (a few hundred tries). */
async function eventually(condition: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 300; i++) {
    if (await condition()) return true;
    await new Promise((done) => setTimeout(done, 100));
  }
  return false;
}

test('ten exports that are never read: other practices and /healthz still answer, and at most two run per practice', async () => {
  // A long history, so an export is far larger than what the sockets buffer.
  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  await ctx.owner`
    insert into audit_events (tenant_id, action, ip, user_agent, detail)
    select ${sunny}, 'sign_in.failed', '203.0.113.1', repeat('Mozilla/5.0 (slow client) ', 20), '{"portal":"practice"}'
    from generate_series(1, 25000)`;
  const admin = new Client(ctx.app, '198.51.100.61');
  await signIn(admin, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const cookie = `gatehouse_session=${admin.cookie('gatehouse_session')}`;

  const statusLines = [];
  for (let i = 0; i < 10; i++) statusLines.push(await slowExport(cookie));
  const started = statusLines.filter((line) => line.includes(' 200 ')).length;
  const refused = statusLines.filter((line) => line.includes(' 429 ')).length;
  assert.is(started, EXPORTS_PER_PRACTICE, statusLines.join(' | '));
  assert.is(refused, 10 - EXPORTS_PER_PRACTICE, 'the others are told to try again later');

  const base = `http://127.0.0.1:${port}`;
  const oakLogin = await fetch(`${base}/oak-family-medicine/practice/login`, { signal: AbortSignal.timeout(NEVER) });
  assert.is(oakLogin.status, 200);
  assert.match(await oakLogin.text(), 'Oak Family Medicine');
  const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(NEVER) });
  assert.is(health.status, 200);
  const oakAdmin = await fetch(`${base}/oak-family-medicine/practice/login`, {
    method: 'POST', signal: AbortSignal.timeout(NEVER),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://gatehouse.test', 'fly-client-ip': '198.51.100.62' },
    body: new URLSearchParams({ username: 'admin', password: STAFF_PASSWORD }), redirect: 'manual',
  });
  assert.is(oakAdmin.status, 303, 'another practice signs in');
  const sunnyPage = await fetch(`${base}${SUNNY}/audit`, { headers: { cookie }, signal: AbortSignal.timeout(NEVER) });
  assert.is(sunnyPage.status, 200, 'even the exporting practice keeps working');

  // Once the sockets are full the exports stop reading pages, and then no transaction is left open for them.
  assert.ok(await eventually(async () => {
    const [open] = await ctx.owner`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and usename = 'gatehouse_app' and xact_start is not null`;
    return open.n === 0;
  }), 'no transaction waits for a slow client');
});

test('a finished or abandoned export gives its slot back', async () => {
  const admin = new Client(ctx.app, '198.51.100.63');
  await signIn(admin, 'oak-family-medicine', 'practice', 'admin', STAFF_PASSWORD);
  for (let i = 0; i < EXPORTS_PER_PRACTICE + 2; i++) {
    const response = await admin.get('/oak-family-medicine/practice/audit/export');
    assert.is(response.status, 200, `export ${i + 1}`);
    await response.text();
  }
  const abandoned = await admin.get('/oak-family-medicine/practice/audit/export');
  await abandoned.body!.cancel();
  assert.is((await admin.get('/oak-family-medicine/practice/audit/export')).status, 200);
});

test.run();
