import type { Sql } from '../platform/db.ts';
import type { Encrypter } from '../platform/encryption.ts';

export type OutgoingEmail = {
  kind: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  accountId?: string | null;
};

/** Queues an email inside the caller's tenant transaction: it is sent only if that transaction commits. */
export async function enqueueEmail(tx: Sql, encrypter: Encrypter, email: OutgoingEmail): Promise<string> {
  const body = encrypter.encrypt(JSON.stringify({ html: email.html, text: email.text }));
  const [row] = await tx`
    insert into outbox (tenant_id, kind, account_id, to_address, subject, body_encrypted)
    values (app_tenant_id(), ${email.kind}, ${email.accountId ?? null}, ${email.to}, ${email.subject}, ${body})
    returning id`;
  return row.id;
}
