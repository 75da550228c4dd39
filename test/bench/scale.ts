// One database for a whole region: 999 more practices beside Sunny Pediatrics, 20 staff each (20,000 staff in all with
// Sunny's 500) each with a live session, and a million more patients spread over them (2,000,000 in all). Seeded with
// set-based INSERT … SELECT generate_series statements, then sign-in, the signed-in page and patient search at Sunny
// are measured again: every index leads with the practice, so none of them may slow down for the others' rows.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connectAsOwner, type Sql } from '../../src/platform/db.ts';
import { CLIENT_IP_HEADER, homePageRequest, signInOnce, signInRequest } from './app-requests.ts';
import { findFreePort, startChild } from './children.ts';
import { measureHttp } from './http-load.ts';
import type { Measurement } from './measurement.ts';
import { BENCH_PATIENTS, measurePatientSearch } from './patient-search.ts';

export const SCALE_PRACTICES = 1000;
const OTHER_PRACTICES = SCALE_PRACTICES - 1;
const STAFF_EACH = 20;
const OTHER_PATIENTS = 2_000_000 - BENCH_PATIENTS;
const PATIENTS_EACH = Math.ceil(OTHER_PATIENTS / OTHER_PRACTICES);

export async function seedOtherPractices(owner: Sql, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  const done = (what: string) => log(`  ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  // As the database owner (a superuser here, so row-level security does not apply) in one transaction; secondary
  // indexes are dropped for the load and rebuilt after, and per-row foreign-key checks are skipped: the rows are
  // consistent by construction (ids derived from md5 of their numbers).
  await owner.begin(async (tx) => {
    const secondary = await tx`
      select i.indexname, i.indexdef from pg_indexes i
      where i.schemaname = 'public' and i.tablename in ('patients', 'family_contacts', 'associations', 'sessions', 'staff_profiles')
        and not exists (select from pg_constraint c where c.conname = i.indexname)`;
    for (const index of secondary) await tx.unsafe(`drop index "${index.indexname.replace(/"/g, '""')}"`);
    await tx`set local maintenance_work_mem = '256MB'`;
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into tenants (id, slug, name)
      select md5('bench-practice-' || t)::uuid, 'bench-practice-' || lpad(t::text, 4, '0'), 'Bench Practice ' || t
      from generate_series(1, ${OTHER_PRACTICES}) as t`;
    done(`${OTHER_PRACTICES} practices`);
    await tx`
      insert into accounts (tenant_id, id, portal, username, email, status, password_hash, last_sign_in_at)
      select md5('bench-practice-' || t)::uuid, md5('bench-practice-' || t || '-staff-' || s)::uuid, 'practice',
             'staff' || s, 'staff' || s || '@practice' || t || '.example', 'active', 'not a usable hash', now()
      from generate_series(1, ${OTHER_PRACTICES}) as t, generate_series(1, ${STAFF_EACH}) as s`;
    await tx`
      insert into staff_profiles (tenant_id, account_id, first_name, last_name, role)
      select md5('bench-practice-' || t)::uuid, md5('bench-practice-' || t || '-staff-' || s)::uuid, 'Staff' || s, 'Member' || t,
             (array['admin', 'provider', 'nurse', 'staff'])[1 + s % 4]
      from generate_series(1, ${OTHER_PRACTICES}) as t, generate_series(1, ${STAFF_EACH}) as s`;
    await tx`
      insert into sessions (tenant_id, id_hash, account_id, portal, expires_at)
      select md5('bench-practice-' || t)::uuid, md5('session-a-' || t || '-' || s) || md5('session-b-' || t || '-' || s),
             md5('bench-practice-' || t || '-staff-' || s)::uuid, 'practice', now() + interval '12 hours'
      from generate_series(1, ${OTHER_PRACTICES}) as t, generate_series(1, ${STAFF_EACH}) as s`;
    done(`${(OTHER_PRACTICES * STAFF_EACH).toLocaleString('en')} staff, each signed in`);
    await tx`
      insert into family_contacts (tenant_id, id, first_name, last_name, email)
      select md5('bench-practice-' || t)::uuid, md5('bench-contact-' || t || '-' || f)::uuid, 'Guardian' || f, 'Family' || f,
             'guardian' || f || '@practice' || t || '.example'
      from generate_series(1, ${OTHER_PRACTICES}) as t, generate_series(1, ${Math.ceil(PATIENTS_EACH / 2)}) as f`;
    await tx`
      insert into patients (tenant_id, id, account_number, first_name, last_name, date_of_birth)
      select md5('bench-practice-' || t)::uuid, md5('bench-patient-' || t || '-' || n)::uuid, (1000000 + n)::text,
             'Patient' || n, (array['Garcia', 'Smith', 'Nguyen', 'Okafor', 'Rossi', 'Tanaka'])[1 + (n + t) % 6] || n,
             date '1950-01-01' + ((n::bigint * 7919 + t) % 27000)::int
      from generate_series(1, ${OTHER_PRACTICES}) as t, generate_series(1, ${PATIENTS_EACH}) as n`;
    await tx`
      insert into associations (tenant_id, patient_id, contact_id, relationship)
      select md5('bench-practice-' || t)::uuid, md5('bench-patient-' || t || '-' || n)::uuid,
             md5('bench-contact-' || t || '-' || ((n + 1) / 2))::uuid, 'guardian'
      from generate_series(1, ${OTHER_PRACTICES}) as t, generate_series(1, ${PATIENTS_EACH}) as n`;
    done(`${(OTHER_PRACTICES * PATIENTS_EACH).toLocaleString('en')} more patients with their families`);
    for (const index of secondary) await tx.unsafe(index.indexdef);
    done(`${secondary.length} secondary indexes rebuilt`);
  });
  for (const table of ['tenants', 'accounts', 'staff_profiles', 'sessions', 'family_contacts', 'patients', 'associations']) await owner.unsafe(`analyze ${table}`);
  const [counts] = await owner`
    select (select count(*) from tenants)::int as practices, (select count(*) from staff_profiles)::int as staff,
           (select count(*) from patients)::int as patients`;
  log(`  in the database: ${counts.practices.toLocaleString('en')} practices, ${counts.staff.toLocaleString('en')} staff, ${counts.patients.toLocaleString('en')} patients`);
}

export type ScaleBench = { databaseUrl: string; appDatabaseUrl: string; connections: number; seconds: number; log: (line: string) => void };

/**
 * Sign-in and the signed-in page at Sunny as the rows before left it (its 500 staff and million patients), then the
 * other practices seeded, then both again and patient search: the same practice's data on both sides, so the only
 * difference is the 999 other practices.
 */
export async function measureAtScale(options: ScaleBench): Promise<Measurement[]> {
  const { log } = options;
  const alone = await measureSignInAndPage(options, 'alone:', 'Sunny alone, at its full size: ');
  log(`seeding ${OTHER_PRACTICES} more practices, their staff and ${OTHER_PATIENTS.toLocaleString('en')} more patients`);
  const owner = connectAsOwner(options.databaseUrl);
  try {
    await seedOtherPractices(owner, log);
  } finally {
    await owner.end();
  }
  const prefix = `at ${SCALE_PRACTICES.toLocaleString('en')} practices: `;
  const scaled = await measureSignInAndPage(options, 'scale:', prefix);
  return [...alone, ...scaled, ...(await measurePatientSearch({ ...options, seed: false, idPrefix: 'scale:', namePrefix: prefix }))];
}

async function measureSignInAndPage(options: ScaleBench, idPrefix: string, namePrefix: string): Promise<Measurement[]> {
  const { log, connections, seconds } = options;
  const port = await findFreePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const app = await startChild('test/bench/app-child.ts', {
    NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: publicUrl, DATABASE_URL: options.databaseUrl, APP_DATABASE_URL: options.appDatabaseUrl,
    SECRET_KEY: randomBytes(32).toString('hex'), CLIENT_IP_HEADER, SMTP_URL: 'smtp://127.0.0.1:25',
  });
  try {
    const cookie = await signInOnce(publicUrl, publicUrl);
    log(`${namePrefix}sign-in, ${seconds} s`);
    const signIn = await measureHttp({
      id: `${idPrefix}sign-in`, name: `${namePrefix}sign-in POST`, url: publicUrl, connections, seconds,
      request: () => signInRequest(publicUrl), expectedStatus: 303,
    });
    log(`${namePrefix}signed-in page, ${seconds} s`);
    const page = await measureHttp({
      id: `${idPrefix}signed-in-page`, name: `${namePrefix}signed-in GET`, url: publicUrl, connections, seconds,
      request: () => homePageRequest(cookie), expectedStatus: 200,
    });
    return [signIn, page];
  } finally {
    await app.stop();
  }
}
