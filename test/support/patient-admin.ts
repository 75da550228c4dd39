// Shared by the Patient Administration test files: signed-in staff, the demo family's ids, and snapshots of the
// rows an action may change (to prove that a refused request changed nothing).
import { Client, STAFF_PASSWORD, signIn, type TestContext } from './harness.ts';

export const PRACTICE = '/sunny-pediatrics/practice';
export const PATIENTS = `${PRACTICE}/patients`;
export const JORDAN_EMAIL = 'jordan.parent@example.com';

let nextAddress = 1;
/** A staff member signed in from an address of their own (the sign-in limit counts per address). */
export async function staff(ctx: TestContext, username = 'marcusstaff', tenant = 'sunny-pediatrics'): Promise<Client> {
  const client = new Client(ctx.app, `198.51.100.${nextAddress++}`);
  await signIn(client, tenant, 'practice', username, STAFF_PASSWORD);
  return client;
}

export async function patientId(ctx: TestContext, accountNumber: string, tenant = 'sunny-pediatrics'): Promise<string> {
  const [row] = await ctx.owner`
    select p.id from patients p join tenants t on t.id = p.tenant_id where t.slug = ${tenant} and p.account_number = ${accountNumber}`;
  return row.id;
}

/** The portal account and family contact of the guardian of a seeded family (patient 20001 + i). */
export async function familyOf(ctx: TestContext, accountNumber: string) {
  const [row] = await ctx.owner`
    select fc.id as contact_id, fc.email, fc.account_id, fc.first_name, fc.last_name from patients p
    join associations a on a.tenant_id = p.tenant_id and a.patient_id = p.id
    join family_contacts fc on fc.tenant_id = a.tenant_id and fc.id = a.contact_id
    join tenants t on t.id = p.tenant_id
    where t.slug = 'sunny-pediatrics' and p.account_number = ${accountNumber}`;
  return { contactId: row.contact_id as string, email: row.email as string, accountId: row.account_id as string | null, name: `${row.first_name} ${row.last_name}` };
}

/** Everything about an account an action could change, to compare before and after a refused request. */
export async function accountState(ctx: TestContext, id: string) {
  const [account] = await ctx.owner`
    select email, username, status, password_hash, must_change_password, temporary_password_expires_at, locked_until, failed_sign_ins
    from accounts where id = ${id}`;
  const counts = await ctx.owner`
    select (select count(*) from sessions where account_id = ${id})::int as sessions,
           (select count(*) from account_tokens where account_id = ${id})::int as tokens,
           (select count(*) from outbox where account_id = ${id})::int as emails,
           (select count(*) from audit_events where subject_account_id = ${id})::int as events,
           (select count(*) from credential_printouts where account_id = ${id})::int as printouts,
           (select count(*) from family_contacts where account_id = ${id} and email is distinct from ${account?.email ?? null})::int as contact_email_differs`;
  return { ...account, ...counts[0] };
}

export async function auditActions(ctx: TestContext, subject: string): Promise<{ action: string; actor: string | null; detail: any }[]> {
  const rows = await ctx.owner`select action, actor_account_id, detail from audit_events where subject_account_id = ${subject} order by id`;
  return rows.map((r) => ({ action: r.action, actor: r.actor_account_id, detail: r.detail }));
}
