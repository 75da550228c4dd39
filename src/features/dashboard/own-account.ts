import type { Sql } from '../../platform/db.ts';

// What every signed-in person's home says about their own account: how it is protected, where it is signed in, and
// when it was last used before now (so a sign-in they did not make stands out). That previous sign-in is read from an
// index of the owner's own sign-ins (audit_events_sign_ins, sql/070): two entries, however busy the practice.

export type OwnAccountState = {
  twoFactor: boolean;
  passkeys: number;
  sessions: number;
  /** The sign-in before the current one; null for a first sign-in. */
  previousSignInAt: Date | null;
};

export async function getOwnAccountState(tx: Sql, accountId: string): Promise<OwnAccountState> {
  const [row] = await tx`
    select (a.totp_enabled_at is not null) as two_factor,
      (select count(*) from passkeys k where k.tenant_id = a.tenant_id and k.account_id = a.id)::int as passkeys,
      (select count(*) from sessions s where s.tenant_id = a.tenant_id and s.account_id = a.id and s.expires_at > now())::int as sessions,
      (select e.occurred_at from audit_events e
        where e.tenant_id = a.tenant_id and e.actor_account_id = a.id and e.action = 'sign_in.succeeded'
        order by e.occurred_at desc, e.id desc offset 1 limit 1) as previous_sign_in_at
    from accounts a where a.id = ${accountId}`;
  return {
    twoFactor: Boolean(row?.two_factor), passkeys: row?.passkeys ?? 0, sessions: row?.sessions ?? 0,
    previousSignInAt: row?.previous_sign_in_at ?? null,
  };
}
