// The homes of both portals: the administrator's sign-in health (each number and the list it counts), the front
// desk's patient search and recently opened patients (from the audit log), a nurse's own account, a family's cards.
import postgres from 'postgres';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getSignInHealth } from '../../src/features/dashboard/sign-in-health.ts';
import { listRecentPatients } from '../../src/features/dashboard/recent-patients.ts';
import { listAttention } from '../../src/features/dashboard/attention.ts';
import { getOwnAccountState } from '../../src/features/dashboard/own-account.ts';
import { Client, GUARDIAN_PASSWORD, STAFF_PASSWORD, accountId, createTestContext, signIn, tenantId, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';
const PATIENT = '/sunny-pediatrics/patient';
const SUNNY = await tenantId(ctx.owner, 'sunny-pediatrics');
const OAK = await tenantId(ctx.owner, 'oak-family-medicine');
const JORDAN = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com');
const CAMILLE = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
const [RILEY] = await ctx.owner`select id from patients where account_number = '10001' and tenant_id = ${SUNNY}`;
const [CASEY] = await ctx.owner`select id from patients where account_number = '10002' and tenant_id = ${SUNNY}`;

let address = 10;
async function as(username: string, portal: 'practice' | 'patient' = 'practice', tenant = 'sunny-pediatrics') {
  const client = new Client(ctx.app, `203.0.113.${address++}`);
  await signIn(client, tenant, portal, username, portal === 'practice' ? STAFF_PASSWORD : GUARDIAN_PASSWORD);
  return client;
}

/** The number shown on the administrator's home for a label, and where it links. */
function stat(html: string, label: string): { value: number; href: string } {
  const match = new RegExp(`<a class="stat[^"]*" href="([^"]+)"><span class="stat-value">([\\d,]+)</span><span class="stat-label">${label}</span>`).exec(html);
  if (!match) throw new Error(`no number labelled ${label}`);
  return { value: Number(match[2].replace(/,/g, '')), href: match[1].replace(/&amp;/g, '&') };
}

test('administrator home: locked accounts, each number linking to the list it counts, with Unlock', async () => {
  const admin = await as('admin');
  let home = await (await admin.get(`${PRACTICE}/`)).text();
  assert.match(textOf(home), 'Welcome, Pat Admin');
  assert.match(textOf(home), 'Role: Administrator');
  assert.match(textOf(home), 'Sign-in health');
  assert.is(stat(home, 'Locked accounts').value, 0);

  // A nurse and a parent get their passwords wrong until they are locked out.
  for (const [portal, username] of [['practice', 'camilles'], ['patient', 'jordan.parent@example.com']] as const) {
    const stranger = new Client(ctx.app, '198.51.100.7');
    for (let i = 0; i < 5; i++) await stranger.post(`/sunny-pediatrics/${portal}/login`, { username, password: 'not the password at all' });
  }
  home = await (await admin.get(`${PRACTICE}/`)).text();
  const locked = stat(home, 'Locked accounts');
  assert.is(locked.value, 2);
  assert.match(textOf(home), '1 staff member · 1 family account');
  assert.is(locked.href, `${PRACTICE}/attention/locked`);
  assert.match(textOf(home), 'Locked out right now');

  const list = await admin.get(locked.href);
  assert.is(list.status, 200);
  const listHtml = await list.text();
  assert.match(textOf(listHtml), 'Camille Nurse');
  assert.match(textOf(listHtml), 'Jordan Parent');
  assert.is((listHtml.match(/<li class="row">/g) ?? []).length, 2, 'the list holds exactly what the number counts');
  assert.match(listHtml, `action="${PRACTICE}/staff/${CAMILLE}/unlock"`);
  assert.match(listHtml, new RegExp(`action="${PRACTICE}/patients/(${RILEY.id}|${CASEY.id})/portal/${JORDAN}/unlock"`));

  const unlocked = await admin.post(`${PRACTICE}/staff/${CAMILLE}/unlock`, {});
  assert.is(unlocked.status, 303);
  home = await (await admin.get(`${PRACTICE}/`)).text();
  assert.is(stat(home, 'Locked accounts').value, 1);

  // Failed sign-ins today: the number opens the audit log filtered to them, from today in the practice's time zone.
  const failures = stat(home, 'Failed sign-ins today');
  assert.ok(failures.value >= 10, `${failures.value}`);
  const [today] = await ctx.owner`select to_char(now() at time zone 'America/New_York', 'YYYY-MM-DD') as day`;
  assert.is(failures.href, `${PRACTICE}/audit?action=sign_in.failed&from=${today.day}`);
  const audit = await (await admin.get(failures.href)).text();
  const listed = (label: string) => (audit.match(new RegExp(`<td data-label="What">${label}<`, 'g')) ?? []).length;
  assert.ok(listed('Sign-in failed') >= 10, 'the failures are listed');
  assert.is(listed('Locked out after failed sign-ins'), 0, 'and nothing else');
  assert.match(textOf(home), 'Most failed sign-ins today');
  assert.match(home, `person=${CAMILLE}`, 'each failing account links to its own failures');

  // The family account is unlocked from its row too (the portal access page's own action).
  const familyUnlock = /action="([^"]+\/portal\/[^"]+\/unlock)"/.exec(home)![1];
  assert.is((await admin.post(familyUnlock, {})).status, 303);
  assert.is(stat(await (await admin.get(`${PRACTICE}/`)).text(), 'Locked accounts').value, 0);
});

test('administrator home: invitations, emails in trouble, temporary passwords and staff without two-factor', async () => {
  const admin = await as('admin');
  const invited = await admin.post(`${PRACTICE}/staff/invite`, {
    first_name: 'Nia', last_name: 'Invitee', role: 'nurse', username: 'nia', email: 'nia@sunny-pediatrics.example',
  });
  assert.is(invited.status, 303);
  const nia = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'nia');
  // The invitation is made to end in two hours, so it counts as ending soon.
  await ctx.owner`update account_tokens set expires_at = now() + interval '2 hours' where account_id = ${nia}`;
  await ctx.owner`update outbox set status = 'failed', attempts = 10, last_error = '550 mailbox unavailable' where to_address = 'nia@sunny-pediatrics.example'`;
  await ctx.owner`update accounts set must_change_password = true, temporary_password_expires_at = now() + interval '7 days' where id = ${JORDAN}`;
  await ctx.owner`update accounts set totp_enabled_at = now() where tenant_id = ${SUNNY} and username = 'drlee'`;

  const home = await (await admin.get(`${PRACTICE}/`)).text();
  const invitations = stat(home, 'Pending invitations');
  assert.is(invitations.value, 1);
  assert.match(textOf(home), '1 ends within 24 hours');
  assert.match(textOf(home), 'Invitations ending soon');
  assert.match(home, `action="${PRACTICE}/staff/${nia}/invitation"`, 'Resend, right on Home');
  const invitationList = await (await admin.get(invitations.href)).text();
  assert.match(textOf(invitationList), 'Nia Invitee');
  assert.match(invitationList, '>Resend</button>');

  const emails = stat(home, 'Emails not delivered');
  assert.is(emails.value, 1);
  const emailList = textOf(await (await admin.get(emails.href)).text());
  assert.match(emailList, 'Nia Invitee');
  assert.match(emailList, 'Invitation · Failed · 10 tries');

  const temporary = stat(home, 'Temporary passwords not yet replaced');
  assert.is(temporary.value, 1);
  assert.match(textOf(await (await admin.get(temporary.href)).text()), 'Jordan Parent');

  // Staff without two-factor: everyone active but Dana Lee (now on) and Nia (invited, not yet active).
  const noTwoFactor = stat(home, 'Staff without two-factor');
  assert.is(noTwoFactor.value, 3);
  assert.is(noTwoFactor.href, `${PRACTICE}/staff?show=no-two-factor`);
  const staffList = await (await admin.get(noTwoFactor.href)).text();
  assert.match(textOf(staffList), 'Showing only: Staff without two-factor authentication or a passkey');
  assert.match(textOf(staffList), 'Showing 3 of 3 records.');
  assert.not.match(textOf(staffList), 'Dana Lee');
  assert.match(staffList, '<input type="hidden" name="show" value="no-two-factor"/>', 'a search keeps the filter');
  // The staff list's own parameters keep working, with the filter and without it.
  assert.match(textOf(await (await admin.get(`${PRACTICE}/staff?q=lee`)).text()), 'Dana Lee');
  assert.match(textOf(await (await admin.get(`${PRACTICE}/staff?show=invited`)).text()), 'Nia Invitee');
  assert.is((await admin.get(`${PRACTICE}/staff?show=everything`)).status, 404);

  await ctx.owner`update accounts set must_change_password = false, temporary_password_expires_at = null where id = ${JORDAN}`;
  await ctx.owner`update accounts set totp_enabled_at = null where tenant_id = ${SUNNY} and username = 'drlee'`;
});

test('the lists behind the numbers: administrators only, this practice only, paged', async () => {
  for (const username of ['camilles', 'marcusstaff']) {
    const client = await as(username);
    assert.is((await client.get(`${PRACTICE}/attention/locked`)).status, 403, username);
    const home = await (await client.get(`${PRACTICE}/`)).text();
    assert.not.match(home, '/attention/', `${username} sees no administrator numbers`);
  }
  const guardian = await as('jordan.parent@example.com', 'patient');
  assert.is((await guardian.get(`${PATIENT}/attention/locked`)).status, 404);
  const admin = await as('admin');
  assert.is((await admin.get(`${PRACTICE}/attention/everything`)).status, 404);
  assert.is((await admin.get(`${PRACTICE}/attention/locked?after=nonsense`)).status, 400);

  // Thirty invited family accounts with open invitations in Sunny; one in Oak that Sunny never sees.
  await ctx.owner`
    insert into account_tokens (tenant_id, account_id, purpose, token_hash, expires_at)
    select tenant_id, id, 'invitation', md5(id::text), now() + interval '3 days'
    from accounts where tenant_id = ${SUNNY} and portal = 'patient' and status = 'invited' order by id limit 30`;
  const oakAdmin = await accountId(ctx.owner, 'oak-family-medicine', 'practice', 'admin');
  await ctx.owner`insert into account_tokens (tenant_id, account_id, purpose, token_hash, expires_at)
    values (${OAK}, ${oakAdmin}, 'invitation', 'oak-token-hash', now() + interval '1 day')`;
  const health = await ctx.db.inTenant(SUNNY, (tx) => getSignInHealth(tx, 'America/New_York'));
  const first = await (await admin.get(`${PRACTICE}/attention/invitations`)).text();
  const rows = (html: string) => (html.match(/<li class="row">/g) ?? []).length;
  assert.is(rows(first), 25);
  const next = /<a href="([^"]+)" rel="next">/.exec(first)![1].replace(/&amp;/g, '&');
  const second = await (await admin.get(next)).text();
  assert.is(rows(first) + rows(second), health.invitationsPending, 'the pages hold exactly what the number counts');
  assert.not.match(second, 'rel="next"');
  assert.not.match(first + second, 'Robin Oak');
  const oak = await ctx.db.inTenant(OAK, (tx) => listAttention(tx, 'invitations', null));
  assert.is(oak!.rows.length, 1);
});

test('front desk home: the patient search right there, and this person’s recently opened patients from the audit log', async () => {
  const frontDesk = await as('marcusstaff');
  let home = await (await frontDesk.get(`${PRACTICE}/`)).text();
  assert.match(textOf(home), 'Welcome, Marcus Staff');
  assert.match(home, `<form method="get" action="${PRACTICE}/patients" role="search"`);
  for (const name of ['account', 'name', 'dob', 'guardian_email']) assert.match(home, `name="${name}"`);
  assert.match(home, /<label for="field-account">Account<\/label>/);
  assert.match(textOf(home), 'Patients you open appear here');

  assert.is((await frontDesk.get(`${PRACTICE}/patients/${RILEY.id}`)).status, 200);
  assert.is((await frontDesk.get(`${PRACTICE}/patients/${CASEY.id}`)).status, 200);
  assert.is((await frontDesk.get(`${PRACTICE}/patients/${RILEY.id}`)).status, 200);
  const marcus = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'marcusstaff');
  const events = await ctx.owner`select detail from audit_events where action = 'patient.opened' and actor_account_id = ${marcus} order by id`;
  assert.is(events.length, 3, 'every opening is audited');
  assert.equal(events[0].detail, { patientId: RILEY.id, accountNumber: '10001' });

  home = await (await frontDesk.get(`${PRACTICE}/`)).text();
  const text = textOf(home);
  assert.match(text, 'Recently opened');
  assert.ok(text.indexOf('Parent, Riley') < text.indexOf('Parent, Casey'), 'newest first');
  assert.is(home.split(`href="${PRACTICE}/patients/${RILEY.id}"`).length - 1, 1, 'each patient once');
  assert.match(text, '04/12/2016');
  assert.match(home, `href="${PRACTICE}/patients/${RILEY.id}"`);

  // Another person's openings are theirs alone; the audit log reads them as a sentence.
  const admin = await as('admin');
  const adminRecent = await ctx.db.inTenant(SUNNY, async (tx) => listRecentPatients(tx, await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'admin')));
  assert.is(adminRecent.length, 0);
  const audit = textOf(await (await admin.get(`${PRACTICE}/audit?action=patient.opened`)).text());
  assert.match(audit, 'Patient record opened');
  assert.match(audit, 'Patient account 10001.');
});

test('nurse home: their own account state and what they may do, no dead end', async () => {
  const nurse = await as('camilles');
  const first = textOf(await (await nurse.get(`${PRACTICE}/`)).text());
  assert.match(first, 'Welcome, Camille Nurse');
  assert.match(first, 'Role: Nurse');
  assert.match(first, 'Password only');
  assert.match(first, 'Set up two-factor authentication');
  assert.match(first, 'Patient Administration is not part of your role');
  assert.match(first, 'My Account');

  // A second sign-in (so there is a previous one), then two-factor turned on.
  await as('camilles');
  await ctx.owner`update accounts set totp_enabled_at = now() where id = ${CAMILLE}`;
  const html = await (await nurse.get(`${PRACTICE}/`)).text();
  const text = textOf(html);
  assert.match(text, 'Two-factor authentication is on');
  assert.match(text, /Signed in on \d+ devices/);
  assert.match(text, /Previous sign-in [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M E[SD]T/, 'in the practice’s time zone');
  assert.not.match(html, `href="${PRACTICE}/staff"`);
  assert.match(html, `href="${PRACTICE}/account"`);
  await ctx.owner`update accounts set totp_enabled_at = null where id = ${CAMILLE}`;
});

test('parent home: one card per child with the date of birth as the practice writes it, their account, the way to Settings', async () => {
  const guardian = await as('jordan.parent@example.com', 'patient');
  const html = await (await guardian.get(`${PATIENT}/`)).text();
  const text = textOf(html);
  assert.match(text, 'Welcome, Jordan Parent');
  assert.is((html.match(/<li class="card person">/g) ?? []).length, 2);
  assert.match(html, '<h3>Riley Parent</h3>');
  assert.match(text, 'Date of birth 04/12/2016');
  assert.match(text, 'Date of birth 09/30/2019');
  assert.not.match(text, '2016-04-12');
  assert.match(text, 'You sign in as jordan.parent@example.com');
  assert.match(html, `<a class="button" href="${PATIENT}/settings/account">Open Settings</a>`);
  assert.match(text, 'Call Sunny Pediatrics at (555) 010-0142.');
});

/** The plans PostgreSQL ran for `work`'s statements, as the app runs them (its role, this practice, no table scans). */
async function plansOf(work: (tx: never) => Promise<unknown>): Promise<string> {
  const plans: string[] = [];
  const sql = postgres(ctx.databaseUrl, { max: 1, onnotice: (notice) => plans.push(String(notice.message)) });
  try {
    await sql.begin(async (tx) => {
      await tx`load 'auto_explain'`;
      await tx`set local auto_explain.log_min_duration = 0`;
      await tx`set local auto_explain.log_nested_statements = on`;
      await tx`set local auto_explain.log_level = 'notice'`;
      await tx`set local client_min_messages = 'notice'`;
      // Tables this small would be read whole: forbid that, so the plan shows which index can serve each read.
      await tx`set local enable_seqscan = off`;
      await tx`set local role gatehouse_app`;
      await tx`select set_config('app.tenant_id', ${SUNNY}, true)`;
      await work(tx as never);
    });
  } finally {
    await sql.end();
  }
  return plans.join('\n');
}

test('every count on the administrator’s home and the recent patients are read from an index that starts with the practice', async () => {
  const plan = await plansOf(async (tx) => {
    await getSignInHealth(tx, 'America/New_York');
    await listRecentPatients(tx, CAMILLE);
  });
  for (const index of ['accounts_locked', 'account_tokens_open', 'outbox_trouble', 'accounts_temporary_password', 'audit_events_action', 'audit_events_patient_opened']) {
    assert.match(plan, new RegExp(`(Index (Only )?Scan using|Bitmap Index Scan on) ${index}\\b`), index);
  }
});

test('a home’s previous sign-in reads its owner’s own sign-ins, however many the rest of the practice has made', async () => {
  // Two thousand sign-ins by other people since Camille's last one: the home must not walk back through them.
  await ctx.owner`
    insert into audit_events (tenant_id, action, actor_account_id, subject_account_id, occurred_at)
    select ${SUNNY}, 'sign_in.succeeded', id, id, now() from (select gen_random_uuid() as id from generate_series(1, 2000)) others`;
  await ctx.owner`analyze audit_events`;
  const plan = await plansOf((tx) => getOwnAccountState(tx, CAMILLE));
  // Without that index the planner may take the practice's sign-ins by action and throw away everyone else's (the
  // bench saw 1,463 read for two kept) or the owner's every event by actor; with it, two entries.
  assert.match(plan, /Index (Only )?Scan using audit_events_sign_ins\b/);
});

test.run();
