import { z } from 'zod';

/** HIPAA keeps documentation six years (45 CFR 164.316(b)(2)); the audit log is never kept for less. */
export const MIN_AUDIT_RETENTION_YEARS = 6;

// Read and validated once at start-up; a bad value stops the process with a readable message.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().startsWith('postgres').optional(),
  APP_DATABASE_URL: z.string().startsWith('postgres').optional(),
  DEMO_DATA: z.enum(['0', '1', 'true', 'false']).optional(),
  SECRET_KEY: z.string().min(32, 'SECRET_KEY must be at least 32 characters').optional(),
  CLIENT_IP_HEADER: z.string().toLowerCase().optional(),
  RESEND_API_KEY: z.string().optional(),
  RESEND_BASE_URL: z.url().optional(),
  MAIL_FROM: z.string().default('Gatehouse <no-reply@gatehouse.example>'),
  DATA_DIR: z.string().default('.data'),
  // Issue 15: SMTP through a provider that signs a BAA, the key ring, how long the audit log is kept.
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'SMTP_URL must look like smtp://user:password@host:587 or smtps://…:465').optional(),
  SECRET_KEY_PREVIOUS: z.string().optional(),
  AUDIT_RETENTION_YEARS: z.coerce.number().int('AUDIT_RETENTION_YEARS must be a whole number of years')
    .min(MIN_AUDIT_RETENTION_YEARS, `AUDIT_RETENTION_YEARS must be at least ${MIN_AUDIT_RETENTION_YEARS} (HIPAA keeps audit records six years)`)
    .max(100).default(MIN_AUDIT_RETENTION_YEARS),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  METRICS_TOKEN: z.string().min(24, 'METRICS_TOKEN must be at least 24 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // Issue 11: `off` behind a transaction-mode pooler that cannot carry prepared statements (PgBouncer before 1.21).
  DATABASE_PREPARED_STATEMENTS: z.enum(['on', 'off'], 'DATABASE_PREPARED_STATEMENTS must be on or off').default('on'),
});

export type Config = {
  env: 'development' | 'test' | 'production';
  port: number;
  publicUrl: string;
  /** The owner's connection: migrations, the operator command, and giving the application role its password. */
  databaseUrl: string | null;
  /** The application's own connection (role gatehouse_app); required with DATABASE_URL, made up for the embedded one. */
  appDatabaseUrl: string | null;
  /** Seed the demo practices (known passwords!): the embedded database by default, a real one only when asked. */
  demoData: boolean;
  secretKey: string;
  /** Header set by the proxy in front of us (Fly: fly-client-ip); null trusts only the socket. */
  clientIpHeader: string | null;
  resendApiKey: string | null;
  resendBaseUrl: string | null;
  mailFrom: string;
  dataDir: string;
  /** Older keys that still decrypt and verify what they sealed (SECRET_KEY_PREVIOUS); SECRET_KEY seals. */
  previousSecretKeys: string[];
  /** Email through this SMTP server (a provider with a BAA, or the practice's own relay) instead of Resend. */
  smtpUrl: string | null;
  auditRetentionYears: number;
  logLevel: string;
  /** /metrics answers only a request bearing this token; null leaves it off (or see metricsPort). */
  metricsToken: string | null;
  /** A port of its own for /metrics, without a token, for a private network (Fly's metrics scraper); null for none. */
  metricsPort: number | null;
  /** Prepared statements on the application's connections (off behind a pooler that cannot carry them). */
  databasePreparedStatements: boolean;
};

const DEVELOPMENT_SECRET = 'development-only-secret-key-not-for-production-use';

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const given = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = schema.extend({ NODE_ENV_EXPLICIT: z.boolean() }).safeParse({ ...given, NODE_ENV_EXPLICIT: given.NODE_ENV !== undefined });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const previousSecretKeys = (env.SECRET_KEY_PREVIOUS ?? '').split(/[\s,]+/).filter(Boolean);
  if (previousSecretKeys.some((key) => key.length < 32)) {
    throw new Error('Invalid configuration:\n  SECRET_KEY_PREVIOUS: each previous key (separated by commas) must be at least 32 characters');
  }
  if (env.RESEND_API_KEY && env.SMTP_URL) {
    throw new Error('Invalid configuration:\n  RESEND_API_KEY and SMTP_URL are both set: choose one way to send email and unset the other');
  }
  const demoAsked = env.DEMO_DATA === '1' || env.DEMO_DATA === 'true';
  // A real database with no NODE_ENV is most likely production forgotten: development defaults there would seed
  // demo practices with known passwords, serve every practice's mail at /_dev/mail and use the development key.
  if (env.DATABASE_URL && !env.NODE_ENV_EXPLICIT && env.DEMO_DATA === undefined) {
    throw new Error('Invalid configuration:\n  DATABASE_URL is set but NODE_ENV is not: set NODE_ENV=production for a real database (or NODE_ENV=development, or DEMO_DATA=1 to seed demo practices into it on purpose)');
  }
  if (env.NODE_ENV === 'production' && demoAsked) throw new Error('Invalid configuration:\n  DEMO_DATA cannot be used in production (demo accounts have published passwords)');
  if (env.NODE_ENV === 'production') {
    const missing = (['DATABASE_URL', 'APP_DATABASE_URL', 'PUBLIC_URL', 'SECRET_KEY'] as const).filter((key) => !env[key]);
    if (missing.length) throw new Error(`Invalid configuration:\n  ${missing.join(', ')} must be set in production`);
    if (!env.RESEND_API_KEY && !env.SMTP_URL) {
      throw new Error('Invalid configuration:\n  RESEND_API_KEY or SMTP_URL must be set in production: without one no email would ever leave the outbox');
    }
  }
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    databaseUrl: env.DATABASE_URL ?? null,
    appDatabaseUrl: env.APP_DATABASE_URL ?? null,
    demoData: env.DEMO_DATA === undefined ? env.NODE_ENV !== 'production' && !env.DATABASE_URL : demoAsked,
    secretKey: env.SECRET_KEY ?? DEVELOPMENT_SECRET,
    clientIpHeader: env.CLIENT_IP_HEADER ?? null,
    resendApiKey: env.RESEND_API_KEY ?? null,
    resendBaseUrl: env.RESEND_BASE_URL ?? null,
    mailFrom: env.MAIL_FROM,
    dataDir: env.DATA_DIR,
    previousSecretKeys,
    smtpUrl: env.SMTP_URL ?? null,
    auditRetentionYears: env.AUDIT_RETENTION_YEARS,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'warn' : 'info'),
    metricsToken: env.METRICS_TOKEN ?? null,
    metricsPort: env.METRICS_PORT ?? null,
    databasePreparedStatements: env.DATABASE_PREPARED_STATEMENTS === 'on',
  };
}
