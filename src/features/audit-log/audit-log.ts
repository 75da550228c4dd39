import { z } from 'zod';
import { AUDIT_ACTIONS, recordEvent } from '../../core/audit.ts';
import { actorOf, type Scope } from '../../core/scope.ts';
import type { Database, Sql } from '../../platform/db.ts';
import { logger, serializeError } from '../../platform/log.ts';
import { releaseSlots, renewSlots, takeSlots } from '../../platform/slots.ts';
import { describeDetail } from '../../copy/audit-detail.ts';
import { actionLabel } from '../../copy/practice.ts';
import { practiceText } from '../../copy/practice/index.ts';
import { clockFor, type Clock } from '../../copy/time.ts';

// P6: the practice's audit events for administrators, newest first, filtered, paged by keyset and exported as CSV.

const W = practiceText.audit;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isCalendarDate = (value: string) => DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
const blankToUndefined = (value: string | undefined) => (value ? value : undefined);
const date = z.string().trim().optional().transform(blankToUndefined)
  .refine((value) => value === undefined || (isCalendarDate(value) && value >= '2000-01-01'), W.errors.date);

/** The filters, as the GET form and the CSV link send them. */
export const auditFilterSchema = z.object({
  person: z.string().trim().max(100, W.errors.tooLong)
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), W.errors.characters)
    .optional().transform(blankToUndefined),
  action: z.union([z.literal(''), z.enum(AUDIT_ACTIONS)], { error: W.errors.action }).optional().transform(blankToUndefined),
  from: date,
  to: date,
}).refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: W.errors.order });
export type AuditFilters = z.infer<typeof auditFilterSchema>;

/** Position of an event in the newest-first order: microseconds since 1970 and the id, e.g. `1717243200123456_42`. */
export type AuditCursor = { micros: string; id: string };
const CURSOR = /^(\d{1,16})_(\d{1,18})$/;

export function parseCursor(value: string | undefined): AuditCursor | null | 'invalid' {
  if (value === undefined || value === '') return null;
  const match = CURSOR.exec(value);
  return match ? { micros: match[1], id: match[2] } : 'invalid';
}

export type AuditPerson = { id: string; name: string | null; username: string | null; exists: boolean };
export type AuditEntry = {
  id: string; occurredAt: Date; action: string; label: string; actor: AuditPerson | null; subject: AuditPerson | null;
  /** The sign-in name typed when it matched no account. */
  typedName: string | null;
  ip: string | null; userAgent: string; device: string; detail: string; cursor: string;
};

export const PAGE_SIZE = 50;

/** One page of events, newest first, after `cursor`; `next` is the cursor of the following page, if any. */
export async function listAuditEvents(
  tx: Sql, filters: AuditFilters, cursor: AuditCursor | null, timeZone: string, limit = PAGE_SIZE,
): Promise<{ events: AuditEntry[]; next: string | null }> {
  const rows = await selectEvents(tx, filters, await personCondition(tx, filters.person), cursor, limit + 1, timeZone);
  const clock = clockFor(timeZone);
  const events = rows.slice(0, limit).map((row) => toEntry(row, clock));
  return { events, next: rows.length > limit ? events[events.length - 1].cursor : null };
}

type Fragment = ReturnType<Sql>;

// From and To are days of the practice's calendar: a day starts at midnight in its time zone.
function selectEvents(tx: Sql, filters: AuditFilters, person: { where: Fragment }, cursor: AuditCursor | null, limit: number | null, timeZone: string) {
  const at = cursor && tx`timestamptz 'epoch' + ${cursor.micros}::bigint * interval '1 microsecond'`;
  return tx`
    select e.id::text as id, e.occurred_at, e.action, e.actor_account_id, e.subject_account_id, e.ip, e.user_agent, e.detail,
           (extract(epoch from e.occurred_at) * 1000000)::bigint::text as micros,
           actor.username as actor_username, actor.name as actor_name,
           subject.username as subject_username, subject.name as subject_name
    from audit_events e
    left join lateral (${personOf(tx, tx`e.actor_account_id`)}) actor on true
    left join lateral (${personOf(tx, tx`e.subject_account_id`)}) subject on true
    where true
      ${filters.action ? tx`and e.action = ${filters.action}` : tx``}
      ${filters.from ? tx`and e.occurred_at >= ${filters.from}::date::timestamp at time zone ${timeZone}` : tx``}
      ${filters.to ? tx`and e.occurred_at < (${filters.to}::date + 1)::timestamp at time zone ${timeZone}` : tx``}
      ${person.where}
      ${at ? tx`and e.occurred_at <= ${at} and (e.occurred_at, e.id) < (${at}, ${cursor!.id}::bigint)` : tx``}
    order by e.occurred_at desc, e.id desc
    ${limit ? tx`limit ${limit}` : tx``}`;
}

/** An account's username and display name; no row when the account no longer exists. */
function personOf(tx: Sql, column: Fragment) {
  return tx`
    select a.username, coalesce(sp.first_name || ' ' || sp.last_name, fc.first_name || ' ' || fc.last_name) as name
    from accounts a
    left join staff_profiles sp on sp.tenant_id = a.tenant_id and sp.account_id = a.id
    left join family_contacts fc on fc.tenant_id = a.tenant_id and fc.account_id = a.id
    where a.tenant_id = e.tenant_id and a.id = ${column}`;
}

// Up to this many matching people are looked up first and passed to the events query by id: the planner then sees
// who they are, and a rarely seen person's events come from the actor and subject indexes instead of a walk through
// the practice's whole history. A broader term (many people) finds enough recent events by walking newest first.
const MAX_PEOPLE = 500;

/** Events by or about anyone whose username, email or name contains the text (or that exact account id). */
async function personCondition(tx: Sql, person: string | undefined): Promise<{ where: Fragment }> {
  // Wrapped: a fragment is a thenable, and an async function returning it would run it on its own.
  if (!person) return { where: tx`` };
  if (z.guid().safeParse(person).success) return { where: tx`and (e.actor_account_id = ${person}::uuid or e.subject_account_id = ${person}::uuid)` };
  const pattern = `%${person.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const people = tx`
    select a.id from accounts a
    left join staff_profiles sp on sp.tenant_id = a.tenant_id and sp.account_id = a.id
    left join family_contacts fc on fc.tenant_id = a.tenant_id and fc.account_id = a.id
    where a.username ilike ${pattern} or a.email ilike ${pattern}
       or (sp.first_name || ' ' || sp.last_name) ilike ${pattern} or (fc.first_name || ' ' || fc.last_name) ilike ${pattern}`;
  const typed = tx`(e.detail ? 'identifier' and e.detail->>'identifier' ilike ${pattern})`;
  const ids = (await tx`${people} limit ${MAX_PEOPLE + 1}`).map((row) => row.id as string);
  if (ids.length > MAX_PEOPLE) return { where: tx`and (e.actor_account_id in (${people}) or e.subject_account_id in (${people}) or ${typed})` };
  // A plan made for other ids must not be reused for these (prepared statements switch to generic plans).
  await tx`set local plan_cache_mode = force_custom_plan`;
  return { where: tx`and (e.actor_account_id = any(${ids}::uuid[]) or e.subject_account_id = any(${ids}::uuid[]) or ${typed})` };
}

type EventRow = {
  id: string; occurred_at: Date; action: string; actor_account_id: string | null; subject_account_id: string | null;
  ip: string | null; user_agent: string | null; detail: Record<string, unknown> | null; micros: string;
  actor_username: string | null; actor_name: string | null; subject_username: string | null; subject_name: string | null;
};

function toEntry(row: Record<string, unknown>, clock: Clock): AuditEntry {
  const r = row as EventRow;
  const person = (id: string | null, username: string | null, name: string | null): AuditPerson | null =>
    id ? { id, username, name, exists: username !== null } : null;
  const { identifier, ...rest } = r.detail ?? {};
  const typed = !r.actor_account_id && typeof identifier === 'string' ? identifier : null;
  const detail = typed === null && identifier !== undefined ? { ...rest, identifier } : rest;
  return {
    id: r.id, occurredAt: r.occurred_at, action: r.action, label: actionLabel(r.action),
    actor: person(r.actor_account_id, r.actor_username, r.actor_name),
    subject: person(r.subject_account_id, r.subject_username, r.subject_name),
    typedName: typed, ip: r.ip, userAgent: r.user_agent ?? '', device: describeDevice(r.user_agent ?? ''),
    detail: describeDetail(r.action, detail, clock), cursor: `${r.micros}_${r.id}`,
  };
}

/** A short description of a user agent: "Firefox on Windows"; other software by its own first word. */
export function describeDevice(userAgent: string): string {
  const ua = userAgent.trim();
  if (!ua) return W.unknownDevice;
  const browser = /Edg(e|A|iOS)?\//.test(ua) ? 'Edge' : /OPR\//.test(ua) ? 'Opera' : /Firefox\/|FxiOS\//.test(ua) ? 'Firefox'
    : /Chrome\/|CriOS\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null;
  const system = /iPhone/.test(ua) ? 'iPhone' : /iPad/.test(ua) ? 'iPad' : /Android/.test(ua) ? 'Android' : /Windows/.test(ua) ? 'Windows'
    : /CrOS/.test(ua) ? 'ChromeOS' : /Mac OS X|Macintosh/.test(ua) ? 'Mac' : /Linux/.test(ua) ? 'Linux' : null;
  if (browser) return system ? W.browserOn(browser, system) : browser;
  if (system) return W.aBrowserOn(system);
  return ua.split(/\s+/)[0].slice(0, 40);
}

// CSV (RFC 4180, CRLF) for spreadsheets. A cell a spreadsheet would run as a formula gets a leading apostrophe
// (OWASP "CSV injection"): typed sign-in names and user agents are attacker-chosen.
const CSV_HEADER = W.csvHeader;

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvLine = (cells: string[]) => `${cells.map(csvCell).join(',')}\r\n`;
const personName = (p: AuditPerson | null) => (p ? p.name ?? (p.exists ? p.username ?? '' : W.deletedAccount) : '');

function csvRow(e: AuditEntry): string {
  return csvLine([
    e.occurredAt.toISOString(), e.action, e.label, personName(e.actor), e.actor?.username ?? e.typedName ?? '',
    personName(e.subject), e.subject?.username ?? '', e.detail, e.ip ?? '', e.device, e.userAgent,
  ]);
}

// Exports are bounded so that no practice's export can take what other practices need: at most
// EXPORTS_PER_PRACTICE at once per practice and EXPORTS_OVERALL across all of them (slots in PostgreSQL, shared by
// every instance), each page read in a short transaction of its own on the database's small bulk pool, so no
// connection or transaction waits for a slow client. A client that stops reading is cut off by the server's socket
// timeout, and its slot comes back when its lease runs out.
export const EXPORTS_PER_PRACTICE = 2;
export const EXPORTS_OVERALL = 6;
const EXPORT_PAGE = 500;
const LEASE_SECONDS = 60;

export type ExportStart = { ok: true; stream: ReadableStream<Uint8Array> } | { ok: false; reason: 'busy'; retryAfterSeconds: number };

/**
 * The filtered events as a CSV byte stream, one keyset page at a time and only as fast as the client takes them.
 * A failure mid-way breaks the download rather than ending it as if complete. The UTF-8 byte-order mark makes
 * spreadsheet programs read names with accents correctly.
 */
export async function startAuditExport(db: Database, tenantId: string, filters: AuditFilters, timeZone: string): Promise<ExportStart> {
  const slots = [
    Array.from({ length: EXPORTS_PER_PRACTICE }, (_, i) => `practice:${tenantId}:${i + 1}`),
    Array.from({ length: EXPORTS_OVERALL }, (_, i) => `all:${i + 1}`),
  ];
  const hold = await takeSlots(db.sql, slots, LEASE_SECONDS);
  if (!hold) return { ok: false, reason: 'busy', retryAfterSeconds: LEASE_SECONDS };
  const encoder = new TextEncoder();
  const clock = clockFor(timeZone);
  let cursor: AuditCursor | null = null;
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await releaseSlots(db.sql, hold).catch(() => {});
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(CSV_HEADER)}`));
    },
    async pull(controller) {
      try {
        const rows = await db.bulk.inTenant(tenantId, async (tx) =>
          selectEvents(tx, filters, await personCondition(tx, filters.person), cursor, EXPORT_PAGE, timeZone));
        if (rows.length) {
          const entries = rows.map((row) => toEntry(row, clock));
          const [micros, id] = entries[entries.length - 1].cursor.split('_');
          cursor = { micros, id };
          controller.enqueue(encoder.encode(entries.map(csvRow).join('')));
        }
        if (rows.length < EXPORT_PAGE) {
          await release();
          controller.close();
        } else {
          await renewSlots(db.sql, hold, LEASE_SECONDS);
        }
      } catch (error) {
        logger().error({ err: serializeError(error) }, 'audit export failed');
        await release();
        controller.error(error);
      }
    },
    cancel: release,
  }, { highWaterMark: 0 });
  return { ok: true, stream };
}

/** The export itself is an event: who took a copy of the log, with which filters. */
export function recordExport(tx: Sql, scope: Scope, filters: Record<string, string>): Promise<void> {
  return recordEvent(tx, scope.origin, { action: 'audit.exported', actorAccountId: actorOf(scope).id, detail: { filters } });
}
