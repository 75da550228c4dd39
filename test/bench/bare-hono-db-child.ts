// The floor for a signed-in page: one Hono route, no middleware, one indexed PostgreSQL lookup per request on the
// bench database, through the app's own connection setup (connectDatabase, role gatehouse_app, same pool size).
import { Hono } from 'hono';
import { connectDatabase } from '../../src/platform/db.ts';
import { serveForBench } from './child-server.ts';

const url = process.env.APP_DATABASE_URL;
if (!url) throw new Error('bare-hono-db-child needs APP_DATABASE_URL');
const db = connectDatabase(url);
const app = new Hono().get('/', async (c) => {
  const [row] = await db.sql`select id, name from tenants where slug = ${'sunny-pediatrics'}`;
  return c.text(row ? row.name : 'missing', row ? 200 : 500);
});
serveForBench(app, db.close);
