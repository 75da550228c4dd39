import type { Sql } from '../platform/db.ts';
import { messagesForAccount } from './language.ts';
import { fromPractice, invitationEmail } from '../mail/emails.tsx';
import { issueToken } from './account-tokens.ts';
import { getAccountSummary } from './accounts.ts';
import { recordEvent } from './audit.ts';
import type { Scope } from './scope.ts';
import type { Portal } from './tenant.ts';

/**
 * Emails an invitation link (G5, staff invitations) to an account without a password; it chooses its password and
 * security question at /welcome. Null when the account has no email address to send it to.
 */
export async function sendInvitation(
  tx: Sql, scope: Scope, input: { accountId: string; portal: Portal },
): Promise<{ expiresAt: Date } | null> {
  const account = await getAccountSummary(tx, input.accountId);
  if (!account?.email || account.portal !== input.portal) return null;
  const { tenant, config } = scope;
  const days = tenant.settings.invitationDays;
  const invitedBy = scope.actor?.id ?? null;
  const { token, expiresAt } = await issueToken(tx, { accountId: input.accountId, purpose: 'invitation', lifetimeHours: days * 24, createdBy: invitedBy });
  const link = `${config.publicUrl}/${tenant.slug}/${input.portal}/welcome/${token}`;
  const recipient = { to: account.email, accountId: input.accountId, ...fromPractice(tenant) };
  await scope.mailer.queue(tx, invitationEmail(await messagesForAccount(tx, input.accountId, scope.origin.language), recipient, { link, days, username: account.username }));
  await recordEvent(tx, scope.origin, { action: 'invitation.created', actorAccountId: invitedBy, subjectAccountId: input.accountId, detail: { portal: input.portal } });
  return { expiresAt };
}
