import { serve } from '@hono/node-server';
import { createApp, startBackgroundWork } from './app.ts';
import { createMailer } from './mail/mailer.ts';
import { loadConfig } from './platform/config.ts';
import { connectAsOwner, connectDatabase } from './platform/db.ts';
import { migrate } from './platform/migrate.ts';
import { seedDemoData, DEMO_SIGN_INS } from './cli/demo-seed.ts';

const config = loadConfig();
let databaseUrl = config.databaseUrl;
let embedded: import('./platform/embedded-db.ts').EmbeddedDatabase | null = null;

if (!databaseUrl) {
  // Imported only here: the embedded binaries are for development and need not exist in a production image.
  const { startEmbeddedDatabase } = await import('./platform/embedded-db.ts');
  embedded = await startEmbeddedDatabase({ dataDir: `${config.dataDir}/postgres`, persistent: true, databases: ['gatehouse'] });
  databaseUrl = embedded.url('gatehouse');
  console.log(`Embedded PostgreSQL running from ${embedded.dataDir} on port ${embedded.port}`);
}

const owner = connectAsOwner(databaseUrl);
await migrate(owner, console.log);
if (process.argv.includes('--migrate-only')) {
  await owner.end();
  await embedded?.stop();
  process.exit(0);
}
if (config.env !== 'production') await seedDemoData(owner);
await owner.end();

const db = connectDatabase(databaseUrl);
const deps = { config, db, mailer: createMailer({ config, db }) };
const app = createApp(deps);
const background = startBackgroundWork(deps);
console.log(`Email delivery: ${background.mailTransport}`);
const server = serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' }, (info) => {
  console.log(`Gatehouse is listening on ${config.publicUrl} (port ${info.port})`);
  if (config.env !== 'production') {
    console.log('\nDemo sign-ins:');
    for (const line of DEMO_SIGN_INS) console.log(`  ${line}`);
    console.log(`  Development mailbox: ${config.publicUrl}/_dev/mail\n`);
  }
});

async function shutDown() {
  // Stop taking connections and let requests in flight finish (at most 10 s) before the pool closes.
  await new Promise<void>((done) => {
    const timer = setTimeout(done, 10_000);
    server.close(() => {
      clearTimeout(timer);
      done();
    });
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  });
  await background.stop();
  await db.close();
  await embedded?.stop();
  process.exit(0);
}
process.on('SIGINT', shutDown);
process.on('SIGTERM', shutDown);
