// What leaves the server compressed, and what a first and a second visit to a login page cost on the wire, measured
// on a real port by the bytes the client's socket read (status lines, headers and bodies). The budget is held here so
// that pages, styles and scripts growing later still have to fit in it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serve } from '@hono/node-server';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Client, STAFF_PASSWORD, createTestContext, signIn } from '../support/harness.ts';

const ctx = await createTestContext();
const server = serve({ fetch: ctx.app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((done) => server.once('listening', done));
const port = (server.address() as AddressInfo).port;
test.after(async () => {
  await new Promise((done) => server.close(done));
  await ctx.close();
});

const LOGIN_BUDGET_BYTES = 25 * 1024;
const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd', 'user-agent': 'GatehouseTest/1.0', accept: 'text/html' };

type Fetched = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; wireBytes: number };

/** One request on a fresh connection, as a browser sends it; wireBytes is everything the socket read for it. */
function fetchOnWire(path: string, headers: Record<string, string> = {}): Promise<Fetched> {
  return new Promise((done, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false, headers: { ...BROWSER, host: 'gatehouse.test', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), wireBytes: res.socket.bytesRead }));
    });
    req.on('error', fail);
    req.end();
  });
}

function decoded(fetched: Fetched): string {
  const encoding = fetched.headers['content-encoding'];
  const body = encoding === 'br' ? brotliDecompressSync(fetched.body) : encoding === 'gzip' ? gunzipSync(fetched.body) : fetched.body;
  return body.toString('utf8');
}

/** Stylesheets and scripts a page makes the browser fetch. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/<(?:link rel="stylesheet" href|script src)="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
}

for (const portal of ['practice', 'patient'] as const) {
  test(`a first visit to the ${portal} login page fits in 25 KB on the wire, styles and scripts included`, async () => {
    const page = await fetchOnWire(`/sunny-pediatrics/${portal}/login`);
    assert.is(page.status, 200);
    assert.is(page.headers['content-encoding'], 'br');
    const html = decoded(page);
    assert.match(html, 'Log In');
    const assets = assetsOf(html);
    assert.ok(assets.some((a) => a.includes('htmx.min.js')) && assets.some((a) => a.includes('app.css')), assets.join(' '));
    let total = page.wireBytes;
    const lines = [`${page.wireBytes} B page`];
    for (const url of assets) {
      const asset = await fetchOnWire(url);
      assert.is(asset.status, 200, url);
      assert.is(asset.headers['content-encoding'], 'br', url);
      total += asset.wireBytes;
      lines.push(`${asset.wireBytes} B ${url.split('?')[0]}`);
    }
    console.log(`  ${portal} login, first visit: ${total} B on the wire (${lines.join(', ')})`);
    assert.ok(total <= LOGIN_BUDGET_BYTES, `${total} B is over the ${LOGIN_BUDGET_BYTES} B budget: ${lines.join(', ')}`);
  });
}

test('a second visit fetches no asset: every one is at a versioned address, cached for a year as immutable', async () => {
  const first = assetsOf(decoded(await fetchOnWire('/sunny-pediatrics/practice/login')));
  const second = assetsOf(decoded(await fetchOnWire('/sunny-pediatrics/practice/login')));
  assert.equal(second, first, 'the same addresses, so the browser has them all already');
  for (const url of second) {
    assert.match(url, /\?v=[0-9a-f]{10}$/);
    const asset = await fetchOnWire(url);
    assert.is(asset.headers['cache-control'], 'public, max-age=31536000, immutable', url);
    // A browser that revalidates anyway (a reload) gets an empty 304.
    const again = await fetchOnWire(url, { 'if-none-match': String(asset.headers.etag) });
    assert.is(again.status, 304, url);
    assert.is(again.body.byteLength, 0);
  }
});

test('assets are sent as stored brotli or gzip, the same bytes as the file, or plain when nothing else is accepted', async () => {
  const file = readFileSync(new URL('../../public/app.css', import.meta.url), 'utf8');
  const html = decoded(await fetchOnWire('/sunny-pediatrics/practice/login'));
  const url = assetsOf(html).find((a) => a.includes('app.css'))!;
  const br = await fetchOnWire(url);
  const gz = await fetchOnWire(url, { 'accept-encoding': 'gzip' });
  const plain = await fetchOnWire(url, { 'accept-encoding': 'identity' });
  const refused = await fetchOnWire(url, { 'accept-encoding': 'br;q=0, gzip' });
  assert.is(br.headers['content-encoding'], 'br');
  assert.is(gz.headers['content-encoding'], 'gzip');
  assert.is(plain.headers['content-encoding'], undefined);
  assert.is(refused.headers['content-encoding'], 'gzip');
  for (const fetched of [br, gz, plain]) {
    assert.is(decoded(fetched), file);
    assert.is(fetched.headers.vary, 'Accept-Encoding');
  }
  assert.ok(br.body.byteLength < file.length / 2);
});

test('pages are compressed for browsers that accept it, and plain for those that do not', async () => {
  const client = new Client(ctx.app, '198.51.100.90');
  await signIn(client, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const headers = { cookie: `gatehouse_session=${client.cookie('gatehouse_session')}` };
  const br = await fetchOnWire('/sunny-pediatrics/practice/', headers);
  const gz = await fetchOnWire('/sunny-pediatrics/practice/', { ...headers, 'accept-encoding': 'gzip' });
  const plain = await fetchOnWire('/sunny-pediatrics/practice/', { ...headers, 'accept-encoding': '' });
  assert.is(br.headers['content-encoding'], 'br');
  assert.is(gz.headers['content-encoding'], 'gzip');
  assert.is(plain.headers['content-encoding'], undefined);
  for (const fetched of [br, gz, plain]) {
    assert.is(fetched.status, 200);
    assert.match(decoded(fetched), 'Signed in as');
    assert.match(String(fetched.headers.vary), 'Accept-Encoding');
    assert.is(fetched.headers['content-length'] === undefined || Number(fetched.headers['content-length']) === fetched.body.byteLength, true);
  }
  assert.ok(br.body.byteLength < plain.body.byteLength / 2, `${br.body.byteLength} of ${plain.body.byteLength} bytes`);
});

test('the audit CSV export streams out gzipped, the same rows as without compression', async () => {
  const client = new Client(ctx.app, '198.51.100.91');
  await signIn(client, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const headers = { cookie: `gatehouse_session=${client.cookie('gatehouse_session')}` };
  const gz = await fetchOnWire('/sunny-pediatrics/practice/audit/export', headers);
  const plain = await fetchOnWire('/sunny-pediatrics/practice/audit/export', { ...headers, 'accept-encoding': 'identity' });
  assert.is(gz.status, 200);
  assert.is(gz.headers['content-encoding'], 'gzip');
  assert.is(gz.headers['transfer-encoding'], 'chunked');
  assert.match(String(gz.headers['content-type']), 'text/csv');
  const rows = (text: string) => text.trim().split(/\r?\n/).filter((line) => !line.includes('audit.exported'));
  assert.equal(rows(decoded(gz)), rows(decoded(plain)));
  assert.match(rows(decoded(gz)).join('\n'), 'sign_in.succeeded');
});

test('htmx is pinned to one version, and public/ serves exactly the bytes of that package', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const installed = JSON.parse(readFileSync(new URL('../../node_modules/htmx.org/package.json', import.meta.url), 'utf8'));
  assert.match(pkg.dependencies['htmx.org'], /^\d+\.\d+\.\d+$/, 'an exact version, no range');
  assert.is(installed.version, pkg.dependencies['htmx.org']);
  const shipped = readFileSync(new URL('../../node_modules/htmx.org/dist/htmx.min.js', import.meta.url));
  const html = decoded(await fetchOnWire('/sunny-pediatrics/practice/login'));
  const served = await fetchOnWire(assetsOf(html).find((a) => a.includes('htmx.min.js'))!, { 'accept-encoding': 'identity' });
  assert.ok(served.body.equals(shipped), 'the served htmx.min.js differs from the package: copy node_modules/htmx.org/dist/htmx.min.js to public/');
});

test.run();
