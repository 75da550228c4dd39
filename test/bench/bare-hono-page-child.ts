// A reference beside the signed-in page's floor: the floor's route (one indexed PostgreSQL lookup) answering with the
// administrator's home as the app just rendered it, compressed by the app's own middleware. The difference between
// this row and the floor is what sending a page of that size costs; the difference between this row and the
// signed-in page is what Gatehouse's own work costs (middleware, the session, the page's reads, rendering).
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { compressText } from '../../src/http/compression.ts';
import { connectDatabase } from '../../src/platform/db.ts';
import { serveForBench } from './child-server.ts';

const url = process.env.APP_DATABASE_URL;
const pageFile = process.env.PAGE_FILE;
if (!url || !pageFile) throw new Error('bare-hono-page-child needs APP_DATABASE_URL and PAGE_FILE');
const page = readFileSync(pageFile, 'utf8');
const db = connectDatabase(url);
const app = new Hono().use(compressText()).get('*', async (c) => {
  const [row] = await db.sql`select id, name from tenants where slug = ${'sunny-pediatrics'}`;
  return row ? c.html(page) : c.text('missing', 500);
});
serveForBench(app, db.close);
