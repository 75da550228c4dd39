import type { Sql } from '../../platform/db.ts';

// The administrator's home: the practice's sign-in health at a glance. One statement of scalar counts, each served by
// a partial index that starts with the practice (sql/050) or by the audit log's action index, so the page costs the
// same for a practice of ten families as for one with a million patients (`npm run bench`, "administrator home").

/** Links about to stop working are the ones to resend: those that end within this many hours. */
export const EXPIRING_HOURS = 24;
/** Failed emails are counted over this window; failed sign-ins since midnight in the practice's time zone. */
export const FAILED_EMAIL_DAYS = 7;

export type SignInHealth = {
  lockedStaff: number;
  lockedFamily: number;
  invitationsPending: number;
  invitationsExpiring: number;
  resetLinksExpiring: number;
  emailsFailed: number;
  emailsRetrying: number;
  staffWithoutTwoFactor: number;
  temporaryPasswords: number;
  signInFailures: number;
  /** Today in the practice's time zone (YYYY-MM-DD): the audit log's "From" for the failures counted today. */
  today: string;
  /** The accounts (or names typed that match none) with the most failed sign-ins in the window, most first. */
  failingAccounts: FailingAccount[];
};

/** An account, or a name typed that matches none (accountId null, name as typed). */
export type FailingAccount = { accountId: string | null; name: string; known: boolean; portal: string; failures: number };

/** Midnight today in the practice's time zone. */
const midnightIn = (tx: Sql, timeZone: string) => tx`(date_trunc('day', now() at time zone ${timeZone}) at time zone ${timeZone})`;

export async function getSignInHealth(tx: Sql, timeZone: string): Promise<SignInHealth> {
  const midnight = midnightIn(tx, timeZone);
  const [row] = await tx`
    select to_char(now() at time zone ${timeZone}, 'YYYY-MM-DD') as today,
      (select count(*) from accounts where tenant_id = app_tenant_id() and (locked_until > now() or status = 'locked') and (locked_until is not null or status = 'locked')
         and portal = 'practice')::int as locked_staff,
      (select count(*) from accounts where tenant_id = app_tenant_id() and (locked_until > now() or status = 'locked') and (locked_until is not null or status = 'locked')
         and portal = 'patient')::int as locked_family,
      (select count(*) from account_tokens where tenant_id = app_tenant_id() and used_at is null and revoked_at is null and purpose = 'invitation' and expires_at > now())::int
        as invitations_pending,
      (select count(*) from account_tokens where tenant_id = app_tenant_id() and used_at is null and revoked_at is null and purpose = 'invitation' and expires_at > now()
         and expires_at <= now() + make_interval(hours => ${EXPIRING_HOURS}))::int as invitations_expiring,
      (select count(*) from account_tokens where tenant_id = app_tenant_id() and used_at is null and revoked_at is null and purpose = 'reset' and expires_at > now()
         and expires_at <= now() + make_interval(hours => ${EXPIRING_HOURS}))::int as reset_links_expiring,
      (select count(*) from outbox where tenant_id = app_tenant_id() and (status = 'failed' or attempts > 0) and status = 'failed'
         and created_at > now() - make_interval(days => ${FAILED_EMAIL_DAYS}))::int as emails_failed,
      (select count(*) from outbox where tenant_id = app_tenant_id() and (status = 'failed' or attempts > 0) and status in ('pending', 'sending'))::int as emails_retrying,
      (select count(*) from accounts a join staff_profiles sp on sp.tenant_id = a.tenant_id and sp.account_id = a.id
         where a.portal = 'practice' and a.status in ('active', 'locked') and a.totp_enabled_at is null
           and not exists (select 1 from passkeys k where k.tenant_id = a.tenant_id and k.account_id = a.id))::int as staff_without_two_factor,
      (select count(*) from accounts where tenant_id = app_tenant_id() and must_change_password and temporary_password_expires_at is not null)::int as temporary_passwords,
      (select count(*) from audit_events where tenant_id = app_tenant_id() and action = 'sign_in.failed' and occurred_at >= ${midnight})::int as sign_in_failures`;
  return {
    lockedStaff: row.locked_staff, lockedFamily: row.locked_family, invitationsPending: row.invitations_pending,
    invitationsExpiring: row.invitations_expiring, resetLinksExpiring: row.reset_links_expiring, emailsFailed: row.emails_failed,
    emailsRetrying: row.emails_retrying, staffWithoutTwoFactor: row.staff_without_two_factor,
    temporaryPasswords: row.temporary_passwords, signInFailures: row.sign_in_failures, today: row.today,
    failingAccounts: row.sign_in_failures > 0 ? await listFailingAccounts(tx, timeZone) : [],
  };
}

/** The five accounts (or typed names that match no account) with the most failed sign-ins today. */
async function listFailingAccounts(tx: Sql, timeZone: string): Promise<FailingAccount[]> {
  const rows = await tx`
    select f.account_id, f.typed, f.portal, f.failures,
           coalesce(sp.first_name || ' ' || sp.last_name, fc.first_name || ' ' || fc.last_name, a.username) as name
    from (
      select subject_account_id as account_id, case when subject_account_id is null then detail->>'identifier' end as typed,
             min(detail->>'portal') as portal, count(*)::int as failures
      from audit_events
      where action = 'sign_in.failed' and occurred_at >= ${midnightIn(tx, timeZone)}
      group by 1, 2
      order by failures desc, 1, 2
      limit 5
    ) f
    left join accounts a on a.tenant_id = app_tenant_id() and a.id = f.account_id
    left join staff_profiles sp on sp.tenant_id = a.tenant_id and sp.account_id = a.id
    left join family_contacts fc on fc.tenant_id = a.tenant_id and fc.account_id = a.id
    order by f.failures desc, name`;
  return rows.map((r) => ({
    accountId: r.account_id, name: r.name ?? r.typed ?? '', known: r.account_id !== null, portal: r.portal ?? '', failures: r.failures,
  }));
}
