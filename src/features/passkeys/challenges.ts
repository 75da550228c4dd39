import { hashToken, looksLikeToken, newSecret } from '../../core/account-tokens.ts';
import { hashSessionId } from '../../core/sessions.ts';
import type { Portal } from '../../core/tenant.ts';
import type { Sql } from '../../platform/db.ts';
import { CHALLENGE_MINUTES } from './relying-party.ts';

// Open passkey ceremonies, in PostgreSQL so any instance may finish what another began. The browser keeps a random
// secret in a cookie, the row only its SHA-256; a ceremony is taken (deleted) by the first attempt to finish it,
// whatever the outcome, so a signed answer can never be replayed.

export type Purpose = 'register' | 'sign_in';

export type OpenCeremony = {
  challenge: string;
  accountId: string | null;
  sessionHash: string | null;
  passkeyName: string | null;
  userHandle: string | null;
};

type Binding = { accountId: string; sessionId: string; passkeyName: string; userHandle: string };

/** Stores a challenge for this browser; the one it held before (another try, another tab) ends here. */
export async function openCeremony(
  tx: Sql, input: { purpose: Purpose; portal: Portal; challenge: string; previousSecret: string | null; binding?: Binding },
): Promise<string> {
  await tx`delete from passkey_challenges where expires_at < now()`;
  if (input.previousSecret && looksLikeToken(input.previousSecret)) {
    await tx`delete from passkey_challenges where secret_hash = ${hashToken(input.previousSecret)}`;
  }
  const secret = newSecret();
  const b = input.binding;
  await tx`
    insert into passkey_challenges (tenant_id, secret_hash, purpose, portal, challenge, account_id, session_hash, passkey_name, user_handle, expires_at)
    values (app_tenant_id(), ${hashToken(secret)}, ${input.purpose}, ${input.portal}, ${input.challenge},
            ${b?.accountId ?? null}, ${b ? hashSessionId(b.sessionId) : null}, ${b?.passkeyName ?? null}, ${b?.userHandle ?? null},
            now() + ${`${CHALLENGE_MINUTES} minutes`}::interval)`;
  return secret;
}

/** The open ceremony behind a cookie's secret, for this purpose and portal, still alive; gone from the table after. */
export async function takeCeremony(tx: Sql, secret: string | null, purpose: Purpose, portal: Portal): Promise<OpenCeremony | null> {
  if (!secret || !looksLikeToken(secret)) return null;
  const [row] = await tx`
    delete from passkey_challenges where secret_hash = ${hashToken(secret)}
    returning purpose, portal, challenge, account_id, session_hash, passkey_name, user_handle, expires_at > now() as alive`;
  if (!row || !row.alive || row.purpose !== purpose || row.portal !== portal) return null;
  return {
    challenge: row.challenge, accountId: row.account_id, sessionHash: row.session_hash, passkeyName: row.passkey_name, userHandle: row.user_handle,
  };
}
