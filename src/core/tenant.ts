import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../copy/time.ts';
import type { Database, Sql } from '../platform/db.ts';

export type Portal = 'practice' | 'patient';

// Practice settings with the defaults of DESIGN.md §4; a practice may tighten them (P7).
export const settingsSchema = z.object({
  idleMinutesPractice: z.number().int().min(5).max(720).default(30),
  idleMinutesPatient: z.number().int().min(5).max(720).default(60),
  resetLinkHours: z.number().int().min(1).max(168).default(48),
  staffResetLinkHours: z.number().int().min(1).max(168).default(72),
  invitationDays: z.number().int().min(1).max(30).default(7),
  passwordMinLength: z.number().int().min(8).max(64).default(12),
  staffTwoFactorRequired: z.boolean().default(false),
  rememberDeviceDays: z.number().int().min(0).max(90).default(30),
  staffMayTypeTemporaryPassword: z.boolean().default(false),
  // P4: an administrator may type a staff member's (temporary) password, after entering their own.
  staffPasswordSetByAdmin: z.boolean().default(false),
  smsCodesAllowed: z.boolean().default(false),
  patientAdminRoles: z.array(z.enum(['admin', 'provider', 'nurse', 'staff'])).default(['admin', 'staff']),
  // Where replies to the practice's emails go (Reply-To); null sends none, so replies reach the From address.
  replyToEmail: z.email().max(254).nullable().default(null),
  // The number families and staff call: every email gives it, beside the practice's name. Null shows none.
  phoneNumber: z.string().trim().min(1).max(40).nullable().catch(null).default(null),
  // Every date and time people read is in this zone (an IANA name). A stored name this runtime does not know falls
  // back to the default rather than taking the practice's other settings down with it.
  timeZone: z.string().refine(isTimeZone).catch(DEFAULT_TIME_ZONE),
});
export type TenantSettings = z.infer<typeof settingsSchema>;

export type Tenant = { id: string; slug: string; name: string; settings: TenantSettings };

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
export const RESERVED_SLUGS = new Set([
  '_dev', 'admin', 'api', 'app', 'assets', 'healthz', 'login', 'logout', 'new', 'patient', 'practice', 'public',
  'static', 'status', 'www', 'htmx', 'favicon.ico', 'robots.txt', 'metrics',
]);

export function isValidSlug(slug: string): boolean {
  return SLUG_PATTERN.test(slug) && !RESERVED_SLUGS.has(slug);
}

export function parseSettings(raw: unknown): TenantSettings {
  const parsed = settingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : settingsSchema.parse({});
}

export async function getTenantBySlug(db: Database, slug: string): Promise<Tenant | null> {
  return (await readTenant(db, slug))?.tenant ?? null;
}

/** A practice as an instance last read it, with its row's version then (sql/040 bumps it on every change). */
export type KnownTenant = { tenant: Tenant; version: number };

// The practices this instance has served, by slug. Never trusted alone: a signed-in request checks the version in the
// same statement as its session (sessions.ts, readSession) and takes the fresh row when it moved; a request without a
// session reads the row itself (readTenant). A few hundred bytes per practice, and slugs never change.
// Kept per database (tests run several in one process).
const knownByDatabase = new WeakMap<Database, Map<string, KnownTenant>>();
function knownIn(db: Database): Map<string, KnownTenant> {
  let known = knownByDatabase.get(db);
  if (!known) knownByDatabase.set(db, (known = new Map()));
  return known;
}

/** Reads a practice by its slug, and remembers it for this instance's signed-in requests. */
export async function readTenant(db: Database, slug: string): Promise<KnownTenant | null> {
  if (!SLUG_PATTERN.test(slug)) return null;
  const [row] = await db.sql`select id, slug, name, settings, version from tenants where slug = ${slug}`;
  if (!row) {
    knownIn(db).delete(slug);
    return null;
  }
  return rememberTenant(db, { version: Number(row.version), tenant: { id: row.id, slug: row.slug, name: row.name, settings: parseSettings(row.settings) } });
}

/** This instance's last copy of a practice, to be checked against the database (see knownByDatabase). */
export function lastKnownTenant(db: Database, slug: string): KnownTenant | null {
  return knownIn(db).get(slug) ?? null;
}

export function rememberTenant(db: Database, tenant: KnownTenant): KnownTenant {
  knownIn(db).set(tenant.tenant.slug, tenant);
  return tenant;
}

export function forgetTenant(db: Database, slug: string): void {
  knownIn(db).delete(slug);
}

export async function listTenants(sql: Sql): Promise<{ slug: string; name: string }[]> {
  return (await sql`select slug, name from tenants order by name`).map((r) => ({ slug: r.slug, name: r.name }));
}

export function idleMinutes(settings: TenantSettings, portal: Portal): number {
  return portal === 'practice' ? settings.idleMinutesPractice : settings.idleMinutesPatient;
}
