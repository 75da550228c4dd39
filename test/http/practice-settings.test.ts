// P7: practice settings — administrators only, validated with input kept, saved in the practice's own row,
// audited with before/after, and in force at once (idle sign-out, reset link lifetime, password length).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { processResetRequests } from '../../src/features/recovery/reset-requests.ts';
import { hashSessionId } from '../../src/core/sessions.ts';
import { Client, GUARDIAN_PASSWORD, STAFF_PASSWORD, accountId, createTestContext, emailsTo, signIn, tenantId, textOf } from '../support/harness.ts';
import { settingsForm } from '../support/settings-form.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const SUNNY = '/sunny-pediatrics/practice';
const NEW_PASSWORD = 'velvet otter harbor 2931';

const admin = new Client(ctx.app, '198.51.100.100');
await signIn(admin, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);

/** Every field as the page would post it today, with `changes` on top (undefined leaves a checkbox unticked). */
const currentForm = (changes: Record<string, string | undefined> = {}) => settingsForm(admin, `${SUNNY}/settings`, changes);

// The demo practice's settings as seeded: its time zone and phone number.
const SEEDED = { timeZone: 'America/New_York', phoneNumber: '(555) 010-0142' };

async function storedSettings(slug = 'sunny-pediatrics') {
  const [row] = await ctx.owner`select settings from tenants where slug = ${slug}`;
  return row.settings as Record<string, unknown>;
}

async function settingsEvents() {
  return ctx.owner`select actor_account_id, detail from audit_events where action = 'settings.changed' order by id`;
}

test('the page shows every setting with its current value; only administrators may open or post it', async () => {
  const response = await admin.get(`${SUNNY}/settings`);
  assert.is(response.status, 200);
  const html = await response.text();
  const text = textOf(html);
  for (const label of ['Practice settings', 'Password reset link for patients and self-service (hours)', 'Staff reset link sent by an administrator (hours)',
    'Invitation link (days)', 'Minimum password length (characters)', 'Practice portal (minutes without activity)', 'Patient portal (minutes without activity)',
    'Require two-factor authentication for staff', 'Remember a trusted device for (days)', 'Staff may type a patient’s temporary password',
    'Allow codes by text message (SMS)', 'Front desk staff', 'Nurses', 'Providers', 'Administrators always can.', 'Time zone']) {
    assert.match(text, label);
  }
  assert.equal(await currentForm(), {
    reset_link_hours: '48', staff_reset_link_hours: '72', invitation_days: '7', password_min_length: '12',
    idle_minutes_practice: '30', idle_minutes_patient: '60', remember_device_days: '30', patient_admin_staff: '1',
    time_zone: 'America/New_York',
    phone_number: '(555) 010-0142',
  });

  for (const username of ['camilles', 'marcusstaff', 'drlee']) {
    const client = new Client(ctx.app, '198.51.100.101');
    await signIn(client, 'sunny-pediatrics', 'practice', username, STAFF_PASSWORD);
    assert.is((await client.get(`${SUNNY}/settings`)).status, 403, username);
    const post = await client.post(`${SUNNY}/settings`, await currentForm({ idle_minutes_practice: '5' }));
    assert.is(post.status, 403, username);
  }
  assert.equal(await storedSettings(), SEEDED, 'nothing changed');
  assert.is((await settingsEvents()).length, 0);
  assert.is((await new Client(ctx.app).post(`${SUNNY}/settings`, { idle_minutes_practice: '5' })).headers.get('location'), `${SUNNY}/login`);
});

test('invalid input is refused with 422, field errors and the input kept; nothing is saved', async () => {
  const form = await currentForm({ idle_minutes_practice: 'soon', reset_link_hours: '500', password_min_length: '10', invitation_days: '' });
  const response = await admin.post(`${SUNNY}/settings`, form);
  assert.is(response.status, 422);
  const html = await response.text();
  const text = textOf(html);
  assert.match(text, 'Some settings need correcting. Nothing was saved.');
  assert.match(html, /name="idle_minutes_practice" type="text" value="soon"[^>]*aria-invalid="true"/);
  assert.match(html, /name="reset_link_hours" type="text" value="500"[^>]*aria-invalid="true"/);
  assert.match(html, /name="password_min_length" type="text" value="10"[^>]*aria-invalid="true"/);
  assert.match(html, /name="idle_minutes_patient" type="text" value="60" [^>]*required=""/);
  assert.not.match(html, /name="idle_minutes_patient"[^>]*aria-invalid/);
  assert.match(text, 'Enter a whole number from 5 to 720.');
  assert.match(text, 'Enter a whole number from 1 to 168.');
  assert.match(text, 'Enter a whole number from 1 to 30.');
  assert.match(text, 'Use at least 12 characters, or require two-factor authentication for staff.');
  assert.match(html, /<input type="checkbox" id="field-patient_admin_staff" name="patient_admin_staff" value="1" checked=""/);

  const htmx = await admin.post(`${SUNNY}/settings`, form, { htmx: true });
  assert.is(htmx.status, 422);
  const fragment = await htmx.text();
  assert.ok(fragment.startsWith('<form method="post" action="/sunny-pediatrics/practice/settings" class="settings"'), fragment.slice(0, 120));
  assert.match(fragment, 'value="soon"');

  const repeated = `${new URLSearchParams(form)}&idle_minutes_practice=5`;
  const formType = { 'content-type': 'application/x-www-form-urlencoded' };
  assert.is((await admin.request(`${SUNNY}/settings`, { method: 'POST', body: repeated, headers: formType })).status, 400, 'a repeated field');
  assert.is((await admin.request(`${SUNNY}/settings`, { method: 'POST', body: '{"idle_minutes_practice":5}', headers: { 'content-type': 'application/json' } })).status, 415);
  assert.equal(await storedSettings(), SEEDED);
  assert.is((await settingsEvents()).length, 0);

  for (const zone of ['UTC', 'Etc/GMT+5', 'Mars/Olympus', '<script>']) {
    const refused = await admin.post(`${SUNNY}/settings`, await currentForm({ time_zone: zone }));
    assert.is(refused.status, 422, zone);
    assert.match(textOf(await refused.text()), 'Choose a time zone from the list.');
  }
  assert.equal(await storedSettings(), SEEDED);
});

test('a valid save is stored, confirmed and audited with the changed keys before and after; the same save again changes nothing', async () => {
  const form = await currentForm({ idle_minutes_practice: '15', remember_device_days: '0', patient_admin_nurse: '1' });
  const saved = await admin.post(`${SUNNY}/settings`, form);
  assert.is(saved.status, 303);
  assert.is(saved.headers.get('location'), `${SUNNY}/settings?saved=1`);
  const page = await (await admin.get(`${SUNNY}/settings?saved=1`)).text();
  assert.match(page, /<div class="alert notice" role="status">Practice settings saved.<\/div>/);
  assert.match(page, /name="idle_minutes_practice" type="text" value="15"/);

  assert.equal(await storedSettings(), { ...SEEDED, idleMinutesPractice: 15, rememberDeviceDays: 0, patientAdminRoles: ['admin', 'nurse', 'staff'] });
  const [event] = await settingsEvents();
  assert.is(event.actor_account_id, await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'admin'));
  assert.equal(event.detail, {
    before: { idleMinutesPractice: 30, rememberDeviceDays: 30, patientAdminRoles: ['admin', 'staff'] },
    after: { idleMinutesPractice: 15, rememberDeviceDays: 0, patientAdminRoles: ['admin', 'nurse', 'staff'] },
  });
  const audit = textOf(await (await admin.get(`${SUNNY}/audit?action=settings.changed`)).text());
  assert.match(audit, 'Practice portal (minutes without activity): 30 → 15');
  assert.match(audit, 'Roles with Patient Administration: Administrator, Front desk → Administrator, Nurse, Front desk');

  const again = await admin.post(`${SUNNY}/settings`, form, { htmx: true });
  assert.is(again.status, 204);
  assert.is(again.headers.get('hx-redirect'), `${SUNNY}/settings?saved=0`);
  assert.is((await settingsEvents()).length, 1, 'an unchanged save is not an event');

  const nurse = new Client(ctx.app, '198.51.100.102');
  await signIn(nurse, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);
  assert.match(textOf(await (await nurse.get(`${SUNNY}/`)).text()), 'Patient Administration', 'nurses now reach Patient Administration');
  assert.equal(await storedSettings('oak-family-medicine'), { timeZone: 'America/New_York', phoneNumber: '(555) 010-0178' }, 'another practice is untouched');

  const restored = await admin.post(`${SUNNY}/settings`, await currentForm({ idle_minutes_practice: '30', remember_device_days: '30', patient_admin_nurse: undefined }));
  assert.is(restored.status, 303);
});

test('two administrators saving at once: both saves land in order and the audit trail chains', async () => {
  const second = new Client(ctx.app, '198.51.100.103');
  await signIn(second, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const before = (await settingsEvents()).length;
  const [a, b] = await Promise.all([
    admin.post(`${SUNNY}/settings`, await currentForm({ invitation_days: '3' })),
    second.post(`${SUNNY}/settings`, await currentForm({ invitation_days: '5' })),
  ]);
  assert.is(a.status, 303);
  assert.is(b.status, 303);
  const events = (await settingsEvents()).slice(before);
  assert.is(events.length, 2);
  assert.equal(events[0].detail.before, { invitationDays: 7 });
  assert.equal(events[1].detail.before, events[0].detail.after, 'the second save saw the first one');
  assert.equal((await storedSettings()).invitationDays, events[1].detail.after.invitationDays);
});

test('the time zone is the practice’s: its pages and emails follow it at once, and the change is audited', async () => {
  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  await ctx.owner`
    insert into audit_events (tenant_id, occurred_at, action, ip, user_agent, detail)
    values (${sunny}, '2026-11-30 14:13:05+00', 'account.unlocked', '192.0.2.50', '', '{}')`;
  const before = textOf(await (await admin.get(`${SUNNY}/audit?from=2026-11-30&to=2026-11-30`)).text());
  assert.match(before, 'Nov 30, 2026, 9:13:05 AM EST');

  const saved = await admin.post(`${SUNNY}/settings`, await currentForm({ time_zone: 'America/Los_Angeles' }));
  assert.is(saved.status, 303);
  assert.is((await storedSettings()).timeZone, 'America/Los_Angeles');
  const page = await (await admin.get(`${SUNNY}/settings`)).text();
  assert.match(page, '<option value="America/Los_Angeles" selected="">Los Angeles</option>');
  const after = textOf(await (await admin.get(`${SUNNY}/audit?from=2026-11-30&to=2026-11-30`)).text());
  assert.match(after, 'Nov 30, 2026, 6:13:05 AM PST');
  assert.match(after, 'Times and dates are the practice’s (America/Los Angeles)');
  assert.match(textOf(await (await admin.get(`${SUNNY}/audit?action=settings.changed`)).text()), 'Time zone: America/New_York → America/Los_Angeles');

  const nurse = new Client(ctx.app, '198.51.100.108');
  await signIn(nurse, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);
  const change = { current_password: STAFF_PASSWORD, new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD };
  assert.is((await nurse.post(`${SUNNY}/account/password`, change)).status, 303);
  const [mail] = await emailsTo(ctx, 'cnurse@sunny-pediatrics.example');
  assert.match(mail.subject, 'password was changed');
  assert.match(mail.text, / P[SD]T\./, 'the email’s time is the practice’s');
  assert.not.match(mail.text, 'UTC');
  const back = { current_password: NEW_PASSWORD, new_password: STAFF_PASSWORD, new_password_confirmation: STAFF_PASSWORD };
  assert.is((await nurse.post(`${SUNNY}/account/password`, back)).status, 303);

  assert.is((await admin.post(`${SUNNY}/settings`, await currentForm({ time_zone: 'America/New_York' }))).status, 303);
});

test('a shorter idle sign-out ends an idle session sooner', async () => {
  const nurse = new Client(ctx.app, '198.51.100.104');
  await signIn(nurse, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);
  const camille = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
  const idleFor = (minutes: number) => ctx.owner`update sessions set last_seen_at = now() - ${`${minutes} minutes`}::interval where account_id = ${camille}`;

  await idleFor(10);
  assert.is((await nurse.get(`${SUNNY}/`)).status, 200, 'ten idle minutes are fine under the default 30');
  assert.is((await admin.post(`${SUNNY}/settings`, await currentForm({ idle_minutes_practice: '5' }))).status, 303);
  await idleFor(10);
  const sessionHash = hashSessionId(nurse.cookie('gatehouse_session')!);
  const after = await nurse.get(`${SUNNY}/`);
  assert.is(after.status, 303);
  assert.is(after.headers.get('location'), `${SUNNY}/login?ended=idle`);
  assert.match(textOf(await (await nurse.get(`${SUNNY}/login?ended=idle`)).text()), 'You were signed out after 5 minutes without activity.');
  const [left] = await ctx.owner`select count(*)::int as n from sessions where id_hash = ${sessionHash}`;
  assert.is(left.n, 0, 'the idle session is gone');
  assert.is((await admin.get(`${SUNNY}/settings`)).status, 200, 'the active administrator stays signed in');
});

test('the reset link lifetime is used by the next forgot-password email', async () => {
  assert.is((await admin.post(`${SUNNY}/settings`, await currentForm({ reset_link_hours: '6' }))).status, 303);
  const guardian = new Client(ctx.app, '198.51.100.105');
  assert.is((await guardian.post('/sunny-pediatrics/patient/forgot-password', { email: 'jordan.parent@example.com' })).status, 303);
  await processResetRequests(ctx.db, ctx);
  const [mail] = await emailsTo(ctx, 'jordan.parent@example.com');
  assert.match(mail.text, 'for 6 hours');
  const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com');
  const [token] = await ctx.owner`
    select extract(epoch from expires_at - created_at)::int as seconds from account_tokens where account_id = ${jordan} order by created_at desc limit 1`;
  assert.ok(Math.abs(token.seconds - 6 * 3600) < 60, `${token.seconds} s`);
});

test('the minimum password length applies to the next password change, in both portals', async () => {
  assert.is((await admin.post(`${SUNNY}/settings`, await currentForm({ password_min_length: '30' }))).status, 303);
  const nurse = new Client(ctx.app, '198.51.100.106');
  await signIn(nurse, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);
  const change = { current_password: STAFF_PASSWORD, new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD };
  const refused = await nurse.post(`${SUNNY}/account/password`, change);
  assert.is(refused.status, 422);
  assert.match(textOf(await refused.text()), 'Use at least 30 characters');
  const guardian = new Client(ctx.app, '198.51.100.107');
  await signIn(guardian, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);
  const patientRefused = await guardian.post('/sunny-pediatrics/patient/settings/account/password', { ...change, current_password: GUARDIAN_PASSWORD });
  assert.is(patientRefused.status, 422);

  assert.is((await admin.post(`${SUNNY}/settings`, await currentForm({ password_min_length: '12' }))).status, 303);
  assert.is((await nurse.post(`${SUNNY}/account/password`, change)).status, 303, 'the same password passes at 12');
  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  const [latest] = await ctx.owner`select action from audit_events where tenant_id = ${sunny} order by id desc limit 1`;
  assert.is(latest.action, 'password.changed');
});

// Last: once staff 2FA is required, this administrator (who has none) is sent to set it up before anything else.
test('with staff two-factor required a minimum of 8 is allowed, and staff without two-factor must set it up', async () => {
  const saved = await admin.post(`${SUNNY}/settings`, await currentForm({ staff_two_factor_required: '1', password_min_length: '8' }));
  assert.is(saved.status, 303);
  const stored = await storedSettings();
  assert.is(stored.staffTwoFactorRequired, true);
  assert.is(stored.passwordMinLength, 8);
  const next = await admin.get(`${SUNNY}/settings`);
  assert.is(next.status, 303);
  assert.is(next.headers.get('location'), `${SUNNY}/account/two-factor`);
});

test.run();
