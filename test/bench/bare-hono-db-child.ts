// The floor for a signed-in page: one Hono route, no middleware, one indexed PostgreSQL lookup per request on the
// bench database, through the app's own connection setup (connectDatabase, role gatehouse_app, same pool size).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { connectDatabase } from '../../src/platform/db.ts';

const url = process.env.APP_DATABASE_URL;
if (!url) throw new Error('bare-hono-db-child needs APP_DATABASE_URL');
const db = connectDatabase(url);
const app = new Hono().get('/', async (c) => {
  const [row] = await db.sql`select id, name from tenants where slug = ${'sunny-pediatrics'}`;
  return c.text(row ? row.name : 'missing', row ? 200 : 500);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.send?.({ port: info.port });
});

async function shutDown() {
  server.close();
  await db.close();
  process.exit(0);
}
process.on('SIGTERM', shutDown);
process.on('disconnect', shutDown);
