import { randomUUID } from 'node:crypto';
import { Resend } from 'resend';
import type { Config } from '../platform/config.ts';
import type { Database, Sql } from '../platform/db.ts';
import { createEncrypter, type Encrypter } from '../platform/encryption.ts';

// Delivers the outbox (src/outbox.ts). Any number of workers, one per instance, share the table: a claim takes
// due rows with FOR UPDATE SKIP LOCKED and leases them; the row id doubles as Resend's idempotency key, so a
// retry after a lost answer cannot send the same email twice.

export type EmailStatus = 'pending' | 'sending' | 'sent' | 'failed';

type Outcome =
  | { kind: 'sent'; messageId: string | null }
  | { kind: 'retry'; error: string }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'rejected'; error: string };

type Message = { id: string; to: string; subject: string; html: string; text: string };
type Transport = { name: string; send(message: Message): Promise<Outcome> };
type ClaimedRow = { id: string; kind: string; to_address: string; subject: string; body_encrypted: string | null; attempts: number };

export type MailWorkerOptions = {
  db: Database;
  config: Config;
  batchSize?: number;
  maxAttempts?: number;
  sendTimeoutMs?: number;
  retryBaseSeconds?: number;
  retryMaxSeconds?: number;
  pollIntervalMs?: number;
  /** Lines about failures and retries; they name the email's id and kind, never its address or body. */
  log?: (line: string) => void;
};

export type RunSummary = { claimed: number; sent: number; retried: number; failed: number; rateLimited: boolean };
export type MailWorker = { transport: string; runOnce(): Promise<RunSummary> };
export type RunningMailWorker = MailWorker & { stop(): Promise<void> };

const DEFAULTS = { batchSize: 10, maxAttempts: 10, sendTimeoutMs: 10_000, retryBaseSeconds: 30, retryMaxSeconds: 3600, pollIntervalMs: 2000 };

/** A worker driven by its caller: each `runOnce()` claims one batch of due emails and settles every one of them. */
export function createMailWorker(options: MailWorkerOptions): MailWorker {
  const settings = { ...DEFAULTS, ...dropUndefined(options) };
  const { db, config } = settings;
  const log = options.log ?? ((line: string) => console.error(line));
  const encrypter = createEncrypter(config.secretKey, 'outbox');
  const transport = selectTransport(config, settings.sendTimeoutMs);
  // The lease outlives the slowest possible batch, so a live worker never loses its rows to another one.
  const leaseSeconds = Math.ceil((settings.batchSize * settings.sendTimeoutMs) / 1000) + 30;
  // The link inside a delivered email is a secret: production keeps no readable copy once it has left.
  const clearBody = config.env === 'production';

  async function runOnce(): Promise<RunSummary> {
    const claim = randomUUID();
    const rows = await claimDueEmails(db.sql, claim, settings.batchSize, leaseSeconds, settings.maxAttempts, clearBody);
    const summary: RunSummary = { claimed: rows.length, sent: 0, retried: 0, failed: 0, rateLimited: false };
    let pauseSeconds: number | null = null;
    for (const row of rows) {
      // After a 429 the rest of the batch waits too: sending it anyway would only prolong the limit.
      const outcome: Outcome = pauseSeconds === null
        ? await deliver(row, encrypter, transport)
        : { kind: 'rate-limited', retryAfterSeconds: pauseSeconds };
      if (outcome.kind === 'rate-limited') {
        pauseSeconds = outcome.retryAfterSeconds;
        summary.rateLimited = true;
        await releaseRateLimited(db.sql, claim, row.id, outcome.retryAfterSeconds);
      } else if (outcome.kind === 'sent') {
        summary.sent++;
        await markSent(db.sql, claim, row.id, outcome.messageId, clearBody);
      } else if (outcome.kind === 'retry' && row.attempts < settings.maxAttempts) {
        summary.retried++;
        const delay = computeBackoffSeconds(row.attempts, settings.retryBaseSeconds, settings.retryMaxSeconds);
        log(`mail: ${row.kind} email ${row.id} attempt ${row.attempts} failed (${outcome.error}); next try in ${delay} s`);
        await scheduleRetry(db.sql, claim, row.id, outcome.error, delay);
      } else {
        summary.failed++;
        log(`mail: ${row.kind} email ${row.id} failed for good after ${row.attempts} attempt(s) (${outcome.error})`);
        await markFailed(db.sql, claim, row.id, outcome.error, clearBody);
      }
    }
    return summary;
  }

  return { transport: transport.name, runOnce };
}

/** The worker of a running server: polls until stopped, and goes straight on while a full batch came back. */
export function startMailWorker(options: MailWorkerOptions): RunningMailWorker {
  const worker = createMailWorker(options);
  const log = options.log ?? ((line: string) => console.error(line));
  const interval = options.pollIntervalMs ?? DEFAULTS.pollIntervalMs;
  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function tick() {
    let busy = false;
    try {
      const summary = await worker.runOnce();
      busy = summary.claimed === batchSize && !summary.rateLimited;
    } catch (error) {
      log(`mail: delivery run failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), busy ? 0 : interval);
  }

  running = tick();
  return {
    ...worker,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

function selectTransport(config: Config, timeoutMs: number): Transport {
  if (config.resendApiKey) return createResendTransport(config, config.resendApiKey, timeoutMs);
  if (config.env === 'production') {
    throw new Error('RESEND_API_KEY must be set in production: without it no email would ever leave the outbox.');
  }
  // Development and tests: the row itself is the delivered email, read at /_dev/mail.
  return { name: 'development mailbox', send: async () => ({ kind: 'sent', messageId: null }) };
}

function createResendTransport(config: Config, apiKey: string, timeoutMs: number): Transport {
  const resend = new Resend(apiKey, config.resendBaseUrl ? { baseUrl: config.resendBaseUrl } : undefined);
  return {
    name: 'resend',
    async send(message) {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => (controller.abort(), resolve('timeout')), timeoutMs);
      });
      try {
        const payload = { from: config.mailFrom, to: message.to, subject: message.subject, html: message.html, text: message.text };
        const sending = resend.emails.send(payload, { idempotencyKey: message.id, signal: controller.signal });
        const result = await Promise.race([sending, timedOut]);
        if (result === 'timeout' || controller.signal.aborted) return { kind: 'retry', error: `no answer within ${timeoutMs} ms` };
        if (!result.error) return { kind: 'sent', messageId: result.data.id };
        // Only the status and the error code are kept: the provider's free text could echo what we sent.
        const status = result.error.statusCode;
        const code = String(result.error.name ?? 'unknown').replace(/[^a-z_]/gi, '').slice(0, 40);
        if (status === 429 || /rate_limit|quota/.test(code)) return { kind: 'rate-limited', retryAfterSeconds: readRetryAfter(result.headers) };
        const error = status ? `HTTP ${status} ${code}` : `no response (${code})`;
        // 400 and 422 mean this email itself is unacceptable; anything else may pass on a later try.
        return status === 400 || status === 422 ? { kind: 'rejected', error } : { kind: 'retry', error };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function deliver(row: ClaimedRow, encrypter: Encrypter, transport: Transport): Promise<Outcome> {
  const plain = row.body_encrypted ? encrypter.decrypt(row.body_encrypted) : null;
  if (!plain) return { kind: 'rejected', error: 'body missing or unreadable (was SECRET_KEY changed?)' };
  const body = JSON.parse(plain) as { html: string; text: string };
  return transport.send({ id: row.id, to: row.to_address, subject: row.subject, html: body.html, text: body.text });
}

/** Seconds from Retry-After (seconds or an HTTP date), else Resend's ratelimit-reset, else a minute. */
function readRetryAfter(headers: Record<string, string> | null): number {
  const raw = headers?.['retry-after'] ?? headers?.['ratelimit-reset'];
  let seconds = Number(raw);
  if (raw && !Number.isFinite(seconds)) seconds = (Date.parse(raw) - Date.now()) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.ceil(seconds), 86_400) : 60;
}

/** Exponential backoff with ±20 % jitter, so instances that failed together do not retry together. */
function computeBackoffSeconds(attempt: number, baseSeconds: number, maxSeconds: number): number {
  const exponential = Math.min(maxSeconds, baseSeconds * 2 ** (attempt - 1));
  return Math.max(1, Math.min(maxSeconds, Math.round(exponential * (0.8 + Math.random() * 0.4))));
}

/** A transaction that may see and change every practice's outbox rows (the RLS policy in sql/002 allows it). */
function runAsWorker<T>(sql: Sql, work: (tx: Sql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`select set_config('app.worker', 'outbox', true)`;
    return work(tx as unknown as Sql);
  }) as Promise<T>;
}

async function claimDueEmails(sql: Sql, claim: string, limit: number, leaseSeconds: number, maxAttempts: number, clearBody: boolean) {
  return runAsWorker(sql, async (tx) => {
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
      from due where o.tenant_id = due.tenant_id and o.id = due.id
      returning o.id, o.kind, o.to_address, o.subject, o.body_encrypted, o.attempts`;
  });
}

// Each outcome is written only while the claim still owns the row (claimed_by), so a worker that overran its
// lease cannot overwrite what the worker after it recorded.

function markSent(sql: Sql, claim: string, id: string, messageId: string | null, clearBody: boolean) {
  return runAsWorker(sql, (tx) => tx`
    update outbox set status = 'sent', sent_at = now(), provider_message_id = ${messageId}, last_error = null,
      claimed_by = null, locked_until = null, body_encrypted = case when ${clearBody} then null else body_encrypted end
    where id = ${id} and claimed_by = ${claim} and status = 'sending'`);
}

function scheduleRetry(sql: Sql, claim: string, id: string, error: string, delaySeconds: number) {
  return runAsWorker(sql, (tx) => tx`
    update outbox set status = 'pending', last_error = ${error}, claimed_by = null, locked_until = null,
      next_attempt_at = now() + make_interval(secs => ${delaySeconds})
    where id = ${id} and claimed_by = ${claim} and status = 'sending'`);
}

/** A 429 is the provider asking us to wait, not a fault of this email: the attempt is given back. */
function releaseRateLimited(sql: Sql, claim: string, id: string, retryAfterSeconds: number) {
  return runAsWorker(sql, (tx) => tx`
    update outbox set status = 'pending', attempts = attempts - 1, claimed_by = null, locked_until = null,
      last_error = 'rate limited by the provider (HTTP 429)', next_attempt_at = now() + make_interval(secs => ${retryAfterSeconds})
    where id = ${id} and claimed_by = ${claim} and status = 'sending'`);
}

function markFailed(sql: Sql, claim: string, id: string, error: string, clearBody: boolean) {
  return runAsWorker(sql, (tx) => tx`
    update outbox set status = 'failed', last_error = ${error}, claimed_by = null, locked_until = null,
      body_encrypted = case when ${clearBody} then null else body_encrypted end
    where id = ${id} and claimed_by = ${claim} and status = 'sending'`);
}

export type LastEmailStatus = {
  kind: string;
  status: EmailStatus;
  createdAt: Date;
  sentAt: Date | null;
  attempts: number;
  lastError: string | null;
  /** When the next try is due; null unless the email is waiting for one. */
  nextAttemptAt: Date | null;
};

/** The latest email to an account, for staff pages ("delivery status of the last email"); runs in a tenant transaction. */
export async function getLastEmailStatus(tx: Sql, accountId: string): Promise<LastEmailStatus | null> {
  const [row] = await tx`
    select kind, status, created_at, sent_at, attempts, last_error, next_attempt_at from outbox
    where tenant_id = app_tenant_id() and account_id = ${accountId}
    order by created_at desc limit 1`;
  if (!row) return null;
  return {
    kind: row.kind, status: row.status, createdAt: row.created_at, sentAt: row.sent_at, attempts: row.attempts,
    lastError: row.last_error, nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
  };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
