// Every home, as each person opens it: the administrator, the front desk, a nurse, a family. In light and dark
// (prefers-color-scheme), on a desktop and a 320 px phone: axe finds nothing (colour contrast included), nothing
// scrolls sideways, the CSP is never broken; the numbers open their lists, Unlock works from Home, the front desk
// searches from Home and gets back to a patient in one click.
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { GUARDIAN_PASSWORD, STAFF_PASSWORD } from '../support/harness.ts';
import { assertAccessible, browserSuite, journey } from '../support/browser.ts';
import { SUNNY_PATIENT as PATIENT, SUNNY_PRACTICE as PRACTICE, logIn, mailCount, nextMail } from '../support/journeys.ts';
import { test } from 'uvu';

const suite = browserSuite();
const { it } = suite;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 320, height: 640 };

async function fitsSideways(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The home in both colour schemes, at the viewport of the journey: accessible and no wider than the screen. */
async function checkBothSchemes(page: Page, where: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.ok(scheme === 'dark' ? background !== 'rgb(246, 247, 249)' : background === 'rgb(246, 247, 249)', `${where}: the ${scheme} palette applies (${background})`);
    await assertAccessible(page, `${where} (${scheme})`);
    assert.is(await fitsSideways(page), 0, `${where} (${scheme}) scrolls sideways`);
  }
}

it('administrator home, light and dark, desktop and phone: numbers that open their lists, Unlock from Home', async () => {
  // Someone gets Dana Lee's password wrong until the account locks.
  for (let i = 0; i < 5; i++) {
    await fetch(`${suite.harness.baseUrl}${PRACTICE}/login`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams({ username: 'drlee', password: 'a wrong password' }),
      headers: { origin: suite.harness.baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
  for (const viewport of [DESKTOP, PHONE]) {
    await journey(suite.harness, { viewport }, async (page) => {
      await logIn(page, PRACTICE, 'admin', STAFF_PASSWORD);
      await page.getByRole('heading', { name: 'Sign-in health' }).waitFor();
      await checkBothSchemes(page, `administrator home at ${viewport.width} px`);
    });
  }
  await journey(suite.harness, { viewport: DESKTOP }, async (page) => {
    await logIn(page, PRACTICE, 'admin', STAFF_PASSWORD);
    await page.getByRole('link', { name: /^1 Locked accounts/ }).click();
    await page.getByRole('heading', { name: 'Locked accounts', level: 1 }).waitFor();
    await checkBothSchemes(page, 'locked accounts list');
    await page.getByRole('link', { name: 'Back to Home' }).click();
    await page.getByRole('button', { name: 'Unlock: Dana Lee' }).click();
    await page.getByText('The account is unlocked; they can sign in again now.').waitFor();
    await page.goto(`${PRACTICE}/`);
    await page.getByRole('link', { name: /^0 Locked accounts/ }).waitFor();
    await page.getByRole('link', { name: /Staff without two-factor/ }).click();
    await page.getByText('Showing only: Staff without two-factor authentication or a passkey').waitFor();
  });
});

it('front desk home: search from Home, then the patient is one click away under Recently opened', async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    await journey(suite.harness, { viewport }, async (page) => {
      await logIn(page, PRACTICE, 'marcusstaff', STAFF_PASSWORD);
      await page.getByRole('search', { name: 'Find a patient' }).getByLabel('Account').fill('10001');
      await page.getByRole('search', { name: 'Find a patient' }).getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: 'Parent, Riley' }).click();
      await page.waitForURL((url) => /\/patients\/[0-9a-f-]{36}$/.test(url.pathname));
      await page.getByRole('heading', { name: 'Demographics' }).waitFor();
      await page.goto(`${PRACTICE}/`);
      await page.getByRole('table', { name: 'Patients you opened recently' }).getByRole('link', { name: 'Parent, Riley' }).waitFor();
      await checkBothSchemes(page, `front desk home at ${viewport.width} px`);
    });
  }
});

it('nurse and family homes, light and dark, desktop and phone', async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    await journey(suite.harness, { viewport }, async (page) => {
      await logIn(page, PRACTICE, 'camilles', STAFF_PASSWORD);
      await page.getByRole('heading', { name: 'Your account' }).waitFor();
      await page.getByText('Patient Administration is not part of your role').waitFor();
      await checkBothSchemes(page, `nurse home at ${viewport.width} px`);
    });
    await journey(suite.harness, { viewport }, async (page) => {
      await logIn(page, PATIENT, 'jordan.parent@example.com', GUARDIAN_PASSWORD);
      await page.getByRole('heading', { name: 'Riley Parent', level: 3 }).waitFor();
      await page.getByText('04/12/2016').waitFor();
      await checkBothSchemes(page, `family home at ${viewport.width} px`);
      await page.getByRole('link', { name: 'Open Settings' }).click();
      await page.getByRole('heading', { name: 'Manage Login Credentials' }).waitFor();
      await checkBothSchemes(page, `family settings at ${viewport.width} px`);
    });
  }
});

it('the sign-in pages and the email in the development mailbox, in dark mode too', async () => {
  const seen = await mailCount(suite.harness, 'jordan.parent@example.com', 'password_reset');
  await journey(suite.harness, { viewport: PHONE }, async (page) => {
    for (const path of [`${PRACTICE}/login`, `${PATIENT}/login`, `${PATIENT}/forgot-password`]) {
      await page.goto(path);
      await checkBothSchemes(page, path);
    }
    await page.getByLabel('Email').fill('jordan.parent@example.com');
    await page.getByRole('button', { name: 'Reset my password' }).click();
    await page.getByText('Almost done').waitFor();
  });
  await journey(suite.harness, { viewport: DESKTOP }, async (page) => {
    // The email's HTML styles itself inline: framed from its own address, it breaks no policy of the page.
    await nextMail(suite.harness, 'jordan.parent@example.com', 'password_reset', seen);
    await page.goto('/_dev/mail');
    await page.getByRole('link', { name: 'Reset your Sunny Pediatrics portal password' }).first().click();
    const frame = page.frameLocator('iframe.mail-html');
    await frame.getByRole('link', { name: 'Choose a new password' }).waitFor();
    const color = await frame.getByRole('link', { name: 'Choose a new password' }).evaluate((a) => getComputedStyle(a).color);
    assert.is(color, 'rgb(255, 255, 255)', 'the button is drawn as the email styles it');
    await assertAccessible(page, 'a message in the development mailbox', ['iframe.mail-html']);
  });
});

test.run();
