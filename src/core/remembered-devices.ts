import { newSecret, hashToken, looksLikeToken } from './account-tokens.ts';
import type { RequestOrigin } from './audit.ts';
import type { Sql } from '../platform/db.ts';
import type { Portal } from './tenant.ts';

// "Save token for 30 days. (Not on public computers!)": a browser trusted for the second sign-in step. The browser
// holds a 256-bit token, the server its SHA-256; every use swaps the token for a new one, so a copied cookie works
// at most once and its theft shows (the owner is asked for a code again). A record only counts while it is younger
// than the practice's setting, than the account's password and than its 2FA secret: a password change or reset,
// or 2FA turned off, reset or set up again, ends it even where a revoke was missed.

export type RememberedDevice = { token: string; expiresAt: Date };

export async function rememberDevice(
  tx: Sql, input: { accountId: string; portal: Portal; days: number }, origin: RequestOrigin,
): Promise<RememberedDevice> {
  const token = newSecret();
  const [row] = await tx`
    insert into remembered_devices (tenant_id, account_id, portal, token_hash, expires_at, ip, user_agent)
    values (app_tenant_id(), ${input.accountId}, ${input.portal}, ${hashToken(token)},
            now() + make_interval(days => ${input.days}), ${origin.ip}, ${origin.userAgent.slice(0, 500)})
    returning expires_at`;
  return { token, expiresAt: row.expires_at };
}

/** If `token` remembers this browser for this account, rotates it and returns the replacement; otherwise null. */
export async function useRememberedDevice(
  tx: Sql, input: { token: string; accountId: string; portal: Portal; days: number },
): Promise<RememberedDevice | null> {
  if (input.days <= 0 || !looksLikeToken(input.token)) return null;
  const [row] = await tx`
    select d.id, d.expires_at from remembered_devices d
    join accounts a on a.tenant_id = d.tenant_id and a.id = d.account_id
    where d.token_hash = ${hashToken(input.token)} and d.account_id = ${input.accountId} and d.portal = ${input.portal}
      and d.expires_at > now() and d.created_at > now() - make_interval(days => ${input.days})
      and a.status = 'active' and a.totp_enabled_at is not null and d.created_at > a.totp_enabled_at
      and (a.password_changed_at is null or d.created_at > a.password_changed_at)
    for update of d`;
  if (!row) return null;
  const token = newSecret();
  await tx`update remembered_devices set token_hash = ${hashToken(token)}, last_used_at = now() where id = ${row.id}`;
  return { token, expiresAt: row.expires_at };
}

export async function revokeRememberedDevices(tx: Sql, accountId: string): Promise<number> {
  const gone = await tx`delete from remembered_devices where account_id = ${accountId} returning id`;
  return gone.length;
}
