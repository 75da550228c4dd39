// Patient Administration (P5): finding a patient by the Account filter and the others, the patient's Associations,
// inviting a contact to the portal, and who may open any of it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runInTenant } from '../../src/platform/db.ts';
import { Client, accountId, createTestContext, emailsTo, linkIn, tenantId, textOf } from '../support/harness.ts';
import { JORDAN_EMAIL, PATIENTS, accountState, auditActions, familyOf, patientId, staff } from '../support/patient-admin.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const frontDesk = await staff(ctx, 'marcusstaff');
const resultRows = (html: string) => [...html.matchAll(/<tr><td><a href="[^"]+">([^<]+)<\/a><\/td><td[^>]*>([^<]+)<\/td>/g)].map((m) => `${m[1]} ${m[2]}`);

test('the search page has the Account filter and the other filters, each with a real label', async () => {
  const response = await frontDesk.get(PATIENTS);
  assert.is(response.status, 200);
  const html = await response.text();
  assert.match(html, /<label for="field-account">Account<\/label>/);
  assert.match(html, /<label for="field-name">Name<\/label>/);
  assert.match(html, /<label for="field-dob">Date of birth<\/label>/);
  assert.match(html, /<label for="field-guardian_email">Guardian email<\/label>/);
  assert.match(html, /<form[^>]*method="get"[^>]*action="\/sunny-pediatrics\/practice\/patients"/);
  assert.match(html, /hx-trigger="input changed delay:300ms, submit"/);
  assert.match(html, /hx-push-url="true"/);
  assert.match(html, '>Search</button>');
  assert.match(textOf(html), 'Enter an account number, a name, a date of birth or a guardian email');
  assert.match(textOf(html), 'Sunny Pediatrics');
});

test('the Account filter finds patient 10001 exactly, and its first digits find the family', async () => {
  const exact = await (await frontDesk.get(`${PATIENTS}?account=10001`)).text();
  assert.equal(resultRows(exact), ['Parent, Riley 10001']);
  assert.match(textOf(exact), '1 patient matches.');
  assert.match(exact, /value="10001"/, 'the filter keeps what was typed');
  const prefix = await (await frontDesk.get(`${PATIENTS}?account=1000`)).text();
  assert.equal(resultRows(prefix), ['Parent, Riley 10001', 'Parent, Casey 10002']);
  assert.match(textOf(prefix), 'Jordan Parent (guardian)');
});

test('name (last name first, or first name first), date of birth and guardian email each find the family', async () => {
  const byName = async (name: string) => resultRows(await (await frontDesk.get(`${PATIENTS}?name=${encodeURIComponent(name)}`)).text());
  assert.equal(await byName('parent'), ['Parent, Casey 10002', 'Parent, Riley 10001']);
  assert.equal(await byName('  PARENT,   ri '), ['Parent, Riley 10001']);
  assert.equal(await byName('Riley Parent'), ['Parent, Riley 10001']);
  // One word is the beginning of a first or a last name.
  assert.equal(await byName('riley'), ['Parent, Riley 10001']);
  assert.equal(await byName('Cas'), ['Parent, Casey 10002']);
  assert.equal(await byName('parent riley'), ['Parent, Riley 10001']);
  assert.equal(await byName('zzz%_'), []);
  assert.equal(resultRows(await (await frontDesk.get(`${PATIENTS}?dob=2016-04-12`)).text()), ['Parent, Riley 10001']);
  assert.equal(resultRows(await (await frontDesk.get(`${PATIENTS}?dob=04/12/2016`)).text()), ['Parent, Riley 10001']);
  assert.equal(resultRows(await (await frontDesk.get(`${PATIENTS}?guardian_email=Jordan.Parent@`)).text()), ['Parent, Casey 10002', 'Parent, Riley 10001']);
  const combined = await (await frontDesk.get(`${PATIENTS}?name=parent&dob=2019-09-30`)).text();
  assert.equal(resultRows(combined), ['Parent, Casey 10002']);
  const none = await (await frontDesk.get(`${PATIENTS}?name=parent&account=2`)).text();
  assert.match(textOf(none), 'No patients match.');
});

test('one letter: last-name matches come first, then first-name matches, and the pages carry on without repeats', async () => {
  const page = async (n: number) => resultRows(await (await frontDesk.get(`${PATIENTS}?name=a&page=${n}`)).text());
  const rows = [...await page(1), ...await page(2), ...await page(3)];
  assert.ok(rows.length > 25, `${rows.length} rows`);
  assert.is(new Set(rows).size, rows.length, 'no patient twice');
  const names = rows.map((row) => /^(\S+), (\S+) \d+$/.exec(row)!.slice(1, 3));
  assert.ok(names.every(([last, first]) => /^a/i.test(last) || /^a/i.test(first)), rows.join('\n'));
  const firstOnly = names.findIndex(([last]) => !/^a/i.test(last));
  assert.ok(firstOnly > 0, 'some match on the last name, some on the first name only');
  assert.ok(names.slice(firstOnly).every(([last]) => !/^a/i.test(last)), 'every last-name match comes before the first-name ones');
  const lastNames = names.slice(0, firstOnly).map(([last, first]) => `${last} ${first}`.toLowerCase());
  assert.equal(lastNames, [...lastNames].sort(), 'last-name matches in name order');
});

test('a date of birth that is no date is a field error with the input kept, not a 500', async () => {
  const response = await frontDesk.get(`${PATIENTS}?dob=2016-02-31&name=parent`);
  assert.is(response.status, 422);
  const html = await response.text();
  assert.match(html, /aria-invalid="true"/);
  assert.match(textOf(html), 'Enter the date of birth as a real date');
  assert.match(html, /value="parent"/);
  const odd = await frontDesk.get(`${PATIENTS}?page=-4&account=${'9'.repeat(500)}&name[]=x`);
  assert.is(odd.status, 200);
});

test('results are paginated: 300 families by account prefix, 25 a page, Next and Previous links keep the filters', async () => {
  const first = await (await frontDesk.get(`${PATIENTS}?account=2`)).text();
  assert.is(resultRows(first).length, 25);
  assert.is(resultRows(first)[0].endsWith('20001'), true);
  assert.match(textOf(first), 'Showing patients 1–25; more on the next page.');
  const next = first.match(/<a href="([^"]+)" rel="next">Next page<\/a>/)?.[1].replace(/&amp;/g, '&');
  assert.ok(next?.includes('account=2') && next.includes('page=2'), next);
  const second = await (await frontDesk.get(next!)).text();
  assert.is(resultRows(second)[0].endsWith('20026'), true);
  assert.match(second, /rel="prev">Previous page<\/a>/);
  const last = await (await frontDesk.get(`${PATIENTS}?account=2&page=12`)).text();
  assert.is(resultRows(last).length, 25);
  assert.not.match(last, 'rel="next"');
});

test('htmx typing gets only the results and the live summary; a history restore gets the whole page', async () => {
  const partial = await frontDesk.get(`${PATIENTS}?account=10001`, { htmx: true });
  assert.is(partial.status, 200);
  assert.match(partial.headers.get('vary') ?? '', /^HX-Request(, Accept-Encoding)?$/);
  const html = await partial.text();
  assert.not.match(html, '<html');
  assert.match(html, /^<div id="patient-results">/);
  assert.match(html, /<p id="results-summary" hx-swap-oob="innerHTML">1 patient matches.<\/p>/);
  const restore = await frontDesk.get(`${PATIENTS}?account=10001`, { htmx: true, headers: { 'hx-history-restore-request': 'true' } });
  assert.match(await restore.text(), '<!DOCTYPE html>');
});

test('the patient page shows demographics and Associations with portal status and a link to the guardian', async () => {
  const riley = await patientId(ctx, '10001');
  const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN_EMAIL);
  const html = await (await frontDesk.get(`${PATIENTS}/${riley}`)).text();
  const text = textOf(html);
  assert.match(text, 'Riley Parent');
  assert.match(text, 'Demographics Account 10001');
  assert.match(text, 'Date of birth 04/12/2016');
  assert.match(text, 'Associations');
  assert.match(text, 'Jordan Parent guardian jordan.parent@example.com Active');
  assert.match(html, `<a href="${PATIENTS}/${riley}/portal/${jordan}">Jordan Parent</a>`);

  const invitedFamily = await familyOf(ctx, '20001');
  const invitedPage = textOf(await (await frontDesk.get(`${PATIENTS}/${await patientId(ctx, '20001')}`)).text());
  assert.match(invitedPage, `${invitedFamily.name} father ${invitedFamily.email} Invited`);
  const noAccount = await familyOf(ctx, '20002');
  const page = await (await frontDesk.get(`${PATIENTS}/${await patientId(ctx, '20002')}`)).text();
  assert.match(textOf(page), `${noAccount.name} mother ${noAccount.email} No portal account Invite to portal : ${noAccount.name}`);
  assert.not.match(page, '/portal/');
});

test('Invite to portal creates an invited account for the contact, emails the invitation and audits both', async () => {
  const patient = await patientId(ctx, '20002');
  const family = await familyOf(ctx, '20002');
  const response = await frontDesk.post(`${PATIENTS}/${patient}/contacts/${family.contactId}/invite`, {});
  assert.is(response.status, 303);
  const [account] = await ctx.owner`select id, username, email, status, password_hash from accounts where email = ${family.email} and portal = 'patient'`;
  assert.is(response.headers.get('location'), `${PATIENTS}/${patient}/portal/${account.id}?done=invited`);
  assert.equal([account.username, account.status, account.password_hash], [family.email, 'invited', null]);
  assert.is((await familyOf(ctx, '20002')).accountId, account.id);
  const [mail] = await emailsTo(ctx, family.email);
  assert.is(mail.kind, 'invitation');
  assert.match(linkIn(mail.text), /^\/sunny-pediatrics\/patient\/welcome\//);
  const marcus = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'marcusstaff');
  const actions = await auditActions(ctx, account.id);
  assert.equal(actions.map((a) => [a.action, a.actor]), [['account.created', marcus], ['invitation.created', marcus]]);
  assert.match(textOf(await (await frontDesk.get(response.headers.get('location')!)).text()), 'An invitation was emailed to');

  const again = await frontDesk.post(`${PATIENTS}/${patient}/contacts/${family.contactId}/invite`, {});
  assert.is(again.headers.get('location'), `${PATIENTS}/${patient}/portal/${account.id}?done=exists`);
  assert.is((await emailsTo(ctx, family.email)).length, 1, 'no second invitation from a repeated click');
});

test('a contact whose email another portal account already uses is not invited; neither is one without email', async () => {
  const patient = await patientId(ctx, '20005');
  const family = await familyOf(ctx, '20005');
  await ctx.owner`update family_contacts set email = ${JORDAN_EMAIL} where id = ${family.contactId}`;
  const taken = await frontDesk.post(`${PATIENTS}/${patient}/contacts/${family.contactId}/invite`, {});
  assert.is(taken.status, 422);
  assert.match(textOf(await taken.text()), 'Another portal account already uses');
  await ctx.owner`update family_contacts set email = null where id = ${family.contactId}`;
  const none = await frontDesk.post(`${PATIENTS}/${patient}/contacts/${family.contactId}/invite`, {});
  assert.is(none.status, 422);
  assert.is((await ctx.owner`select 1 from family_contacts where id = ${family.contactId} and account_id is not null`).length, 0);
});

test('a nurse is refused (403) everywhere in Patient Administration; a visitor is sent to sign in', async () => {
  const nurse = await staff(ctx, 'camilles');
  const riley = await patientId(ctx, '10001');
  const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN_EMAIL);
  const family = await familyOf(ctx, '20008');
  for (const path of [PATIENTS, `${PATIENTS}?account=10001`, `${PATIENTS}/${riley}`, `${PATIENTS}/${riley}/portal/${jordan}`]) {
    const response = await nurse.get(path);
    assert.is(response.status, 403, path);
    assert.match(textOf(await response.text()), 'Your role does not include Patient Administration');
  }
  const invite = await nurse.post(`${PATIENTS}/${await patientId(ctx, '20008')}/contacts/${family.contactId}/invite`, {});
  assert.is(invite.status, 403);
  assert.is((await familyOf(ctx, '20008')).accountId, null);
  assert.not.match(await (await nurse.get(`${PRACTICE_HOME}`)).text(), `href="${PATIENTS}"`, 'the nurse is offered no way in');

  const admin = await staff(ctx, 'admin');
  assert.is((await admin.get(`${PATIENTS}?account=10001`)).status, 200, 'administrators are in patientAdminRoles by default');
  const visitor = await new Client(ctx.app).get(PATIENTS);
  assert.is(visitor.status, 303);
  assert.is(visitor.headers.get('location'), '/sunny-pediatrics/practice/login?next=%2Fsunny-pediatrics%2Fpractice%2Fpatients', 'back to the search after signing in');
});

const PRACTICE_HOME = '/sunny-pediatrics/practice/';

test('the roles come from the practice setting: with nurses added, Camille may search', async () => {
  const id = await tenantId(ctx.owner, 'sunny-pediatrics');
  await ctx.owner`update tenants set settings = settings || '{"patientAdminRoles": ["admin", "staff", "nurse"]}' where id = ${id}`;
  const nurse = await staff(ctx, 'camilles');
  assert.is((await nurse.get(`${PATIENTS}?account=10001`)).status, 200);
  await ctx.owner`update tenants set settings = settings - 'patientAdminRoles' where id = ${id}`;
  assert.is((await nurse.get(`${PATIENTS}?account=10001`)).status, 403);
});

test('another practice\'s patients and contacts, and malformed ids, are 404 and change nothing', async () => {
  const oak = await tenantId(ctx.owner, 'oak-family-medicine');
  const oakIds = await runInTenant(ctx.owner, oak, async (tx) => {
    const [patient] = await tx`insert into patients (tenant_id, account_number, first_name, last_name, date_of_birth)
      values (app_tenant_id(), '10001', 'Oakley', 'Other', '2015-01-01') returning id`;
    const [contact] = await tx`insert into family_contacts (tenant_id, first_name, last_name, email)
      values (app_tenant_id(), 'Olive', 'Other', 'olive.other@example.com') returning id`;
    await tx`insert into associations (tenant_id, patient_id, contact_id, relationship) values (app_tenant_id(), ${patient.id}, ${contact.id}, 'mother')`;
    return { patient: patient.id as string, contact: contact.id as string };
  });
  assert.equal(resultRows(await (await frontDesk.get(`${PATIENTS}?account=10001`)).text()), ['Parent, Riley 10001'], 'the other practice\'s 10001 never shows');
  assert.is((await frontDesk.get(`${PATIENTS}/${oakIds.patient}`)).status, 404);
  const invite = await frontDesk.post(`${PATIENTS}/${oakIds.patient}/contacts/${oakIds.contact}/invite`, {});
  assert.is(invite.status, 404);
  const riley = await patientId(ctx, '10001');
  assert.is((await frontDesk.post(`${PATIENTS}/${riley}/contacts/${oakIds.contact}/invite`, {})).status, 404);
  const otherFamily = await familyOf(ctx, '20011');
  assert.is((await frontDesk.post(`${PATIENTS}/${riley}/contacts/${otherFamily.contactId}/invite`, {})).status, 404, 'a contact of another patient');
  assert.is((await familyOf(ctx, '20011')).accountId, null);
  assert.is((await ctx.owner`select 1 from accounts where email = 'olive.other@example.com'`).length, 0);
  for (const path of [`${PATIENTS}/not-a-uuid`, `${PATIENTS}/${riley.slice(0, -1)}x`, `${PATIENTS}/${riley}/portal/123`]) {
    assert.is((await frontDesk.get(path)).status, 404, path);
  }
  const oakAdmin = await staff(ctx, 'admin', 'oak-family-medicine');
  assert.is((await oakAdmin.get(`/oak-family-medicine/practice/patients/${riley}`)).status, 404);
  const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN_EMAIL);
  const before = await accountState(ctx, jordan);
  assert.is((await oakAdmin.get(`/oak-family-medicine/practice/patients/${oakIds.patient}/portal/${jordan}`)).status, 404);
  assert.equal(await accountState(ctx, jordan), before);
});

test.run();
