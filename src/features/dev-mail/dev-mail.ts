import type { Mailer } from '../../mail/mailer.ts';
import type { Database } from '../../platform/db.ts';

// Reads across practices as the 'devmail' worker, a name the policy in sql/002 lets SELECT and nothing else: the
// delivery worker's 'outbox' would also have let this page change or claim rows.

const LIST_LIMIT = 200;

export type DevMailMessage = {
  id: string;
  kind: string;
  status: string;
  to: string;
  subject: string;
  html: string | null;
  text: string | null;
  createdAt: Date;
  sentAt: Date | null;
};

export async function listDevMail(db: Database, mailer: Mailer, to: string): Promise<DevMailMessage[]> {
  const rows = await db.asWorker('devmail', (tx) => tx`
    select id, kind, status, to_address, subject, body_encrypted, created_at, sent_at from outbox
    ${to ? tx`where lower(to_address) = ${to}` : tx``}
    order by created_at desc, id desc
    limit ${LIST_LIMIT}`);
  return rows.map((row) => readMessage(row, mailer));
}

export async function getDevMail(db: Database, mailer: Mailer, id: string): Promise<DevMailMessage | null> {
  const [row] = await db.asWorker('devmail', (tx) => tx`
    select id, kind, status, to_address, subject, body_encrypted, created_at, sent_at from outbox where id = ${id}`);
  return row ? readMessage(row, mailer) : null;
}

function readMessage(row: Record<string, any>, mailer: Mailer): DevMailMessage {
  const body = mailer.open(row.body_encrypted);
  return {
    id: row.id, kind: row.kind, status: row.status, to: row.to_address, subject: row.subject,
    text: body?.text ?? null, html: body?.html ?? null, createdAt: row.created_at, sentAt: row.sent_at,
  };
}
