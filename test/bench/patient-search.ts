// Patient Administration search over a million patients: seeds them into the bench database in a few set-based
// statements, then measures the search page's htmx answers (what typing in the filters asks for) through HTTP,
// signed in as the front desk, with a different query on every request so no single row stays hot.
import { performance } from 'node:perf_hooks';
import { runInTenant, type Sql } from '../../src/db.ts';
import { DEMO_STAFF_PASSWORD } from '../../src/seed.ts';
import { percentile, type Measurement } from './measurement.ts';

export const BENCH_PATIENTS = 1_000_000;
const TENANT = 'sunny-pediatrics';
const SEARCH_PATH = `/${TENANT}/practice/patients`;
const LOGIN_PATH = `/${TENANT}/practice/login`;

const LAST_NAMES = [
  'Abbott', 'Acosta', 'Adams', 'Alvarez', 'Anderson', 'Baker', 'Barnes', 'Bell', 'Bennett', 'Brooks', 'Bryant', 'Butler',
  'Campbell', 'Carter', 'Castillo', 'Chavez', 'Coleman', 'Collins', 'Cook', 'Cooper', 'Cruz', 'Diaz', 'Edwards', 'Evans',
  'Fisher', 'Flores', 'Foster', 'Garcia', 'Gomez', 'Gonzalez', 'Gray', 'Green', 'Griffin', 'Hall', 'Hayes', 'Henderson',
  'Hughes', 'Jenkins', 'Jimenez', 'Kelly', 'Kennedy', 'Long', 'Martin', 'Mendoza', 'Morales', 'Morgan', 'Murphy', 'Myers',
  'Nelson', 'Ortiz', 'Parker', 'Perez', 'Perry', 'Peterson', 'Phillips', 'Powell', 'Price', 'Ramirez', 'Reed', 'Reyes',
  'Richardson', 'Rivera', 'Roberts', 'Robinson', 'Rogers', 'Ross', 'Russell', 'Sanchez', 'Sanders', 'Scott', 'Simmons',
  'Stewart', 'Sullivan', 'Taylor', 'Thomas', 'Thompson', 'Torres', 'Turner', 'Vasquez', 'Ward', 'Watson', 'White',
  'Williams', 'Wood', 'Woods', 'Zhang', 'Okafor', 'Nakamura', 'Kowalski', 'Haddad', 'Ivanova', 'Lindqvist', 'Moreau',
  'Novak', 'Oyelaran', 'Petrov', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka',
];
const FIRST_NAMES = [
  'Aiden', 'Amara', 'Ava', 'Benjamin', 'Caleb', 'Camila', 'Charlotte', 'Chloe', 'Daniel', 'Elena', 'Eli', 'Emma',
  'Ethan', 'Eva', 'Finn', 'Grace', 'Hana', 'Harper', 'Isaac', 'Isla', 'Jack', 'Jonah', 'Kai', 'Layla', 'Leo', 'Liam',
  'Lucas', 'Luna', 'Maya', 'Mateo', 'Mia', 'Nina', 'Noah', 'Nora', 'Olivia', 'Omar', 'Owen', 'Priya', 'Ruby', 'Samuel',
  'Sofia', 'Theo', 'Yara', 'Zoe', 'Zain', 'Ada', 'Ezra', 'Iris', 'Jude', 'Rosa',
];
const GUARDIAN_NAMES = ['Alex', 'Sam', 'Taylor', 'Morgan', 'Jamie', 'Avery', 'Quinn', 'Drew', 'Robin', 'Jordan', 'Casey', 'Riley'];

/** Account number of the n-th bench patient (1-based): seven digits, clear of the demo data's 10001… and 20001…. */
export function benchAccountNumber(n: number): string {
  return String(1_000_000 + n);
}

/** The guardian email of the bench family that holds patient n (two patients per family). */
export function benchGuardianEmail(n: number): string {
  const family = Math.ceil(n / 2);
  const last = LAST_NAMES[(family * 31) % LAST_NAMES.length];
  const first = GUARDIAN_NAMES[(family * 7) % GUARDIAN_NAMES.length];
  return `${first}.${last}.${family}@example.net`.toLowerCase();
}

/**
 * Seeds `count` patients in families of two, one guardian contact per family, with set-based INSERT … SELECT
 * generate_series statements as the owner inside the tenant's setting (ids derived from md5 so the three tables
 * line up without a round trip). Names and the guardian email match benchGuardianEmail above.
 */
export async function seedPatientsForBench(owner: Sql, count: number, log: (line: string) => void): Promise<void> {
  const [tenant] = await owner`select id from tenants where slug = ${TENANT}`;
  if (!tenant) throw new Error(`the bench database has no ${TENANT} practice to seed patients into`);
  const families = Math.ceil(count / 2);
  await runInTenant(owner, tenant.id, async (tx) => {
    // Secondary indexes are dropped for the load and rebuilt from their own definitions afterwards: one sorted
    // build each instead of a million random insertions each. Constraint indexes (keys, uniques) stay.
    const secondary = await tx`
      select i.indexname, i.indexdef from pg_indexes i
      where i.schemaname = 'public' and i.tablename in ('patients', 'family_contacts', 'associations')
        and not exists (select from pg_constraint c where c.conname = i.indexname)`;
    for (const index of secondary) await tx.unsafe(`drop index ${quoteIdent(index.indexname)}`);
    await tx`set local maintenance_work_mem = '256MB'`;
    await tx`set local work_mem = '64MB'`;
    // The rows are consistent by construction; skipping per-row foreign-key checks (superuser only) halves the time.
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into family_contacts (tenant_id, id, first_name, last_name, email)
      select app_tenant_id(), md5('bench-contact-' || f)::uuid,
             (${GUARDIAN_NAMES}::text[])[1 + (f * 7) % ${GUARDIAN_NAMES.length}],
             (${LAST_NAMES}::text[])[1 + (f * 31) % ${LAST_NAMES.length}],
             lower((${GUARDIAN_NAMES}::text[])[1 + (f * 7) % ${GUARDIAN_NAMES.length}] || '.'
                   || (${LAST_NAMES}::text[])[1 + (f * 31) % ${LAST_NAMES.length}] || '.' || f || '@example.net')
      from generate_series(1, ${families}) as f`;
    log(`${families.toLocaleString('en')} guardian contacts`);
    await tx`
      insert into patients (tenant_id, id, account_number, first_name, last_name, date_of_birth)
      select app_tenant_id(), md5('bench-patient-' || n)::uuid, (1000000 + n)::text,
             (${FIRST_NAMES}::text[])[1 + (n * 13 + n / 7) % ${FIRST_NAMES.length}],
             (${LAST_NAMES}::text[])[1 + (((n + 1) / 2) * 31) % ${LAST_NAMES.length}],
             date '1950-01-01' + ((n::bigint * 7919) % 27000)::int
      from generate_series(1, ${count}) as n`;
    log(`${count.toLocaleString('en')} patients`);
    await tx`
      insert into associations (tenant_id, patient_id, contact_id, relationship)
      select app_tenant_id(), md5('bench-patient-' || n)::uuid, md5('bench-contact-' || ((n + 1) / 2))::uuid,
             (array['mother', 'father', 'guardian'])[1 + n % 3]
      from generate_series(1, ${count}) as n`;
    log(`${count.toLocaleString('en')} associations`);
    for (const index of secondary) await tx.unsafe(index.indexdef);
    log(`${secondary.length} secondary indexes rebuilt`);
  });
  await owner`analyze patients`;
  await owner`analyze family_contacts`;
  await owner`analyze associations`;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export { LAST_NAMES as BENCH_LAST_NAMES, SEARCH_PATH, LOGIN_PATH, DEMO_STAFF_PASSWORD, performance, percentile };
export type { Measurement };
