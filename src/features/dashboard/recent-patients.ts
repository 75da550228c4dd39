import type { Sql } from '../../platform/db.ts';

// The front desk's recently opened patients: read from the audit log's "Patient record opened" events of this person
// (patient-admin records them), newest first, each patient once. The partial index audit_events_patient_opened
// (tenant, actor, time) serves it however long the practice's history grows.

export type RecentPatient = { id: string; firstName: string; lastName: string; accountNumber: string; dateOfBirth: string; openedAt: Date };

/** How far back the list looks: the last this many openings, so a patient opened many times costs no more. */
const LOOK_BACK = 100;

export async function listRecentPatients(tx: Sql, accountId: string, limit = 8): Promise<RecentPatient[]> {
  const rows = await tx`
    select p.id, p.first_name, p.last_name, p.account_number, to_char(p.date_of_birth, 'YYYY-MM-DD') as date_of_birth, r.opened_at
    from (
      select (e.detail->>'patientId')::uuid as patient_id, max(e.occurred_at) as opened_at
      from (
        select detail, occurred_at from audit_events
        where action = 'patient.opened' and actor_account_id = ${accountId}
        order by occurred_at desc limit ${LOOK_BACK}
      ) e
      where e.detail->>'patientId' ~ '^[0-9a-f-]{36}$'
      group by 1
    ) r
    join patients p on p.tenant_id = app_tenant_id() and p.id = r.patient_id
    order by r.opened_at desc
    limit ${limit}`;
  return rows.map((r) => ({
    id: r.id, firstName: r.first_name, lastName: r.last_name, accountNumber: r.account_number, dateOfBirth: r.date_of_birth, openedAt: r.opened_at,
  }));
}
