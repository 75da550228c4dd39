// A real PgBouncer in transaction mode between the application role and the test server, for `.ci/run`'s second pass
// over the HTTP tests (TEST_PGBOUNCER=<path of the pgbouncer binary>). Every database of the server is reachable
// through it under its own name; only gatehouse_app logs in through it, with the run's password.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_ROLE } from '../../src/platform/app-role.ts';
import { findFreePort } from '../../src/platform/embedded-db.ts';

export type Pooler = { url: string; stop(): Promise<void> };

export async function startPgBouncer(binary: string, serverUrl: string, appPassword: string): Promise<Pooler> {
  const server = new URL(serverUrl);
  const port = await findFreePort();
  const folder = join(tmpdir(), `gatehouse-pgbouncer-${process.pid}`);
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  const ini = join(folder, 'pgbouncer.ini');
  const users = join(folder, 'userlist.txt');
  writeFileSync(users, `"${APP_ROLE}" "${appPassword}"\n`, { mode: 0o600 });
  writeFileSync(ini, [
    '[databases]',
    `* = host=${server.hostname} port=${server.port}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = scram-sha-256',
    `auth_file = ${users}`,
    // One server connection serves many clients, one transaction at a time: nothing may outlive a transaction.
    'pool_mode = transaction',
    'max_client_conn = 2000',
    'default_pool_size = 20',
    'max_db_connections = 40',
    'ignore_startup_parameters = extra_float_digits,options',
    `pidfile = ${join(folder, 'pgbouncer.pid')}`,
    `logfile = ${join(folder, 'pgbouncer.log')}`,
    '',
  ].join('\n'));
  // PgBouncer refuses to run as root: as root (CI), it runs as the postgres user that owns the embedded server.
  const asUser = process.getuid?.() === 0 ? userIds('postgres') : null;
  if (asUser) for (const path of [folder, ini, users]) chownSync(path, asUser.uid, asUser.gid);
  const child: ChildProcess = spawn(binary, [ini], { stdio: ['ignore', 'pipe', 'pipe'], ...(asUser ?? {}) });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  for (let i = 0; !(await accepts(port)); i++) {
    if (child.exitCode !== null || i > 100) throw new Error(`PgBouncer did not start (${binary}):\n${output}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  console.log(`PgBouncer ${port} (transaction mode) in front of ${server.hostname}:${server.port}`);
  return {
    url: `postgres://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

function userIds(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}
