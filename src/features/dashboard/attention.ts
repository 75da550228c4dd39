import type { Sql } from '../../platform/db.ts';
import { EXPIRING_HOURS, FAILED_EMAIL_DAYS } from './sign-in-health.ts';

// The lists behind the administrator home's numbers (/{t}/practice/attention/{kind}): exactly the rows each number
// counts, staff and family accounts together, each with the page where it is handled. Paged by keyset on
// (time, id) over the same partial indexes as the counts (sql/050).

export const ATTENTION_KINDS = ['locked', 'invitations', 'reset-links', 'temporary-passwords', 'emails'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];
export const ATTENTION_PAGE_SIZE = 25;

export type AttentionRow = {
  id: string;
  accountId: string | null;
  portal: 'practice' | 'patient';
  name: string;
  username: string | null;
  /** When it happens or happened: locked until, link or password expiry, email queued. */
  at: Date;
  /** The email's kind, state and tries (emails only). */
  email: { kind: string; status: string; attempts: number; lastError: string | null } | null;
  /** For a family account: a patient it is linked to, whose portal access page handles it. */
  patientId: string | null;
  cursor: string;
};

export type AttentionPage = { rows: AttentionRow[]; next: string | null };

export function isAttentionKind(value: string): value is AttentionKind {
  return (ATTENTION_KINDS as readonly string[]).includes(value);
}

type Fragment = ReturnType<Sql>;
const CURSOR = /^(\d{1,16})_([0-9a-f-]{36})$/;

/** A page of one list; null when the cursor is not one of ours. */
export async function listAttention(tx: Sql, kind: AttentionKind, after: string | null, limit = ATTENTION_PAGE_SIZE): Promise<AttentionPage | null> {
  const cursor = after ? CURSOR.exec(after) : null;
  if (after && !cursor) return null;
  const source = sourceOf(tx, kind);
  const rows = await tx`
    select s.id::text as id, s.account_id, s.at, s.kind, s.status, s.attempts, s.last_error,
           (extract(epoch from s.at) * 1000000)::bigint::text as micros,
           a.portal, a.username,
           coalesce(sp.first_name || ' ' || sp.last_name, fc.first_name || ' ' || fc.last_name, a.username, s.to_address) as name,
           (select x.patient_id from associations x where x.tenant_id = fc.tenant_id and x.contact_id = fc.id order by x.patient_id limit 1) as patient_id
    from (${source}) s
    left join accounts a on a.tenant_id = app_tenant_id() and a.id = s.account_id
    left join staff_profiles sp on sp.tenant_id = a.tenant_id and sp.account_id = a.id
    left join family_contacts fc on fc.tenant_id = a.tenant_id and fc.account_id = a.id
    where true ${cursor ? tx`and (s.at, s.id::text) > (timestamptz 'epoch' + ${cursor[1]}::bigint * interval '1 microsecond', ${cursor[2]})` : tx``}
    order by s.at, s.id::text
    limit ${limit + 1}`;
  const page = rows.slice(0, limit).map((r): AttentionRow => ({
    id: r.id, accountId: r.account_id, portal: r.portal ?? 'patient', name: r.name ?? '', username: r.username, at: r.at,
    email: kind === 'emails' ? { kind: r.kind, status: r.status, attempts: r.attempts, lastError: r.last_error } : null,
    patientId: r.portal === 'patient' ? r.patient_id : null, cursor: `${r.micros}_${r.id}`,
  }));
  return { rows: page, next: rows.length > limit ? page[page.length - 1].cursor : null };
}

/** The rows each number counts (the same conditions as getSignInHealth), as (id, account_id, at, …). */
function sourceOf(tx: Sql, kind: AttentionKind): Fragment {
  const none = tx`null::text as kind, null::text as status, null::int as attempts, null::text as last_error, null::text as to_address`;
  switch (kind) {
    case 'locked':
      return tx`
        select id, id as account_id, coalesce(locked_until, updated_at) as at, ${none} from accounts
        where tenant_id = app_tenant_id() and (locked_until > now() or status = 'locked') and (locked_until is not null or status = 'locked')`;
    case 'invitations':
      return tx`
        select id, account_id, expires_at as at, ${none} from account_tokens
        where tenant_id = app_tenant_id() and used_at is null and revoked_at is null and purpose = 'invitation' and expires_at > now()`;
    case 'reset-links':
      return tx`
        select id, account_id, expires_at as at, ${none} from account_tokens
        where tenant_id = app_tenant_id() and used_at is null and revoked_at is null and purpose = 'reset' and expires_at > now()
          and expires_at <= now() + make_interval(hours => ${EXPIRING_HOURS})`;
    case 'temporary-passwords':
      return tx`
        select id, id as account_id, temporary_password_expires_at as at, ${none} from accounts
        where tenant_id = app_tenant_id() and must_change_password and temporary_password_expires_at is not null`;
    case 'emails':
      return tx`
        select id, account_id, created_at as at, kind, status, attempts, last_error, to_address from outbox
        where tenant_id = app_tenant_id() and (status = 'failed' or attempts > 0)
          and (status in ('pending', 'sending') or created_at > now() - make_interval(days => ${FAILED_EMAIL_DAYS}))`;
  }
}
