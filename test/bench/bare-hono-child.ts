// The floor for any Hono app on this machine: one route, no middleware, no database.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono().get('/', (c) => c.text('ok'));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.send?.({ port: info.port });
});

function shutDown() {
  server.close();
  process.exit(0);
}
process.on('SIGTERM', shutDown);
process.on('disconnect', shutDown);
