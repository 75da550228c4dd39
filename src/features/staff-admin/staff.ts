import { practiceText } from '../../copy/practice/index.ts';
import { recordEvent } from '../../core/audit.ts';
import { actorOf, type Scope } from '../../core/scope.ts';
import type { Sql } from '../../platform/db.ts';
import type { StaffRole } from '../../core/practices.ts';

// Staff administration (P4), the reading side and the profile edit. Every query runs in a tenant transaction,
// and a staff member is an account of the practice portal that has a staff_profiles row: a patient-portal
// account id, or another practice's, simply is not found here.

export const STAFF_PAGE_SIZE = 25;

export type StaffStatus = 'invited' | 'active' | 'locked' | 'deactivated';

export type StaffRow = {
  id: string;
  firstName: string;
  lastName: string;
  role: StaffRole;
  username: string;
  email: string | null;
  cellPhone: string | null;
  primaryProvider: string | null;
  twoFactor: boolean;
  status: StaffStatus;
};

/** The staff list narrowed to one kind of trouble (the administrator home's numbers link here). */
export const STAFF_FILTERS = ['locked', 'invited', 'temporary-password', 'no-two-factor'] as const;
export type StaffFilter = (typeof STAFF_FILTERS)[number];
export const isStaffFilter = (value: string): value is StaffFilter => (STAFF_FILTERS as readonly string[]).includes(value);

export type StaffPage = { rows: StaffRow[]; total: number; from: number; through: number; nextAfter: string | null };

export type StaffMember = StaffRow & {
  homePhone: string | null;
  primaryProviderId: string | null;
  lastSignInAt: Date | null;
  lockedUntil: Date | null;
  failedSignIns: number;
  mustChangePassword: boolean;
  /** Microseconds since the epoch of accounts.updated_at: the edit form's guard against overwriting a newer change. */
  version: string;
  pendingReset: { sentAt: Date; expiresAt: Date } | null;
};

const STAFF_COLUMNS = (tx: Sql) => tx`
  a.id, sp.first_name, sp.last_name, sp.role, a.username, a.email, sp.cell_phone, sp.home_phone, sp.primary_provider_id,
  pp.first_name || ' ' || pp.last_name as primary_provider, a.status,
  (a.totp_enabled_at is not null or exists (select 1 from passkeys k where k.tenant_id = a.tenant_id and k.account_id = a.id)) as two_factor`;

const STAFF_FROM = (tx: Sql) => tx`
  staff_profiles sp
  join accounts a on a.tenant_id = sp.tenant_id and a.id = sp.account_id and a.portal = 'practice'
  left join staff_profiles pp on pp.tenant_id = sp.tenant_id and pp.account_id = sp.primary_provider_id`;

function toRow(r: Record<string, any>): StaffRow {
  return {
    id: r.id, firstName: r.first_name, lastName: r.last_name, role: r.role, username: r.username, email: r.email,
    cellPhone: r.cell_phone, primaryProvider: r.primary_provider, twoFactor: r.two_factor, status: r.status,
  };
}

/**
 * One page of the staff list in name order, by keyset: `after` is the last id of the previous page, so a page
 * costs an index range scan however deep it is, and people added meanwhile neither repeat nor vanish. `query`
 * narrows it to staff whose name, username or email contains the words typed (a practice's staff is a few hundred
 * people at most: a scan of its own rows).
 */
export async function listStaff(
  tx: Sql, after: string | null, query = '', limit = STAFF_PAGE_SIZE, show: StaffFilter | null = null,
): Promise<StaffPage | null> {
  let cursor: Record<string, any> | undefined;
  if (after) {
    [cursor] = await tx`select last_name, first_name, account_id from staff_profiles where account_id = ${after}`;
    if (!cursor) return null;
  }
  const matching = tx`${staffMatching(tx, query)} and ${staffShowing(tx, show)}`;
  const rows = await tx`
    select ${STAFF_COLUMNS(tx)} from ${STAFF_FROM(tx)}
    where ${matching}
    ${cursor ? tx`and (sp.last_name, sp.first_name, sp.account_id) > (${cursor.last_name}, ${cursor.first_name}, ${cursor.account_id})` : tx``}
    order by sp.last_name, sp.first_name, sp.account_id
    limit ${limit + 1}`;
  const page = rows.slice(0, limit).map(toRow);
  const [counts] = await tx`
    select count(*)::int as total,
           count(*) filter (where ${cursor
             ? tx`(sp.last_name, sp.first_name, sp.account_id) <= (${cursor.last_name}, ${cursor.first_name}, ${cursor.account_id})`
             : tx`false`})::int as before
    from staff_profiles sp join accounts a on a.tenant_id = sp.tenant_id and a.id = sp.account_id and a.portal = 'practice'
    where ${matching}`;
  return {
    rows: page,
    total: counts.total,
    from: counts.before + (page.length ? 1 : 0),
    through: counts.before + page.length,
    nextAfter: rows.length > limit ? page[page.length - 1].id : null,
  };
}

/** Every word typed appears in the name, username or email (in any order, any case); no words match everyone. */
function staffMatching(tx: Sql, query: string) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  if (words.length === 0) return tx`true`;
  const haystack = tx`lower(sp.first_name || ' ' || sp.last_name || ' ' || a.username || ' ' || coalesce(a.email, ''))`;
  return words
    .map((word) => tx`strpos(${haystack}, ${word}) > 0`)
    .reduce((all, next) => tx`${all} and ${next}`);
}

/** The same conditions as the administrator home's counts (features/dashboard/sign-in-health.ts). */
function staffShowing(tx: Sql, show: StaffFilter | null) {
  switch (show) {
    case 'locked': return tx`(a.locked_until > now() or a.status = 'locked')`;
    case 'invited': return tx`a.status = 'invited'`;
    case 'temporary-password': return tx`(a.must_change_password and a.temporary_password_expires_at is not null)`;
    case 'no-two-factor':
      return tx`(a.status in ('active', 'locked') and a.totp_enabled_at is null
        and not exists (select 1 from passkeys k where k.tenant_id = a.tenant_id and k.account_id = a.id))`;
    default: return tx`true`;
  }
}

/** A staff member of this practice, or null (unknown, malformed, another practice's, or a patient-portal account). */
export async function getStaffMember(tx: Sql, id: string, options: { lock?: boolean } = {}): Promise<StaffMember | null> {
  const [r] = await tx`
    select ${STAFF_COLUMNS(tx)}, a.last_sign_in_at, a.locked_until, a.failed_sign_ins, a.must_change_password,
           (extract(epoch from a.updated_at) * 1000000)::bigint::text as version
    from ${STAFF_FROM(tx)}
    where a.id = ${id}
    ${options.lock ? tx`for update of a` : tx``}`;
  if (!r) return null;
  const [reset] = await tx`
    select created_at, expires_at from account_tokens
    where account_id = ${id} and purpose = 'reset' and used_at is null and revoked_at is null and expires_at > now()
    order by created_at desc limit 1`;
  return {
    ...toRow(r),
    homePhone: r.home_phone, primaryProviderId: r.primary_provider_id, lastSignInAt: r.last_sign_in_at,
    lockedUntil: r.locked_until && r.locked_until > new Date() ? r.locked_until : null, failedSignIns: r.failed_sign_ins,
    mustChangePassword: r.must_change_password, version: r.version,
    pendingReset: reset ? { sentAt: reset.created_at, expiresAt: reset.expires_at } : null,
  };
}

export type Provider = { id: string; name: string };

/** Who can be a primary provider: the practice's provider-role staff who are not deactivated. */
export async function listProviders(tx: Sql): Promise<Provider[]> {
  const rows = await tx`
    select sp.account_id, sp.first_name || ' ' || sp.last_name as name
    from staff_profiles sp join accounts a on a.tenant_id = sp.tenant_id and a.id = sp.account_id
    where sp.role = 'provider' and a.status <> 'deactivated'
    order by sp.last_name, sp.first_name`;
  return rows.map((r) => ({ id: r.account_id, name: r.name }));
}

export type ProfileInput = {
  firstName: string; lastName: string; role: StaffRole; primaryProviderId: string | null; username: string;
  cellPhone: string | null; homePhone: string | null;
};

export type FieldErrors = Partial<Record<string, string>>;

/** Friendly field errors for a username or email another practice-portal account of this practice already uses. */
export async function findTakenFields(tx: Sql, input: { username?: string; email?: string }, exceptId: string | null): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (input.username) {
    const [taken] = await tx`select 1 from accounts where portal = 'practice' and lower(username) = lower(${input.username}) and id <> ${exceptId ?? '00000000-0000-0000-0000-000000000000'}`;
    if (taken) errors.username = practiceText.staff.errors.usernameTaken;
  }
  if (input.email) {
    const [taken] = await tx`select 1 from accounts where portal = 'practice' and email = ${input.email} and id <> ${exceptId ?? '00000000-0000-0000-0000-000000000000'}`;
    if (taken) errors.email = practiceText.staff.errors.emailTaken;
  }
  return errors;
}

export type UpdateResult =
  | { ok: true }
  | { ok: false; reason: 'conflict'; savedNow: StaffMember }
  | { ok: false; reason: 'invalid'; errors: FieldErrors }
  | { ok: false; reason: 'missing' };

/**
 * Saves the Update Staff form (a role change is recorded as `role: { from, to }` beside the changed fields). The row is locked and its version compared first, so two administrators editing
 * at once cannot silently overwrite each other: the second one is told and shown what is saved now.
 */
export async function updateStaffProfile(tx: Sql, scope: Scope, input: ProfileInput & { id: string; version: string }): Promise<UpdateResult> {
  // Administrators' rows are locked first, in one order, whenever a role may change: two administrators demoting
  // each other at once are serialised, and the second sees the first's change.
  if (input.role !== 'admin') await tx`select sp.account_id from staff_profiles sp where sp.role = 'admin' order by sp.account_id for update`;
  const current = await getStaffMember(tx, input.id, { lock: true });
  if (!current) return { ok: false, reason: 'missing' };
  if (current.version !== input.version) return { ok: false, reason: 'conflict', savedNow: current };
  const errors = await findTakenFields(tx, { username: input.username }, input.id);
  if (current.role === 'admin' && input.role !== 'admin' && !(await anotherAdministrator(tx, input.id))) {
    errors.role = current.id === actorOf(scope).id
      ? practiceText.staff.errors.onlyAdministratorSelf
      : practiceText.staff.errors.onlyAdministrator;
  }
  if (input.primaryProviderId) {
    const providers = await listProviders(tx);
    if (input.primaryProviderId === input.id || !providers.some((p) => p.id === input.primaryProviderId)) {
      errors.primary_provider_id = practiceText.staff.errors.provider;
    }
  }
  if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };
  await tx`
    update staff_profiles set first_name = ${input.firstName}, last_name = ${input.lastName}, primary_provider_id = ${input.primaryProviderId},
           cell_phone = ${input.cellPhone}, home_phone = ${input.homePhone}, role = ${input.role}
    where account_id = ${input.id}`;
  await tx`update accounts set username = ${input.username}, updated_at = now() where id = ${input.id}`;
  const changed = changedFields(current, input);
  const roleChange = current.role === input.role ? {} : { role: { from: current.role, to: input.role } };
  await recordEvent(tx, scope.origin, {
    action: 'account.updated', actorAccountId: actorOf(scope).id, subjectAccountId: input.id, detail: { fields: changed, ...roleChange },
  });
  return { ok: true };
}

/** Whether the practice keeps an administrator who can sign in if this account stops being one. */
async function anotherAdministrator(tx: Sql, exceptId: string): Promise<boolean> {
  const [row] = await tx`
    select 1 from staff_profiles sp join accounts a on a.tenant_id = sp.tenant_id and a.id = sp.account_id
    where sp.role = 'admin' and a.portal = 'practice' and a.status in ('active', 'locked') and a.id <> ${exceptId}
    limit 1`;
  return Boolean(row);
}

function changedFields(before: StaffMember, after: ProfileInput): string[] {
  const pairs: [string, unknown, unknown][] = [
    ['first_name', before.firstName, after.firstName], ['last_name', before.lastName, after.lastName],
    ['primary_provider', before.primaryProviderId, after.primaryProviderId], ['username', before.username, after.username],
    ['cell_phone', before.cellPhone, after.cellPhone], ['home_phone', before.homePhone, after.homePhone],
  ];
  return pairs.filter(([, a, b]) => (a ?? null) !== (b ?? null)).map(([name]) => name);
}
