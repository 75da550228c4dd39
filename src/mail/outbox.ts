import type { Sql } from '../platform/db.ts';
import { createEncrypter, type Encrypter } from '../platform/encryption.ts';
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
export function outboxEncrypter(secretKey: string): Encrypter {
  return createEncrypter(secretKey, 'outbox');
}

export function sealBody(encrypter: Encrypter, body: EmailBody): string {
  return encrypter.encrypt(JSON.stringify({ html: body.html, text: body.text }));
}

/** A queued body read back; null when it was cleared after delivery or cannot be read (SECRET_KEY changed). */
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
