import type { Request } from 'autocannon';
import { DEMO_STAFF_PASSWORD } from '../../src/cli/demo-seed.ts';

export const LOGIN_PATH = '/sunny-pediatrics/practice/login';
export const HOME_PATH = '/sunny-pediatrics/practice/';
export const CLIENT_IP_HEADER = 'x-bench-ip';

// The seeded practice staff who share the demo password. Spreading sign-ins over them is closer to a real
// morning than one account signing in hundreds of times a second (each success updates its account row). The
// administrator whose home the bench measures is not among them: every sign-in leaves a live session, the home counts
// its owner's devices, and a thousand of the bench's own sign-ins would otherwise be measured as that page's cost.
const STAFF = ['camilles', 'marcusstaff', 'drlee'];
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
