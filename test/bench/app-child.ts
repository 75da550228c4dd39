// The real app in its own process, as src/server.ts runs it but bound to loopback and without migrating or
// seeding (the bench did both already). The port goes back to the bench over IPC.
import { serve } from '@hono/node-server';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../../src/app.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { connectDatabase } from '../../src/platform/db.ts';

const DRAIN_LIMIT_MS = 5_000;

const config = loadConfig();
if (!config.appDatabaseUrl) throw new Error('app-child needs APP_DATABASE_URL (the application role)');
const db = connectDatabase(config.appDatabaseUrl, { prepare: config.databasePreparedStatements });
const app = createApp({ config, db, mailer: createMailer({ config, db }) });

// autocannon drops its sockets when a run ends while the last requests are still being handled; counting them
// lets shutdown wait for them, so closing the pool does not turn them into logged errors.
let inFlight = 0;
const server = serve({
  fetch: async (request, env) => {
    inFlight++;
    try {
      return await app.fetch(request, env);
    } finally {
      inFlight--;
    }
  },
  port: config.port,
  hostname: '127.0.0.1',
}, (info) => process.send?.({ port: info.port }));

async function shutDown() {
  server.close();
  const deadline = Date.now() + DRAIN_LIMIT_MS;
  while (inFlight > 0 && Date.now() < deadline) await sleep(20);
  await db.close();
  process.exit(0);
}
process.once('SIGTERM', shutDown);
process.once('disconnect', shutDown);
