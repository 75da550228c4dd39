import type { Request } from 'autocannon';
import { connectAsOwner } from '../../src/platform/db.ts';
import { CLIENT_IP_HEADER } from './app-requests.ts';

export const FORGOT_PATH = '/sunny-pediatrics/patient/forgot-password';

let nextAddress = 1;
function takeAddress(): string {
  // 172.16/12 here, 10/8 for sign-ins: a new client address per request keeps the per-IP limit out of the figures.
  const n = nextAddress++;
  return `172.${16 + ((n >> 16) & 15)}.${(n >> 8) & 255}.${n & 255}`;
}

/** Addresses of real patient-portal accounts, and as many made-up ones: the two sides of the enumeration question. */
export async function recoveryAddresses(databaseUrl: string): Promise<{ known: string[]; unknown: string[] }> {
  const owner = connectAsOwner(databaseUrl);
  try {
    const rows = await owner`
      select a.email from accounts a join tenants t on t.id = a.tenant_id
      where t.slug = 'sunny-pediatrics' and a.portal = 'patient' and a.email is not null order by a.email`;
    const known = rows.map((r) => r.email as string);
    return { known, unknown: known.map((_, i) => `nobody.${i}@unknown.example`) };
  } finally {
    await owner.end();
  }
}

/** "Forgot your password?" posted as a browser form would, cycling over `emails`, each from a new address. */
export function forgotPasswordRequest(publicUrl: string, emails: string[]): Request {
  let turn = 0;
  return {
    method: 'POST',
    path: FORGOT_PATH,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: publicUrl, 'user-agent': 'GatehouseBench/1.0' },
    setupRequest: (request) => ({
      ...request,
      headers: { ...request.headers, [CLIENT_IP_HEADER]: takeAddress() },
      body: new URLSearchParams({ email: emails[turn++ % emails.length] }).toString(),
    }),
  };
}
