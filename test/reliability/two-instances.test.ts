// Two Gatehouse instances (two processes) on one database behave as one: a lockout reached through A holds on B, a
// link issued by A is used up on B, throttles count across both, and every queued email leaves exactly once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, STAFF_PASSWORD, createTestContext, emailsTo, linkIn, tenantId, textOf } from '../support/harness.ts';
import { startFakeResend } from '../support/fake-resend.ts';
import { eventually, startInstance } from '../support/instances.ts';

const ctx = await createTestContext();
const resend = await startFakeResend();
const env = { APP_DATABASE_URL: ctx.appDatabaseUrl, RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url };
const [a, b] = await Promise.all([startInstance('A', env), startInstance('B', env)]);
test.after(async () => {
  await Promise.all([a.stop(), b.stop()]);
  await resend.close();
  await ctx.close();
});

const PRACTICE = '/sunny-pediatrics/practice';

test('a lockout reached through A holds on B', async () => {
  for (let i = 0; i < 5; i++) await a.client(`198.18.9.${i + 1}`).post(`${PRACTICE}/login`, { username: 'camilles', password: `wrong ${i}` });
  const onB = await b.client('198.18.9.20').post(`${PRACTICE}/login`, { username: 'camilles', password: STAFF_PASSWORD });
  assert.is(onB.status, 429);
  assert.match(textOf(await onB.text()), 'Too many attempts');
});

test('a reset link issued through A is used up on B, and then refused on A', async () => {
  const email = 'dlee@sunny-pediatrics.example';
  assert.is((await a.client().post(`${PRACTICE}/forgot-password`, { email })).status, 303);
  assert.ok(await eventually(async () => (await emailsTo(ctx, email)).length > 0), 'an instance turned the request into an email');
  const link = linkIn((await emailsTo(ctx, email))[0].text);
  const browser = b.client('198.18.9.30');
  assert.is((await browser.get(link)).status, 303);
  assert.is((await browser.post(`${PRACTICE}/reset/answer`, { answer: 'Springfield' })).status, 303);
  const NEW = 'a lantern by the harbour';
  const done = await browser.post(`${PRACTICE}/reset/password`, { new_password: NEW, new_password_confirmation: NEW });
  assert.is(done.status, 303);
  const again = await a.client('198.18.9.31').get(link);
  assert.is(again.status, 410);
  assert.match(textOf(await again.text()), 'Each link works once');
});

test('the per-address sign-in limit counts attempts made on both instances', async () => {
  const ip = '198.51.100.150';
  let last: Response | null = null;
  for (let i = 0; i < 61; i++) last = await (i % 2 ? a : b).client(ip).post(`${PRACTICE}/login`, { username: `nobody${i}`, password: 'wrong password' });
  assert.is(last!.status, 429);
  assert.match(textOf(await last!.text()), 'Too many sign-in attempts from this network');
});

test('every queued email is delivered exactly once by the two workers together', async () => {
  resend.reset();
  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  const ids = await ctx.db.inTenant(sunny, async (tx) => {
    const queued: string[] = [];
    for (let i = 0; i < 40; i++) {
      queued.push(await ctx.mailer.queue(tx, { kind: 'notice', to: `family${i}@example.com`, subject: `Notice ${i}`, html: `<p>${i}</p>`, text: `${i}` }));
    }
    return queued;
  });
  assert.ok(await eventually(async () => {
    const [row] = await ctx.owner`select count(*)::int as n from outbox where id = any(${ids}::uuid[]) and status = 'sent'`;
    return row.n === ids.length;
  }), 'all sent');
  const accepted = resend.requests.filter((r) => r.status === 200).map((r) => r.idempotencyKey!);
  const perKey = new Map<string, number>();
  for (const key of accepted) perKey.set(key, (perKey.get(key) ?? 0) + 1);
  const lost = ids.filter((id) => !resend.deliveries.some((d) => d.idempotencyKey === id)).length;
  const duplicated = [...perKey.values()].filter((n) => n > 1).length;
  console.log(`reliability: two instances, ${ids.length} emails queued, ${resend.deliveries.length} delivered, ${lost} lost, ${duplicated} duplicated`);
  assert.is(resend.deliveries.length, ids.length);
  assert.is(lost, 0);
  assert.is(duplicated, 0);
  const [shared] = await ctx.owner`select count(distinct claimed_by)::int as n from outbox where id = any(${ids}::uuid[])`;
  assert.is(shared.n, 0, 'no claim is left behind');
});

test.run();
