// A guardian's portal access from Patient Administration (P5 "Account Settings"): each action, its confirmation
// step, its audit row, and 404 with nothing changed for any account that is not a contact of that patient.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, GUARDIAN_PASSWORD, accountId, createTestContext, emailsTo, linkIn, signIn, textOf } from '../support/harness.ts';
import { JORDAN_EMAIL, PATIENTS, accountState, auditActions, familyOf, patientId, staff } from '../support/patient-admin.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const NEW_PASSWORD = 'velvet otter harbor 2931';
const frontDesk = await staff(ctx, 'marcusstaff');
const marcus = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'marcusstaff');
const riley = await patientId(ctx, '10001');
const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN_EMAIL);
const jordanPage = `${PATIENTS}/${riley}/portal/${jordan}`;
const lastAction = async (subject: string) => (await auditActions(ctx, subject)).at(-1);

test('Account Settings shows login email, username, status, last sign-in, 2FA and the last email; actions are buttons', async () => {
  const response = await frontDesk.get(jordanPage);
  assert.is(response.status, 200);
  const html = await response.text();
  const text = textOf(html);
  assert.match(text, 'Portal access: Jordan Parent');
  assert.match(text, 'Account Settings Username jordan.parent@example.com Patients on this account Riley Parent (Account 10001) Casey Parent (Account 10002) Status Active Last sign-in Never Two-factor authentication Off Last email No email sent yet');
  assert.match(text, 'One sign-in covers Riley Parent and Casey Parent: these actions apply to the portal access for all of them.');
  assert.match(html, /<label for="field-email">Login email<\/label>/);
  assert.match(html, /name="email"[^>]*value="jordan.parent@example.com"/);
  assert.match(html, /<label for="field-also_update_contact">Also update the Family Contact email<\/label>/);
  for (const label of ['Change Email', 'Reset Password', 'Set temporary password', 'Disable portal access']) assert.match(html, `>${label}</button>`);
  assert.not.match(html, '>Unlock</button>');
  assert.not.match(html, '>Resend invitation</button>');
});

test('Reset Password: the confirmation changes nothing; confirming emails a 48-hour link that Jordan completes', async () => {
  const before = await accountState(ctx, jordan);
  const confirm = await frontDesk.get(`${jordanPage}/reset-password`);
  assert.is(confirm.status, 200);
  const confirmHtml = await confirm.text();
  assert.match(textOf(confirmHtml), 'Reset Password for Jordan Parent? A reset link goes to jordan.parent@example.com. It works once, for 48 hours.');
  assert.match(confirmHtml, /<h1 id="confirm-heading">/);
  const panel = await (await frontDesk.get(`${jordanPage}/reset-password`, { htmx: true })).text();
  assert.match(panel, /^<section class="card confirm"[^>]*><h2 id="confirm-heading">/);
  assert.equal(await accountState(ctx, jordan), before, 'opening the confirmation changes nothing');

  const confirmed = await frontDesk.post(`${jordanPage}/reset-password`, {});
  assert.is(confirmed.status, 303);
  assert.is(confirmed.headers.get('location'), `${jordanPage}?done=reset`);
  const [token] = await ctx.owner`
    select purpose, created_by, round(extract(epoch from expires_at - created_at) / 3600) as hours from account_tokens where account_id = ${jordan}`;
  assert.equal([token.purpose, token.created_by, Number(token.hours)], ['reset', marcus, 48]);
  const [mail] = await emailsTo(ctx, JORDAN_EMAIL);
  assert.is(mail.kind, 'password_reset');
  assert.match(mail.text, '48 hours');
  assert.match(mail.text, "Your username, in case you've forgotten: jordan.parent@example.com");
  const event = await lastAction(jordan);
  assert.equal([event?.action, event?.actor, event?.detail.via], ['password.reset_requested', marcus, 'patient-administration']);
  const page = textOf(await (await frontDesk.get(`${jordanPage}?done=reset`)).text());
  assert.match(page, 'A password reset link was emailed to j****t@example.com. It works for 48 hours');
  assert.match(page, 'Last email Password reset link: waiting to be sent');
  assert.match(page, /Pending reset link Valid until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M E[SD]T/);
  assert.not.match(page, 'UTC');

  const guardian = new Client(ctx.app, '198.51.100.200');
  assert.is((await guardian.get(linkIn(mail.text))).status, 303);
  assert.is((await guardian.post('/sunny-pediatrics/patient/reset/answer', { answer: 'Biscuit' })).status, 303);
  const done = await guardian.post('/sunny-pediatrics/patient/reset/password', { new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD });
  assert.is(done.status, 303);
  await signIn(new Client(ctx.app, '198.51.100.201'), 'sunny-pediatrics', 'patient', JORDAN_EMAIL, NEW_PASSWORD);
});

test('Change Email: another account\'s address is a field error with input kept; nothing changes', async () => {
  const taken = (await familyOf(ctx, '20001')).email;
  const before = await accountState(ctx, jordan);
  const response = await frontDesk.post(`${jordanPage}/email`, { email: taken.toUpperCase(), also_update_contact: '1' });
  assert.is(response.status, 422);
  const html = await response.text();
  assert.match(textOf(html), 'Another portal account already uses this email address');
  assert.match(html, `value="${taken.toUpperCase()}"`);
  assert.match(html, /id="field-email"[^>]*aria-invalid="true"/);
  const fragment = await frontDesk.post(`${jordanPage}/email`, { email: 'not an email' }, { htmx: true });
  assert.is(fragment.status, 422);
  assert.match(await fragment.text(), /^<form id="email-form"/);
  assert.equal(await accountState(ctx, jordan), before);
});

test('Change Email: login email (and the username that was the old address) change, the Family Contact too when asked', async () => {
  const pending = await frontDesk.post(`${jordanPage}/reset-password`, {});
  assert.is(pending.status, 303);
  const response = await frontDesk.post(`${jordanPage}/email`, { email: ' Jordan.New@Example.com ', also_update_contact: '1' });
  assert.is(response.status, 303);
  assert.is(response.headers.get('location'), `${jordanPage}?done=email`);
  const [account] = await ctx.owner`select email, username from accounts where id = ${jordan}`;
  assert.equal([account.email, account.username], ['jordan.new@example.com', 'jordan.new@example.com']);
  const [contact] = await ctx.owner`select email from family_contacts where account_id = ${jordan}`;
  assert.is(contact.email, 'jordan.new@example.com');
  assert.is((await ctx.owner`select 1 from account_tokens where account_id = ${jordan} and revoked_at is null and used_at is null`).length, 0, 'the link sent to the old address died');
  const [notice] = await emailsTo(ctx, JORDAN_EMAIL);
  assert.is(notice.kind, 'login_email_changed');
  assert.match(notice.text, 'j****w@example.com');
  assert.not.match(notice.text, 'jordan.new@example.com');
  const event = await lastAction(jordan);
  assert.equal([event?.action, event?.actor, event?.detail.from, event?.detail.to, event?.detail.familyContactUpdated],
    ['account.email_changed', marcus, JORDAN_EMAIL, 'jordan.new@example.com', true]);

  const back = await frontDesk.post(`${jordanPage}/email`, { email: JORDAN_EMAIL });
  assert.is(back.status, 303);
  const [contactAfter] = await ctx.owner`select email from family_contacts where account_id = ${jordan}`;
  assert.is(contactAfter.email, 'jordan.new@example.com', 'without the checkbox the Family Contact keeps its email');
  assert.match(textOf(await (await frontDesk.get(jordanPage)).text()), 'Family Contact email: jordan.new@example.com');
  await frontDesk.post(`${jordanPage}/email`, { email: JORDAN_EMAIL, also_update_contact: '1' });
  const [restored] = await ctx.owner`select email from family_contacts where account_id = ${jordan}`;
  assert.is(restored.email, JORDAN_EMAIL);
});

test('Unlock: a guardian locked out by wrong passwords is shown as locked, unlocked, and can sign in', async () => {
  const attacker = new Client(ctx.app, '198.51.100.210');
  for (let i = 0; i < 5; i++) await attacker.post('/sunny-pediatrics/patient/login', { username: JORDAN_EMAIL, password: `guess ${i}` });
  const page = await (await frontDesk.get(jordanPage)).text();
  assert.match(textOf(page), 'Status Locked after too many sign-in attempts');
  assert.match(page, '>Unlock</button>');
  const unlocked = await frontDesk.post(`${jordanPage}/unlock`, {});
  assert.is(unlocked.status, 303);
  const [row] = await ctx.owner`select failed_sign_ins, locked_until from accounts where id = ${jordan}`;
  assert.equal([row.failed_sign_ins, row.locked_until], [0, null]);
  assert.equal([(await lastAction(jordan))?.action, (await lastAction(jordan))?.actor], ['account.unlocked', marcus]);
  await signIn(new Client(ctx.app, '198.51.100.211'), 'sunny-pediatrics', 'patient', JORDAN_EMAIL, NEW_PASSWORD);
  const again = await frontDesk.post(`${jordanPage}/unlock`, {});
  assert.is(again.status, 422);
  assert.match(textOf(await again.text()), 'This account is not locked.');
});

test('Resend invitation: an invited guardian gets a new link (the old one dies); an active one cannot', async () => {
  const family = await familyOf(ctx, '20001');
  const page = `${PATIENTS}/${await patientId(ctx, '20001')}/portal/${family.accountId}`;
  assert.match(await (await frontDesk.get(page)).text(), '>Resend invitation</button>');
  assert.is((await frontDesk.post(`${page}/resend-invitation`, {})).status, 303);
  assert.is((await frontDesk.post(`${page}/resend-invitation`, {})).status, 303);
  const invitations = await emailsTo(ctx, family.email);
  assert.equal(invitations.map((m) => m.kind), ['invitation', 'invitation']);
  const tokens = await ctx.owner`select revoked_at from account_tokens where account_id = ${family.accountId} order by created_at`;
  assert.equal(tokens.map((t) => t.revoked_at === null), [false, true]);
  assert.equal((await auditActions(ctx, family.accountId!)).map((a) => a.action), ['invitation.created', 'invitation.created']);
  assert.is((await frontDesk.post(`${jordanPage}/resend-invitation`, {})).status, 422);
});

test('Disable portal access: confirmation first, then sessions end and sign-in is refused; Restore invites the guardian again', async () => {
  const guardian = new Client(ctx.app, '198.51.100.220');
  await signIn(guardian, 'sunny-pediatrics', 'patient', JORDAN_EMAIL, NEW_PASSWORD);
  const confirm = await frontDesk.get(`${jordanPage}/disable`);
  assert.match(textOf(await confirm.text()), 'Disable portal access for Jordan Parent?');
  assert.is((await guardian.get('/sunny-pediatrics/patient/')).status, 200, 'the confirmation alone changes nothing');

  const disabled = await frontDesk.post(`${jordanPage}/disable`, {});
  assert.is(disabled.status, 303);
  assert.is((await guardian.get('/sunny-pediatrics/patient/')).status, 303, 'the guardian\'s session ended');
  assert.is((await ctx.owner`select status from accounts where id = ${jordan}`)[0].status, 'deactivated');
  const refused = await new Client(ctx.app, '198.51.100.221').post('/sunny-pediatrics/patient/login', { username: JORDAN_EMAIL, password: NEW_PASSWORD });
  assert.is(refused.status, 401, 'the password was erased with the access');
  const disabledEvent = (await auditActions(ctx, jordan)).find((e) => e.action === 'portal_access.disabled');
  assert.is(disabledEvent?.actor, marcus);
  const page = await (await frontDesk.get(jordanPage)).text();
  assert.match(textOf(page), 'Status Deactivated');
  assert.not.match(page, '>Reset Password</button>');
  assert.is((await frontDesk.post(`${jordanPage}/reset-password`, {})).status, 422, 'no reset link for disabled access');

  assert.is((await frontDesk.post(`${jordanPage}/restore`, {})).status, 303);
  assert.equal((await auditActions(ctx, jordan)).slice(-2).map((e) => e.action), ['account.reactivated', 'invitation.created']);
  assert.match(textOf(await (await frontDesk.get(`${jordanPage}?done=restored`)).text()), /Status Invited/);
  const [invitation] = await emailsTo(ctx, JORDAN_EMAIL);
  assert.is(invitation.kind, 'invitation');
  const guardianAgain = new Client(ctx.app, '198.51.100.222');
  assert.is((await guardianAgain.get(linkIn(invitation.text))).status, 303);
  const chosen = { new_password: 'amber kettle meadow 5512', new_password_confirmation: 'amber kettle meadow 5512', question: 'What was the name of your first pet?', answer: 'Biscuit' };
  assert.is((await guardianAgain.post('/sunny-pediatrics/patient/welcome', chosen)).status, 303);
  await signIn(new Client(ctx.app, '198.51.100.223'), 'sunny-pediatrics', 'patient', JORDAN_EMAIL, chosen.new_password);
});

test('any account that is not a contact of this patient is 404 for every page and action, and nothing changes', async () => {
  const invited = (await familyOf(ctx, '20004')).accountId!;
  const oakAdmin = await accountId(ctx.owner, 'oak-family-medicine', 'practice', 'admin');
  const casey = await patientId(ctx, '10002');
  const targets = [
    { path: `${PATIENTS}/${riley}/portal/${invited}`, account: invited, why: "another patient's guardian" },
    { path: `${PATIENTS}/${riley}/portal/${marcus}`, account: marcus, why: 'a staff account' },
    { path: `${PATIENTS}/${riley}/portal/${oakAdmin}`, account: oakAdmin, why: "another practice's account" },
    { path: `${PATIENTS}/${await patientId(ctx, '20004')}/portal/${jordan}`, account: jordan, why: 'Jordan through a patient not theirs' },
  ];
  const gets = ['', '/reset-password', '/disable', '/temporary-password'];
  const posts = ['/email', '/reset-password', '/unlock', '/resend-invitation', '/disable', '/restore', '/temporary-password'];
  for (const target of targets) {
    const before = await accountState(ctx, target.account);
    for (const path of gets) assert.is((await frontDesk.get(target.path + path)).status, 404, `${target.why}: GET ${path}`);
    for (const path of posts) {
      const response = await frontDesk.post(target.path + path, { email: 'taken.over@example.com', also_update_contact: '1', notify: '1' });
      assert.is(response.status, 404, `${target.why}: POST ${path}`);
    }
    assert.equal(await accountState(ctx, target.account), before, `${target.why}: nothing changed`);
  }
  assert.is((await frontDesk.get(`${PATIENTS}/${casey}/portal/${jordan}`)).status, 200, 'Jordan is also Casey\'s guardian');
  assert.is((await frontDesk.post(`${PATIENTS}/${riley}/portal/nope/unlock`, {})).status, 404);
  assert.is((await ctx.owner`select 1 from accounts where email = 'taken.over@example.com'`).length, 0);
});

test('two staff members giving two guardians the same new email at once: one succeeds, the other gets the field error', async () => {
  const first = await familyOf(ctx, '20007');
  const second = await familyOf(ctx, '20010');
  const pages = [
    `${PATIENTS}/${await patientId(ctx, '20007')}/portal/${first.accountId}`,
    `${PATIENTS}/${await patientId(ctx, '20010')}/portal/${second.accountId}`,
  ];
  const colleague = await staff(ctx, 'admin');
  const answers = await Promise.all([
    frontDesk.post(`${pages[0]}/email`, { email: 'shared.address@example.com' }),
    colleague.post(`${pages[1]}/email`, { email: 'shared.address@example.com' }),
  ]);
  assert.equal(answers.map((r) => r.status).sort(), [303, 422]);
  const owners = await ctx.owner`select id from accounts where email = 'shared.address@example.com'`;
  assert.is(owners.length, 1);
  const changed = (await ctx.owner`select count(*)::int as n from audit_events where action = 'account.email_changed' and detail->>'to' = 'shared.address@example.com'`)[0].n;
  assert.is(changed, 1, 'only the change that happened is audited');
});

test('two temporary passwords set at once for one guardian: both are kept in order, and only the last one can be printed', async () => {
  const colleague = await staff(ctx, 'admin');
  const answers = await Promise.all([frontDesk.post(`${jordanPage}/temporary-password`, {}), colleague.post(`${jordanPage}/temporary-password`, {})]);
  assert.equal(answers.map((r) => r.status), [303, 303]);
  const printouts = await ctx.owner`select p.id from credential_printouts p join accounts a on a.id = p.account_id
    where p.account_id = ${jordan} and p.temporary_until = a.temporary_password_expires_at`;
  assert.is(printouts.length, 1, 'one printout, matching the password the account has now');
  assert.is((await ctx.owner`select count(*)::int as n from credential_printouts where account_id = ${jordan}`)[0].n, 1);
  const printable = await Promise.all(answers.map((r, i) => [frontDesk, colleague][i].get(`${r.headers.get('location')}/credentials.pdf`)));
  assert.equal(printable.map((r) => r.status).sort(), [200, 410]);
});

test('a nurse is refused (403) on every action, and nothing changes', async () => {
  const nurse = await staff(ctx, 'camilles');
  const before = await accountState(ctx, jordan);
  for (const path of ['/email', '/reset-password', '/unlock', '/resend-invitation', '/disable', '/restore', '/temporary-password']) {
    assert.is((await nurse.post(jordanPage + path, { email: 'nurse.was.here@example.com' })).status, 403, path);
  }
  assert.equal(await accountState(ctx, jordan), before);
});

test.run();
