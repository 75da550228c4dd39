// Retention: each sweep deletes what is past its window and nothing younger, against the real database and its
// policies. The audit log is kept six years (or the deployment's longer setting) and the database itself refuses to
// let it go sooner, whoever asks.
import { randomUUID } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sweepRetention } from '../../src/app.ts';
import { sweepAuditEvents, sweepSessions, sweepSpentSecrets } from '../../src/core/retention.ts';
import { sweepOutbox } from '../../src/mail/outbox.ts';
import { accountId, createTestContext, tenantId } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const SUNNY = await tenantId(ctx.owner, 'sunny-pediatrics');
const OAK = await tenantId(ctx.owner, 'oak-family-medicine');
const sunnyAdmin = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'admin');
const oakAdmin = await accountId(ctx.owner, 'oak-family-medicine', 'practice', 'admin');
const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com');

/** An audit event written `age` ago (a PostgreSQL interval), as the owner restoring history would. */
async function auditEventAged(tenant: string, age: string): Promise<string> {
  const [row] = await ctx.owner`
    insert into audit_events (tenant_id, action, occurred_at, detail)
    values (${tenant}, 'sign_in.succeeded', now() - ${age}::interval, ${ctx.owner.json({ age })}) returning id::text`;
  return row.id;
}
const auditExists = async (id: string) => (await ctx.owner`select 1 from audit_events where id = ${id}::bigint`).length === 1;

test('audit events older than six years are deleted in every practice; younger ones stay, to the day', async () => {
  const old = [await auditEventAged(SUNNY, '6 years 1 day'), await auditEventAged(OAK, '9 years')];
  const young = [await auditEventAged(SUNNY, '6 years - 1 day'), await auditEventAged(OAK, '5 years'), await auditEventAged(SUNNY, '1 hour')];
  const total = (await ctx.owner`select count(*)::int as n from audit_events`)[0].n;
  assert.is(await sweepAuditEvents(ctx.db, 6), 2);
  for (const id of old) assert.is(await auditExists(id), false);
  for (const id of young) assert.is(await auditExists(id), true);
  assert.is((await ctx.owner`select count(*)::int as n from audit_events`)[0].n, total - 2, 'nothing else went');
  assert.is(await sweepAuditEvents(ctx.db, 6), 0);
});

test('a longer deployment window keeps more; a shorter one than six years is refused', async () => {
  const sixAndAHalf = await auditEventAged(SUNNY, '6 years 6 months');
  const eight = await auditEventAged(OAK, '8 years');
  assert.is(await sweepAuditEvents(ctx.db, 7), 1);
  assert.is(await auditExists(sixAndAHalf), true);
  assert.is(await auditExists(eight), false);
  await rejects(() => sweepAuditEvents(ctx.db, 5), /at least six years/);
  assert.is(await auditExists(sixAndAHalf), true);
  await sweepAuditEvents(ctx.db, 6);
  assert.is(await auditExists(sixAndAHalf), false);
});

test('the database refuses early deletion whoever asks: the app, another worker, even the owner', async () => {
  const young = await auditEventAged(SUNNY, '5 years 11 months');
  const old = await auditEventAged(SUNNY, '7 years');
  // The retention worker cannot see a young row, so its DELETE finds nothing.
  const asRetention = await ctx.db.asWorker('audit-retention', async (tx) => (await tx`delete from audit_events where id = ${young}::bigint`).count);
  assert.is(asRetention, 0);
  // Another worker, or a practice's own transaction, may delete nothing, old or young.
  assert.is(await ctx.db.asWorker('retention', async (tx) => (await tx`delete from audit_events where id = ${old}::bigint`).count), 0);
  await rejects(() => ctx.db.inTenant(SUNNY, (tx) => tx`delete from audit_events where id = ${old}::bigint`), /append-only/);
  await rejects(() => ctx.db.inTenant(SUNNY, (tx) => tx`update audit_events set action = 'x' where id = ${old}::bigint`), /append-only|permission denied/);
  // The owner bypasses row-level security, and the trigger still holds the six years.
  await rejects(() => ctx.owner.begin(async (tx) => {
    await tx`select set_config('app.worker', 'audit-retention', true)`;
    await tx`delete from audit_events where id = ${young}::bigint`;
  }), /append-only/);
  await rejects(() => ctx.owner`delete from audit_events where id = ${old}::bigint`, /append-only/);
  await rejects(() => ctx.owner`truncate audit_events`, /append-only/);
  assert.is(await auditExists(young), true);
  assert.is(await auditExists(old), true);
});

async function session(tenant: string, account: string, portal: 'practice' | 'patient', lastSeen: string, expiresIn = '6 hours') {
  const idHash = randomUUID();
  await ctx.owner`
    insert into sessions (tenant_id, id_hash, account_id, portal, created_at, last_seen_at, expires_at)
    values (${tenant}, ${idHash}, ${account}, ${portal}, now() - interval '1 hour', now() - ${lastSeen}::interval, now() + ${expiresIn}::interval)`;
  return idHash;
}
const sessionExists = async (idHash: string) => (await ctx.owner`select 1 from sessions where id_hash = ${idHash}`).length === 1;

test("sessions go once past their 12 hours or idle longer than their practice allows on that portal; live ones stay", async () => {
  await ctx.owner`update tenants set settings = settings || '{"idleMinutesPractice": 120}' where id = ${OAK}`;
  const gone = [
    await session(SUNNY, sunnyAdmin, 'practice', '1 minute', '-1 second'), // past its absolute end
    await session(SUNNY, sunnyAdmin, 'practice', '31 minutes'), // Sunny's staff idle limit is 30 minutes
    await session(SUNNY, jordan, 'patient', '61 minutes'), // the patient portal's is 60
  ];
  const kept = [
    await session(SUNNY, sunnyAdmin, 'practice', '29 minutes'),
    await session(SUNNY, jordan, 'patient', '45 minutes'),
    await session(OAK, oakAdmin, 'practice', '90 minutes'), // Oak allows 120
  ];
  try {
    assert.is(await sweepSessions(ctx.db), 3);
  } finally {
    await ctx.owner`update tenants set settings = settings - 'idleMinutesPractice' where id = ${OAK}`;
  }
  for (const id of gone) assert.is(await sessionExists(id), false);
  for (const id of kept) assert.is(await sessionExists(id), true);
});

async function link(account: string, ended: { used?: string; revoked?: string; expires: string }) {
  const [row] = await ctx.owner`
    insert into account_tokens (tenant_id, account_id, purpose, token_hash, created_at, expires_at, used_at, revoked_at)
    values (${SUNNY}, ${account}, 'reset', ${randomUUID()}, now() - interval '30 days', now() - ${ended.expires}::interval,
            ${ended.used ? ctx.owner`now() - ${ended.used}::interval` : null}, ${ended.revoked ? ctx.owner`now() - ${ended.revoked}::interval` : null})
    returning id`;
  return row.id as string;
}

test('links go a week after they were used, revoked or expired; a valid link and a recently spent one stay', async () => {
  const gone = [
    await link(jordan, { used: '8 days', expires: '-40 days' }),
    await link(jordan, { revoked: '8 days', expires: '-40 days' }),
    await link(jordan, { expires: '8 days' }),
  ];
  const kept = [
    await link(jordan, { used: '6 days', expires: '-40 days' }),
    await link(jordan, { expires: '6 days' }),
    await link(jordan, { expires: '-2 days' }),
  ];
  const before = (await ctx.owner`select count(*)::int as n from account_tokens`)[0].n;
  await sweepSpentSecrets(ctx.db);
  const left = new Set((await ctx.owner`select id from account_tokens`).map((r) => r.id));
  for (const id of gone) assert.is(left.has(id), false);
  for (const id of kept) assert.is(left.has(id), true);
  assert.ok(left.size >= before - gone.length);
});

test('two-factor leftovers go as soon as they can no longer be used; usable ones stay', async () => {
  const expires = async (table: string, when: string, extra: Record<string, unknown> = {}) => {
    const base = { tenant_id: SUNNY, account_id: jordan, expires_at: ctx.owner`now() - ${when}::interval`, ...extra };
    const [row] = await ctx.owner`insert into ${ctx.owner(table)} ${ctx.owner(base as never)} returning *`;
    return row;
  };
  const oldStep = await expires('two_factor_challenges', '1 second', { secret_hash: randomUUID(), portal: 'patient' });
  const liveStep = await expires('two_factor_challenges', '-5 minutes', { secret_hash: randomUUID(), portal: 'patient' });
  const usedText = await expires('two_factor_sms_codes', '-5 minutes', { code_hash: randomUUID(), used_at: new Date() });
  const liveText = await expires('two_factor_sms_codes', '-5 minutes', { code_hash: randomUUID() });
  const oldBrowser = await expires('remembered_devices', '1 day', { token_hash: randomUUID(), portal: 'patient' });
  const liveBrowser = await expires('remembered_devices', '-29 days', { token_hash: randomUUID(), portal: 'patient' });
  await expires('two_factor_enrolments', '1 minute', { session_hash: 'x', secret_encrypted: 'v2.x' });
  await sweepSpentSecrets(ctx.db);
  const ids = async (table: string) => new Set((await ctx.owner`select id from ${ctx.owner(table)}`).map((r) => r.id));
  assert.equal([(await ids('two_factor_challenges')).has(oldStep.id), (await ids('two_factor_challenges')).has(liveStep.id)], [false, true]);
  assert.equal([(await ids('two_factor_sms_codes')).has(usedText.id), (await ids('two_factor_sms_codes')).has(liveText.id)], [false, true]);
  assert.equal([(await ids('remembered_devices')).has(oldBrowser.id), (await ids('remembered_devices')).has(liveBrowser.id)], [false, true]);
  assert.is((await ctx.owner`select count(*)::int as n from two_factor_enrolments`)[0].n, 0);
});

async function email(status: string, age: string) {
  const [row] = await ctx.owner`
    insert into outbox (tenant_id, kind, to_address, subject, body_encrypted, status, created_at, sent_at)
    values (${SUNNY}, 'invitation', 'someone@example.com', 'Welcome', 'v2.sealed.body', ${status},
            now() - ${age}::interval, ${status === 'sent' ? ctx.owner`now() - ${age}::interval` : null})
    returning id`;
  return row.id as string;
}

test('finished emails lose their encrypted body after a day and their row after 90 days; waiting emails are untouched', async () => {
  await ctx.owner`delete from outbox`;
  const recent = await email('sent', '1 hour');
  const yesterday = await email('sent', '25 hours');
  const failedLastWeek = await email('failed', '7 days');
  const old = await email('sent', '91 days');
  const oldFailed = await email('failed', '100 days');
  const waiting = await email('pending', '100 days');
  await sweepOutbox(ctx.db);
  const rows = new Map((await ctx.owner`select id, body_encrypted from outbox`).map((r) => [r.id, r.body_encrypted]));
  assert.is(rows.get(recent), 'v2.sealed.body');
  assert.is(rows.get(yesterday), null);
  assert.is(rows.get(failedLastWeek), null);
  assert.is(rows.has(old), false);
  assert.is(rows.has(oldFailed), false);
  assert.is(rows.get(waiting), 'v2.sealed.body', 'a pending email keeps what it must still deliver');
});

test('the background round runs every sweep: old throttle rows and expired printouts go with the rest', async () => {
  await ctx.owner`delete from rate_limits`;
  await ctx.owner`insert into rate_limits (bucket, key_hash, window_started_at, hits) values ('sign-in', 'old', now() - interval '25 hours', 3), ('sign-in', 'fresh', now(), 1)`;
  const [patient] = await ctx.owner`select id from patients where tenant_id = ${SUNNY} limit 1`;
  await ctx.owner`
    insert into credential_printouts (tenant_id, account_id, patient_id, created_by, password_encrypted, temporary_until, notice_missing_reason, created_at, expires_at)
    values (${SUNNY}, ${jordan}, ${patient.id}, ${sunnyAdmin}, 'v2.x', now() + interval '7 days', 'not_requested', now() - interval '20 minutes', now() - interval '5 minutes'),
           (${SUNNY}, ${jordan}, ${patient.id}, ${sunnyAdmin}, 'v2.y', now() + interval '7 days', 'not_requested', now(), now() + interval '15 minutes')`;
  const young = await auditEventAged(OAK, '2 years');
  const old = await auditEventAged(OAK, '6 years 2 days');
  assert.is(await sweepRetention(ctx), false, 'nothing left for another round');
  assert.equal((await ctx.owner`select key_hash from rate_limits`).map((r) => r.key_hash), ['fresh']);
  assert.equal((await ctx.owner`select password_encrypted from credential_printouts`).map((r) => r.password_encrypted), ['v2.y']);
  assert.equal([await auditExists(young), await auditExists(old)], [true, false]);
});

/** The error a refused operation threw, matched against `pattern`; fails when it did not throw. */
async function rejects(run: () => Promise<unknown>, pattern: RegExp) {
  let message: string | null = null;
  try {
    await run();
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  assert.ok(message !== null, `expected a refusal matching ${pattern}`);
  assert.match(message!, pattern);
}

test.run();
