// Steps the browser journeys share: signing in as a person would, and reading email from the development mailbox
// (/_dev/mail?format=json) the way a person checks their inbox.
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import type { BrowserHarness } from './browser.ts';

export const SUNNY_PRACTICE = '/sunny-pediatrics/practice';
export const SUNNY_PATIENT = '/sunny-pediatrics/patient';

/** Signs in through the form; `lands` is where the person should end up (the portal's home by default). */
export async function logIn(page: Page, base: string, username: string, password: string, lands = `${base}/`): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log In' }).click();
  await page.waitForURL((url) => url.pathname + url.search === lands);
}

export type DevMail = { to: string; subject: string; kind: string; text: string; html: string; createdAt: string };

/** Every message in the development mailbox, newest first. */
export async function mailbox(harness: BrowserHarness): Promise<DevMail[]> {
  const response = await fetch(`${harness.baseUrl}/_dev/mail?format=json`);
  assert.is(response.status, 200);
  return (await response.json()) as DevMail[];
}

export async function mailCount(harness: BrowserHarness, to: string, kind: string): Promise<number> {
  return (await mailbox(harness)).filter((m) => m.to === to && m.kind === kind).length;
}

/** Waits (bounded) until more than `seen` emails of `kind` reached `to`, and returns the newest. */
export async function nextMail(harness: BrowserHarness, to: string, kind: string, seen = 0): Promise<DevMail> {
  for (let attempt = 0; attempt < 150; attempt++) {
    const mails = (await mailbox(harness)).filter((m) => m.to === to && m.kind === kind);
    if (mails.length > seen) return mails[0];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no new ${kind} email reached ${to}`);
}

/** The path of the first link to this server in an email's text. */
export function linkPath(harness: BrowserHarness, text: string): string {
  const match = text.match(new RegExp(`${harness.baseUrl.replace(/[.]/g, '\\.')}(/\\S+)`));
  if (!match) throw new Error(`no link in email:\n${text}`);
  return match[1];
}
