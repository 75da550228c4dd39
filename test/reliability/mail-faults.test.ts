// The mail API failing half the time and hanging on some calls (sometimes after it already sent the email): every
// email still arrives exactly once, thanks to the idempotency key, and no retry falls outside the 24 hours in which
// the provider recognises it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMailWorker } from '../../src/mail/delivery.ts';
import { createTestContext, tenantId } from '../support/harness.ts';
import { startFakeResend } from '../support/fake-resend.ts';

const resend = await startFakeResend();
const ctx = await createTestContext({ RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url });
test.after(async () => {
  await resend.close();
  await ctx.close();
});

const worker = createMailWorker({
  db: ctx.db, config: ctx.config, batchSize: 10, sendTimeoutMs: 300, retryBaseSeconds: 1, retryMaxSeconds: 1, maxAttempts: 40, leaseSeconds: 2,
  log: () => {},
});
const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');

async function queue(count: number, prefix: string): Promise<string[]> {
  return ctx.db.inTenant(sunny, async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await ctx.mailer.queue(tx, { kind: 'notice', to: `${prefix}${i}@example.com`, subject: `Notice ${i}`, html: `<p>${i}</p>`, text: `${i}` }));
    return ids;
  });
}

test('half the calls failing and some hanging: every email delivered exactly once, none lost', async () => {
  const ids = await queue(60, 'faulty');
  resend.chaos({ fail: 0.35, hang: 0.15, acceptBeforeHang: true, seed: 20261130 });
  for (let round = 0; round < 2000; round++) {
    const [left] = await ctx.owner`select count(*)::int as n from outbox where id = any(${ids}::uuid[]) and status <> 'sent'`;
    if (left.n === 0) break;
    const summary = await worker.runOnce();
    if (summary.claimed === 0) await new Promise((done) => setTimeout(done, 100)); // the next retries are not due yet
  }
  resend.chaos(null);
  const rows = await ctx.owner`select status, attempts, extract(epoch from sent_at - created_at) as seconds from outbox where id = any(${ids}::uuid[])`;
  const calls = resend.requests.length;
  const failed = resend.requests.filter((r) => r.status !== null && r.status >= 500).length;
  const delivered = resend.deliveries.filter((d) => ids.includes(d.idempotencyKey));
  const lost = ids.filter((id) => !delivered.some((d) => d.idempotencyKey === id)).length;
  const duplicated = delivered.length - new Set(delivered.map((d) => d.to[0])).size;
  console.log(`reliability: mail API failing/hanging: ${ids.length} emails, ${delivered.length} delivered, ${lost} lost, ${duplicated} duplicated; ${calls} API calls, ${failed} answered 5xx, ${calls - failed - ids.length} more were retries after a hang`);
  assert.ok(rows.every((r) => r.status === 'sent'), 'all sent');
  assert.is(delivered.length, ids.length, 'one delivery per email');
  assert.is(lost, 0);
  assert.is(duplicated, 0, 'no address got its email twice');
  assert.ok(failed > 0 && calls - failed > ids.length, 'faults really happened: failures and hangs');
  assert.ok(rows.every((r) => Number(r.seconds) < 23 * 3600), 'every retry inside the idempotency window');
});

test('a Retry-After of a day is honoured only up to the idempotency window; past it the email fails visibly, not twice', async () => {
  const [id] = await queue(1, 'ratelimited');
  resend.failNext(1, 429, { retryAfter: 86_400 });
  await worker.runOnce();
  const [waiting] = await ctx.owner`
    select status, next_attempt_at <= created_at + interval '23 hours' as inside, next_attempt_at > now() + interval '22 hours' as waits
    from outbox where id = ${id}`;
  assert.is(waiting.status, 'pending');
  assert.is(waiting.inside, true, 'the retry is scheduled inside the window');
  assert.is(waiting.waits, true, 'and still waits as long as it can');

  // A day later (an outage that outlasted the window): it is not sent again, and says why.
  await ctx.owner`update outbox set created_at = now() - interval '24 hours', next_attempt_at = now() where id = ${id}`;
  const before = resend.requests.length;
  await worker.runOnce();
  const [given] = await ctx.owner`select status, last_error from outbox where id = ${id}`;
  assert.is(given.status, 'failed');
  assert.match(given.last_error, '24-hour window');
  assert.is(resend.requests.length, before, 'no call was made');
});

test.run();
