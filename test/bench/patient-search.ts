// Patient Administration search over a million patients: seeds them into the bench database in a few set-based
// statements, then measures the search page's htmx answers (what typing in the filters asks for) through HTTP,
// signed in as the front desk, with a different query on every request so no single row stays hot.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connectAsOwner, runInTenant, type Sql } from '../../src/platform/db.ts';
import { DEMO_STAFF_PASSWORD } from '../../src/cli/demo-seed.ts';
import { CLIENT_IP_HEADER } from './app-requests.ts';
import { findFreePort, startChild } from './children.ts';
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

type Query = { path: string; expect: string };
/** `page`: a whole page as a browser opens it, not the fragment htmx asks for while typing. */
type Kind = { id: string; name: string; next: () => Query; page?: boolean };

const USER_AGENT = 'GatehouseBench/1.0';
const pick = (n: number) => 1 + Math.floor(Math.random() * n);

/** What typing in each filter ends up asking, a different patient or family every time. */
function searchKinds(): Kind[] {
  return [
    {
      id: 'patient-search-account', name: 'patient search: Account filter, exact number',
      next: () => {
        const account = benchAccountNumber(pick(BENCH_PATIENTS));
        return { path: `${SEARCH_PATH}?account=${account}`, expect: `>${account}</td>` };
      },
    },
    {
      id: 'patient-search-name', name: 'patient search: name prefix (3-5 letters)',
      next: () => {
        const last = LAST_NAMES[pick(LAST_NAMES.length) - 1].toLowerCase();
        const prefix = last.slice(0, Math.min(last.length, 2 + pick(3)));
        return { path: `${SEARCH_PATH}?name=${encodeURIComponent(prefix)}`, expect: 'rel="next"' };
      },
    },
    {
      id: 'patient-search-guardian-email', name: 'patient search: guardian email, whole address',
      next: () => {
        const patient = pick(BENCH_PATIENTS);
        return { path: `${SEARCH_PATH}?guardian_email=${encodeURIComponent(benchGuardianEmail(patient))}`, expect: `>${benchAccountNumber(patient)}</td>` };
      },
    },
  ];
}

/** The administrator's home over the same data: the sign-in health counts with 500 staff and a million patients. */
const ADMIN_HOME: Kind = {
  id: 'admin-home', name: 'administrator home (sign-in health counts)', page: true,
  next: () => ({ path: `/${TENANT}/practice/`, expect: 'Sign-in health' }),
};

/** Signs a staff member in (the front desk, marcusstaff, unless told) and returns the session cookie pair. */
async function signInStaff(publicUrl: string, username = 'marcusstaff'): Promise<string> {
  const response = await fetch(publicUrl + LOGIN_PATH, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: publicUrl, 'user-agent': USER_AGENT, [CLIENT_IP_HEADER]: '192.0.2.3' },
    body: new URLSearchParams({ username, password: DEMO_STAFF_PASSWORD }),
  });
  const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]).find((pair) => pair.startsWith('gatehouse_session='));
  if (response.status !== 303 || !cookie) throw new Error(`signing in as ${username} answered ${response.status}`);
  return cookie;
}

/** `connections` clients asking one after another for `seconds`; each answer timed from request to last byte. */
async function measureKind(publicUrl: string, cookie: string, kind: Kind, connections: number, seconds: number): Promise<Measurement & { p95Ms: number }> {
  const headers = { cookie, ...(kind.page ? {} : { 'hx-request': 'true' }), 'user-agent': USER_AGENT, [CLIENT_IP_HEADER]: '192.0.2.3' };
  const durations: number[] = [];
  const statuses: Record<string, number> = {};
  let unexpected = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < deadline) {
      const query = kind.next();
      const t0 = performance.now();
      try {
        const response = await fetch(publicUrl + query.path, { headers });
        const body = await response.text();
        durations.push(performance.now() - t0);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status !== 200 || !body.includes(query.expect)) unexpected++;
      } catch {
        errors++;
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  durations.sort((a, b) => a - b);
  return {
    id: kind.id, name: kind.name, perSecond: durations.length / elapsed, p50Ms: percentile(durations, 50), p95Ms: percentile(durations, 95),
    p99Ms: percentile(durations, 99), total: durations.length, unexpected, errors, statuses, expectedStatus: 200,
  };
}

export type PatientSearchBench = {
  databaseUrl: string; appDatabaseUrl: string; connections: number; seconds: number; log: (line: string) => void;
  /** False when the patients are there already (the 1,000-practice run measures the same searches again). */
  seed?: boolean;
  /** Put before each row's id and name ("scale:", "at 1,000 practices: "). */
  idPrefix?: string; namePrefix?: string;
};

/**
 * Seeds a million patients, starts the app in its own process, and measures each search kind through HTTP as the
 * front desk's browser asks while typing (htmx, fragment answers). Prints its own p50/p95/p99 table and returns
 * the rows for the bench report. Answers that are not 200 with the expected patient count as unexpected.
 */
export async function measurePatientSearch(options: PatientSearchBench): Promise<Measurement[]> {
  const { log, connections, seconds } = options;
  if (options.seed !== false) {
    const owner = connectAsOwner(options.databaseUrl);
    const seedStarted = performance.now();
    try {
      log(`seeding ${BENCH_PATIENTS.toLocaleString('en')} patients for Patient Administration search`);
      await seedPatientsForBench(owner, BENCH_PATIENTS, (line) => log(`  ${line} (${((performance.now() - seedStarted) / 1000).toFixed(1)} s)`));
    } finally {
      await owner.end();
    }
  }
  const port = await findFreePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const app = await startChild('test/bench/app-child.ts', {
    NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: publicUrl, DATABASE_URL: options.databaseUrl, APP_DATABASE_URL: options.appDatabaseUrl,
    SECRET_KEY: randomBytes(32).toString('hex'), CLIENT_IP_HEADER,
    SMTP_URL: 'smtp://127.0.0.1:25', // never called: the bench starts no delivery worker
  });
  try {
    const cookie = await signInStaff(publicUrl);
    const probe = await fetch(`${publicUrl}${SEARCH_PATH}?account=10001`, { headers: { cookie, 'user-agent': USER_AGENT } });
    if (probe.status !== 200 || !(await probe.text()).includes('Parent, Riley')) throw new Error(`the search page answered ${probe.status}, not patient 10001`);
    // One client shows what a person typing waits for; `connections` at once show the same searches under load.
    const rows: SearchRow[] = [];
    for (const kind of searchKinds()) {
      log(`${kind.name}: 2 s warm-up, then ${seconds} s with 1 client and ${seconds} s with ${connections}`);
      await measureKind(publicUrl, cookie, kind, connections, 2);
      for (const clients of [1, connections]) rows.push({ ...(await measureKind(publicUrl, cookie, kind, clients, seconds)), clients });
    }
    const admin = await signInStaff(publicUrl, 'admin');
    log(`${ADMIN_HOME.name}: 2 s warm-up, then ${seconds} s with 1 client and ${seconds} s with ${connections}`);
    await measureKind(publicUrl, admin, ADMIN_HOME, connections, 2);
    for (const clients of [1, connections]) rows.push({ ...(await measureKind(publicUrl, admin, ADMIN_HOME, clients, seconds)), clients });
    printSearchTable(rows, seconds, options.namePrefix ?? '');
    const appErrors = app.stderr().trim();
    if (appErrors) console.log(`\nThe app wrote to stderr during the patient search bench:\n${appErrors.slice(0, 2000)}`);
    const idPrefix = options.idPrefix ?? '';
    const namePrefix = options.namePrefix ?? '';
    return rows.map(({ clients, p95Ms, ...row }) => ({
      ...row, p95Ms, id: `${idPrefix}${row.id}-${clients}`, name: `${namePrefix}${row.name} (${clients} client${clients === 1 ? '' : 's'}, p95 ${p95Ms.toFixed(1)} ms)`,
    }));
  } finally {
    await app.stop();
  }
}

type SearchRow = Measurement & { p95Ms: number; clients: number };

function printSearchTable(rows: SearchRow[], seconds: number, prefix: string): void {
  const ms = (value: number) => value.toFixed(1);
  console.log('');
  console.log(`${prefix}Patient Administration search over ${BENCH_PATIENTS.toLocaleString('en')} patients (htmx GET as the filters are typed, signed in as the front desk;`);
  console.log(`${seconds} s per row, a new query every request; times from request to last byte; clients and server share the cores):`);
  const header = ['query', 'clients', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'unexpected'];
  const cells = rows.map((r) => [r.name.replace('patient search: ', ''), String(r.clients), r.perSecond.toFixed(0), ms(r.p50Ms), ms(r.p95Ms), ms(r.p99Ms), String(r.unexpected + r.errors)]);
  const widths = header.map((_, i) => Math.max(header[i].length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of cells) console.log(line(row));
}
