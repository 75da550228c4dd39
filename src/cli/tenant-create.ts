// The operator command that opens a practice on a real deployment:
//   npm run tenant:create -- --slug acme-clinic --name "Acme Clinic" --admin-email a@acme.example \
//     --admin-username pat --first-name Pat --last-name Smith
// It creates the practice and its first administrator (invited: no password), and prints the invitation link.
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { issueToken } from '../core/account-tokens.ts';
import { recordEvent } from '../core/audit.ts';
import { loadConfig } from '../platform/config.ts';
import { connectAsOwner, enterTenant, isUniqueViolation, type Sql } from '../platform/db.ts';
import { migrate } from '../platform/migrate.ts';
import { createPractice, createStaffMember } from '../core/practices.ts';
import { RESERVED_SLUGS, SLUG_PATTERN, parseSettings } from '../core/tenant.ts';
import { DEFAULT_TIME_ZONE, clockFor, isTimeZone } from '../copy/time.ts';

export const USAGE = `Usage: npm run tenant:create -- --slug <slug> --name <practice name> --admin-email <email>
         --admin-username <username> --first-name <first name> --last-name <last name> [--time-zone <zone>]

Creates a practice and its first administrator, who is invited (no password yet), and prints the
invitation link to send them. Connects to DATABASE_URL; in development without it, to the embedded
database that \`npm start\` uses (stop \`npm start\` first).

  --slug            the practice's address: lowercase letters, digits and hyphens, up to 48 characters
                    (e.g. acme-clinic gives /acme-clinic/practice/login)
  --name            the practice's name as staff and families see it (e.g. "Acme Clinic")
  --admin-email     the administrator's email address
  --admin-username  the administrator's sign-in name: letters, digits, dot, hyphen, underscore
  --first-name      the administrator's first name
  --last-name       the administrator's last name
  --time-zone       the practice's time zone, an IANA name such as America/Chicago (default: ${DEFAULT_TIME_ZONE});
                    administrators can change it later in Practice settings`;

const OPTIONS = {
  slug: { type: 'string' },
  name: { type: 'string' },
  'admin-email': { type: 'string' },
  'admin-username': { type: 'string' },
  'first-name': { type: 'string' },
  'last-name': { type: 'string' },
  'time-zone': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const newTenantSchema = z.object({
  slug: z.string().trim()
    .regex(SLUG_PATTERN, 'use lowercase letters, digits and hyphens (not first or last), up to 48 characters')
    .refine((slug) => !RESERVED_SLUGS.has(slug), 'this word is reserved; choose another slug'),
  name: z.string().trim().min(1, 'give the practice a name').max(200, 'use at most 200 characters'),
  adminEmail: z.string().trim().toLowerCase().pipe(z.email('not an email address').max(254)),
  adminUsername: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/, 'use 2–64 letters, digits, dots, hyphens or underscores'),
  firstName: z.string().trim().min(1, 'required').max(100, 'use at most 100 characters'),
  lastName: z.string().trim().min(1, 'required').max(100, 'use at most 100 characters'),
  timeZone: z.string().trim().refine(isTimeZone, 'not a time zone of a place; use an IANA name such as America/Chicago'),
});

export type NewTenant = z.infer<typeof newTenantSchema>;

export type ParsedArguments = { ok: true; input: NewTenant } | { ok: false; help: boolean; errors: string[] };

/** Reads the command line; every problem is reported at once, named by its option. */
export function parseTenantArguments(argv: string[]): ParsedArguments {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    return { ok: false, help: false, errors: [(error as Error).message] };
  }
  if (values.help) return { ok: false, help: true, errors: [] };
  const parsed = newTenantSchema.safeParse({
    slug: values.slug ?? '', name: values.name ?? '', adminEmail: values['admin-email'] ?? '',
    adminUsername: values['admin-username'] ?? '', firstName: values['first-name'] ?? '', lastName: values['last-name'] ?? '',
    timeZone: values['time-zone'] ?? DEFAULT_TIME_ZONE,
  });
  if (parsed.success) return { ok: true, input: parsed.data };
  const optionName = (key: string) => `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  const errors = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0]);
    const given = values[optionName(key).slice(2)];
    return given === undefined ? `${optionName(key)} is missing` : `${optionName(key)}: ${issue.message}`;
  });
  return { ok: false, help: false, errors: [...new Set(errors)] };
}

export type CreatedTenant = { tenantId: string; adminAccountId: string; invitationUrl: string; expiresAt: Date };

/**
 * Everything the command does once connected: migrates, then creates the practice, its invited administrator,
 * the invitation link and the audit events in one transaction, so a failure leaves no half-made practice.
 * `owner` has the owner's rights (the practice row cannot be written by the application role).
 */
export async function createTenant(owner: Sql, input: NewTenant, options: { publicUrl: string; log?: (line: string) => void }): Promise<CreatedTenant> {
  await migrate(owner, options.log);
  const origin = { ip: 'operator command', userAgent: `tenant:create on ${hostname()}` };
  try {
    return await owner.begin(async (sql) => {
      const tx = sql as unknown as Sql;
      const tenantId = await createPractice(tx, { slug: input.slug, name: input.name, timeZone: input.timeZone });
      await enterTenant(tx, tenantId);
      const adminAccountId = await createStaffMember(tx, {
        username: input.adminUsername, email: input.adminEmail, firstName: input.firstName, lastName: input.lastName, role: 'admin',
      });
      const lifetimeHours = parseSettings({}).invitationDays * 24;
      const { token, expiresAt } = await issueToken(tx, { accountId: adminAccountId, purpose: 'invitation', lifetimeHours });
      await recordEvent(tx, origin, {
        action: 'tenant.created', subjectAccountId: adminAccountId,
        detail: { slug: input.slug, name: input.name, administrator: input.adminUsername },
      });
      await recordEvent(tx, origin, {
        action: 'invitation.created', subjectAccountId: adminAccountId, detail: { portal: 'practice', expiresAt: expiresAt.toISOString() },
      });
      const invitationUrl = `${options.publicUrl}/${input.slug}/practice/welcome/${token}`;
      return { tenantId, adminAccountId, invitationUrl, expiresAt };
    }) as CreatedTenant;
  } catch (error) {
    if (isUniqueViolation(error, 'tenants_slug_key')) throw new Error(`A practice with the slug "${input.slug}" already exists.`);
    throw error;
  }
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseTenantArguments(argv);
  if (!parsed.ok) {
    if (parsed.help) {
      console.log(USAGE);
      return 0;
    }
    console.error(`${parsed.errors.map((line) => `  ${line}`).join('\n')}\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  let databaseUrl = config.databaseUrl;
  const embedded = databaseUrl ? null : await startDevelopmentDatabase(config.dataDir);
  databaseUrl ??= embedded!.url('gatehouse');
  const owner = connectAsOwner(databaseUrl);
  try {
    const created = await createTenant(owner, parsed.input, { publicUrl: config.publicUrl, log: console.log });
    const { slug, name, adminUsername, adminEmail } = parsed.input;
    console.log([
      `Created the practice "${name}": ${config.publicUrl}/${slug}/practice/login`,
      `Invited its administrator ${adminUsername} <${adminEmail}>. Send them this link to choose a password`,
      `(single use, valid until ${clockFor(parsed.input.timeZone).dateTime(created.expiresAt)}):`,
      '',
      `  ${created.invitationUrl}`,
      '',
    ].join('\n'));
    return 0;
  } finally {
    await owner.end();
    await embedded?.stop();
  }
}

// The same embedded database `npm start` runs when DATABASE_URL is absent (development only: production requires
// DATABASE_URL). Imported only then, so a deployment never loads the PostgreSQL binaries for this command.
async function startDevelopmentDatabase(dataDir: string) {
  const { startEmbeddedDatabase } = await import('../platform/embedded-db.ts');
  try {
    return await startEmbeddedDatabase({ dataDir: `${dataDir}/postgres`, persistent: true, databases: ['gatehouse'] });
  } catch (error) {
    throw new Error(`${(error as Error).message}\nIf \`npm start\` is running, stop it and run this command again.`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error((error as Error).message ?? error);
      process.exit(1);
    },
  );
}
