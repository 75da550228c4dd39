import type { Sql } from '../platform/db.ts';

// The patients a portal account is linked to, through the family contact it belongs to: what a guardian sees on
// Home (G6), and what staff must know before they reset or disable that account (P5), since it covers them all.

export type LinkedPatient = {
  id: string; firstName: string; lastName: string; accountNumber: string; dateOfBirth: string; relationship: string;
};

export async function getLinkedPatients(tx: Sql, accountId: string): Promise<LinkedPatient[]> {
  const rows = await tx`
    select p.id, p.first_name, p.last_name, p.account_number, to_char(p.date_of_birth, 'YYYY-MM-DD') as date_of_birth, a.relationship
    from family_contacts fc
    join associations a on a.tenant_id = fc.tenant_id and a.contact_id = fc.id
    join patients p on p.tenant_id = a.tenant_id and p.id = a.patient_id
    where fc.account_id = ${accountId}
    order by p.date_of_birth, p.first_name
    limit 50`;
  return rows.map((r) => ({
    id: r.id, firstName: r.first_name, lastName: r.last_name, accountNumber: r.account_number, dateOfBirth: r.date_of_birth,
    relationship: r.relationship,
  }));
}
