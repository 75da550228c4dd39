import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { appDatabaseUrl, prepareAppRole } from '../../src/platform/app-role.ts';
import { connectAsOwner } from '../../src/platform/db.ts';
import { startEmbeddedDatabase } from '../../src/platform/embedded-db.ts';
import { migrate } from '../../src/platform/migrate.ts';
import { seedDemoData } from '../../src/cli/demo-seed.ts';
import { seedSignInStaff } from './app-requests.ts';

const DATABASE = 'gatehouse_bench';

/** `url` is the owner's (seeding, measurements), `appUrl` the application role's (what the app children use). */
export type BenchDatabase = { url: string; appUrl: string; stop(): Promise<void> };

/** A throwaway PostgreSQL with one migrated, seeded database; stop() removes its files. */
export async function startBenchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  // Under the system temp folder (world-traversable) so the `postgres` OS user can reach the cluster.
  const folder = join(tmpdir(), `gatehouse-bench-${process.pid}`);
  const embedded = await startEmbeddedDatabase({ dataDir: join(folder, 'postgres'), persistent: false, fast: true, databases: [DATABASE] });
  const stop = async () => {
    await embedded.stop();
    rmSync(folder, { recursive: true, force: true });
  };
  log(`PostgreSQL (embedded) in ${embedded.dataDir} on port ${embedded.port}`);
  try {
    const url = embedded.url(DATABASE);
    const owner = connectAsOwner(url);
    const password = randomBytes(18).toString('hex');
    try {
      await migrate(owner);
      await prepareAppRole(owner, password);
      await seedDemoData(owner);
      await seedSignInStaff(owner);
    } finally {
      await owner.end();
    }
    return { url, appUrl: appDatabaseUrl(url, password), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
