import { EmailBody, emailText } from '../../views/ui/email.tsx';
import { createEncrypter } from '../platform/encryption.ts';
import type { Config } from '../platform/config.ts';
import type { Sql } from '../platform/db.ts';
import { messagesFor } from '../copy/messages.ts';
import { enqueueEmail } from './outbox.ts';
import type { Tenant } from '../core/tenant.ts';

export type TwoFactorChange = 'enabled' | 'disabled' | 'reset';

/** Tells the owner by email that 2FA changed on their account, so a change they did not make does not go unseen. */
export async function notifyTwoFactorChange(tx: Sql, config: Config, tenant: Tenant, accountId: string, change: TwoFactorChange): Promise<void> {
  const [account] = await tx`select email from accounts where id = ${accountId}`;
  if (!account?.email) return;
  const t = messagesFor('en');
  const m = t.twoFactor.emails;
  const subject = { enabled: m.enabledSubject, disabled: m.disabledSubject, reset: m.resetSubject }[change](tenant.name);
  const block = { paragraphs: [{ enabled: m.enabled, disabled: m.disabled, reset: m.reset }[change], m.notYou] };
  const footer = t.emails.footer(tenant.name);
  await enqueueEmail(tx, createEncrypter(config.secretKey, 'outbox'), {
    kind: `two_factor_${change}`,
    to: account.email,
    accountId,
    subject,
    html: (<EmailBody practice={tenant.name} footer={footer} block={block} />).toString(),
    text: emailText(tenant.name, footer, block),
  });
}
