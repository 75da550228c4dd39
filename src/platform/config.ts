import { z } from 'zod';

// Read and validated once at start-up; a bad value stops the process with a readable message.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().startsWith('postgres').optional(),
  SECRET_KEY: z.string().min(32, 'SECRET_KEY must be at least 32 characters').optional(),
  CLIENT_IP_HEADER: z.string().toLowerCase().optional(),
  RESEND_API_KEY: z.string().optional(),
  RESEND_BASE_URL: z.url().optional(),
  MAIL_FROM: z.string().default('Gatehouse <no-reply@gatehouse.example>'),
  DATA_DIR: z.string().default('.data'),
});

export type Config = {
  env: 'development' | 'test' | 'production';
  port: number;
  publicUrl: string;
  databaseUrl: string | null;
  secretKey: string;
  /** Header set by the proxy in front of us (Fly: fly-client-ip); null trusts only the socket. */
  clientIpHeader: string | null;
  resendApiKey: string | null;
  resendBaseUrl: string | null;
  mailFrom: string;
  dataDir: string;
};

const DEVELOPMENT_SECRET = 'development-only-secret-key-not-for-production-use';

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production') {
    const missing = (['DATABASE_URL', 'PUBLIC_URL', 'SECRET_KEY'] as const).filter((key) => !env[key]);
    if (missing.length) throw new Error(`Invalid configuration:\n  ${missing.join(', ')} must be set in production`);
  }
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    databaseUrl: env.DATABASE_URL ?? null,
    secretKey: env.SECRET_KEY ?? DEVELOPMENT_SECRET,
    clientIpHeader: env.CLIENT_IP_HEADER ?? null,
    resendApiKey: env.RESEND_API_KEY ?? null,
    resendBaseUrl: env.RESEND_BASE_URL ?? null,
    mailFrom: env.MAIL_FROM,
    dataDir: env.DATA_DIR,
  };
}
