// Shared by the two-factor test files: fresh staff members to enrol, enrolment through the pages as a person would
// do it, and codes computed independently of the server (otplib here, oathtool where installed).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { generate } from 'otplib';
import * as assert from 'uvu/assert';
import { runInTenant } from '../../src/platform/db.ts';
import { createStaffMember } from '../../src/core/practices.ts';
import { Client, STAFF_PASSWORD, signIn, tenantId, textOf, type TestContext } from './harness.ts';

export const OATHTOOL = '/usr/bin/oathtool';
export const oathtoolInstalled = existsSync(OATHTOOL);

let counter = 0;

/** A new staff member of Sunny Pediatrics (password STAFF_PASSWORD, question answered Springfield). */
export async function newStaffMember(ctx: TestContext, options: { cellPhone?: string; role?: 'admin' | 'staff'; slug?: string } = {}) {
  counter += 1;
  const username = `tfa${counter}${Date.now().toString(36).slice(-4)}`;
  const email = `${username}@sunny-pediatrics.example`;
  const id = await runInTenant(ctx.owner, await tenantId(ctx.owner, options.slug ?? 'sunny-pediatrics'), (tx) => createStaffMember(tx, {
    username, email, firstName: 'Tess', lastName: `Factor${counter}`, role: options.role ?? 'staff', password: STAFF_PASSWORD,
    securityQuestion: 'In what city were you born?', securityAnswer: 'Springfield', cellPhone: options.cellPhone,
  }));
  return { id, username, email };
}

/** The current code, or the one of `offsetSteps` steps from now (negative: older). */
export function codeAt(secret: string, offsetSteps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });
}

/** oathtool's code for `offsetSteps` steps from now: a second implementation, independent of ours and of otplib. */
export function oathtoolCode(secret: string, offsetSteps = 0): string {
  const at = Math.floor(Date.now() / 1000) + offsetSteps * 30;
  return execFileSync(OATHTOOL, ['--totp', '-b', `--now=@${at}`, secret], { encoding: 'utf8' }).trim();
}

/**
 * A code the server has not seen yet. The server accepts each 30-second step once; a test that signs in several
 * times within one step lets the step pass as the clock would, by forgetting the last one used.
 */
export async function freshCode(ctx: TestContext, accountId: string, secret: string): Promise<string> {
  await ctx.owner`update accounts set totp_last_used_step = null where id = ${accountId}`;
  return codeAt(secret);
}

/** Enrols a signed-in client through My Account (or Settings): password, key read from the page, first code. */
export async function enrol(client: Client, settingsPath: string, password: string) {
  const started = await client.post(`${settingsPath}/two-factor/start`, { current_password: password });
  assert.is(started.status, 303, 'the current password starts the setup');
  const page = await (await client.get(`${settingsPath}/two-factor`)).text();
  const key = page.match(/id="totp-key"[^>]*>([A-Z2-7 ]+)</)?.[1];
  assert.ok(key, 'the page shows the key in text');
  const secret = key.replace(/ /g, '');
  const confirmed = await client.post(`${settingsPath}/two-factor/confirm`, { code: await codeAt(secret) });
  assert.is(confirmed.status, 200);
  const html = await confirmed.text();
  const recoveryCodes = [...html.matchAll(/<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})<\/code>/g)].map((m) => m[1]);
  assert.is(recoveryCodes.length, 10, textOf(html));
  return { secret, recoveryCodes, page, html };
}

/** A staff member with 2FA on, enrolled through the pages; the client that enrolled is signed in. */
export async function enrolledStaffMember(ctx: TestContext, options: { cellPhone?: string } = {}) {
  const member = await newStaffMember(ctx, options);
  const client = new Client(ctx.app);
  await signIn(client, 'sunny-pediatrics', 'practice', member.username, STAFF_PASSWORD);
  const enrolment = await enrol(client, '/sunny-pediatrics/practice/account', STAFF_PASSWORD);
  return { ...member, ...enrolment, client };
}

/** Password first: the answer is the second step, not a session. */
export async function passwordStep(client: Client, base: string, username: string, password: string): Promise<Response> {
  const response = await client.post(`${base}/login`, { username, password });
  assert.is(response.status, 303);
  assert.is(response.headers.get('location'), `${base}/login/two-factor`);
  return response;
}
