import type { Request } from 'autocannon';
import { DEMO_STAFF_PASSWORD } from '../../src/cli/demo-seed.ts';
import { runInTenant, type Sql } from '../../src/platform/db.ts';

export const LOGIN_PATH = '/sunny-pediatrics/practice/login';
export const HOME_PATH = '/sunny-pediatrics/practice/';
export const CLIENT_IP_HEADER = 'x-bench-ip';

// Staff who sign in during the bench: eight accounts of Sunny's with the demo password (seedSignInStaff), a morning's
// worth of different people rather than a few signing in hundreds of times a second. With few accounts, five sign-ins
// of one account in flight at once would be five reserved attempts, and lockout would answer some of them (as it
// should: see sign-in/lockout.ts). The administrator whose home the bench measures is not among them either: every
// sign-in leaves a live session, and the home counts its owner's devices.
const SIGN_IN_STAFF = 8;
const STAFF = Array.from({ length: SIGN_IN_STAFF }, (_, n) => `benchsignin${n + 1}`);

/** The staff above: copies of Camille (demo password, security question, a staff role) under their own names. */
export async function seedSignInStaff(owner: Sql): Promise<void> {
  const [tenant] = await owner`select id from tenants where slug = 'sunny-pediatrics'`;
  await runInTenant(owner, tenant.id, async (tx) => {
    await tx`
      insert into accounts (tenant_id, id, portal, username, email, password_hash, status, security_question, security_answer_hash, password_changed_at)
      select app_tenant_id(), md5('bench-sign-in-' || n)::uuid, 'practice', 'benchsignin' || n, 'benchsignin' || n || '@sunny-pediatrics.example',
             a.password_hash, 'active', a.security_question, a.security_answer_hash, now()
      from accounts a, generate_series(1, ${SIGN_IN_STAFF}) as n
      where a.portal = 'practice' and a.username = 'camilles'`;
    await tx`
      insert into staff_profiles (tenant_id, account_id, first_name, last_name, role)
      select app_tenant_id(), md5('bench-sign-in-' || n)::uuid, 'Bench', 'Signin' || n, 'staff' from generate_series(1, ${SIGN_IN_STAFF}) as n`;
  });
}

const USER_AGENT = 'GatehouseBench/1.0';

// One address per sign-in, so the per-IP limit (60 per 5 minutes) never answers instead of the sign-in.
// Shared by every connection and run, so no address is reused within a bench run.
let nextAddress = 1;
function takeAddress(): string {
  const n = nextAddress++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** A valid sign-in as a browser form would post it, each from a new client address. */
export function signInRequest(publicUrl: string): Request {
  let turn = 0;
  return {
    method: 'POST',
    path: LOGIN_PATH,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: publicUrl, 'user-agent': USER_AGENT },
    setupRequest: (request) => ({
      ...request,
      headers: { ...request.headers, [CLIENT_IP_HEADER]: takeAddress() },
      body: new URLSearchParams({ username: STAFF[turn++ % STAFF.length], password: DEMO_STAFF_PASSWORD }).toString(),
    }),
  };
}

export function homePageRequest(cookie: string): Request {
  // As a browser asks: compressed answers accepted, so their cost is counted.
  return { method: 'GET', path: HOME_PATH, headers: { cookie, 'user-agent': USER_AGENT, 'accept-encoding': 'gzip, deflate, br', [CLIENT_IP_HEADER]: '192.0.2.1' } };
}

/**
 * Signs in once the way a browser would and returns the `name=value` cookie pair; also proves the routes the
 * bench loads answer as expected before any load is put on them.
 */
export async function signInOnce(baseUrl: string, publicUrl: string): Promise<string> {
  const response = await fetch(baseUrl + LOGIN_PATH, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: publicUrl, 'user-agent': USER_AGENT, [CLIENT_IP_HEADER]: '192.0.2.1' },
    body: new URLSearchParams({ username: 'admin', password: DEMO_STAFF_PASSWORD }),
  });
  const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]).find((pair) => pair.startsWith('gatehouse_session='));
  if (response.status !== 303 || !cookie) {
    throw new Error(`Signing in to ${LOGIN_PATH} answered ${response.status} ${cookie ? '' : 'without a session cookie'}: ${(await response.text()).slice(0, 300)}`);
  }
  const home = await fetch(baseUrl + HOME_PATH, { redirect: 'manual', headers: { cookie, 'user-agent': USER_AGENT } });
  const html = await home.text();
  if (home.status !== 200 || !html.includes('Signed in as')) {
    throw new Error(`${HOME_PATH} with the new session answered ${home.status}, not the signed-in page: ${html.slice(0, 300)}`);
  }
  return cookie;
}
