// Staff administration (P4), the actions on a staff member: Reset Password (72-hour link), Change Email, setting a
// password directly, deactivate / reactivate, unlock, invite; each checked through what people and rows show after.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, STAFF_PASSWORD, accountId, createTestContext, emailsTo, linkIn, signIn, tenantId, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';
const STAFF = `${PRACTICE}/staff`;
const NEW_PASSWORD = 'velvet otter harbor 2931';
const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
const admin = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'admin');
const camille = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
const marcus = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'marcusstaff');
const drlee = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'drlee');

let ipCounter = 1;
async function signedIn(username: string, password = STAFF_PASSWORD): Promise<Client> {
  const client = new Client(ctx.app, `198.51.100.${ipCounter++}`);
  await signIn(client, 'sunny-pediatrics', 'practice', username, password);
  return client;
}

async function lastEvent(action: string, subject: string) {
  const [row] = await ctx.owner`select actor_account_id, detail from audit_events where action = ${action} and subject_account_id = ${subject} order by id desc limit 1`;
  return row ?? null;
}

test('unlock: a locked-out staff member is shown as locked, and Unlock lets them sign in at once', async () => {
  await ctx.owner`update accounts set failed_sign_ins = 7, locked_until = now() + interval '30 minutes' where id = ${camille}`;
  const locked = await new Client(ctx.app, '198.51.100.200').post(`${PRACTICE}/login`, { username: 'camilles', password: STAFF_PASSWORD });
  assert.is(locked.status, 429);
  const client = await signedIn('admin');
  const page = textOf(await (await client.get(`${STAFF}/${camille}`)).text());
  assert.match(page, /Lockout Locked until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M E[SD]T after 7 failed sign-ins\. Unlock/);
  const unlocked = await client.post(`${STAFF}/${camille}/unlock`, {});
  assert.is(unlocked.status, 303);
  assert.is(unlocked.headers.get('location'), `${STAFF}/${camille}?done=unlocked`);
  const [row] = await ctx.owner`select failed_sign_ins, locked_until from accounts where id = ${camille}`;
  assert.equal({ ...row }, { failed_sign_ins: 0, locked_until: null });
  await signedIn('camilles');
  assert.is((await lastEvent('account.unlocked', camille))?.actor_account_id, admin);
});

test('deactivate: confirmation first, sessions end at once, sign-in is refused; reactivate invites again; never oneself', async () => {
  const marcusSession = await signedIn('marcusstaff');
  const client = await signedIn('admin');
  const confirm = await client.get(`${STAFF}/${marcus}/deactivate?from=list`);
  assert.is(confirm.status, 200);
  const confirmHtml = await confirm.text();
  assert.match(textOf(confirmHtml), 'Marcus Staff will be signed out everywhere at once');
  assert.match(confirmHtml, '<input type="hidden" name="from" value="list"/>');
  assert.match(confirmHtml, '>Deactivate</button>');
  const dialog = await (await client.get(`${STAFF}/${marcus}/deactivate`, { htmx: true })).text();
  assert.match(dialog, 'role="dialog" aria-modal="true"');
  assert.is((await ctx.owner`select status from accounts where id = ${marcus}`)[0].status, 'active', 'asking changes nothing');

  const done = await client.post(`${STAFF}/${marcus}/deactivate`, { from: 'list' });
  assert.is(done.status, 303);
  assert.is(done.headers.get('location'), `${STAFF}?done=deactivated`);
  assert.is((await marcusSession.get(`${PRACTICE}/`)).status, 303, 'their open session ended at once');
  assert.is((await ctx.owner`select 1 from sessions where account_id = ${marcus}`).length, 0);
  // The password itself is gone (sql/031), so the old one is simply wrong now.
  const refused = await new Client(ctx.app, '198.51.100.201').post(`${PRACTICE}/login`, { username: 'marcusstaff', password: STAFF_PASSWORD });
  assert.is(refused.status, 401);
  assert.is((await ctx.owner`select password_hash from accounts where id = ${marcus}`)[0].password_hash, null);
  const list = await (await client.get(`${STAFF}?done=deactivated`)).text();
  assert.match(textOf(list), 'has been deactivated and signed out everywhere');
  assert.match(textOf(list.split(`id="staff-${marcus}"`)[1].split('</tr>')[0]), /Deactivated .* Reactivate/);
  assert.is((await lastEvent('account.deactivated', marcus))?.actor_account_id, admin);

  const withHtmx = await client.post(`${STAFF}/${marcus}/reactivate`, {}, { htmx: true });
  assert.is(withHtmx.status, 204);
  assert.is(withHtmx.headers.get('hx-redirect'), `${STAFF}/${marcus}?done=reactivated`);
  assert.is((await ctx.owner`select status from accounts where id = ${marcus}`)[0].status, 'invited');
  assert.is((await lastEvent('account.reactivated', marcus))?.actor_account_id, admin);
  assert.is((await lastEvent('invitation.created', marcus))?.actor_account_id, admin);
  const [invitation] = (await emailsTo(ctx, 'mstaff@sunny-pediatrics.example')).filter((e) => e.kind === 'invitation');
  assert.ok(invitation, 'an invitation to choose a new password went out');
  const marcusBrowser = new Client(ctx.app, '198.51.100.202');
  assert.is((await marcusBrowser.get(linkIn(invitation.text))).status, 303);
  const chosen = { new_password: STAFF_PASSWORD, new_password_confirmation: STAFF_PASSWORD, question: 'In what city were you born?', answer: 'Springfield' };
  assert.is((await marcusBrowser.post(`${PRACTICE}/welcome`, chosen)).status, 303);
  await signedIn('marcusstaff');

  assert.is((await client.get(`${STAFF}/${admin}/deactivate`)).status, 403);
  const self = await client.post(`${STAFF}/${admin}/deactivate`, {});
  assert.is(self.status, 403);
  assert.match(textOf(await self.text()), 'You cannot deactivate your own account');
  assert.is((await ctx.owner`select status from accounts where id = ${admin}`)[0].status, 'active');
  assert.is((await client.get(`${PRACTICE}/`)).status, 200);
});

test('Reset Password: confirm, a 72-hour link by email, Camille completes it and her old session is gone', async () => {
  const oldSession = await signedIn('camilles');
  const client = await signedIn('admin');
  const confirm = await client.get(`${STAFF}/${camille}/reset-password`);
  assert.match(textOf(await confirm.text()), 'It goes to cnurse@sunny-pediatrics.example and is valid for 72 hours.');
  assert.is((await emailsTo(ctx, 'cnurse@sunny-pediatrics.example')).length, 0, 'asking sends nothing');

  const sent = await client.post(`${STAFF}/${camille}/reset-password`, {});
  assert.is(sent.status, 303);
  assert.is(sent.headers.get('location'), `${STAFF}/${camille}?done=reset`);
  const [mail] = await emailsTo(ctx, 'cnurse@sunny-pediatrics.example');
  assert.is(mail.kind, 'staff_password_reset');
  assert.match(mail.text, 'Pat Admin, an administrator at Sunny Pediatrics, sent you a link');
  assert.match(mail.text, 'This link is valid for 72 hours and works once.');
  assert.match(mail.text, 'Your username: camilles');
  const [token] = await ctx.owner`select extract(epoch from expires_at - created_at)::int as seconds, created_by from account_tokens where account_id = ${camille} and purpose = 'reset' and revoked_at is null`;
  assert.equal({ ...token }, { seconds: 72 * 3600, created_by: admin });
  const page = textOf(await (await client.get(`${STAFF}/${camille}?done=reset`)).text());
  assert.match(page, 'A password reset link was sent to cnurse@sunny-pediatrics.example. It is valid for 72 hours.');
  assert.match(page, /Pending password reset Sent [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M E[SD]T ?, expires [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M E[SD]T ?\./);
  assert.not.match(page, 'UTC');
  assert.match(page, 'Last email Password reset link from an administrator: queued at');
  const event = await lastEvent('password.reset_requested', camille);
  assert.is(event.actor_account_id, admin);
  assert.is(event.detail.via, 'administrator');

  const camilleBrowser = new Client(ctx.app, '198.51.100.210');
  assert.is((await camilleBrowser.get(linkIn(mail.text))).status, 303);
  assert.match(textOf(await (await camilleBrowser.get(`${PRACTICE}/reset`)).text()), 'In what city were you born?');
  assert.is((await camilleBrowser.post(`${PRACTICE}/reset/answer`, { answer: 'Springfield' })).status, 303);
  const done = await camilleBrowser.post(`${PRACTICE}/reset/password`, { new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD });
  assert.is(done.status, 303);
  assert.is((await oldSession.get(`${PRACTICE}/`)).status, 303, 'the session from before the reset is gone');
  await signedIn('camilles', NEW_PASSWORD);
  assert.match(textOf(await (await client.get(`${STAFF}/${camille}`)).text()), 'Pending password reset None.');
});

test('Change Email: needs the administrator’s own password, tells the old address, and kills pending reset links', async () => {
  const client = await signedIn('admin');
  assert.is((await client.post(`${STAFF}/${marcus}/reset-password`, {})).status, 303);
  const link = linkIn((await emailsTo(ctx, 'mstaff@sunny-pediatrics.example'))[0].text);

  const form = await (await client.get(`${STAFF}/${marcus}/email`)).text();
  assert.match(form, /<label for="field-current_password">Your password<\/label>/);
  assert.match(form, /name="current_password"[^>]*autocomplete="current-password"/);
  const missing = await client.post(`${STAFF}/${marcus}/email`, { email: 'marcus@clinic.example' });
  assert.is(missing.status, 422);
  assert.match(textOf(await missing.text()), 'Enter your own password to confirm this change.');
  const wrong = await client.post(`${STAFF}/${marcus}/email`, { email: 'marcus@clinic.example', current_password: 'correct horse battery' });
  assert.is(wrong.status, 422);
  const wrongHtml = await wrong.text();
  assert.match(textOf(wrongHtml), 'That is not your password.');
  assert.match(wrongHtml, 'value="marcus@clinic.example"');
  const bad = await client.post(`${STAFF}/${marcus}/email`, { email: 'marcus at clinic', current_password: STAFF_PASSWORD });
  assert.is(bad.status, 422);
  assert.match(await bad.text(), 'value="marcus at clinic"');
  const taken = await client.post(`${STAFF}/${marcus}/email`, { email: 'dlee@sunny-pediatrics.example', current_password: STAFF_PASSWORD });
  assert.is(taken.status, 422);
  assert.match(textOf(await taken.text()), 'Another staff account already uses this email address.');
  assert.is((await ctx.owner`select email from accounts where id = ${marcus}`)[0].email, 'mstaff@sunny-pediatrics.example');

  const changed = await client.post(`${STAFF}/${marcus}/email`, { email: ' Marcus@Clinic.example ', current_password: STAFF_PASSWORD });
  assert.is(changed.status, 303);
  assert.is((await ctx.owner`select email from accounts where id = ${marcus}`)[0].email, 'marcus@clinic.example');
  const [notice] = await emailsTo(ctx, 'mstaff@sunny-pediatrics.example');
  assert.is(notice.kind, 'email_changed');
  assert.match(notice.text, 'Pat Admin changed the email address of your Sunny Pediatrics practice portal account to m****s@clinic.example');
  assert.is((await new Client(ctx.app).get(link)).status, 410, 'the reset link sent to the old address no longer works');
  const event = await lastEvent('account.email_changed', marcus);
  assert.equal({ actor: event.actor_account_id, ...event.detail }, { actor: admin, previous: 'mstaff@sunny-pediatrics.example', current: 'marcus@clinic.example' });

  // One place changes an email: the Update Staff drawer shows it and leads to Change Email; an email posted to it is ignored.
  const edit = await (await client.get(`${STAFF}/${marcus}/edit`)).text();
  assert.match(edit, `<a href="${STAFF}/${marcus}/email">Change Email</a>`);
  assert.not.match(edit, 'name="email"');
  const version = edit.match(/name="version" value="(\d+)"/)![1];
  const fields = { first_name: 'Marcus', last_name: 'Staff', role: 'staff', primary_provider_id: '', username: 'marcusstaff', cell_phone: '', home_phone: '', version };
  const ignored = await client.post(`${STAFF}/${marcus}/edit`, { ...fields, email: 'someone.else@clinic.example' });
  assert.is(ignored.status, 303);
  assert.is((await ctx.owner`select email from accounts where id = ${marcus}`)[0].email, 'marcus@clinic.example');
  const back = await client.post(`${STAFF}/${marcus}/email`, { email: 'mstaff@sunny-pediatrics.example', current_password: STAFF_PASSWORD });
  assert.is(back.status, 303);
  assert.is((await ctx.owner`select email from accounts where id = ${marcus}`)[0].email, 'mstaff@sunny-pediatrics.example');
  assert.is((await emailsTo(ctx, 'marcus@clinic.example'))[0].kind, 'email_changed');
});

test('set a password directly: refused unless the practice allows it; then temporary, forced change, sessions end', async () => {
  const leeSession = await signedIn('drlee');
  const client = await signedIn('admin');
  const [before] = await ctx.owner`select password_hash from accounts where id = ${drlee}`;
  assert.is((await client.get(`${STAFF}/${drlee}/password`)).status, 403);
  const refused = await client.post(`${STAFF}/${drlee}/password`, { new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD, current_password: STAFF_PASSWORD });
  assert.is(refused.status, 403);
  assert.match(textOf(await refused.text()), 'This practice does not let administrators set staff passwords');
  assert.is((await ctx.owner`select password_hash from accounts where id = ${drlee}`)[0].password_hash, before.password_hash);

  await ctx.owner`update tenants set settings = settings || '{"staffPasswordSetByAdmin": true}' where id = ${sunny}`;
  assert.match(await (await client.get(`${STAFF}/${drlee}`)).text(), '>Set password</button>');
  const form = await (await client.get(`${STAFF}/${drlee}/password`)).text();
  assert.match(form, /<label for="field-new_password">New password<\/label>/);
  const noOwn = await client.post(`${STAFF}/${drlee}/password`, { new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD });
  assert.is(noOwn.status, 422);
  const weak = await client.post(`${STAFF}/${drlee}/password`, { new_password: 'drlee1234567', new_password_confirmation: 'drlee1234567', current_password: STAFF_PASSWORD });
  assert.is(weak.status, 422);
  assert.match(textOf(await weak.text()), 'Do not use your name, username');
  const set = await client.post(`${STAFF}/${drlee}/password`, { new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD, current_password: STAFF_PASSWORD });
  assert.is(set.status, 303);
  assert.is((await leeSession.get(`${PRACTICE}/`)).status, 303, 'their sessions ended');
  const [row] = await ctx.owner`select must_change_password, round(extract(epoch from temporary_password_expires_at - now()) / 86400)::int as days from accounts where id = ${drlee}`;
  assert.equal({ ...row }, { must_change_password: true, days: 7 });
  const lee = await signedIn('drlee', NEW_PASSWORD);
  const home = await lee.get(`${PRACTICE}/`);
  assert.is(home.headers.get('location'), `${PRACTICE}/update-password`, 'forced to choose their own password');
  const event = await lastEvent('password.set_by_staff', drlee);
  assert.is(event.actor_account_id, admin);
  assert.not.match(JSON.stringify(event.detail), NEW_PASSWORD);
  await ctx.owner`update tenants set settings = settings - 'staffPasswordSetByAdmin' where id = ${sunny}`;
});

test('invite staff: field errors keep input; an invited account and profile, and an email to the welcome page', async () => {
  const client = await signedIn('admin');
  // "Send invitation" posts where the invitation is made, on its own page and in the drawer alike.
  const page = await (await client.get(`${STAFF}/invite`)).text();
  assert.match(page, `<form method="post" action="${STAFF}/invite" novalidate`);
  const drawer = await (await client.get(`${STAFF}/invite`, { htmx: true })).text();
  assert.match(drawer, `action="${STAFF}/invite" hx-post="${STAFF}/invite"`);
  const form = { first_name: 'Jamie', last_name: 'Tester', role: 'nurse', username: 'camilles', email: 'jamie@sunny-pediatrics.example' };
  const taken = await client.post(`${STAFF}/invite`, form);
  assert.is(taken.status, 422);
  const takenHtml = await taken.text();
  assert.match(takenHtml, `action="${STAFF}/invite"`, 'the form shown again still posts to the invitation');
  assert.match(textOf(takenHtml), 'That username is already taken');
  assert.match(takenHtml, 'value="Jamie"');
  assert.match(takenHtml, '<option value="nurse" selected="">Nurse</option>');
  assert.is((await client.post(`${STAFF}/invite`, { ...form, username: 'jamie_demo_staff', email: 'jamie' })).status, 422);
  const invited = await client.post(`${STAFF}/invite`, { ...form, username: 'jamie_demo_staff' });
  assert.is(invited.status, 303);
  const [account] = await ctx.owner`
    select a.id, a.status, a.password_hash, sp.role, sp.first_name from accounts a join staff_profiles sp on sp.account_id = a.id where a.username = 'jamie_demo_staff'`;
  assert.equal({ status: account.status, hash: account.password_hash, role: account.role, first: account.first_name }, { status: 'invited', hash: null, role: 'nurse', first: 'Jamie' });
  assert.is(invited.headers.get('location'), `${STAFF}/${account.id}?done=invited`);
  const [mail] = await emailsTo(ctx, 'jamie@sunny-pediatrics.example');
  assert.is(mail.kind, 'invitation');
  assert.match(linkIn(mail.text), /^\/sunny-pediatrics\/practice\/welcome\/[A-Za-z0-9_-]{43}$/);
  assert.is((await lastEvent('account.created', account.id))?.actor_account_id, admin);
  assert.is((await lastEvent('invitation.created', account.id))?.actor_account_id, admin);
  assert.match(await (await client.get(`${STAFF}/${account.id}`)).text(), '>Resend invitation</button>');
});

test('every staff action is in the audit log with the administrator as actor', async () => {
  const rows = await ctx.owner`select distinct action from audit_events where actor_account_id = ${admin} and tenant_id = ${sunny}`;
  const actions = rows.map((r) => r.action);
  for (const action of ['account.unlocked', 'account.deactivated', 'account.reactivated', 'password.reset_requested', 'account.email_changed',
    'account.updated', 'password.set_by_staff', 'account.created', 'invitation.created']) assert.ok(actions.includes(action), action);
});

test.run();
