import { randomUUID } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../../src/app.ts';
import type { Config } from '../../src/platform/config.ts';
import { connectDatabase } from '../../src/platform/db.ts';
import { createEncrypter } from '../../src/platform/encryption.ts';
import { createMailWorker, startMailWorker, type MailWorkerOptions } from '../../src/mail/delivery.ts';
import { getLastEmailStatus } from '../../src/mail/outbox.ts';
import { enqueueEmail, type OutgoingEmail } from '../../src/mail/outbox.ts';
import { devMailRoutes } from '../../src/features/dev-mail/routes.tsx';
import { startFakeResend } from '../support/fake-resend.ts';
import { Client, PUBLIC_URL, accountId, createTestContext, tenantId, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
const fake = await startFakeResend();
test.after(async () => {
  await fake.close();
  await ctx.close();
});

const SUNNY = await tenantId(ctx.owner, 'sunny-pediatrics');
const OAK = await tenantId(ctx.owner, 'oak-family-medicine');
const encrypter = createEncrypter(ctx.config.secretKey, 'outbox');
const withResend: Config = { ...ctx.config, resendApiKey: fake.apiKey, resendBaseUrl: fake.url, mailFrom: 'Gatehouse <no-reply@gatehouse.test>' };
const production: Config = { ...withResend, env: 'production' };
const logs: string[] = [];

// Every test starts from an empty outbox and a fresh fake, so they pass in any order.
test.before.each(async () => {
  fake.reset();
  logs.length = 0;
  await ctx.owner`delete from outbox`;
});

function worker(config = withResend, options: Partial<MailWorkerOptions> = {}) {
  return createMailWorker({ db: ctx.db, config, log: (line) => logs.push(line), ...options });
}

let counter = 0;
async function queue(tenant = SUNNY, overrides: Partial<OutgoingEmail> = {}) {
  const n = ++counter;
  const link = `${PUBLIC_URL}/sunny-pediatrics/patient/reset/secret-token-${n}`;
  const email = {
    kind: 'password_reset', to: `guardian${n}@example.com`, subject: `Reset your password (${n})`,
    html: `<p>Open <a href="${link}">this link</a> within 48 hours.</p>`, text: `Open ${link} within 48 hours.`, ...overrides,
  };
  const id = await ctx.db.inTenant(tenant, (tx) => enqueueEmail(tx, encrypter, email));
  return { id, ...email };
}

async function row(id: string) {
  const [found] = await ctx.owner`select *, extract(epoch from next_attempt_at - now())::float as wait from outbox where id = ${id}`;
  return found;
}

/** The delivery state a staff member or an operator would look at. */
async function state(id: string) {
  const { status, attempts, last_error } = await row(id);
  return { status, attempts, last_error };
}

/** Time passes: every waiting email becomes due. */
async function makeDue() {
  await ctx.owner`update outbox set next_attempt_at = now() where status = 'pending'`;
}

function assertNoSecretsIn(lines: string[]) {
  for (const line of lines) {
    assert.not.match(line, 'secret-token', 'no link in logs or errors');
    assert.not.match(line, '@example.com', 'no address in logs or errors');
    assert.not.match(line, fake.apiKey, 'no API key in logs or errors');
  }
}

test('a queued email reaches Resend with from, to, subject, both bodies, the API key and its id as idempotency key', async () => {
  const email = await queue();
  const summary = await worker().runOnce();
  assert.equal(summary, { claimed: 1, sent: 1, retried: 0, failed: 0, rateLimited: false });
  assert.is(fake.deliveries.length, 1);
  const [delivery] = fake.deliveries;
  assert.equal(delivery.to, [email.to]);
  assert.is(delivery.from, '"Sunny Pediatrics" <no-reply@gatehouse.test>', "the practice's name on the sending address");
  assert.is(fake.requests[0].body?.reply_to, undefined, 'no Reply-To until the practice sets one');
  assert.is(delivery.subject, email.subject);
  assert.is(delivery.html, email.html);
  assert.is(delivery.text, email.text);
  assert.is(fake.requests[0].authorization, `Bearer ${fake.apiKey}`);
  assert.is(fake.requests[0].idempotencyKey, email.id);

  const sent = await row(email.id);
  assert.equal(await state(email.id), { status: 'sent', attempts: 1, last_error: null });
  assert.is(sent.provider_message_id, delivery.id);
  assert.ok(sent.sent_at instanceof Date);
  assert.is(sent.claimed_by, null);
  assert.ok(sent.body_encrypted, 'outside production the body stays for the development mailbox');
  assert.is((await worker().runOnce()).claimed, 0, 'a sent email is never claimed again');
  assert.is(fake.requests.length, 1);
});

test("the practice's Reply-To address goes to Resend with the email; a name with quotes stays one display name", async () => {
  await ctx.owner`update tenants set name = 'Dr. "Sunny" Pediatrics', settings = settings || '{"replyToEmail": "frontdesk@sunny.example"}' where id = ${SUNNY}`;
  try {
    await queue();
    await worker().runOnce();
  } finally {
    await ctx.owner`update tenants set name = 'Sunny Pediatrics', settings = settings - 'replyToEmail' where id = ${SUNNY}`;
  }
  assert.is(fake.requests[0].body?.reply_to, 'frontdesk@sunny.example');
  assert.is(fake.deliveries[0].from, '"Dr. \\"Sunny\\" Pediatrics" <no-reply@gatehouse.test>');
});

test('the body is stored encrypted; in production it is cleared once the email is sent', async () => {
  const email = await queue();
  const stored = await row(email.id);
  assert.match(stored.body_encrypted, /^v2\./);
  for (const clear of ['secret-token', 'this link', email.text]) assert.not.match(stored.body_encrypted, clear);
  assert.equal(JSON.parse(encrypter.decrypt(stored.body_encrypted)!), { html: email.html, text: email.text });
  assert.is(createEncrypter('another-secret-key-of-at-least-32-characters', 'outbox').decrypt(stored.body_encrypted), null);

  await worker(production).runOnce();
  const sent = await row(email.id);
  assert.is(sent.status, 'sent');
  assert.is(sent.body_encrypted, null, 'the link no longer exists anywhere in the database');
  assert.is(fake.deliveries[0].html, email.html, 'it was delivered in full first');
});

test('outbox rows stay in their practice; the mailbox setting may read them but change none', async () => {
  await queue(SUNNY);
  assert.is((await ctx.db.sql`select count(*)::int as n from outbox`)[0].n, 0, 'no tenant: no rows');
  assert.is((await ctx.db.inTenant(OAK, (tx) => tx`select count(*)::int as n from outbox`))[0].n, 0);
  assert.is((await ctx.db.inTenant(SUNNY, (tx) => tx`select count(*)::int as n from outbox`))[0].n, 1);
  const changed = await ctx.db.sql.begin(async (tx) => {
    await tx`select set_config('app.worker', 'devmail', true)`;
    return { seen: (await tx`select count(*)::int as n from outbox`)[0].n, updated: (await tx`update outbox set subject = 'x'`).count };
  });
  assert.equal(changed, { seen: 1, updated: 0 });
});

test('a 500 is retried later with backoff, and the email is delivered exactly once', async () => {
  const email = await queue();
  fake.failNext(1, 500);
  assert.is((await worker().runOnce()).retried, 1);
  assert.equal(await state(email.id), { status: 'pending', attempts: 1, last_error: 'HTTP 500 internal_server_error' });
  assert.ok((await row(email.id)).wait > 0, 'the retry is scheduled in the future');
  assert.is(fake.deliveries.length, 0);
  assert.is((await worker().runOnce()).claimed, 0, 'not retried before its time');

  await makeDue();
  assert.is((await worker().runOnce()).sent, 1);
  assert.equal(fake.requests.map((r) => [r.status, r.idempotencyKey]), [[500, email.id], [200, email.id]]);
  assert.is(fake.deliveries.length, 1);
  assert.equal(await state(email.id), { status: 'sent', attempts: 2, last_error: null });
  assert.is(logs.length, 1);
  assert.match(logs[0], email.id);
  assert.match(logs[0], 'HTTP 500');
  assertNoSecretsIn(logs);
});

test('a 429 is respected: nothing more is sent until Retry-After, and it costs no attempt', async () => {
  const emails = [await queue(), await queue(), await queue()];
  fake.failNext(1, 429, { retryAfter: 120 });
  const summary = await worker().runOnce();
  assert.is(summary.rateLimited, true);
  assert.is(summary.sent, 0);
  assert.is(fake.requests.length, 1, 'the rest of the batch waited instead of hitting the limit');
  assert.is(fake.deliveries.length, 0);
  for (const email of emails) {
    assert.equal(await state(email.id), { status: 'pending', attempts: 0, last_error: 'rate limited by the provider (HTTP 429)' });
    const { wait } = await row(email.id);
    assert.ok(wait > 100 && wait <= 120, `waits for Retry-After (${wait} s)`);
  }
  assert.is((await worker().runOnce()).claimed, 0);

  await makeDue();
  assert.is((await worker().runOnce()).sent, 3);
  assert.equal(fake.deliveries.map((d) => d.idempotencyKey).sort(), emails.map((e) => e.id).sort());
  for (const email of emails) assert.is((await row(email.id)).attempts, 1);
});

test('after the maximum attempts an email is failed, and staff can read the last email state', async () => {
  const account = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com');
  const email = await queue(SUNNY, { to: 'jordan.parent@example.com', accountId: account });
  fake.failNext(100, 500);
  const limited = worker(withResend, { maxAttempts: 3 });
  for (let i = 0; i < 3; i++) {
    await makeDue();
    await limited.runOnce();
  }
  const failed = await state(email.id);
  assert.equal(failed, { status: 'failed', attempts: 3, last_error: 'HTTP 500 internal_server_error' });
  await makeDue();
  assert.is((await limited.runOnce()).claimed, 0, 'a failed email is not tried again');
  assert.is(fake.requests.length, 3);
  assertNoSecretsIn([...logs, failed.last_error]);

  const status = await ctx.db.inTenant(SUNNY, (tx) => getLastEmailStatus(tx, account));
  assert.equal({ ...status, createdAt: undefined }, {
    kind: 'password_reset', status: 'failed', createdAt: undefined, sentAt: null, attempts: 3,
    lastError: 'HTTP 500 internal_server_error', nextAttemptAt: null,
  });
  assert.is(await ctx.db.inTenant(OAK, (tx) => getLastEmailStatus(tx, account)), null, 'another practice sees nothing');

  fake.failNext(0, 500);
  await queue(SUNNY, { to: 'jordan.parent@example.com', accountId: account, kind: 'password_changed' });
  await limited.runOnce();
  const latest = await ctx.db.inTenant(SUNNY, (tx) => getLastEmailStatus(tx, account));
  assert.is(latest?.kind, 'password_changed');
  assert.is(latest?.status, 'sent');
  assert.ok(latest?.sentAt instanceof Date);
});

test('an email the provider rejects as invalid (422) fails at once', async () => {
  const email = await queue();
  fake.failNext(1, 422);
  assert.is((await worker().runOnce()).failed, 1);
  assert.equal(await state(email.id), { status: 'failed', attempts: 1, last_error: 'HTTP 422 validation_error' });
});

test('a provider that does not answer is timed out and retried with the same idempotency key', async () => {
  const email = await queue();
  fake.hangNext(1);
  const impatient = worker(withResend, { sendTimeoutMs: 300 });
  assert.is((await impatient.runOnce()).retried, 1);
  assert.equal(await state(email.id), { status: 'pending', attempts: 1, last_error: 'no answer within 300 ms' });
  await makeDue();
  assert.is((await impatient.runOnce()).sent, 1);
  assert.equal(fake.requests.map((r) => r.idempotencyKey), [email.id, email.id]);
  assert.is(fake.deliveries.length, 1);
});

test("a crashed worker's emails are taken over when its lease ends, never before", async () => {
  const held = await queue();
  const abandoned = await queue();
  const lastTry = await queue();
  const claimAs = (id: string, attempts: number, lease: string) => ctx.owner`
    update outbox set status = 'sending', attempts = ${attempts}, claimed_by = gen_random_uuid(),
      locked_until = now() + ${lease}::interval, next_attempt_at = now() + ${lease}::interval where id = ${id}`;
  await claimAs(held.id, 1, '5 minutes');
  await claimAs(abandoned.id, 1, '-1 second');
  await claimAs(lastTry.id, 10, '-1 second');

  const summary = await worker().runOnce();
  assert.is(summary.sent, 1);
  assert.equal(fake.deliveries.map((d) => d.to[0]), [abandoned.to]);
  assert.equal(await state(abandoned.id), { status: 'sent', attempts: 2, last_error: null });
  assert.equal(await state(held.id), { status: 'sending', attempts: 1, last_error: null }, 'a live lease is respected');
  assert.equal(await state(lastTry.id), { status: 'failed', attempts: 10, last_error: 'delivery was interrupted during the last attempt' });
});

test('two workers racing over 200 queued emails in two practices deliver each exactly once', async () => {
  const ids: string[] = [];
  for (const tenant of [SUNNY, OAK]) {
    await ctx.db.inTenant(tenant, async (tx) => {
      for (let i = 0; i < 100; i++) {
        ids.push(await enqueueEmail(tx, encrypter, { kind: 'invitation', to: `race${i}@example.com`, subject: `Welcome ${i}`, html: `<p>${i}</p>`, text: `${i}` }));
      }
    });
  }
  // Two instances, each with its own connection pool as on two machines; small batches make their claims meet
  // often (a claim without FOR UPDATE SKIP LOCKED fails this test).
  const instances = [connectDatabase(ctx.appDatabaseUrl, { max: 3, prepare: ctx.config.databasePreparedStatements }), connectDatabase(ctx.appDatabaseUrl, { max: 3, prepare: ctx.config.databasePreparedStatements })];
  let sentBy: number[];
  try {
    const drain = async (db: (typeof instances)[number]) => {
      const racer = createMailWorker({ db, config: withResend, batchSize: 2, log: (line) => logs.push(line) });
      let sent = 0;
      for (let summary = await racer.runOnce(); summary.claimed > 0; summary = await racer.runOnce()) sent += summary.sent;
      return sent;
    };
    sentBy = await Promise.all(instances.map(drain));
  } finally {
    await Promise.all(instances.map((db) => db.close()));
  }
  assert.is(sentBy[0] + sentBy[1], 200);
  assert.is(fake.requests.length, 200, 'no email was even offered twice');
  assert.is(fake.deliveries.length, 200);
  assert.equal(fake.requests.map((r) => r.idempotencyKey).sort(), ids.sort());
  assert.equal([...(await ctx.owner`select status, count(*)::int as n from outbox group by status`)], [{ status: 'sent', n: 200 }]);
  assert.equal(logs, []);
});

test('without an API key emails are kept for the development mailbox and nothing is called', async () => {
  const email = await queue();
  const local = worker({ ...ctx.config, resendBaseUrl: fake.url });
  assert.is(local.transport, 'development mailbox');
  assert.is((await local.runOnce()).sent, 1);
  const sent = await row(email.id);
  assert.equal(await state(email.id), { status: 'sent', attempts: 1, last_error: null });
  assert.is(sent.provider_message_id, null);
  assert.ok(sent.body_encrypted);
  assert.is(fake.requests.length, 0);
  assert.throws(() => worker({ ...ctx.config, env: 'production' }), /RESEND_API_KEY or SMTP_URL must be set in production/);
});

test('a started worker delivers on its own and stops cleanly', async () => {
  const email = await queue();
  const running = startMailWorker({ db: ctx.db, config: withResend, pollIntervalMs: 20, log: (line) => logs.push(line) });
  try {
    for (let i = 0; i < 250 && (await state(email.id)).status !== 'sent'; i++) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await running.stop();
  }
  assert.equal(await state(email.id), { status: 'sent', attempts: 1, last_error: null });
  assert.is(fake.deliveries.length, 1);
  assert.equal(logs, []);
});

test('/_dev/mail lists every practice\'s messages newest first, as JSON and as an HTML table', async () => {
  const first = await queue(SUNNY, { subject: 'First message' });
  const second = await queue(OAK, { subject: 'Second message', kind: 'invitation', to: 'Robin.Oak@Example.com' });
  const third = await queue(SUNNY, { subject: 'Third <message> & more' });
  const client = new Client(ctx.app);

  const json = await client.get('/_dev/mail?format=json');
  assert.is(json.status, 200);
  assert.match(json.headers.get('content-type') ?? '', 'application/json');
  const list = await json.json();
  assert.equal(list.map((m: { id: string }) => m.id), [third.id, second.id, first.id]);
  const { createdAt, sentAt, ...newest } = list[0];
  assert.equal(newest, { id: third.id, kind: 'password_reset', status: 'pending', to: third.to, subject: third.subject, text: third.text, html: third.html });
  assert.ok(Date.parse(createdAt) >= Date.parse(list[1].createdAt));
  assert.is(sentAt, null);
  const filtered = await (await client.get('/_dev/mail?format=json&to=robin.oak%40example.com')).json();
  assert.equal(filtered.map((m: { id: string }) => m.id), [second.id]);

  const page = await client.get('/_dev/mail');
  assert.is(page.status, 200);
  assert.not.match(page.headers.get('content-security-policy') ?? '', 'unsafe-inline');
  const html = await page.text();
  assert.match(html, '<h1>Development mailbox</h1>');
  assert.match(html, '<th scope="col">Subject</th>');
  assert.match(html, '<label for="field-to">Recipient</label>');
  assert.match(html, `href="/_dev/mail/${third.id}"`);
  assert.not.match(html, '<message>', 'subjects are escaped');
  const text = textOf(html);
  assert.ok(text.indexOf('Third <message> & more') < text.indexOf('Second message'));
  assert.ok(text.indexOf('Second message') < text.indexOf('First message'));
});

test('a message page shows the HTML in a sandboxed frame and the plain text', async () => {
  const email = await queue(SUNNY, { html: '<p>Hello</p><script>alert(1)</script>', text: 'Hello in plain text' });
  const client = new Client(ctx.app);
  const response = await client.get(`/_dev/mail/${email.id}`);
  assert.is(response.status, 200);
  const html = await response.text();
  assert.match(html, `<h1>${email.subject}</h1>`);
  assert.match(html, /<iframe [^>]*sandbox="allow-popups allow-popups-to-escape-sandbox"/);
  assert.match(html, `src="/_dev/mail/${email.id}/html"`);
  assert.not.match(html, '<script>alert', 'the email cannot put script on this page');
  assert.match(html, '<pre class="mail-text">Hello in plain text</pre>');
  assert.not.match(response.headers.get('content-security-policy') ?? '', 'unsafe-inline');

  // The frame's address: the email's own HTML under a policy of its own (inline styles, as emails need; no script).
  const framed = await client.get(`/_dev/mail/${email.id}/html`);
  assert.is(framed.status, 200);
  assert.match(await framed.text(), '<p>Hello</p><script>alert(1)');
  const policy = framed.headers.get('content-security-policy') ?? '';
  assert.match(policy, "style-src 'unsafe-inline'");
  assert.match(policy, "default-src 'none'");
  assert.match(policy, 'sandbox allow-popups');
  assert.not.match(policy, 'script-src');
  assert.match(policy, "frame-ancestors 'self'");

  await ctx.owner`update outbox set body_encrypted = null where id = ${email.id}`;
  assert.match(textOf(await (await client.get(`/_dev/mail/${email.id}`)).text()), 'The body was cleared after delivery.');
  assert.is((await client.get(`/_dev/mail/${randomUUID()}`)).status, 404);
  assert.is((await client.get('/_dev/mail/not-an-id')).status, 404);
});

test('/_dev/mail does not exist in production', async () => {
  const email = await queue();
  const client = new Client(createApp({ db: ctx.db, config: production, mailer: ctx.mailer }));
  for (const path of ['/_dev/mail', '/_dev/mail?format=json', `/_dev/mail/${email.id}`, `/_dev/mail/${email.id}/html`]) {
    const response = await client.get(path);
    assert.is(response.status, 404, path);
    assert.not.match(await response.text(), email.subject);
  }
  const mountedAnyway = await devMailRoutes({ db: ctx.db, config: production, mailer: ctx.mailer }).request('/');
  assert.is(mountedAnyway.status, 404, 'the routes refuse production even if mounted');
});

test.run();
