import type { Database, Sql } from '../platform/db.ts';
import { createEncrypter, type Encrypter, type KeyRing } from '../platform/encryption.ts';
import { metrics } from '../platform/metrics.ts';

// The outbox: every email (and, in development, every text message) is a row written in the same transaction as
// the change it reports, its body encrypted, and delivered later by the worker in delivery.ts.

export type OutgoingEmail = {
  kind: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  accountId?: string | null;
};

export type EmailBody = { html: string; text: string };

/** The one key for queued bodies: they carry reset and invitation links until they are delivered. */
export function outboxEncrypter(keys: string | KeyRing): Encrypter {
  return createEncrypter(keys, 'outbox');
}

export function sealBody(encrypter: Encrypter, body: EmailBody): string {
  return encrypter.encrypt(JSON.stringify({ html: body.html, text: body.text }));
}

/** A queued body read back; null when it was cleared after delivery or cannot be read (its key is no longer in the ring). */
export function openBody(encrypter: Encrypter, sealed: string | null): EmailBody | null {
  const plain = sealed ? encrypter.decrypt(sealed) : null;
  return plain ? (JSON.parse(plain) as EmailBody) : null;
}

/** Queues an email inside the caller's tenant transaction: it is sent only if that transaction commits. */
export async function enqueueEmail(tx: Sql, encrypter: Encrypter, email: OutgoingEmail): Promise<string> {
  const [row] = await tx`
    insert into outbox (tenant_id, kind, account_id, to_address, subject, body_encrypted)
    values (app_tenant_id(), ${email.kind}, ${email.accountId ?? null}, ${email.to}, ${email.subject}, ${sealBody(encrypter, email)})
    returning id`;
  metrics.emails.inc({ event: 'queued' });
  return row.id;
}

export type EmailStatus = 'pending' | 'sending' | 'sent' | 'failed';

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

/** Outside production a finished email's body stays a day for the development mailbox; production clears it at once. */
export const FINISHED_BODY_HOURS = 24;
/** A finished email's row (address, subject, delivery state) for staff pages; the audit log keeps the outcome 6 years. */
export const FINISHED_ROW_DAYS = 90;

/**
 * Retention of the outbox, as the delivery worker (which owns these rows): the encrypted body of every sent or failed
 * email once it is a day old (in production it was cleared when it was sent), and the row itself after 90 days.
 * Pending emails are never touched: the delivery window ends them as sent or failed first.
 */
export async function sweepOutbox(db: Database, batch = 5000): Promise<number> {
  return db.asWorker('outbox', async (tx) => {
    const cleared = await tx`
      update outbox set body_encrypted = null where (tenant_id, id) in (
        select tenant_id, id from outbox
        where status in ('sent', 'failed') and body_encrypted is not null
          and created_at < now() - make_interval(hours => ${FINISHED_BODY_HOURS})
        limit ${batch})`;
    const deleted = await tx`
      delete from outbox where (tenant_id, id) in (
        select tenant_id, id from outbox
        where status in ('sent', 'failed') and created_at < now() - make_interval(days => ${FINISHED_ROW_DAYS})
        limit ${batch})
      returning 1`;
    return cleared.count + deleted.length;
  });
}
