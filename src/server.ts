import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { appDatabaseUrl, appRolePassword, prepareAppRole, unsafeAppConnection } from './platform/app-role.ts';
import { loadConfig, type Config } from './platform/config.ts';
import { connectAsOwner, connectDatabase } from './platform/db.ts';
import { logger, serializeError, setLogLevel } from './platform/log.ts';
import { migrate } from './platform/migrate.ts';
import { seedDemoData, DEMO_SIGN_INS } from './cli/demo-seed.ts';

// A slow client may not hold a connection open for ever: whole request within 30 s, headers within 10 s, and a
// socket on which nothing moves for a minute (a client that stopped reading an export) is closed.
const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 10_000;
const SEND_TIMEOUT_MS = 60_000;

/** Anything that stops start-up ends in one sentence on stderr and exit code 1, never a stack trace. */
function stop(sentence: string): never {
  console.error(`Gatehouse did not start: ${sentence}`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  stop((error as Error).message.replace(/^Invalid configuration:\n\s*/, '').replace(/\n\s*/g, '; '));
}
setLogLevel(config.logLevel);
const log = logger();

// The web app's modules load while the database is being prepared (a cold start does both at once).
const loadingApp = Promise.all([import('./app.ts'), import('./mail/mailer.ts'), import('./http/assets.ts')]);

let ownerUrl = config.databaseUrl;
let appUrl = config.appDatabaseUrl;
let embedded: import('./platform/embedded-db.ts').EmbeddedDatabase | null = null;
let appPassword = appUrl ? appRolePassword(appUrl) : null;

if (!ownerUrl) {
  // Imported only here: the embedded binaries are for development and need not exist in a production image.
  const { startEmbeddedDatabase } = await import('./platform/embedded-db.ts');
  try {
    embedded = await startEmbeddedDatabase({ dataDir: `${config.dataDir}/postgres`, persistent: true, databases: ['gatehouse'] });
  } catch (error) {
    stop(`the embedded PostgreSQL did not start. ${(error as Error).message}`);
  }
  ownerUrl = embedded.url('gatehouse');
  // A fresh password for the application's role at every start: nothing to configure, nothing kept on disk.
  appPassword = randomBytes(24).toString('hex');
  appUrl = appDatabaseUrl(ownerUrl, appPassword);
  console.log(`Embedded PostgreSQL running from ${embedded.dataDir} on port ${embedded.port}`);
} else if (!appUrl) {
  stop('DATABASE_URL is set but APP_DATABASE_URL is not. The application connects as its own role, never as the database owner: set APP_DATABASE_URL=postgres://gatehouse_app:<a password you choose>@<host>/<database> (see the README).');
}

try {
  const owner = connectAsOwner(ownerUrl);
  try {
    await migrate(owner, (line) => log.info(line));
    if (appPassword) await prepareAppRole(owner, appPassword);
    if (config.demoData && !process.argv.includes('--migrate-only')) await seedDemoData(owner);
  } finally {
    await owner.end();
  }
} catch (error) {
  await embedded?.stop();
  stop(`the database could not be prepared (${(error as Error).message}).`);
}
if (process.argv.includes('--migrate-only')) {
  await embedded?.stop();
  process.exit(0);
}

const db = connectDatabase(appUrl!, { prepare: config.databasePreparedStatements });
const unsafe = await unsafeAppConnection(db.sql).catch((error) => `the application could not connect (${(error as Error).message}).`);
if (unsafe) {
  await db.close();
  await embedded?.stop();
  stop(unsafe);
}

const [{ createApp, createMetricsApp, startBackgroundWork }, { createMailer }, { compressAssets }] = await loadingApp;
const deps = { config, db, mailer: createMailer({ config, db }) };
const app = createApp(deps);
const background = startBackgroundWork(deps);
log.info({ transport: background.mailTransport }, 'email delivery started');
const server = serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' }, (info) => {
  console.log(`Gatehouse is listening on ${config.publicUrl} (port ${info.port})`);
  // A second after listening, so the work does not compete with the first requests (each file is also compressed
  // on its own first request, whichever comes first).
  setTimeout(compressAssets, 1000).unref();
  if (config.demoData) {
    console.log('\nDemo sign-ins:');
    for (const line of DEMO_SIGN_INS) console.log(`  ${line}`);
    if (config.env !== 'production') console.log(`  Development mailbox: ${config.publicUrl}/_dev/mail\n`);
  }
}) as Server;
server.requestTimeout = REQUEST_TIMEOUT_MS;
server.headersTimeout = HEADERS_TIMEOUT_MS;
server.timeout = SEND_TIMEOUT_MS;

// /metrics on a port of its own, for a private network only (Fly's scraper): no token there.
const metricsServer = config.metricsPort
  ? serve({ fetch: createMetricsApp(deps).fetch, port: config.metricsPort, hostname: '0.0.0.0' }) as Server
  : null;

process.on('unhandledRejection', (error) => log.error({ err: serializeError(error) }, 'unhandled rejection'));

async function shutDown() {
  // Stop taking connections and let requests in flight finish (at most 10 s) before the pool closes.
  metricsServer?.close();
  await new Promise<void>((done) => {
    const timer = setTimeout(done, 10_000);
    server.close(() => {
      clearTimeout(timer);
      done();
    });
    server.closeIdleConnections?.();
  });
  await background.stop();
  await db.close();
  await embedded?.stop();
  process.exit(0);
}
process.on('SIGINT', shutDown);
process.on('SIGTERM', shutDown);
