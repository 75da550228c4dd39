// Email through SMTP (SMTP_URL), for a practice whose covered provider signs a BAA: the outbox keeps its guarantees
// (leases, retries with backoff, a 5xx fails for good, a 4xx and a hung server are retried with the same Message-ID),
// each email leaves in its practice's name with the practice's Reply-To, and the outcome shows to staff and in the
// audit log. Against a real SMTP server on 127.0.0.1 (test/support/fake-smtp.ts).
import { createServer } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Config } from '../../src/platform/config.ts';
import { keyRingOf } from '../../src/platform/encryption.ts';
import { createMailWorker, type MailWorkerOptions } from '../../src/mail/delivery.ts';
import { enqueueEmail, outboxEncrypter, type OutgoingEmail } from '../../src/mail/outbox.ts';
import { startFakeSmtp } from '../support/fake-smtp.ts';
import { PUBLIC_URL, accountId, createTestContext, tenantId, textOf } from '../support/harness.ts';
import { JORDAN_EMAIL, PATIENTS, patientId, staff } from '../support/patient-admin.ts';

const ctx = await createTestContext();
const smtp = await startFakeSmtp();
test.after(async () => {
  await smtp.close();
  await ctx.close();
});

const SUNNY = await tenantId(ctx.owner, 'sunny-pediatrics');
const OAK = await tenantId(ctx.owner, 'oak-family-medicine');
const encrypter = outboxEncrypter(keyRingOf(ctx.config));
const withSmtp: Config = { ...ctx.config, smtpUrl: smtp.url, mailFrom: 'Gatehouse <no-reply@mail.gatehouse.test>' };
const logs: string[] = [];
// The audit log is append-only: each test reads only the events written since it began.
let auditBaseline = 0;

test.before.each(async () => {
  auditBaseline = (await ctx.owner`select coalesce(max(id), 0)::int as id from audit_events`)[0].id;
  smtp.reset();
  logs.length = 0;
  await ctx.owner`delete from outbox`;
  await ctx.owner`update tenants set settings = settings - 'replyToEmail'`;
});

function worker(config = withSmtp, options: Partial<MailWorkerOptions> = {}) {
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

async function state(id: string) {
  const [row] = await ctx.owner`select status, attempts, last_error from outbox where id = ${id}`;
  return { status: row.status, attempts: row.attempts, last_error: row.last_error };
}

async function makeDue() {
  await ctx.owner`update outbox set next_attempt_at = now() where status = 'pending'`;
}

async function deliveryEvents() {
  return ctx.owner`select tenant_id, action, actor_account_id, subject_account_id, ip, detail from audit_events where action like 'email.%' and id > ${auditBaseline} order by id`;
}

function assertNothingPrivateIn(lines: string[]) {
  for (const line of lines) {
    assert.not.match(line, 'secret-token', 'no link');
    assert.not.match(line, '@example.com', 'no address');
    assert.not.match(line, smtp.password, 'no SMTP password');
  }
}

test('an email reaches the SMTP server in the practice’s name, with its Reply-To and a Message-ID made from the row id', async () => {
  await ctx.owner`update tenants set settings = settings || '{"replyToEmail": "frontdesk@sunnypediatrics.example"}' where id = ${SUNNY}`;
  const email = await queue();
  const summary = await worker().runOnce();
  assert.equal(summary, { claimed: 1, sent: 1, retried: 0, failed: 0, rateLimited: false });
  assert.is(smtp.deliveries.length, 1);
  const [delivered] = smtp.deliveries;
  assert.equal(delivered.from, { name: 'Sunny Pediatrics', address: 'no-reply@mail.gatehouse.test' });
  assert.is(delivered.envelope.from, 'no-reply@mail.gatehouse.test');
  assert.equal(delivered.envelope.to, [email.to]);
  assert.is(delivered.replyTo, 'frontdesk@sunnypediatrics.example');
  assert.is(delivered.messageId, `<${email.id}@mail.gatehouse.test>`);
  assert.is(delivered.subject, email.subject);
  assert.is(delivered.text.trim(), email.text);
  assert.match(delivered.html, 'this link</a>');
  assert.equal(await state(email.id), { status: 'sent', attempts: 1, last_error: null });

  const [event] = await deliveryEvents();
  assert.equal({ ...event }, {
    tenant_id: SUNNY, action: 'email.delivered', actor_account_id: null, subject_account_id: null, ip: null,
    detail: { kind: 'password_reset', emailId: email.id, transport: 'smtp', attempts: 1 },
  });
});

test('a practice without a Reply-To address sends none; each practice’s email carries its own name', async () => {
  await queue(OAK);
  await worker().runOnce();
  assert.equal(smtp.deliveries.map((d) => [d.from.name, d.replyTo]), [['Oak Family Medicine', null]]);
});

test('a 4xx reply is retried later with the same Message-ID, and the email is delivered once', async () => {
  const email = await queue();
  smtp.failNext(1, 451);
  assert.is((await worker().runOnce()).retried, 1);
  assert.equal(await state(email.id), { status: 'pending', attempts: 1, last_error: 'SMTP 451 4.2.0' });
  assert.is((await worker().runOnce()).claimed, 0, 'not before its time');
  await makeDue();
  assert.is((await worker().runOnce()).sent, 1);
  assert.equal(smtp.attempts.map((a) => [a.status, a.messageId]), [[451, `<${email.id}@mail.gatehouse.test>`], [250, `<${email.id}@mail.gatehouse.test>`]]);
  assert.is(smtp.deliveries.length, 1);
  assert.equal(await state(email.id), { status: 'sent', attempts: 2, last_error: null });
  assert.is(logs.length, 1);
  assertNothingPrivateIn([...logs, ...(await deliveryEvents()).map((e) => JSON.stringify(e.detail))]);
});

test('a 5xx reply fails the email for good at once: staff see it on the guardian’s page and in the audit log', async () => {
  const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN_EMAIL);
  const frontDesk = await staff(ctx, 'marcusstaff');
  const page = `${PATIENTS}/${await patientId(ctx, '10001')}/portal/${jordan}`;
  assert.is((await frontDesk.post(`${page}/reset-password`, { confirm: '1' })).status, 303);

  smtp.failNext(1, 550);
  assert.is((await worker().runOnce()).failed, 1);
  const [row] = await ctx.owner`select id, status, attempts, last_error from outbox where account_id = ${jordan}`;
  assert.equal({ status: row.status, attempts: row.attempts, last_error: row.last_error }, { status: 'failed', attempts: 1, last_error: 'SMTP 550 5.1.1' });
  await makeDue();
  assert.is((await worker().runOnce()).claimed, 0, 'a refused email is not tried again');
  assert.is(smtp.attempts.length, 1);

  assert.match(textOf(await (await frontDesk.get(page)).text()), 'Last email Password reset link: could not be delivered (SMTP 550 5.1.1)');
  const events = await deliveryEvents();
  assert.equal(events.map((e) => [e.action, e.subject_account_id, e.detail.error]), [['email.failed', jordan, 'SMTP 550 5.1.1']]);
  const admin = await staff(ctx, 'admin');
  const audit = textOf(await (await admin.get('/sunny-pediatrics/practice/audit')).text());
  assert.match(audit, 'Email could not be delivered');
  assertNothingPrivateIn([...logs, row.last_error, JSON.stringify(events[0].detail)]);
});

test('a server that stops answering is timed out and the email retried with the same Message-ID', async () => {
  const email = await queue();
  smtp.hangNext(1);
  const impatient = worker(withSmtp, { sendTimeoutMs: 500 });
  assert.is((await impatient.runOnce()).retried, 1);
  assert.equal(await state(email.id), { status: 'pending', attempts: 1, last_error: 'no answer within 500 ms' });
  await makeDue();
  assert.is((await impatient.runOnce()).sent, 1);
  assert.equal(smtp.attempts.map((a) => a.messageId), [`<${email.id}@mail.gatehouse.test>`, `<${email.id}@mail.gatehouse.test>`]);
  assert.is(smtp.deliveries.length, 1, 'the hung attempt was never accepted');
});

test('a wrong password or an unreachable server is retried, not failed, until the bounded window ends', async () => {
  const email = await queue();
  const wrongPassword = { ...withSmtp, smtpUrl: smtp.url.replace(encodeURIComponent(smtp.password), 'not-the-password') };
  assert.is((await worker(wrongPassword).runOnce()).retried, 1);
  const afterAuth = await state(email.id);
  assert.match(afterAuth.last_error, /^SMTP 535 5\.7\.8 \(authentication failed\)$/);
  assert.is(smtp.deliveries.length, 0);

  const closed = await unusedPort();
  const unreachable = worker({ ...withSmtp, smtpUrl: `smtp://127.0.0.1:${closed}` }, { maxAttempts: 2 });
  await makeDue();
  assert.is((await unreachable.runOnce()).failed, 1, 'the second attempt was the last one allowed');
  const unreached = await state(email.id);
  assert.equal({ ...unreached, last_error: undefined }, { status: 'failed', attempts: 2, last_error: undefined });
  assert.match(unreached.last_error, /^no delivery \(E(CONNECTION|SOCKET)\)$/);
  assertNothingPrivateIn(logs);
});

test('in production an smtp:// server must offer STARTTLS: nothing goes out in clear', async () => {
  const email = await queue();
  const production = worker({ ...withSmtp, env: 'production' });
  assert.is(production.transport, 'smtp');
  const summary = await production.runOnce();
  assert.is(smtp.deliveries.length, 0);
  assert.is(summary.retried, 1, JSON.stringify({ summary, logs }));
  assert.is((await state(email.id)).status, 'pending');
  assert.match((await state(email.id)).last_error, /^SMTP 500.* \(STARTTLS refused\)$/);
});

test('two workers racing over 60 queued emails deliver each exactly once', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) ids.push((await queue(i % 2 ? SUNNY : OAK)).id);
  const drain = async () => {
    const racer = worker(withSmtp, { batchSize: 3 });
    for (let summary = await racer.runOnce(); summary.claimed > 0; summary = await racer.runOnce());
  };
  await Promise.all([drain(), drain()]);
  assert.is(smtp.deliveries.length, 60);
  assert.equal(smtp.deliveries.map((d) => d.messageId).sort(), ids.map((id) => `<${id}@mail.gatehouse.test>`).sort());
  assert.is((await deliveryEvents()).length, 60);
  assert.equal(logs, []);
});

function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

test.run();
