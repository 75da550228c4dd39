import type { Sql } from '../../platform/db.ts';
import { markTokenUsed, revokeTokens, type TokenRow } from '../../core/account-tokens.ts';
import { setPassword } from '../../core/accounts.ts';
import { recordEvent, type RequestOrigin } from '../../core/audit.ts';
import { hashSecret } from '../../core/passwords.ts';
import { hashAnswer } from '../../core/security-question.ts';

/** Completes an invitation (G5, staff): the account gets its password and security question and becomes active. */
export async function acceptInvitation(
  tx: Sql, origin: RequestOrigin, flow: TokenRow, input: { password: string; question: string; answer: string },
): Promise<void> {
  await setPassword(tx, flow.accountId, await hashSecret(input.password));
  await tx`update accounts set security_question = ${input.question}, security_answer_hash = ${await hashAnswer(input.answer)} where id = ${flow.accountId}`;
  await markTokenUsed(tx, flow.id);
  await revokeTokens(tx, flow.accountId, 'invitation accepted');
  await recordEvent(tx, origin, { action: 'invitation.accepted', actorAccountId: flow.accountId, subjectAccountId: flow.accountId });
}
