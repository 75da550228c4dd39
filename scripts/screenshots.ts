// `npm run screenshots`: pictures of every home (administrator, front desk, nurse, family) and of an email, on a
// desktop and a phone, light and dark, into docs/screenshots/ (the README shows them). The real app on a throwaway
// embedded PostgreSQL with the demo practices, a few things gone wrong so the administrator's numbers say something,
// and Debian's Chromium through playwright-core, as in the browser tests.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seedDemoData } from '../src/cli/demo-seed.ts';
import { prepareAppRole } from '../src/platform/app-role.ts';
import { connectAsOwner } from '../src/platform/db.ts';
import { startEmbeddedDatabase } from '../src/platform/embedded-db.ts';
import { migrate } from '../src/platform/migrate.ts';
import { chromiumInstalled, SKIP_REASON, startBrowserHarness, type BrowserHarness } from '../test/support/browser.ts';

const OUT = 'docs/screenshots';
const TEMPLATE = 'gatehouse_screenshots_template';
const STAFF_PASSWORD = 'correct horse battery staple';
const GUARDIAN_PASSWORD = 'tulip garden evening';
const PRACTICE = '/sunny-pediatrics/practice';
const PATIENT = '/sunny-pediatrics/patient';
const SIZES = { desktop: { width: 1280, height: 860 }, phone: { width: 390, height: 844 } } as const;

if (!chromiumInstalled()) {
  console.error(SKIP_REASON);
  process.exit(1);
}

const database = await startEmbeddedDatabase({ dataDir: join(tmpdir(), `gatehouse-screens-${process.pid}`, 'postgres'), persistent: false, fast: true });
let harness: BrowserHarness | null = null;
try {
  const appPassword = randomBytes(18).toString('hex');
  const server = database.url('postgres');
  const owner = connectAsOwner(server);
  await owner.unsafe(`create database ${TEMPLATE}`);
  await owner.end();
  const url = new URL(server);
  url.pathname = `/${TEMPLATE}`;
  const template = connectAsOwner(url.toString());
  await migrate(template);
  await prepareAppRole(template, appPassword);
  await seedDemoData(template);
  await template.end();
  Object.assign(process.env, { TEST_SERVER_URL: server, TEST_TEMPLATE_DATABASE: TEMPLATE, TEST_APP_PASSWORD: appPassword });

  harness = await startBrowserHarness();
  await makeTrouble(harness);
  mkdirSync(OUT, { recursive: true });
  const homes: { name: string; portal: string; username: string; password: string; before?: (page: Page) => Promise<void> }[] = [
    { name: 'administrator', portal: PRACTICE, username: 'admin', password: STAFF_PASSWORD },
    { name: 'front-desk', portal: PRACTICE, username: 'marcusstaff', password: STAFF_PASSWORD, before: openPatients },
    { name: 'nurse', portal: PRACTICE, username: 'camilles', password: STAFF_PASSWORD },
    { name: 'family', portal: PATIENT, username: 'jordan.parent@example.com', password: GUARDIAN_PASSWORD },
  ];
  for (const scheme of ['light', 'dark'] as const) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      for (const home of homes) {
        await shoot(harness, { viewport, scheme }, `${home.name}-home-${size}-${scheme}.png`, async (page) => {
          await signIn(page, home.portal, home.username, home.password);
          await home.before?.(page);
          await page.goto(`${home.portal}/`);
        });
      }
    }
  }
  // An email as a family receives it (its HTML, the way the development mailbox frames it), light only: emails are light.
  for (const [size, viewport] of Object.entries(SIZES)) {
    await shoot(harness, { viewport, scheme: 'light' }, `email-reset-${size}.png`, async (page) => {
      const [mail] = await harness!.ctx.owner`select id from outbox where kind = 'password_reset' order by created_at desc limit 1`;
      await page.goto(`/_dev/mail/${mail.id}/html`);
    });
  }
  console.log(`screenshots written to ${OUT}/`);
} finally {
  await harness?.close();
  await database.stop();
}

async function shoot(h: BrowserHarness, options: { viewport: { width: number; height: number }; scheme: 'light' | 'dark' }, file: string, go: (page: Page) => Promise<void>) {
  const context = await h.browser.newContext({ baseURL: h.baseUrl, viewport: options.viewport, colorScheme: options.scheme, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await go(page);
    await page.screenshot({ path: join(OUT, file), fullPage: true });
    console.log(`· ${file}`);
  } finally {
    await context.close();
  }
}

async function signIn(page: Page, portal: string, username: string, password: string) {
  await page.goto(`${portal}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log In' }).click();
  await page.waitForURL((u) => u.pathname === `${portal}/`);
}

async function openPatients(page: Page) {
  for (const account of ['10002', '20007', '10001']) {
    await page.goto(`${PRACTICE}/patients?account=${account}`);
    await page.locator('#patient-results a').first().click();
    await page.waitForURL((u) => /\/patients\/[0-9a-f-]{36}$/.test(u.pathname));
  }
}

/** What a real week leaves behind: people locked out, an invitation about to lapse, an email the provider refused. */
async function makeTrouble(h: BrowserHarness) {
  const post = (path: string, form: Record<string, string>, ip: string) => fetch(`${h.baseUrl}${path}`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams(form),
    headers: { origin: h.baseUrl, 'content-type': 'application/x-www-form-urlencoded', 'fly-client-ip': ip },
  });
  // A provider who forgot her password after a holiday, and names typed that match nobody.
  for (const username of ['drlee', 'drlee', 'drlee', 'drlee', 'drlee', 'drlee', 'frontdesk', 'frontdesk', 'd.lee']) {
    await post(`${PRACTICE}/login`, { username, password: 'wrong password, again' }, '198.51.100.20');
  }
  const { owner } = h.ctx;
  const [tenant] = await owner`select id from tenants where slug = 'sunny-pediatrics'`;
  const invited = await owner`select id, email from accounts where tenant_id = ${tenant.id} and status = 'invited' order by username limit 8`;
  // Two families who had set up their accounts and then got their passwords wrong too often.
  for (const account of invited.slice(6)) {
    await owner`update accounts set status = 'active', failed_sign_ins = 5, last_failed_sign_in_at = now(), locked_until = now() + interval '16 minutes'
      where id = ${account.id}`;
  }
  for (const [i, account] of invited.slice(0, 6).entries()) {
    await owner`insert into account_tokens (tenant_id, account_id, purpose, token_hash, expires_at)
      values (${tenant.id}, ${account.id}, 'invitation', ${randomBytes(16).toString('hex')}, now() + make_interval(hours => ${i < 2 ? 5 + i * 7 : 30 + i * 20}))`;
  }
  await post(`${PATIENT}/forgot-password`, { email: 'jordan.parent@example.com' }, '198.51.100.21');
  // The reset email is queued by the background work: wait for it.
  for (let i = 0; i < 100; i++) {
    const [row] = await owner`select 1 from outbox where kind = 'password_reset'`;
    if (row) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await owner`insert into outbox (tenant_id, kind, account_id, to_address, subject, status, attempts, last_error)
    values (${tenant.id}, 'invitation', ${invited[0].id}, ${invited[0].email}, 'Invitation', 'failed', 10, '550 5.1.1 mailbox unavailable')`;
}
