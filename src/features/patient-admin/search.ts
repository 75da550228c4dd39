import { z } from 'zod';
import type { Sql } from '../../platform/db.ts';

// Patient Administration search (P5). Every filter is a prefix (or an exact date) read as an index range on a
// "C"-collated column (sql/006 and 010 say why ranges and not LIKE), and the results come in the order of the index
// the leading filter uses — account number, else guardian email, else name (last, then first) — so a page is read
// straight off an index whether ten patients match or half a million.

export const PAGE_SIZE = 25;
export const MAX_PAGE = 200;
// Greater than any character in a real name or address: `x >= P and x < P || TOP` is exactly "x starts with P".
const TOP = '\u{10FFFF}';

// A piece of SQL built with the transaction's tagged template.
type Fragment = ReturnType<Sql['unsafe']>;

const text = (max: number) => z.string().trim().max(max).catch('');

/** The query string of /patients, normalised once; anything unreadable becomes "no filter" or page 1. */
export const searchQuerySchema = z.object({
  account: text(32),
  name: text(100).transform((value) => value.toLowerCase().replace(/\s*,\s*/g, ' ').replace(/\s+/g, ' ').trim()),
  dob: text(10),
  guardian_email: text(254).transform((value) => value.toLowerCase()),
  page: z.coerce.number().int().min(1).max(MAX_PAGE).catch(1),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

export type PatientFilters = { account: string; name: string; dateOfBirth: string | null; guardianEmail: string };

/** Date of birth as typed: 2016-04-12 (the date field) or 04/12/2016; null when it is no real date. */
export function parseDateOfBirth(value: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : [];
  if (!year) return null;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1) return null;
  if (date.getUTCFullYear() < 1880) return null;
  return date.toISOString().slice(0, 10);
}

export function hasFilters(filters: PatientFilters): boolean {
  return Boolean(filters.account || filters.name || filters.dateOfBirth || filters.guardianEmail);
}

export type PatientSummary = {
  id: string; accountNumber: string; firstName: string; lastName: string; dateOfBirth: string;
  guardians: { name: string; relationship: string }[];
};
export type SearchPage = { patients: PatientSummary[]; page: number; hasNext: boolean };

export async function searchPatients(tx: Sql, filters: PatientFilters, page: number): Promise<SearchPage> {
  if (!hasFilters(filters)) return { patients: [], page: 1, hasNext: false };
  const starts = (column: Fragment, prefix: string) => tx`${column} >= ${prefix} and ${column} < ${prefix + TOP}`;
  const account = accountColumn(tx);
  const email = tx`(fc.email collate "C")`;
  const columns = patientColumns(tx);
  const thisPage = tx`limit ${PAGE_SIZE + 1} offset ${(page - 1) * PAGE_SIZE}`;
  const conditions: Fragment[] = [];
  if (filters.account) conditions.push(starts(account, filters.account));
  if (filters.name) conditions.push(nameCondition(tx, filters.name));
  if (filters.dateOfBirth) conditions.push(tx`p.date_of_birth = ${filters.dateOfBirth}::date`);
  if (filters.guardianEmail) conditions.push(starts(email, filters.guardianEmail));
  const where = conditions.reduce((all, condition) => tx`${all} and ${condition}`);
  let rows;
  if (filters.guardianEmail) {
    // The rows are patient–guardian pairs found from the guardian's side (its index order); two guardians of one
    // patient matching the same prefix list that patient twice, each time under its match.
    rows = await tx`
      select ${columns}
      from family_contacts fc
      join associations a on a.tenant_id = fc.tenant_id and a.contact_id = fc.id
      join patients p on p.tenant_id = a.tenant_id and p.id = a.patient_id
      where ${where}
      order by ${email}, p.search_name, ${account} ${thisPage}`;
  } else if (filters.account || !filters.name) {
    rows = await tx`select ${columns} from patients p where ${where} order by ${filters.account ? account : tx`p.search_name, ${account}`} ${thisPage}`;
  } else {
    rows = await searchByName(tx, filters, page);
  }
  const shown = rows.slice(0, PAGE_SIZE);
  const guardians = await guardiansOf(tx, shown.map((row) => row.id as string));
  return {
    page,
    hasNext: rows.length > PAGE_SIZE,
    patients: shown.map((row) => ({
      id: row.id, accountNumber: row.account_number, firstName: row.first_name, lastName: row.last_name,
      dateOfBirth: row.date_of_birth, guardians: guardians.get(row.id) ?? [],
    })),
  };
}

/**
 * Names are kept twice, lower-cased: "last first" ("parent riley") and "first last" ("riley parent"). What was
 * typed is a prefix of either: "Parent", "parent, ri", "Riley", "Riley Parent". With another filter leading, that is
 * one condition; see searchByName for the name alone.
 */
function nameCondition(tx: Sql, name: string) {
  const range = (column: Fragment) => tx`(${column} >= ${name} and ${column} < ${name + TOP})`;
  return tx`(${range(tx`p.search_name`)} or ${range(tx`p.search_first`)})`;
}

/**
 * The name leads: matches on the last name first, in last-name order, then those that match on the first name only,
 * in first-name order (namesakes by account number). Each part is a range read in the order of its own index and
 * stopped after the rows this page needs; the first-name part is only read once the last-name matches run out, so
 * the usual search (a last name) costs the one short index scan it always did.
 */
async function searchByName(tx: Sql, filters: PatientFilters, page: number) {
  const name = filters.name;
  const offset = (page - 1) * PAGE_SIZE;
  const wanted = PAGE_SIZE + 1;
  const inRange = (column: Fragment) => tx`${column} >= ${name} and ${column} < ${name + TOP}`;
  const born = filters.dateOfBirth ? tx`and p.date_of_birth = ${filters.dateOfBirth}::date` : tx``;
  const lastName = tx`${inRange(tx`p.search_name`)} ${born}`;
  const rows = [...await tx`
    select ${patientColumns(tx)} from patients p where ${lastName}
    order by p.search_name, ${accountColumn(tx)} limit ${wanted} offset ${offset}`];
  if (rows.length === wanted) return rows;
  // This page reaches past the last-name matches: how many there are (at most `offset`, so this stays short).
  const [before] = rows.length > 0 ? [{ n: offset + rows.length }] : await tx`
    select count(*)::int as n from (select 1 from patients p where ${lastName} limit ${offset}) matches`;
  const firstNameOffset = Math.max(0, offset - before.n);
  const more = await tx`
    select ${patientColumns(tx)} from patients p
    where ${inRange(tx`p.search_first`)} and not (${inRange(tx`p.search_name`)}) ${born}
    order by p.search_first, ${accountColumn(tx)} limit ${wanted - rows.length} offset ${firstNameOffset}`;
  return [...rows, ...more];
}

const patientColumns = (tx: Sql) => tx`p.id, p.account_number, p.first_name, p.last_name, to_char(p.date_of_birth, 'YYYY-MM-DD') as date_of_birth`;
const accountColumn = (tx: Sql) => tx`(p.account_number collate "C")`;

async function guardiansOf(tx: Sql, patientIds: string[]): Promise<Map<string, PatientSummary['guardians']>> {
  const byPatient = new Map<string, PatientSummary['guardians']>();
  if (patientIds.length === 0) return byPatient;
  const rows = await tx`
    select a.patient_id, fc.first_name, fc.last_name, a.relationship
    from associations a join family_contacts fc on fc.tenant_id = a.tenant_id and fc.id = a.contact_id
    where a.patient_id = any(${patientIds}::uuid[]) and a.relationship <> 'self'
    order by fc.last_name, fc.first_name`;
  for (const row of rows) {
    const list = byPatient.get(row.patient_id) ?? [];
    list.push({ name: `${row.first_name} ${row.last_name}`, relationship: row.relationship });
    byPatient.set(row.patient_id, list);
  }
  return byPatient;
}
