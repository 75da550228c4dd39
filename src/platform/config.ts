import { z } from 'zod';

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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  METRICS_TOKEN: z.string().min(24, 'METRICS_TOKEN must be at least 24 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
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
  logLevel: string;
  /** /metrics answers only a request bearing this token; null leaves it off (or see metricsPort). */
  metricsToken: string | null;
  /** A port of its own for /metrics, without a token, for a private network (Fly's metrics scraper); null for none. */
  metricsPort: number | null;
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
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'warn' : 'info'),
    metricsToken: env.METRICS_TOKEN ?? null,
    metricsPort: env.METRICS_PORT ?? null,
  };
}
