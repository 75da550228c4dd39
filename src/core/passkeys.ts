import type { Sql } from '../platform/db.ts';
import { recordEvent, type RequestOrigin } from './audit.ts';

// What other capabilities need of passkeys: forgetting an account's passkeys when an administrator resets its
// two-factor authentication or deactivates it. (A password reset keeps them: a passkey is not a password.)

export type PasskeyRemovalReason = 'two_factor_reset' | 'deactivated';

/** Removes every passkey of an account (and its open passkey ceremonies); audited when there was any. */
export async function removeAccountPasskeys(
  tx: Sql, origin: RequestOrigin, input: { accountId: string; actorAccountId: string; reason: PasskeyRemovalReason },
): Promise<number> {
  await tx`delete from passkey_challenges where account_id = ${input.accountId}`;
  const removed = await tx`delete from passkeys where account_id = ${input.accountId} returning name`;
  if (removed.length > 0) {
    await recordEvent(tx, origin, {
      action: 'passkey.removed', actorAccountId: input.actorAccountId, subjectAccountId: input.accountId,
      detail: { count: removed.length, reason: input.reason },
    });
  }
  return removed.length;
}
