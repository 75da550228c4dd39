import type { Sql } from '../../platform/db.ts';

export type LinkedPatient = { firstName: string; lastName: string; accountNumber: string; dateOfBirth: string; relationship: string };

/** The patients a portal account may see: those associated with its family contact. */
export async function getLinkedPatients(tx: Sql, accountId: string): Promise<LinkedPatient[]> {
  const rows = await tx`
    select p.first_name, p.last_name, p.account_number, to_char(p.date_of_birth, 'YYYY-MM-DD') as date_of_birth, a.relationship
    from family_contacts fc
    join associations a on a.tenant_id = fc.tenant_id and a.contact_id = fc.id
    join patients p on p.tenant_id = a.tenant_id and p.id = a.patient_id
    where fc.account_id = ${accountId}
    order by p.date_of_birth, p.first_name
    limit 50`;
  return rows.map((r) => ({
    firstName: r.first_name, lastName: r.last_name, accountNumber: r.account_number, dateOfBirth: r.date_of_birth, relationship: r.relationship,
  }));
}
