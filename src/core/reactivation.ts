import type { Sql } from '../platform/db.ts';
import { sendInvitation } from './invitations.ts';
import type { Scope } from './scope.ts';
import type { Portal } from './tenant.ts';

// Deactivation wipes everything an account could sign in with (sql/031: password, security answer, two-factor,
// passkeys), so the person who comes back proves again that the email address is theirs: reactivation makes the
// account invited and emails the invitation at once. Without an address on file it stays invited until staff add
// one (or, for a guardian, hand over a temporary password).

export async function reinviteAccount(tx: Sql, scope: Scope, accountId: string, portal: Portal): Promise<{ invitationSent: boolean }> {
  await tx`update accounts set status = 'invited', updated_at = now() where id = ${accountId} and status = 'deactivated'`;
  return { invitationSent: (await sendInvitation(tx, scope, { accountId, portal })) !== null };
}
