import type { Config } from '../platform/config.ts';
import { keyRingOf } from '../platform/encryption.ts';
import type { Database, Sql } from '../platform/db.ts';
import { enqueueEmail, openBody, outboxEncrypter, type EmailBody, type OutgoingEmail } from './outbox.ts';
import { selectSmsProvider, type SmsProvider } from './sms.ts';

/** How the rest of Gatehouse sends anything to a person: one per process, in AppDeps. */
export type Mailer = {
  /** Queues an email inside the caller's tenant transaction: it leaves only if that transaction commits. */
  queue(tx: Sql, email: OutgoingEmail): Promise<string>;
  /** A queued body read back (the development mailbox); null once delivered in production or unreadable. */
  open(sealed: string | null): EmailBody | null;
  /** Text messages; null where no provider is configured (production without Twilio), so nobody is offered SMS. */
  sms: SmsProvider | null;
};

export function createMailer(deps: { db: Database; config: Config }, env: Record<string, string | undefined> = process.env): Mailer {
  const encrypter = outboxEncrypter(keyRingOf(deps.config));
  return {
    queue: (tx, email) => enqueueEmail(tx, encrypter, email),
    open: (sealed) => openBody(encrypter, sealed),
    sms: selectSmsProvider(deps, env),
  };
}
