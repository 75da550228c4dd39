import type { Sql } from '../../platform/db.ts';
import type { PortalStatus } from '../../copy/practice.ts';
import { recordEvent } from '../../core/audit.ts';
import { sendInvitation } from '../../core/invitations.ts';
import { actorOf, type Scope } from '../../core/scope.ts';

// A patient, the family contacts associated with them, and what each contact's portal access looks like (P5).

/** One status per account, most pressing first: what staff need to know before they act. */
export function portalStatusColumn(tx: Sql) {
  return tx`
    case when acc.id is null then 'none'
         when acc.status = 'deactivated' then 'deactivated'
         when acc.status = 'locked' or acc.locked_until > now() then 'locked'
         when acc.status = 'invited' then 'invited'
         when acc.must_change_password and acc.temporary_password_expires_at is not null then 'temporary'
         else 'active' end`;
}

export type PatientRecord = { id: string; accountNumber: string; firstName: string; lastName: string; dateOfBirth: string };

export async function getPatient(tx: Sql, patientId: string): Promise<PatientRecord | null> {
  const [row] = await tx`
    select id, account_number, first_name, last_name, to_char(date_of_birth, 'YYYY-MM-DD') as date_of_birth
    from patients where id = ${patientId}`;
  return row ? { id: row.id, accountNumber: row.account_number, firstName: row.first_name, lastName: row.last_name, dateOfBirth: row.date_of_birth } : null;
}

/**
 * A patient's page, opened by a person: the read is audited (who looked at whose record, as HIPAA asks of access to
 * records), and the front desk's home lists its own recent ones from these events.
 */
export async function openPatient(tx: Sql, scope: Scope, patientId: string): Promise<PatientRecord | null> {
  const patient = await getPatient(tx, patientId);
  if (patient) {
    await recordEvent(tx, scope.origin, {
      action: 'patient.opened', actorAccountId: actorOf(scope).id, detail: { patientId: patient.id, accountNumber: patient.accountNumber },
    });
  }
  return patient;
}

export type Association = {
  contactId: string; firstName: string; lastName: string; relationship: string; email: string | null; phone: string | null;
  accountId: string | null; status: PortalStatus;
};

export async function listAssociations(tx: Sql, patientId: string): Promise<Association[]> {
  const rows = await tx`
    select fc.id, fc.first_name, fc.last_name, fc.email, fc.phone, asn.relationship, acc.id as account_id, ${portalStatusColumn(tx)} as status
    from associations asn
    join family_contacts fc on fc.tenant_id = asn.tenant_id and fc.id = asn.contact_id
    left join accounts acc on acc.tenant_id = fc.tenant_id and acc.id = fc.account_id and acc.portal = 'patient'
    where asn.patient_id = ${patientId}
    order by asn.relationship = 'self' desc, fc.last_name, fc.first_name
    limit 50`;
  return rows.map((r) => ({
    contactId: r.id, firstName: r.first_name, lastName: r.last_name, relationship: r.relationship, email: r.email, phone: r.phone,
    accountId: r.account_id, status: r.status,
  }));
}

export type InviteResult =
  | { ok: true; accountId: string; alreadyHadAccount: boolean }
  | { ok: false; reason: 'not_found' | 'no_email' | 'email_in_use' };

/**
 * "Invite to portal" for a contact of this patient who has no portal account: an invited account for the contact's
 * email (which is also its username), linked to the contact, and the invitation email (G5).
 */
export async function inviteContact(tx: Sql, scope: Scope, patientId: string, contactId: string): Promise<InviteResult> {
  const [contact] = await tx`
    select fc.id, fc.email, fc.account_id from associations asn
    join family_contacts fc on fc.tenant_id = asn.tenant_id and fc.id = asn.contact_id
    where asn.patient_id = ${patientId} and fc.id = ${contactId}
    for update of fc`;
  if (!contact) return { ok: false, reason: 'not_found' };
  if (contact.account_id) return { ok: true, accountId: contact.account_id, alreadyHadAccount: true };
  if (!contact.email) return { ok: false, reason: 'no_email' };
  const [taken] = await tx`
    select 1 from accounts where portal = 'patient' and (email = ${contact.email} or lower(username) = ${contact.email})`;
  if (taken) return { ok: false, reason: 'email_in_use' };
  // A concurrent invitation of the same address (or a username equal to it) inserts nothing: a calm error.
  const [account] = await tx`
    insert into accounts (tenant_id, portal, username, email, status)
    values (app_tenant_id(), 'patient', ${contact.email}, ${contact.email}, 'invited')
    on conflict do nothing returning id`;
  if (!account) return { ok: false, reason: 'email_in_use' };
  const accountId: string = account.id;
  await tx`update family_contacts set account_id = ${accountId} where id = ${contactId}`;
  await recordEvent(tx, scope.origin, { action: 'account.created', actorAccountId: actorOf(scope).id, subjectAccountId: accountId, detail: { portal: 'patient', contactId } });
  await sendInvitation(tx, scope, { accountId, portal: 'patient' });
  return { ok: true, accountId, alreadyHadAccount: false };
}
