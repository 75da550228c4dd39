// Shared by the browser journeys: the real app served on a free 127.0.0.1 port over a fresh seeded database, Debian's
// Chromium driven by playwright-core, a fresh browser context per journey, and axe-core run inside the page.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBackgroundWork } from '../../src/app.ts';
import type { BackgroundWork } from '../../src/platform/background.ts';
import { createTestContext, type TestContext } from './harness.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SKIP_REASON = `browser journeys skipped: Chromium not installed at ${CHROMIUM_PATH} — apt-get install chromium`;

// `npx playwright install` cannot download browsers on these machines: we drive the distribution's Chromium.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export type BrowserHarness = {
  /** The served origin, also the app's PUBLIC_URL, so the browser's Origin header passes the origin check. */
  baseUrl: string;
  ctx: TestContext;
  browser: Browser;
  close(): Promise<void>;
};

/**
 * How the browser names the server: 127.0.0.1, or `localhost` where a page needs a relying-party id (Chromium refuses
 * an IP address as one, and localhost is a secure context over plain HTTP). The server listens on 127.0.0.1 either way.
 */
export type HarnessOptions = { host?: '127.0.0.1' | 'localhost' };

/** Serves the app over a fresh database and launches Chromium. Call close() in test.after. */
export async function startBrowserHarness(env: Record<string, string> = {}, options: HarnessOptions = {}): Promise<BrowserHarness> {
  // PUBLIC_URL must name the port, and the port is only known once listening: the app is built afterwards.
  let app: TestContext['app'] | null = null;
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve, reject) => {
    const server = serve(
      { fetch: (request, bindings) => (app ? app.fetch(request, bindings) : new Response('starting', { status: 503 })), port: 0, hostname: '127.0.0.1' },
      (info: AddressInfo) => resolve({ server, port: info.port }),
    );
    server.once('error', reject);
  });
  const baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;
  let ctx: TestContext | null = null;
  let browser: Browser | null = null;
  let background: BackgroundWork | null = null;
  const close = async () => {
    await browser?.close();
    await background?.stop();
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await ctx?.close();
  };
  try {
    ctx = await createTestContext({ PUBLIC_URL: baseUrl, ...env });
    app = ctx.app;
    // As npm start does: queued reset requests become emails, and the outbox is "delivered" to the mailbox.
    background = startBackgroundWork(ctx, { intervalMs: 200 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    return { baseUrl, ctx, browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** `locale` is the browser's language (it sends it as Accept-Language), e.g. es-MX. */
export type JourneyOptions = { javaScript?: boolean; viewport?: { width: number; height: number }; locale?: string };

/**
 * Runs one journey in a fresh browser context (its own cookies), then closes it. The journey fails if the page threw,
 * logged an error, broke the content security policy (an inline style or script, say) or could not load one of its
 * scripts, styles or images.
 */
export async function journey(harness: BrowserHarness, options: JourneyOptions, run: (page: Page) => Promise<void>): Promise<void> {
  const context = await harness.browser.newContext({
    baseURL: harness.baseUrl, javaScriptEnabled: options.javaScript ?? true, ...(options.viewport ? { viewport: options.viewport } : {}),
    ...(options.locale ? { locale: options.locale } : {}),
  });
  // Chromium reports most refusals on the console, but not every kind: the page's own event names each one.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} refused ${event.blockedURI || 'inline content'} at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
    });
  });
  try {
    const page = await context.newPage();
    const problems = watchForProblems(page);
    try {
      await run(page);
    } catch (error) {
      // A timed-out wait says little on its own: tell where the browser was, what it showed, what went wrong there.
      const seen = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '(page unavailable)');
      if (error instanceof Error) {
        error.message += `\n  the browser was at ${page.url()}, showing: ${seen.replace(/\s+/g, ' ').slice(0, 400)}`;
        if (problems.length) error.message += `\n  the page reported:\n  ${problems.join('\n  ')}`;
      }
      throw error;
    }
    if (problems.length) throw new Error(`the page reported problems:\n  ${problems.join('\n  ')}`);
  } finally {
    await context.close();
  }
}

function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught in page: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every 4xx answer as "Failed to load resource"; the journeys assert those statuses themselves.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    const kind = response.request().resourceType();
    if (response.status() >= 400 && ['script', 'stylesheet', 'image', 'font'].includes(kind)) {
      problems.push(`${kind} ${response.url()} answered ${response.status()}`);
    }
  });
  return problems;
}

/** axe-core's findings on the page as it is now, one readable block per rule; empty when there are none. */
export async function accessibilityViolations(page: Page, exclude: string[] = []): Promise<string> {
  const builder = new AxeBuilder({ page });
  for (const selector of exclude) builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    at ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`);
      return `${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}`;
    })
    .join('\n');
}

export type BrowserSuite = { it: typeof test.skip; harness: BrowserHarness };

/**
 * The setup every browser test file shares: say why the journeys are skipped when Chromium is missing, serve the
 * app and launch the browser before the first test, close both after the last.
 */
export function browserSuite(env: Record<string, string> = {}, options: HarnessOptions = {}): BrowserSuite {
  const installed = chromiumInstalled();
  if (!installed) console.log(SKIP_REASON);
  const suite = { it: installed ? test : test.skip, harness: null as unknown as BrowserHarness };
  test.before(async () => {
    if (installed) suite.harness = await startBrowserHarness(env, options);
  });
  test.after(async () => {
    await suite.harness?.close();
  });
  return suite;
}

/** `exclude` leaves out frames axe cannot enter: a page whose policy forbids scripts never answers it. */
export async function assertAccessible(page: Page, where: string, exclude: string[] = []): Promise<void> {
  const violations = await accessibilityViolations(page, exclude);
  assert.is(violations, '', `axe found problems on ${where}:\n${violations}`);
}
