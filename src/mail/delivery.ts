import { randomUUID } from 'node:crypto';
import type { Config } from '../platform/config.ts';
import { keyRingOf } from '../platform/encryption.ts';
import { runInBackground, type BackgroundJob } from '../platform/background.ts';
import { enterTenant, type Database, type Sql } from '../platform/db.ts';
import type { Encrypter } from '../platform/encryption.ts';
import { logger } from '../platform/log.ts';
import { metrics } from '../platform/metrics.ts';
import { openBody, outboxEncrypter } from './outbox.ts';
import { createResendTransport } from './resend.ts';
import { senderOf, sendingAddressOf } from './sender.ts';
import { createSmtpTransport } from './smtp.ts';
import type { Outcome, Transport } from './transport.ts';

// Delivers the outbox (outbox.ts). Any number of workers, one per instance, share the table: a claim takes
// due rows with FOR UPDATE SKIP LOCKED and leases them; the row id goes to the transport as its idempotency key
// (Resend) or Message-ID (SMTP). Each email leaves under its practice's name, with the practice's Reply-To, and
// its final outcome (delivered, or failed for good) is written to that practice's audit log.

type ClaimedRow = {
  tenant_id: string; id: string; kind: string; account_id: string | null; to_address: string; subject: string;
  body_encrypted: string | null; attempts: number; practice_name: string; reply_to: string | null;
};

export type MailWorkerOptions = {
  db: Database;
  config: Config;
  batchSize?: number;
  maxAttempts?: number;
  sendTimeoutMs?: number;
  retryBaseSeconds?: number;
  retryMaxSeconds?: number;
  pollIntervalMs?: number;
  /** How long a claim owns its rows; by default it outlives the slowest possible batch. */
  leaseSeconds?: number;
  /** Lines about failures and retries; they name the email's id and kind, never its address or body. */
  log?: (line: string) => void;
};

export type RunSummary = { claimed: number; sent: number; retried: number; failed: number; rateLimited: boolean };
export type MailWorker = { transport: string; runOnce(): Promise<RunSummary> };
export type RunningMailWorker = MailWorker & { stop(): Promise<void> };

// Resend remembers an idempotency key for 24 hours: a retry after that could deliver the same email twice. Every
// retry is therefore scheduled within 23 hours of the email's creation (however long a Retry-After asks for), and
// an email still undelivered half an hour after that is given up as failed, visibly, rather than risk a duplicate.
const DEFAULTS = { batchSize: 10, maxAttempts: 10, sendTimeoutMs: 10_000, retryBaseSeconds: 30, retryMaxSeconds: 3600, pollIntervalMs: 2000 };

/** A worker driven by its caller: each `runOnce()` claims one batch of due emails and settles every one of them. */
export function createMailWorker(options: MailWorkerOptions): MailWorker {
  const settings = { ...DEFAULTS, ...dropUndefined(options) };
  const { db, config } = settings;
  const log = options.log ?? ((line: string) => logger().warn(line));
  const encrypter = outboxEncrypter(keyRingOf(config));
  const transport = selectTransport(config, settings.sendTimeoutMs);
  const sendingAddress = sendingAddressOf(config.mailFrom);
  if (!sendingAddress) throw new Error('MAIL_FROM must hold an email address, such as "Gatehouse <no-reply@your-domain>"');
  // The lease outlives the slowest possible batch, so a live worker never loses its rows to another one.
  const leaseSeconds = options.leaseSeconds ?? Math.ceil((settings.batchSize * settings.sendTimeoutMs) / 1000) + 30;
  // The link inside a delivered email is a secret: production keeps no readable copy once it has left.
  const clearBody = config.env === 'production';

  async function runOnce(): Promise<RunSummary> {
    const claim = randomUUID();
    const rows = await claimDueEmails(db, claim, settings.batchSize, leaseSeconds, settings.maxAttempts, clearBody);
    const summary: RunSummary = { claimed: rows.length, sent: 0, retried: 0, failed: 0, rateLimited: false };
    let pauseSeconds: number | null = null;
    for (const row of rows) {
      // After a 429 the rest of the batch waits too: sending it anyway would only prolong the limit.
      const outcome: Outcome = pauseSeconds === null
        ? await deliver(row, encrypter, transport, sendingAddress!)
        : { kind: 'rate-limited', retryAfterSeconds: pauseSeconds };
      if (outcome.kind === 'rate-limited') {
        pauseSeconds = outcome.retryAfterSeconds;
        summary.rateLimited = true;
        await releaseRateLimited(db, claim, row.id, outcome.retryAfterSeconds);
      } else if (outcome.kind === 'sent') {
        summary.sent++;
        metrics.emails.inc({ event: 'sent' });
        await markSent(db, claim, row, transport.name, outcome.messageId, clearBody);
      } else if (outcome.kind === 'retry' && row.attempts < settings.maxAttempts) {
        summary.retried++;
        metrics.emails.inc({ event: 'retrying' });
        const delay = computeBackoffSeconds(row.attempts, settings.retryBaseSeconds, settings.retryMaxSeconds);
        log(`mail: ${row.kind} email ${row.id} attempt ${row.attempts} failed (${outcome.error}); next try in ${delay} s`);
        await scheduleRetry(db, claim, row.id, outcome.error, delay);
      } else {
        summary.failed++;
        metrics.emails.inc({ event: 'failed' });
        log(`mail: ${row.kind} email ${row.id} failed for good after ${row.attempts} attempt(s) (${outcome.error})`);
        await markFailed(db, claim, row, transport.name, outcome.error, clearBody);
      }
    }
    return summary;
  }

  return { transport: transport.name, runOnce };
}

/** The worker of a running server: polls until stopped, and goes straight on while a full batch came back. */
export function startMailWorker(options: MailWorkerOptions): RunningMailWorker {
  const worker = createMailWorker(options);
  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  const job: BackgroundJob = {
    name: 'mail delivery',
    everyMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
    async run() {
      const summary = await worker.runOnce();
      return summary.claimed === batchSize && !summary.rateLimited;
    },
  };
  const running = runInBackground([job], options.log);
  return { ...worker, stop: running.stop };
}

/** Resend (RESEND_API_KEY) or SMTP (SMTP_URL); configuration refuses both at once, so there is never a choice to make. */
function selectTransport(config: Config, timeoutMs: number): Transport {
  if (config.resendApiKey) return createResendTransport(config, config.resendApiKey, timeoutMs);
  if (config.smtpUrl) return createSmtpTransport(config, config.smtpUrl, timeoutMs);
  if (config.env === 'production') {
    throw new Error('RESEND_API_KEY or SMTP_URL must be set in production: without one no email would ever leave the outbox.');
  }
  // Development and tests: the row itself is the delivered email, read at /_dev/mail.
  return { name: 'development mailbox', send: async () => ({ kind: 'sent', messageId: null }) };
}

async function deliver(row: ClaimedRow, encrypter: Encrypter, transport: Transport, sendingAddress: string): Promise<Outcome> {
  const body = openBody(encrypter, row.body_encrypted);
  if (!body) return { kind: 'rejected', error: 'body missing or unreadable (is its key still in SECRET_KEY or SECRET_KEY_PREVIOUS?)' };
  const replyTo = row.reply_to && sendingAddressOf(row.reply_to) ? row.reply_to : null;
  return transport.send({
    id: row.id, from: senderOf(sendingAddress, row.practice_name), replyTo,
    to: row.to_address, subject: row.subject, html: body.html, text: body.text,
  });
}

/** Exponential backoff with ±20 % jitter, so instances that failed together do not retry together. */
export function computeBackoffSeconds(attempt: number, baseSeconds: number, maxSeconds: number): number {
  const exponential = Math.min(maxSeconds, baseSeconds * 2 ** (attempt - 1));
  return Math.max(1, Math.min(maxSeconds, Math.round(exponential * (0.8 + Math.random() * 0.4))));
}

async function claimDueEmails(db: Database, claim: string, limit: number, leaseSeconds: number, maxAttempts: number, clearBody: boolean) {
  return db.asWorker('outbox', async (tx) => {
    await tx`
      update outbox set status = 'failed', claimed_by = null, locked_until = null,
        last_error = 'not sent again: past the 24-hour window in which a retry is recognised (it could arrive twice)',
        body_encrypted = case when ${clearBody} then null else body_encrypted end
      where status in ('pending', 'sending') and next_attempt_at <= now() and created_at < now() - interval '23 hours 30 minutes'`;
    // A row whose worker died during its last allowed attempt is given up rather than tried once more.
    await tx`
      update outbox set status = 'failed', claimed_by = null, locked_until = null,
        last_error = 'delivery was interrupted during the last attempt',
        body_encrypted = case when ${clearBody} then null else body_encrypted end
      where status = 'sending' and next_attempt_at <= now() and attempts >= ${maxAttempts}`;
    return tx<ClaimedRow[]>`
      with due as (
        select tenant_id, id from outbox
        where status in ('pending', 'sending') and next_attempt_at <= now()
        order by next_attempt_at
        limit ${limit}
        for update skip locked
      )
      update outbox o set status = 'sending', attempts = o.attempts + 1, claimed_by = ${claim},
        locked_until = now() + make_interval(secs => ${leaseSeconds}),
        next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
      from due join tenants t on t.id = due.tenant_id
      where o.tenant_id = due.tenant_id and o.id = due.id
      returning o.tenant_id, o.id, o.kind, o.account_id, o.to_address, o.subject, o.body_encrypted, o.attempts,
        t.name as practice_name, t.settings->>'replyToEmail' as reply_to`;
  });
}

// Each outcome is written only while the claim still owns the row (claimed_by), so a worker that overran its
// lease cannot overwrite what the worker after it recorded.

function markSent(db: Database, claim: string, row: ClaimedRow, transport: string, messageId: string | null, clearBody: boolean) {
  return db.asWorker('outbox', async (tx) => {
    const updated = await tx`
      update outbox set status = 'sent', sent_at = now(), provider_message_id = ${messageId}, last_error = null,
        claimed_by = null, locked_until = null, body_encrypted = case when ${clearBody} then null else body_encrypted end
      where id = ${row.id} and claimed_by = ${claim} and status = 'sending'`;
    if (updated.count) await auditDelivery(tx, row, 'email.delivered', { transport, attempts: row.attempts });
  });
}

function scheduleRetry(db: Database, claim: string, id: string, error: string, delaySeconds: number) {
  return db.asWorker('outbox', (tx) => tx`
    update outbox set status = 'pending', last_error = ${error}, claimed_by = null, locked_until = null,
      next_attempt_at = least(now() + make_interval(secs => ${delaySeconds}), created_at + interval '23 hours')
    where id = ${id} and claimed_by = ${claim} and status = 'sending'`);
}

/** A 429 is the provider asking us to wait, not a fault of this email: the attempt is given back. */
function releaseRateLimited(db: Database, claim: string, id: string, retryAfterSeconds: number) {
  return db.asWorker('outbox', (tx) => tx`
    update outbox set status = 'pending', attempts = attempts - 1, claimed_by = null, locked_until = null,
      last_error = 'rate limited by the provider (HTTP 429)',
      next_attempt_at = least(now() + make_interval(secs => ${retryAfterSeconds}), created_at + interval '23 hours')
    where id = ${id} and claimed_by = ${claim} and status = 'sending'`);
}

function markFailed(db: Database, claim: string, row: ClaimedRow, transport: string, error: string, clearBody: boolean) {
  return db.asWorker('outbox', async (tx) => {
    const updated = await tx`
      update outbox set status = 'failed', last_error = ${error}, claimed_by = null, locked_until = null,
        body_encrypted = case when ${clearBody} then null else body_encrypted end
      where id = ${row.id} and claimed_by = ${claim} and status = 'sending'`;
    if (updated.count) await auditDelivery(tx, row, 'email.failed', { transport, attempts: row.attempts, error });
  });
}

/**
 * The outcome in the practice's audit log, in the same transaction as the row's new state: the email's kind and id,
 * never its address or body. The actor is Gatehouse itself (no account, no IP).
 */
async function auditDelivery(tx: Sql, row: ClaimedRow, action: 'email.delivered' | 'email.failed', detail: Record<string, unknown>) {
  await enterTenant(tx, row.tenant_id);
  await tx`
    insert into audit_events (tenant_id, action, subject_account_id, detail)
    values (${row.tenant_id}, ${action}, ${row.account_id}, ${tx.json({ kind: row.kind, emailId: row.id, ...detail } as never)})`;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
