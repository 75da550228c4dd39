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
  if (!SLUG_PATTERN.test(slug)) return null;
  const [row] = await db.sql`select id, slug, name, settings from tenants where slug = ${slug}`;
  return row ? { id: row.id, slug: row.slug, name: row.name, settings: parseSettings(row.settings) } : null;
}

export async function listTenants(sql: Sql): Promise<{ slug: string; name: string }[]> {
  return (await sql`select slug, name from tenants order by name`).map((r) => ({ slug: r.slug, name: r.name }));
}

export function idleMinutes(settings: TenantSettings, portal: Portal): number {
  return portal === 'practice' ? settings.idleMinutesPractice : settings.idleMinutesPatient;
}
