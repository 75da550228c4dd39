import { issueToken, markTokenUsed, revokeTokens, type TokenRow } from './account-tokens.ts';
import { recordEvent, type RequestOrigin } from './audit.ts';
import type { Config } from '../platform/config.ts';
import type { Sql } from '../platform/db.ts';
import { invitationEmail } from '../mail/emails.tsx';
import { createEncrypter } from '../platform/encryption.ts';
import { messagesFor } from '../copy/messages.ts';
import { enqueueEmail } from '../mail/outbox.ts';
import { hashSecret } from './passwords.ts';
import { setPassword } from '../features/recovery/password-reset.ts';
import { hashAnswer } from './security-question.ts';
import type { Portal, Tenant } from './tenant.ts';

/** Emails an invitation link (G5, staff invitations); the account chooses its password and question there. */
export async function sendInvitation(
  tx: Sql, config: Config, tenant: Tenant, input: { accountId: string; portal: Portal; invitedBy: string | null }, origin: RequestOrigin,
): Promise<{ expiresAt: Date } | null> {
  const [account] = await tx`select username, email from accounts where id = ${input.accountId} and portal = ${input.portal}`;
  if (!account?.email) return null;
  const days = tenant.settings.invitationDays;
  const { token, expiresAt } = await issueToken(tx, { accountId: input.accountId, purpose: 'invitation', lifetimeHours: days * 24, createdBy: input.invitedBy });
  const link = `${config.publicUrl}/${tenant.slug}/${input.portal}/welcome/${token}`;
  const recipient = { to: account.email, accountId: input.accountId, practice: tenant.name };
  await enqueueEmail(tx, createEncrypter(config.secretKey, 'outbox'), invitationEmail(messagesFor('en'), recipient, { link, days, username: account.username }));
  await recordEvent(tx, origin, { action: 'invitation.created', actorAccountId: input.invitedBy, subjectAccountId: input.accountId, detail: { portal: input.portal } });
  return { expiresAt };
}

/** Completes an invitation: the account gets its password and security question and becomes active. */
export async function acceptInvitation(
  tx: Sql, flow: TokenRow, input: { password: string; question: string; answer: string }, origin: RequestOrigin,
): Promise<void> {
  await setPassword(tx, flow.accountId, await hashSecret(input.password));
  await tx`update accounts set security_question = ${input.question}, security_answer_hash = ${await hashAnswer(input.answer)} where id = ${flow.accountId}`;
  await markTokenUsed(tx, flow.id);
  await revokeTokens(tx, flow.accountId, 'invitation accepted');
  await recordEvent(tx, origin, { action: 'invitation.accepted', actorAccountId: flow.accountId, subjectAccountId: flow.accountId });
}
