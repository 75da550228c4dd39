// What an attacker (or a confused browser) can throw at the front door: forged origins, odd bodies, odd paths.
// Every refusal is a calm 4xx page, and the sessions and audit tables are exactly as they were before.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { connectDatabase } from '../../src/platform/db.ts';
import { Client, PUBLIC_URL, STAFF_PASSWORD, createTestContext, signIn, textOf } from '../support/harness.ts';
import { captureLogs } from '../support/logs.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';
const PATIENT = '/sunny-pediatrics/patient';
const GOOD_SIGN_IN = { username: 'admin', password: STAFF_PASSWORD };

type Counts = { sessions: number; audit: number };

async function counts(): Promise<Counts> {
  const [row] = await ctx.owner`
    select (select count(*) from sessions)::int as sessions, (select count(*) from audit_events)::int as audit`;
  return { sessions: row.sessions, audit: row.audit };
}

/** Runs `act` and asserts it wrote no session and no audit event. */
async function unchanged<T>(act: () => Promise<T>): Promise<T> {
  const before = await counts();
  const result = await act();
  assert.equal(await counts(), before, 'no session or audit row was written');
  return result;
}

/** A refusal a person can read: the expected status, our calm page, no stack trace or internals. */
async function assertCalmPage(response: Response, status: number, words?: string) {
  assert.is(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', 'text/html');
  const html = await response.text();
  assert.match(html, '<!DOCTYPE html>');
  assert.match(html, `Error ${status}`);
  if (words) assert.match(textOf(html), words);
  assertNoInternals(html);
}

function assertNoInternals(body: string) {
  assert.not.match(body, /\bat .+\(.*:\d+:\d+\)/, 'no stack frame');
  assert.not.match(body, /\.tsx?:\d+/, 'no source file reference');
  assert.not.match(body, /node_modules|postgres:\/\/|SyntaxError|TypeError|RangeError/, 'no internals');
}

test('a sign-in posted from another site is refused with 403 and changes nothing', async () => {
  const client = new Client(ctx.app);
  const response = await unchanged(() => client.post(`${PRACTICE}/login`, GOOD_SIGN_IN, { origin: 'https://evil.example' }));
  await assertCalmPage(response, 403, 'For your safety this request was refused');
  assert.is(response.headers.get('set-cookie'), null);
});

test('an origin that only looks like ours (other scheme, port or a suffix) is refused', async () => {
  for (const origin of ['https://gatehouse.test', 'http://gatehouse.test:8080', 'http://gatehouse.test.evil.example', 'null']) {
    const response = await unchanged(() => new Client(ctx.app).post(`${PRACTICE}/login`, GOOD_SIGN_IN, { origin }));
    assert.is(response.status, 403, origin);
  }
});

test('a cross-site Sec-Fetch-Site does not help a request that has no Origin', async () => {
  const response = await unchanged(() =>
    new Client(ctx.app).post(`${PRACTICE}/login`, GOOD_SIGN_IN, { origin: null, headers: { 'sec-fetch-site': 'cross-site' } }));
  assert.is(response.status, 403);
});

test('an unsafe request with neither Origin nor Sec-Fetch-Site is refused', async () => {
  const client = new Client(ctx.app);
  const response = await unchanged(() => client.post(`${PRACTICE}/login`, GOOD_SIGN_IN, { origin: null }));
  await assertCalmPage(response, 403);
  const signedIn = new Client(ctx.app);
  await signIn(signedIn, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', 'tulip garden evening');
  const logout = await unchanged(() => signedIn.post(`${PATIENT}/logout`, {}, { origin: null }));
  assert.is(logout.status, 403);
  assert.is((await signedIn.get(`${PATIENT}/`)).status, 200, 'the refused sign-out left the session alone');
});

test('Sec-Fetch-Site: same-origin without an Origin header is accepted', async () => {
  const client = new Client(ctx.app);
  const response = await client.post(`${PRACTICE}/login`, GOOD_SIGN_IN, { origin: null, headers: { 'sec-fetch-site': 'same-origin' } });
  assert.is(response.status, 303);
  assert.is(response.headers.get('location'), `${PRACTICE}/`);
  assert.is((await client.get(`${PRACTICE}/`)).status, 200);
});

test('pages carry a strict CSP, frame-ancestors none, nosniff and no-referrer; no HSTS outside production', async () => {
  for (const path of ['/', `${PRACTICE}/login`, `${PATIENT}/login`, '/no-such-page']) {
    const response = await new Client(ctx.app).get(path);
    const csp = response.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
    assert.ok(scriptSrc, `${path}: CSP has a script-src`);
    assert.not.match(scriptSrc, 'unsafe-inline', path);
    assert.not.match(scriptSrc, 'unsafe-eval', path);
    assert.match(csp, "frame-ancestors 'none'", path);
    assert.is(response.headers.get('x-content-type-options'), 'nosniff', path);
    assert.is(response.headers.get('referrer-policy'), 'no-referrer', path);
    assert.is(response.headers.get('strict-transport-security'), null, `${path}: HSTS only in production`);
  }
});

test('pages have no inline script for the CSP to block', async () => {
  const html = await (await new Client(ctx.app).get(`${PRACTICE}/login`)).text();
  const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [];
  assert.ok(scripts.length > 0);
  for (const script of scripts) assert.match(script, /^<script\b[^>]*\bsrc="\/public\/[^"]+"[^>]*><\/script>$/);
  assert.not.match(html, /\son[a-z]+="/, 'no inline event handlers');
});

test('in production (behind a TLS proxy) HSTS is sent, cookies are Secure and the https origin is accepted', async () => {
  const config = loadConfig({
    NODE_ENV: 'production', PUBLIC_URL: 'https://gatehouse.test', DATABASE_URL: ctx.databaseUrl, APP_DATABASE_URL: ctx.appDatabaseUrl,
    SECRET_KEY: 'a-production-like-secret-key-of-enough-length', CLIENT_IP_HEADER: 'fly-client-ip',
    SMTP_URL: 'smtp://mail.gatehouse.test:587',
  });
  const production = createApp({ config, db: ctx.db, mailer: ctx.mailer });
  const page = await new Client(production).get(`${PRACTICE}/login`);
  assert.is(page.status, 200);
  assert.match(page.headers.get('strict-transport-security') ?? '', /max-age=\d{7,}/);

  // The proxy speaks http:// to us while the browser's Origin says https://: PUBLIC_URL decides.
  const signedIn = await new Client(production).post(`${PRACTICE}/login`, GOOD_SIGN_IN, { origin: 'https://gatehouse.test' });
  assert.is(signedIn.status, 303);
  assert.match(signedIn.headers.get('set-cookie') ?? '', /;\s*Secure/i);
  const refused = await unchanged(() => new Client(production).post(`${PRACTICE}/login`, GOOD_SIGN_IN, { origin: PUBLIC_URL }));
  assert.is(refused.status, 403, 'the plain-http origin is not ours in production');
});

test('a body over 64 KiB is refused with 413, whether or not it announces its length', async () => {
  const big = new URLSearchParams({ username: 'admin', password: STAFF_PASSWORD, filler: 'x'.repeat(70 * 1024) }).toString();
  const announced = await unchanged(() => new Client(ctx.app).request(`${PRACTICE}/login`, {
    method: 'POST', body: big,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(big.length) },
  }));
  await assertCalmPage(announced, 413, 'That was too much to send');

  // A chunked upload has no Content-Length: the limit must count the bytes as they arrive.
  const bytes = new TextEncoder().encode(big);
  const stream = new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
      controller.close();
    },
  });
  const streamed = await unchanged(async () => ctx.app.request(new Request(`${PUBLIC_URL}${PRACTICE}/login`, {
    method: 'POST', body: stream, duplex: 'half',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: PUBLIC_URL, 'fly-client-ip': '203.0.113.10' },
  } as RequestInit)));
  assert.is(streamed.status, 413);
  assert.is(streamed.headers.get('set-cookie'), null);
});

test('a body just under the limit is still read', async () => {
  const form = { username: 'admin', password: STAFF_PASSWORD, filler: 'x'.repeat(60 * 1024) };
  const response = await new Client(ctx.app).post(`${PRACTICE}/login`, form);
  assert.is(response.status, 303);
});

test('JSON or plain text sent to a form endpoint gets 415', async () => {
  const cases: [string, string][] = [
    ['application/json', JSON.stringify(GOOD_SIGN_IN)],
    ['text/plain', 'username=admin&password=x'],
    ['', 'username=admin'],
  ];
  for (const [type, body] of cases) {
    const headers: Record<string, string> = type ? { 'content-type': type } : {};
    const response = await unchanged(() => new Client(ctx.app).request(`${PRACTICE}/login`, { method: 'POST', body, headers }));
    await assertCalmPage(response, 415);
  }
});

test('a multipart form with a file field gets 400; plain multipart fields still work', async () => {
  const withFile = new FormData();
  withFile.set('username', 'admin');
  withFile.set('password', STAFF_PASSWORD);
  withFile.set('avatar', new Blob(['GIF89a'], { type: 'image/gif' }), 'x.gif');
  const refused = await unchanged(() => new Client(ctx.app).request(`${PRACTICE}/login`, { method: 'POST', body: withFile }));
  await assertCalmPage(refused, 400);

  const plain = new FormData();
  plain.set('username', 'admin');
  plain.set('password', STAFF_PASSWORD);
  const accepted = await new Client(ctx.app).request(`${PRACTICE}/login`, { method: 'POST', body: plain });
  assert.is(accepted.status, 303);
});

test('repeated fields, a field named as a list and a broken multipart body get 400', async () => {
  const repeated = await unchanged(() => new Client(ctx.app).request(`${PRACTICE}/login`, {
    method: 'POST', body: 'username=admin&username=camilles&password=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  }));
  assert.is(repeated.status, 400);
  const listed = await unchanged(() => new Client(ctx.app).request(`${PRACTICE}/login`, {
    method: 'POST', body: 'username[]=admin&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  }));
  assert.is(listed.status, 400, 'a field named as a list');
  const broken = await unchanged(() => new Client(ctx.app).request(`${PRACTICE}/login`, {
    method: 'POST', body: '--xyz\r\nContent-Disposition: form-data; name="username"\r\n\r\nadmin',
    headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
  }));
  assert.is(broken.status, 400);
  const noBoundary = await unchanged(() => new Client(ctx.app).request(`${PRACTICE}/login`, {
    method: 'POST', body: 'username=admin', headers: { 'content-type': 'multipart/form-data' },
  }));
  assert.is(noBoundary.status, 400);
});

test('broken percent-encoding and invalid UTF-8 in a form get a 4xx, never a 500', async () => {
  const bodies: (string | Uint8Array<ArrayBuffer>)[] = [
    'username=%E0%A4%A&password=%',
    'username=%zz%&password=%%%',
    'username=%C3%28&password=%FF%FE',
    new Uint8Array([...new TextEncoder().encode('username=adm'), 0xff, 0xfe, ...new TextEncoder().encode('&password=x')]),
    'username=admin%00&password=x',
  ];
  for (const body of bodies) {
    const response = await new Client(ctx.app).request(`${PATIENT}/login`, {
      method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
    assert.ok(response.status >= 400 && response.status < 500, `${String(body)} → ${response.status}`);
    assertNoInternals(await response.text());
    assert.is(response.headers.get('set-cookie'), null);
  }
});

test('invalid UTF-8 and NUL bytes are refused with 400 and write nothing', async () => {
  for (const body of ['username=adm%FF%FEin&password=x', 'username=admin%00&password=x']) {
    const response = await unchanged(() => new Client(ctx.app).request(`${PATIENT}/login`, {
      method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }));
    await assertCalmPage(response, 400);
  }
});

test('broken percent-encoding in the path gets a 4xx, never a 500', async () => {
  for (const path of ['/%E0%A4%A/practice/login', `${PRACTICE}/%`, '/sunny-pediatrics/%ZZ/login', `${PRACTICE}/login%C3%28`, '/%FF%FE/patient/login']) {
    const response = await new Client(ctx.app).get(path);
    assert.ok(response.status >= 400 && response.status < 500, `${path} → ${response.status}`);
    assertNoInternals(await response.text());
  }
});

test('unknown practices, reserved words and odd slugs get the calm 404 page', async () => {
  const paths = [
    '/no-such-practice/practice/login', '/no-such-practice/patient/login', '/admin/practice/login', '/public/practice/login',
    '/_dev/practice/login', '/healthz/practice/login', '/..%2f/practice/login', '/..%2F..%2Fetc/patient/login',
    '/UPPER/practice/login', '/Sunny-Pediatrics/practice/login', `/${'a'.repeat(300)}/practice/login`,
    '/-sunny/practice/login', '/sunny-pediatrics-/practice/login', '/sunny%20pediatrics/practice/login',
    "/sunny-pediatrics'--/practice/login",
  ];
  for (const path of paths) {
    const response = await new Client(ctx.app).get(path);
    assert.is(response.status, 404, path);
    const html = await response.text();
    assert.match(textOf(html), 'Page not found', path);
    assert.not.match(html, 'Sunny Pediatrics', `${path}: no practice is named`);
    assertNoInternals(html);
  }
  const posted = await unchanged(() => new Client(ctx.app).post('/no-such-practice/practice/login', GOOD_SIGN_IN));
  await assertCalmPage(posted, 404, 'Page not found');
});

test('an unknown page inside a practice gets 404, for visitors and for signed-in staff', async () => {
  await assertCalmPage(await new Client(ctx.app).get(`${PRACTICE}/no-such-page`), 404, 'Page not found');
  const client = new Client(ctx.app);
  await signIn(client, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  await assertCalmPage(await client.get(`${PRACTICE}/staff/../../../etc/passwd`), 404);
  await assertCalmPage(await client.get(`${PRACTICE}/login/../no-such-page`), 404);
  const htmx = await client.get(`${PRACTICE}/no-such-page`, { htmx: true });
  assert.is(htmx.status, 404);
  const fragment = await htmx.text();
  assert.not.match(fragment, '<html', 'htmx gets a fragment');
  assert.match(fragment, 'role="alert"');
});

test('GET /logout does not sign anyone out', async () => {
  for (const portal of ['practice', 'patient'] as const) {
    const client = new Client(ctx.app);
    const user = portal === 'practice' ? 'admin' : 'jordan.parent@example.com';
    await signIn(client, 'sunny-pediatrics', portal, user, portal === 'practice' ? STAFF_PASSWORD : 'tulip garden evening');
    const response = await unchanged(() => client.get(`/sunny-pediatrics/${portal}/logout`));
    assert.ok([404, 405].includes(response.status), `GET logout → ${response.status}`);
    assert.is(response.headers.get('set-cookie'), null, 'the session cookie is not cleared');
    assert.is((await client.get(`/sunny-pediatrics/${portal}/`)).status, 200, 'still signed in');
  }
});

test('GET /healthz answers 200 ok', async () => {
  const response = await new Client(ctx.app).get('/healthz');
  assert.is(response.status, 200);
  assert.is(await response.text(), 'ok');
});

test('htmx is served with a year-long immutable cache at its versioned URL, and revalidates with ETag/304', async () => {
  const html = await (await new Client(ctx.app).get(`${PRACTICE}/login`)).text();
  const src = html.match(/src="(\/public\/htmx\.min\.js\?v=[0-9a-f]+)"/)?.[1];
  assert.ok(src, 'the page links htmx with its version');
  const response = await new Client(ctx.app).get(src!);
  assert.is(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', 'javascript');
  const cache = response.headers.get('cache-control') ?? '';
  assert.match(cache, 'immutable');
  assert.ok(Number(cache.match(/max-age=(\d+)/)?.[1]) >= 31536000, cache);
  const etag = response.headers.get('etag');
  assert.ok(etag, 'an ETag is sent');
  assert.match(await response.text(), 'htmx');

  const revalidated = await new Client(ctx.app).get(src!, { headers: { 'if-none-match': etag! } });
  assert.is(revalidated.status, 304);
  assert.is(await revalidated.text(), '');

  const unversioned = await new Client(ctx.app).get('/public/htmx.min.js');
  assert.is(unversioned.status, 200);
  assert.not.match(unversioned.headers.get('cache-control') ?? '', 'immutable', 'an unversioned URL may change');
  const stale = await new Client(ctx.app).get('/public/htmx.min.js?v=0000000000');
  assert.not.match(stale.headers.get('cache-control') ?? '', 'immutable', 'a stale version is not pinned for a year');
});

test('files outside public/ cannot be fetched through it', async () => {
  for (const path of ['/public/..%2fpackage.json', '/public/%2e%2e%2fsrc%2fconfig.ts', '/public/../package.json', '/public/nope.js']) {
    const response = await new Client(ctx.app).get(path);
    assert.is(response.status, 404, path);
    assert.not.match(await response.text(), '"dependencies"');
  }
});

test('when the database is away, pages are a calm 503 and /healthz says 503, with no stack trace', async () => {
  const url = new URL(ctx.appDatabaseUrl);
  url.pathname = '/gatehouse_no_such_database';
  const brokenDb = connectDatabase(url.toString(), { max: 1 });
  const broken = createApp({ config: ctx.config, db: brokenDb, mailer: ctx.mailer });
  try {
    const { result: page, lines } = await captureLogs(() => new Client(broken).get(`${PRACTICE}/login`));
    await assertCalmPage(page, 503, 'Please try again in a moment');
    assert.ok(Number(page.headers.get('retry-after')) > 0);
    assert.ok(lines.some((line) => line.msg === 'database unavailable' && line.requestId), 'the detail goes to the log instead');
    const health = await new Client(broken).get('/healthz');
    assert.is(health.status, 503);
    assertNoInternals(await health.text());
  } finally {
    await brokenDb.close();
  }
});

test.run();
