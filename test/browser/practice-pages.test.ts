// The practice portal's pages as the front desk and the administrator use them, in a real browser: times in the
// practice's own time zone (a setting), patient search by first name, a guardian's portal access naming every
// patient it covers and printing credentials in a new tab, the staff list's live search and quiet Deactivate,
// the role changed in Update Staff, and audit details that read as sentences.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { STAFF_PASSWORD, accountId } from '../support/harness.ts';
import { patientId } from '../support/patient-admin.ts';
import { assertAccessible, browserSuite, journey } from '../support/browser.ts';
import { SUNNY_PRACTICE as PRACTICE, logIn } from '../support/journeys.ts';

const suite = browserSuite();
const { it } = suite;

const PRACTICE_TIME = /[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M /;

it('times read in the practice’s time zone, and change with the Time zone setting', async () => {
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PRACTICE, 'admin', STAFF_PASSWORD);
    await page.goto(`${PRACTICE}/account`);
    const lastActive = page.locator('table.stack tbody tr').first().locator('time');
    assert.match(await lastActive.innerText(), new RegExp(`${PRACTICE_TIME.source}E[SD]T$`));

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Practice settings' }).click();
    const zone = page.getByLabel('Time zone');
    assert.is(await zone.inputValue(), 'America/New_York');
    await zone.selectOption('America/Los_Angeles');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Practice settings saved.' }).waitFor();

    await page.goto(`${PRACTICE}/account`);
    assert.match(await lastActive.innerText(), new RegExp(`${PRACTICE_TIME.source}P[SD]T$`), 'the same moment, in Los Angeles');
    await page.goto(`${PRACTICE}/audit`);
    const first = page.locator('#audit-results tbody tr').first();
    assert.match(await first.locator('time').innerText(), / P[SD]T$/);
    assert.match(await first.innerText(), 'Time zone: America/New_York → America/Los_Angeles.');
    for (const path of ['/account', '/audit', `/staff/${await accountId(suite.harness.ctx.owner, 'sunny-pediatrics', 'practice', 'camilles')}`]) {
      await page.goto(`${PRACTICE}${path}`);
      assert.not.match(await page.locator('main').innerText(), 'UTC', `${path} shows no UTC`);
    }
    await page.goto(`${PRACTICE}/settings`);
    await page.getByLabel('Time zone').selectOption('America/New_York');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Practice settings saved.' }).waitFor();
  });
});

it('the front desk finds Riley by first name; Jordan’s portal access names Riley and Casey; the sheet opens in a new tab', async () => {
  const { ctx } = suite.harness;
  const riley = await patientId(ctx, '10001');
  const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com');
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PRACTICE, 'marcusstaff', STAFF_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patient Administration' }).click();
    await page.getByLabel('Name').fill('riley');
    await page.getByRole('link', { name: 'Parent, Riley' }).waitFor();
    assert.is(await page.locator('#patient-results tbody tr').count(), 1);
    assert.is(await page.evaluate(() => document.activeElement?.id), 'field-name', 'typing is not interrupted');
    await page.getByRole('link', { name: 'Parent, Riley' }).click();
    await page.getByText('04/12/2016').waitFor();
    await page.getByRole('link', { name: 'Jordan Parent' }).click();
    await page.waitForURL(`**${PRACTICE}/patients/${riley}/portal/${jordan}`);

    const settings = page.getByRole('region', { name: 'Account Settings' });
    await settings.getByRole('link', { name: 'Riley Parent' }).waitFor();
    await settings.getByRole('link', { name: 'Casey Parent' }).waitFor();
    await page.getByText('One sign-in covers Riley Parent and Casey Parent').waitFor();

    await page.getByRole('button', { name: 'Reset Password' }).click();
    await page.getByText('This sign-in covers Riley Parent and Casey Parent.').waitFor();
    await page.getByRole('button', { name: 'Send the reset link' }).click();
    await page.waitForURL(/done=reset/);
    await page.getByText('Pending reset link').waitFor();
    assert.match(await settings.innerText(), /Pending reset link\s+Valid until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M E[SD]T/);
    await assertAccessible(page, 'portal access with its pending reset link');

    await page.getByRole('button', { name: 'Set temporary password' }).click();
    await page.getByText('This sign-in covers Riley Parent and Casey Parent; the sheet names them all.').waitFor();
    await page.locator('#action-panel').getByRole('button', { name: 'Set temporary password' }).click();
    await page.getByRole('heading', { name: /Temporary password set for Jordan Parent/ }).waitFor();
    const printout = page.url();
    assert.match(await page.locator('main').innerText(), /expires [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M E[SD]T if unused/);
    const [sheet] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('link', { name: 'Print credentials (PDF)' }).click(),
    ]);
    await sheet.waitForURL(/\/credentials\.pdf(\?lang=[a-z]{2})?$/).catch(() => undefined);
    assert.match(sheet.url(), /\/printouts\/[0-9a-f-]{36}\/credentials\.pdf\?lang=en$/, 'the sheet opened in a tab of its own');
    assert.is(page.url(), printout, 'the page with “delete the copy now” stays open');
    await page.getByRole('button', { name: 'I have printed it: delete the copy now' }).click();
    await page.waitForURL(/done=discarded/);
    await sheet.close();
  });
});

it('staff: a live search, a quiet Deactivate beside View, the role changed in Update Staff, and the audit says so in words', async () => {
  const camille = await accountId(suite.harness.ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PRACTICE, 'admin', STAFF_PASSWORD);
    await page.goto(`${PRACTICE}/staff`);
    const rows = page.locator('#staff-rows tr');
    assert.is(await rows.count(), 4);
    await page.getByLabel('Find staff').pressSequentially('cam');
    await page.getByText('Showing 1 of 1 records.').waitFor();
    assert.equal(await rows.locator('th strong').allInnerTexts(), ['Camille Nurse']);
    assert.is(await page.evaluate(() => document.activeElement?.id), 'field-q', 'focus stays in the search box');
    await page.waitForURL(/\/staff\?q=cam$/);
    const view = rows.first().getByRole('link', { name: 'View' });
    const deactivate = rows.first().getByRole('button', { name: 'Deactivate' });
    const [a, b] = [await view.boundingBox(), await deactivate.boundingBox()];
    assert.ok(a && b && Math.abs(a.y - b.y) < 8 && b.x > a.x, `Deactivate sits beside View (${JSON.stringify([a, b])})`);
    assert.match((await deactivate.getAttribute('class')) ?? '', 'link-button', 'a quiet action, not a big button');
    await assertAccessible(page, 'the staff list after a search');

    await view.click();
    await page.waitForURL(`**${PRACTICE}/staff/${camille}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    const drawer = page.getByRole('dialog', { name: 'Update Staff' });
    await drawer.waitFor();
    await drawer.getByText('cnurse@sunny-pediatrics.example').waitFor();
    await drawer.getByRole('link', { name: 'Change Email' }).waitFor();
    await drawer.getByLabel('Role').selectOption('staff');
    await drawer.getByRole('button', { name: 'Save' }).click();
    await drawer.getByText('Enter your own password to confirm this change.').waitFor();
    await drawer.getByLabel('Your password').fill(STAFF_PASSWORD);
    await drawer.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/done=updated/);
    await page.getByText('Front desk · Active').waitFor();

    await page.goto(`${PRACTICE}/audit?action=account.updated`);
    const row = page.locator('#audit-results tbody tr').first();
    assert.match(await row.innerText(), 'Role changed from Nurse to Front desk.');
    await page.goto(`${PRACTICE}/audit`);
    const details = await page.locator('#audit-results .detail').allInnerTexts();
    for (const detail of details) {
      assert.not.match(detail, /\b[a-z]+[A-Z][a-zA-Z]*:|[{}]|\d{4}-\d\d-\d\dT/, `reads as words: ${detail}`);
    }
  });
});

test.run();
