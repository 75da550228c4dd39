// An instance killed outright (SIGKILL, as when a machine dies): emails it was sending are delivered by the other
// instance once its lease runs out, exactly once; a password reset it was in the middle of either happened or did
// not happen at all, and the person finishes it on the other instance.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { accountId, createTestContext, emailsTo, linkIn, signIn, tenantId } from '../support/harness.ts';
import { startFakeResend } from '../support/fake-resend.ts';
import { eventually, startInstance } from '../support/instances.ts';
import { connectAsOwner } from '../../src/platform/db.ts';

const ctx = await createTestContext();
const resend = await startFakeResend();
const env = { APP_DATABASE_URL: ctx.appDatabaseUrl, RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url, INSTANCE_LEASE_SECONDS: '2' };
test.after(async () => {
  await resend.close();
  await ctx.close();
});

const PRACTICE = '/sunny-pediatrics/practice';

test('killed mid-delivery: the lease runs out, the other instance delivers, nothing lost and nothing twice', async () => {
  const a = await startInstance('A', { ...env, INSTANCE_SEND_TIMEOUT_MS: '60000' });
  // Every call A makes is accepted by the provider but never answered: A is killed while waiting for the answers.
  resend.chaos({ fail: 0, hang: 1, acceptBeforeHang: true });
  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  const ids = await ctx.db.inTenant(sunny, async (tx) => {
    const queued: string[] = [];
    for (let i = 0; i < 8; i++) queued.push(await ctx.mailer.queue(tx, { kind: 'notice', to: `killed${i}@example.com`, subject: `Notice ${i}`, html: `<p>${i}</p>`, text: `${i}` }));
    return queued;
  });
  assert.ok(await eventually(async () => resend.requests.length > 0), 'A started sending');
  const [claimed] = await ctx.owner`select count(*)::int as n from outbox where id = any(${ids}::uuid[]) and status = 'sending'`;
  assert.ok(claimed.n > 0, 'A holds claimed rows');
  await a.kill();
  resend.chaos(null);

  const b = await startInstance('B', env);
  try {
    assert.ok(await eventually(async () => {
      const [row] = await ctx.owner`select count(*)::int as n from outbox where id = any(${ids}::uuid[]) and status = 'sent'`;
      return row.n === ids.length;
    }), 'B delivered everything once the lease ran out');
  } finally {
    await b.stop();
  }
  const delivered = resend.deliveries.filter((d) => ids.includes(d.idempotencyKey));
  const retried = resend.requests.filter((r) => ids.includes(r.idempotencyKey ?? '')).length - ids.length;
  console.log(`reliability: instance killed mid-delivery: ${ids.length} emails, ${delivered.length} delivered, ${ids.length - delivered.length} lost, 0 duplicated (${retried} calls repeated with the same key)`);
  assert.is(delivered.length, ids.length, 'each email delivered once: the repeated calls carried the same idempotency key');
  assert.is(new Set(delivered.map((d) => d.idempotencyKey)).size, ids.length);
});

test('killed mid-reset: the reset did not half happen, and the person completes it on the other instance', async () => {
  const a = await startInstance('A', { ...env, INSTANCE_BACKGROUND: '0' });
  const b = await startInstance('B', env);
  let stopLocking = () => {};
  try {
    const email = 'cnurse@sunny-pediatrics.example';
    const id = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
    const browser = a.client('198.18.10.1');
    assert.is((await browser.post(`${PRACTICE}/forgot-password`, { email })).status, 303);
    assert.ok(await eventually(async () => (await emailsTo(ctx, email)).some((m) => m.kind === 'password_reset')));
    const link = linkIn((await emailsTo(ctx, email)).find((m) => m.kind === 'password_reset')!.text);
    assert.is((await browser.get(link)).status, 303);
    assert.is((await browser.post(`${PRACTICE}/reset/answer`, { answer: 'Springfield' })).status, 303);
    const [before] = await ctx.owner`select password_hash from accounts where id = ${id}`;
    // A session of the account (signed in on another device long ago), held locked by someone else: the reset's
    // transaction stops half-way, where it ends sessions, after it has written the new password and used the link.
    await ctx.owner`
      insert into sessions (tenant_id, id_hash, account_id, portal, expires_at)
      select tenant_id, 'another-device', id, 'practice', now() + interval '1 hour' from accounts where id = ${id}`;
    const locker = connectAsOwner(ctx.databaseUrl);
    let letGo = () => {};
    const released = new Promise<void>((done) => (letGo = done));
    let locked = () => {};
    const isLocked = new Promise<void>((done) => (locked = done));
    const holding = locker.begin(async (tx) => {
      await tx`select 1 from sessions where account_id = ${id} for update`;
      locked();
      await released;
    }).finally(() => locker.end());
    holding.catch(() => {});
    stopLocking = letGo;
    await isLocked;

    const NEW = 'a kettle singing at dawn';
    const inFlight = browser.post(`${PRACTICE}/reset/password`, { new_password: NEW, new_password_confirmation: NEW }).catch(() => null);
    assert.ok(await eventually(async () => {
      const [waiting] = await ctx.owner`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and usename = 'gatehouse_app' and wait_event_type = 'Lock'`;
      return waiting.n > 0;
    }), 'A is inside the reset, waiting');
    await a.kill();
    letGo();
    await holding;
    assert.is(await inFlight, null, 'the browser got no answer from the dead instance');

    // A's transaction never committed: nothing of the reset is visible, the link is not used up.
    assert.ok(await eventually(async () => {
      const [gone] = await ctx.owner`select count(*)::int as n from pg_stat_activity where datname = current_database() and usename = 'gatehouse_app' and wait_event_type = 'Lock'`;
      return gone.n === 0;
    }));
    const [after] = await ctx.owner`select password_hash from accounts where id = ${id}`;
    assert.is(after.password_hash, before.password_hash, 'the password did not change');
    const [token] = await ctx.owner`select used_at from account_tokens where account_id = ${id} and purpose = 'reset' order by created_at desc limit 1`;
    assert.is(token.used_at, null, 'the link is not used up');
    const [completed] = await ctx.owner`select count(*)::int as n from audit_events where subject_account_id = ${id} and action = 'password.reset_completed'`;
    assert.is(completed.n, 0);

    // The same browser (its flow cookie) finishes on B.
    const onB = b.client('198.18.10.1');
    onB.setCookie('gatehouse_flow', browser.cookie('gatehouse_flow')!, PRACTICE);
    assert.is((await onB.post(`${PRACTICE}/reset/password`, { new_password: NEW, new_password_confirmation: NEW })).status, 303);
    const [done] = await ctx.owner`select count(*)::int as n from audit_events where subject_account_id = ${id} and action = 'password.reset_completed'`;
    assert.is(done.n, 1, 'completed exactly once');
    await signIn(b.client('198.18.10.3'), 'sunny-pediatrics', 'practice', 'camilles', NEW);
  } finally {
    stopLocking();
    await a.stop();
    await b.stop();
  }
});

test.run();
