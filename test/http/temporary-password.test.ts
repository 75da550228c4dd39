// "Set temporary password" → printable credentials sheet → the guardian's forced change at first sign-in (P5).
// The plain password may appear in exactly one place: the PDF. Never in a table, an email, the audit log or a log line.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createEncrypter } from '../../src/platform/encryption.ts';
import { checkNewPassword } from '../../src/core/password-policy.ts';
import { generateTemporaryPassword, sweepExpiredPrintouts } from '../../src/features/patient-admin/temporary-password.ts';
import { Client, accountId, createTestContext, emailsTo, linkIn, signIn, tenantId, textOf } from '../support/harness.ts';
import { captureLogs } from '../support/logs.ts';
import { JORDAN_EMAIL, PATIENTS, accountState, auditActions, familyOf, patientId, staff } from '../support/patient-admin.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const frontDesk = await staff(ctx, 'marcusstaff');
const marcus = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'marcusstaff');
const riley = await patientId(ctx, '10001');
const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN_EMAIL);
const jordanPage = `${PATIENTS}/${riley}/portal/${jordan}`;
const NEW_PASSWORD = 'velvet otter harbor 2931';

/** The PDF's text as pdftotext (poppler-utils) reads it. */
function pdfText(bytes: ArrayBuffer): string {
  const folder = mkdtempSync(join(tmpdir(), 'credentials-'));
  try {
    writeFileSync(join(folder, 'sheet.pdf'), Buffer.from(bytes));
    return execFileSync('/usr/bin/pdftotext', ['-layout', join(folder, 'sheet.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const passwordOnSheet = (text: string) => text.match(/Temporary password\s+(\S+)/)?.[1] ?? '';

/** Sets a temporary password through the form and opens the sheet, as the front desk would. */
async function setAndPrint(client: Client, page: string, form: Record<string, string> = { notify: '1' }) {
  const set = await client.post(`${page}/temporary-password`, form);
  assert.is(set.status, 303, `setting the temporary password answered ${set.status}`);
  const printoutPage = set.headers.get('location')!;
  assert.match(printoutPage, new RegExp(`^${page}/printouts/[0-9a-f-]{36}$`));
  const html = await (await client.get(printoutPage)).text();
  const pdfHref = html.match(/<a class="button" href="([^"]+)" target="_blank" rel="noopener"[^>]*>Print credentials \(PDF\)<\/a>/)?.[1];
  assert.is(pdfHref, `${printoutPage}/credentials.pdf?lang=en`, 'in the family\'s language: English until they choose');
  const pdf = await client.get(pdfHref!);
  return { printoutPage, pdfHref: pdfHref!, pdf, text: pdf.status === 200 ? pdfText(await pdf.arrayBuffer()) : '' };
}

test('generated temporary passwords are readable words and digits, at least 12 characters, and pass the policy', () => {
  for (let i = 0; i < 50; i++) {
    const password = generateTemporaryPassword(12);
    assert.match(password, /^[a-z]+-[a-z]+-[a-z]+-\d{3}$/);
    assert.ok(password.length >= 12);
    assert.ok(checkNewPassword(password, { minLength: 12, personal: [] }).ok, password);
  }
  assert.ok(generateTemporaryPassword(40).length >= 40, 'a practice asking for longer passwords gets more words');
});

test('the form is its own confirmation step and offers no typed password unless the practice allows it', async () => {
  const before = await accountState(ctx, jordan);
  const page = await frontDesk.get(`${jordanPage}/temporary-password`);
  assert.is(page.status, 200);
  const html = await page.text();
  assert.match(textOf(html), 'Set temporary password for Jordan Parent');
  assert.match(html, /<label for="field-notify">Email a notice to j\*\*\*\*t@example.com with the username and sign-in link \(never the password\)<\/label>/);
  assert.not.match(html, 'name="temporary_password"');
  assert.match(html, '>Set temporary password</button>');
  assert.match(await (await frontDesk.get(`${jordanPage}/temporary-password`, { htmx: true })).text(), /^<section class="card confirm"[^>]*><h2/);
  const typed = await frontDesk.post(`${jordanPage}/temporary-password`, { mode: 'type', temporary_password: NEW_PASSWORD });
  assert.is(typed.status, 403);
  assert.equal(await accountState(ctx, jordan), before);
});

test('set temporary password → the PDF sheet → Jordan signs in with it and must choose a new one', async () => {
  const guardianBefore = new Client(ctx.app, '198.51.100.150');
  await signIn(guardianBefore, 'sunny-pediatrics', 'patient', JORDAN_EMAIL, 'tulip garden evening');
  const logged: string[] = [];
  const original = { log: console.log, error: console.error, warn: console.warn };
  for (const key of ['log', 'error', 'warn'] as const) console[key] = (...args: unknown[]) => logged.push(args.map(String).join(' '));
  let sheet;
  try {
    const captured = await captureLogs(() => setAndPrint(frontDesk, jordanPage), 'trace');
    sheet = captured.result;
    logged.push(captured.raw);
  } finally {
    Object.assign(console, original);
  }
  const { pdf, text } = sheet;
  assert.is(pdf.status, 200);
  assert.is(pdf.headers.get('content-type'), 'application/pdf');
  assert.is(pdf.headers.get('cache-control'), 'no-store');
  const password = passwordOnSheet(text);
  assert.match(password, /^[a-z]+-[a-z]+-[a-z]+-\d{3}$/);
  // Jordan's one account covers Riley and Casey: the sheet names both, since the new password is for both.
  for (const words of ['Sunny Pediatrics', 'Parent or guardian', 'Jordan Parent', 'Patients', 'Riley Parent, Casey Parent',
    'http://gatehouse.test/sunny-pediatrics/patient/login', 'Username', JORDAN_EMAIL, 'Valid until', 'Signing in for the first time',
    'A notification was sent to j****t@example.com']) {
    assert.ok(text.includes(words), `the sheet says "${words}":\n${text}`);
  }
  assert.match(text, /Valid until\s+[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M E[SD]T\. After that/, 'the expiry in the practice’s time');
  assert.not.match(text, 'UTC');

  const [account] = await ctx.owner`
    select must_change_password, round(extract(epoch from temporary_password_expires_at - now()) / 86400) as days from accounts where id = ${jordan}`;
  assert.equal([account.must_change_password, Number(account.days)], [true, 7]);
  assert.is((await guardianBefore.get('/sunny-pediatrics/patient/')).status, 303, 'the sessions from before ended');

  const [notice] = await emailsTo(ctx, JORDAN_EMAIL);
  assert.is(notice.kind, 'temporary_password_notice');
  assert.match(notice.text, `Your username: ${JORDAN_EMAIL}`);
  assert.is(linkIn(notice.text), '/sunny-pediatrics/patient/login');
  assert.not.match(notice.text + notice.html + notice.subject, password);
  const event = (await auditActions(ctx, jordan)).at(-1)!;
  assert.equal([event.action, event.actor, event.detail.generated, event.detail.notified], ['password.temporary_set', marcus, true, true]);
  assert.not.ok(logged.some((line) => line.includes(password)), 'never in a log line');

  // Nowhere in the database in clear: every row of every table, as the superuser sees it.
  const tables = await ctx.owner`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
  for (const { table_name } of tables) {
    const [hit] = await ctx.owner`select count(*)::int as n from ${ctx.owner(table_name)} t where strpos(to_jsonb(t)::text, ${password}) > 0`;
    assert.is(hit.n, 0, `the temporary password is readable in ${table_name}`);
  }
  const [printout] = await ctx.owner`select password_encrypted, created_by, expires_at - created_at as lifetime from credential_printouts where account_id = ${jordan}`;
  assert.is(createEncrypter(ctx.config.secretKey, 'printout').decrypt(printout.password_encrypted), password, 'kept only encrypted, for the sheet');
  assert.is(printout.created_by, marcus);

  const guardian = new Client(ctx.app, '198.51.100.151');
  await signIn(guardian, 'sunny-pediatrics', 'patient', JORDAN_EMAIL, password);
  const home = await guardian.get('/sunny-pediatrics/patient/');
  assert.is(home.headers.get('location'), '/sunny-pediatrics/patient/update-password', 'forced to choose a new password first');
  const changed = await guardian.post('/sunny-pediatrics/patient/update-password', { current_password: password, new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD });
  assert.is(changed.status, 303);
  assert.is((await guardian.get('/sunny-pediatrics/patient/')).status, 200);
  const oldOne = await new Client(ctx.app, '198.51.100.152').post('/sunny-pediatrics/patient/login', { username: JORDAN_EMAIL, password });
  assert.is(oldOne.status, 401, 'the temporary password stopped working');
  assert.is((await frontDesk.get(sheet.pdfHref)).status, 410, 'the sheet is gone once the password changed');
});

test('the sheet is only for the staff member who set it, for that patient, and for 15 minutes; Done deletes it', async () => {
  const { printoutPage, pdfHref, pdf } = await setAndPrint(frontDesk, jordanPage, {});
  assert.is(pdf.status, 200);
  const admin = await staff(ctx, 'admin');
  assert.is((await admin.get(pdfHref)).status, 410, 'another staff member cannot print it');
  const printoutId = printoutPage.split('/').pop()!;
  const casey = await patientId(ctx, '10002');
  assert.is((await frontDesk.get(`${PATIENTS}/${casey}/portal/${jordan}/printouts/${printoutId}/credentials.pdf`)).status, 410, 'nor through another patient');
  const stranger = (await familyOf(ctx, '20001')).accountId;
  assert.is((await frontDesk.get(`${PATIENTS}/${riley}/portal/${stranger}/printouts/${printoutId}/credentials.pdf`)).status, 410);
  assert.is((await frontDesk.get(`${jordanPage}/printouts/not-an-id/credentials.pdf`)).status, 410);

  await ctx.owner`update credential_printouts set created_at = now() - interval '16 minutes', expires_at = now() - interval '1 minute' where id = ${printoutId}`;
  const expired = await frontDesk.get(pdfHref);
  assert.is(expired.status, 410);
  assert.match(textOf(await expired.text()), 'Credentials sheet no longer available');
  assert.is((await ctx.owner`select 1 from credential_printouts where id = ${printoutId}`).length, 0, 'the expired copy is deleted, not just hidden');

  const second = await setAndPrint(frontDesk, jordanPage, {});
  const discard = await frontDesk.post(`${second.printoutPage}/discard`, {});
  assert.is(discard.status, 303);
  assert.is(discard.headers.get('location'), `${jordanPage}?done=discarded`);
  assert.is((await ctx.owner`select 1 from credential_printouts where account_id = ${jordan}`).length, 0);
  assert.is((await frontDesk.get(second.pdfHref)).status, 410);
});

test('the housekeeping sweep deletes expired printouts of every practice, and only those', async () => {
  await setAndPrint(frontDesk, jordanPage, {});
  const family = await familyOf(ctx, '20013');
  await setAndPrint(frontDesk, `${PATIENTS}/${await patientId(ctx, '20013')}/portal/${family.accountId}`, {});
  await ctx.owner`update credential_printouts set created_at = now() - interval '20 minutes', expires_at = now() - interval '5 minutes' where account_id = ${jordan}`;
  assert.is(await sweepExpiredPrintouts(ctx.db), 1);
  assert.equal((await ctx.owner`select account_id from credential_printouts`).map((r) => r.account_id), [family.accountId]);
  assert.is(await sweepExpiredPrintouts(ctx.db), 0);
});

test('the sheet says why no email was sent: not asked for, or no address on file', async () => {
  const notAsked = await setAndPrint(frontDesk, jordanPage, {});
  assert.match(notAsked.text, 'No notification email was sent: the practice chose to give you this sheet only.');
  const family = await familyOf(ctx, '20001');
  await ctx.owner`update accounts set email = null where id = ${family.accountId}`;
  const page = `${PATIENTS}/${await patientId(ctx, '20001')}/portal/${family.accountId}`;
  assert.match(textOf(await (await frontDesk.get(`${page}/temporary-password`)).text()), 'There is no login email on file');
  const emailsBefore = (await ctx.owner`select count(*)::int as n from outbox`)[0].n;
  const none = await setAndPrint(frontDesk, page, { notify: '1' });
  assert.match(none.text, 'No notification email was sent: there is no email address on file for this account.');
  assert.ok(none.text.includes(family.name));
  assert.is((await ctx.owner`select count(*)::int as n from outbox`)[0].n, emailsBefore);
  const [account] = await ctx.owner`select status from accounts where id = ${family.accountId}`;
  assert.is(account.status, 'active', 'an invited guardian becomes active with a temporary password');
});

test('where the practice allows it, staff may type the password; the policy still applies and it is never echoed', async () => {
  const id = await tenantId(ctx.owner, 'sunny-pediatrics');
  await ctx.owner`update tenants set settings = settings || '{"staffMayTypeTemporaryPassword": true}' where id = ${id}`;
  try {
    const form = await (await frontDesk.get(`${jordanPage}/temporary-password`)).text();
    assert.match(form, /<label for="field-temporary_password">/);
    const weak = await frontDesk.post(`${jordanPage}/temporary-password`, { mode: 'type', temporary_password: 'password1234' });
    assert.is(weak.status, 422);
    const weakHtml = await weak.text();
    assert.match(textOf(weakHtml), 'too easy to guess');
    assert.not.match(weakHtml, 'password1234');
    assert.is((await frontDesk.post(`${jordanPage}/temporary-password`, { mode: 'type', temporary_password: '' })).status, 422);
    const typed = await setAndPrint(frontDesk, jordanPage, { mode: 'type', temporary_password: 'quiet meadow lantern 5821' });
    assert.ok(typed.text.includes('quiet meadow lantern 5821'), typed.text);
    assert.is((await auditActions(ctx, jordan)).at(-1)!.detail.generated, false);
  } finally {
    await ctx.owner`update tenants set settings = settings - 'staffMayTypeTemporaryPassword' where id = ${id}`;
  }
});

test('an unused temporary password stops working after its 7 days; a locked-out guardian is let back in by one', async () => {
  const { text } = await setAndPrint(frontDesk, jordanPage, {});
  await ctx.owner`update accounts set temporary_password_expires_at = now() - interval '1 minute' where id = ${jordan}`;
  const late = await new Client(ctx.app, '198.51.100.160').post('/sunny-pediatrics/patient/login', { username: JORDAN_EMAIL, password: passwordOnSheet(text) });
  assert.is(late.status, 403);
  assert.match(textOf(await late.text()), 'Your temporary password has expired');
  assert.match(textOf(await (await frontDesk.get(jordanPage)).text()), 'Temporary password (expired');

  await ctx.owner`update accounts set failed_sign_ins = 7, locked_until = now() + interval '1 hour' where id = ${jordan}`;
  const fresh = await setAndPrint(frontDesk, jordanPage, {});
  await signIn(new Client(ctx.app, '198.51.100.161'), 'sunny-pediatrics', 'patient', JORDAN_EMAIL, passwordOnSheet(fresh.text));
});

test('disabled portal access gets no temporary password', async () => {
  assert.is((await frontDesk.post(`${jordanPage}/disable`, {})).status, 303);
  const before = await accountState(ctx, jordan);
  const response = await frontDesk.post(`${jordanPage}/temporary-password`, { notify: '1' });
  assert.is(response.status, 303);
  assert.is(response.headers.get('location'), jordanPage);
  assert.equal(await accountState(ctx, jordan), before);
  assert.not.match(await (await frontDesk.get(jordanPage)).text(), '>Set temporary password</button>');
});

test.run();
