// One Gatehouse instance in its own process, as src/server.ts runs it (HTTP and background work) but on loopback,
// without migrating or seeding, and with the background work's timings shortened by INSTANCE_* variables so faults
// play out in seconds. The port goes back to the parent over IPC.
import { serve } from '@hono/node-server';
import { createApp, startBackgroundWork } from '../../src/app.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { connectDatabase } from '../../src/platform/db.ts';

const number = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const config = loadConfig();
if (!config.appDatabaseUrl) throw new Error('app-instance needs APP_DATABASE_URL');
const db = connectDatabase(config.appDatabaseUrl, { max: number('INSTANCE_POOL') ?? 5, prepare: config.databasePreparedStatements });
const deps = { config, db, mailer: createMailer({ config, db }) };
const app = createApp(deps);
const background = process.env.INSTANCE_BACKGROUND === '0' ? null : startBackgroundWork(deps, {
  intervalMs: number('INSTANCE_INTERVAL_MS') ?? 100,
  mail: {
    batchSize: number('INSTANCE_MAIL_BATCH') ?? 5,
    sendTimeoutMs: number('INSTANCE_SEND_TIMEOUT_MS') ?? 1000,
    leaseSeconds: number('INSTANCE_LEASE_SECONDS') ?? 3,
    retryBaseSeconds: 1,
    retryMaxSeconds: 2,
    maxAttempts: number('INSTANCE_MAX_ATTEMPTS') ?? 30,
  },
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.send?.({ port: info.port }));

async function shutDown() {
  server.close();
  await background?.stop();
  await db.close();
  process.exit(0);
}
process.once('SIGTERM', shutDown);
process.once('disconnect', shutDown);
