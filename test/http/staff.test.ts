// Staff administration (P4), the list and the staff member's page: who may open them, what they show, paging,
// the Update Staff form with its field errors and its guard against concurrent edits, and tenancy.
// The actions on a staff member (reset, email, password, deactivate, unlock, invite) are in staff-actions.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, STAFF_PASSWORD, accountId, createTestContext, signIn, tenantId, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const STAFF = '/sunny-pediatrics/practice/staff';
const SUNNY = '/sunny-pediatrics/practice';
const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
const camille = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
const admin = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'admin');
const drlee = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'drlee');

let ipCounter = 1;
async function signedIn(username: string): Promise<Client> {
  const client = new Client(ctx.app, `198.51.100.${ipCounter++}`);
  await signIn(client, 'sunny-pediatrics', 'practice', username, STAFF_PASSWORD);
  return client;
}

function editForm(page: string): Record<string, string> {
  const value = (name: string) => page.match(new RegExp(`name="${name}"[^>]*value="([^"]*)"`))?.[1] ?? '';
  const chosen = (name: string) => page.match(new RegExp(`<select id="field-${name}" name="${name}"[\\s\\S]*?<option value="([^"]*)" selected`))?.[1] ?? '';
  return {
    first_name: value('first_name'), last_name: value('last_name'), role: chosen('role'), username: value('username'),
    cell_phone: value('cell_phone'), home_phone: value('home_phone'), version: value('version'),
    primary_provider_id: chosen('primary_provider_id'),
  };
}

test('nurses and front desk get 403 on every staff page and action, and nothing changes', async () => {
  const before = await ctx.owner`select count(*)::int as n from audit_events where actor_account_id in (select id from accounts where username in ('camilles', 'marcusstaff'))`;
  for (const username of ['camilles', 'marcusstaff']) {
    const client = await signedIn(username);
    const nav = await (await client.get('/sunny-pediatrics/practice/')).text();
    assert.not.match(nav, `href="${STAFF}"`, 'the menu has no Staff entry for them');
    for (const path of ['', '?after=' + drlee, '/invite', `/${drlee}`, `/${drlee}/edit`, `/${drlee}/reset-password`, `/${drlee}/email`,
      `/${drlee}/password`, `/${drlee}/deactivate`, `/${drlee}/reactivate`, `/${admin}`]) {
      const response = await client.get(`${STAFF}${path}`);
      assert.is(response.status, 403, `GET ${path} as ${username}`);
      assert.match(textOf(await response.text()), 'Only practice administrators');
    }
    for (const path of ['/invite', `/${drlee}/edit`, `/${drlee}/reset-password`, `/${drlee}/email`, `/${drlee}/password`,
      `/${drlee}/deactivate`, `/${drlee}/reactivate`, `/${drlee}/unlock`, `/${drlee}/invitation`]) {
      const response = await client.post(`${STAFF}${path}`, { first_name: 'X', last_name: 'Y', username: 'hijack', email: 'x@example.com', role: 'admin', current_password: STAFF_PASSWORD });
      assert.is(response.status, 403, `POST ${path} as ${username}`);
    }
  }
  const after = await ctx.owner`select count(*)::int as n from audit_events where actor_account_id in (select id from accounts where username in ('camilles', 'marcusstaff'))`;
  assert.is(after[0].n, before[0].n + 2, 'only their two sign-ins were recorded');
  const [lee] = await ctx.owner`select status, email from accounts where id = ${drlee}`;
  assert.equal({ ...lee }, { status: 'active', email: 'dlee@sunny-pediatrics.example' });
  assert.is((await ctx.owner`select 1 from accounts where username = 'hijack'`).length, 0);
  const visitor = await new Client(ctx.app).get(STAFF);
  assert.is(visitor.status, 303, 'signed out: to the sign-in page');
});

test('the list shows the seeded staff with name, role, username, email, cell phone, provider, 2FA, View and Deactivate', async () => {
  await ctx.owner`update accounts set totp_enabled_at = now() where id = ${drlee}`;
  await ctx.owner`update staff_profiles set primary_provider_id = ${drlee} where account_id = ${camille}`;
  const client = await signedIn('admin');
  const response = await client.get(STAFF);
  assert.is(response.status, 200);
  const html = await response.text();
  const text = textOf(html);
  assert.match(text, 'Showing 4 of 4 records. You have reached the end.');
  for (const header of ['Staff', 'Username', 'Email', 'Cell Phone', 'Primary Provider', '2-Factor Auth', 'Action']) assert.match(html, `<th scope="col">${header}</th>`);
  const row = (id: string) => textOf(html.split(`id="staff-${id}"`)[1].split('</tr>')[0]);
  assert.match(row(camille), /Camille Nurse\s+Nurse\s+camilles\s+cnurse@sunny-pediatrics\.example\s+555-0100\s+Dana Lee\s+Off\s+View\s+Deactivate/);
  assert.match(row(drlee), /Dana Lee\s+Provider\s+drlee .* On\s+View/);
  assert.match(html, `href="${STAFF}/${camille}" aria-describedby="staff-${camille}">View</a>`);
  assert.is((html.match(/>Deactivate<\/button>/g) ?? []).length, 3, 'every row but the administrator’s own');
  assert.not.match(text, 'Robin Oak', 'another practice’s staff are not listed');
  assert.not.match(text, 'Jordan', 'patient-portal accounts are not staff');
  await ctx.owner`update accounts set totp_enabled_at = null where id = ${drlee}`;
});

test('pagination: 25 rows a page, a plain Next link, and the next rows as an htmx fragment as you scroll', async () => {
  for (let i = 1; i <= 30; i++) {
    const n = String(i).padStart(2, '0');
    const [account] = await ctx.owner`
      insert into accounts (tenant_id, portal, username, email, status) values (${sunny}, 'practice', ${`temp${n}`}, ${`temp${n}@sunny-pediatrics.example`}, 'invited') returning id`;
    await ctx.owner`insert into staff_profiles (tenant_id, account_id, first_name, last_name, role) values (${sunny}, ${account.id}, ${`Temp${n}`}, 'Extra', 'staff')`;
  }
  const client = await signedIn('admin');
  const first = await (await client.get(STAFF)).text();
  assert.match(textOf(first), 'Showing 25 of 34 records.');
  assert.is((first.match(/<th scope="row"/g) ?? []).length, 25);
  const next = first.match(/<tr id="staff-more" hx-get="([^"]+)" hx-trigger="revealed" hx-swap="outerHTML"><td colspan="7"><a href="([^"]+)">Next<\/a>/);
  assert.ok(next, 'the last row loads more when revealed, and holds a plain Next link');
  assert.is(next![1], next![2]);

  const plain = await (await client.get(next![2].replace(/&amp;/g, '&'))).text();
  assert.match(textOf(plain), 'Showing 26–34 of 34 records. You have reached the end.');
  assert.is((plain.match(/<th scope="row"/g) ?? []).length, 9);
  assert.not.match(plain, 'staff-more');

  const fragment = await client.get(next![1], { htmx: true });
  assert.is(fragment.status, 200);
  const rows = await fragment.text();
  assert.not.match(rows, '<html');
  assert.ok(rows.startsWith('<tr>'), 'the fragment starts with rows, to replace the "more" row');
  assert.match(rows, '<hx-partial hx-target="#staff-count" hx-swap="innerHTML">Showing 34 of 34 records. You have reached the end.</hx-partial>');

  const names = (html: string) => [...html.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
  const all = [...names(first), ...names(plain)];
  assert.is(new Set(all).size, 34, 'every staff member once, none twice');
  assert.equal(all.filter((n) => n.endsWith('Extra')).length, 30);

  assert.is((await client.get(`${STAFF}?after=not-a-uuid`)).status, 404);
  const oakAdmin = await accountId(ctx.owner, 'oak-family-medicine', 'practice', 'admin');
  assert.is((await client.get(`${STAFF}?after=${oakAdmin}`)).status, 404);
  await ctx.owner`delete from accounts where username like 'temp%' and portal = 'practice'`;
});

test('a staff member’s page: details, last sign-in, lockout, pending reset, last email, and the Edit link', async () => {
  await signedIn('camilles');
  const client = await signedIn('admin');
  const response = await client.get(`${STAFF}/${camille}`);
  assert.is(response.status, 200);
  const html = await response.text();
  const text = textOf(html);
  for (const part of ['First Name Camille', 'Last Name Nurse', 'Username camilles', 'Email cnurse@sunny-pediatrics.example', 'Cell Phone 555-0100',
    'Home Phone —', 'Lockout Not locked.', '2-Factor Auth Off', 'Pending password reset None.', 'Last email No email sent yet.']) assert.match(text, part);
  assert.match(text, /Last sign-in [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M E[SD]T/);
  assert.not.match(text, 'UTC');
  assert.match(html, `<a href="${STAFF}/${camille}/edit" hx-get="${STAFF}/${camille}/edit" hx-target="#staff-dialog">Edit</a>`);
  assert.match(html, '>Reset Password</button>');
  assert.match(html, '>Change Email</button>');
  assert.not.match(html, '>Set password</button>', 'the practice does not allow it by default');
  assert.not.match(html, 'two-factor/reset', 'no Reset 2FA while 2FA is off');
  await ctx.owner`update accounts set totp_enabled_at = now() where id = ${camille}`;
  const withTwoFactor = await (await client.get(`${STAFF}/${camille}`)).text();
  assert.match(withTwoFactor, `<form method="post" action="${STAFF}/${camille}/two-factor/reset" class="inline"><button type="submit" class="secondary">Reset 2FA</button></form>`);
  await ctx.owner`update accounts set totp_enabled_at = null where id = ${camille}`;
});

test('Update Staff: a drawer with htmx, a page without; field errors keep the input; a good save is audited', async () => {
  const client = await signedIn('admin');
  const drawer = await client.get(`${STAFF}/${camille}/edit`, { htmx: true });
  const drawerHtml = await drawer.text();
  assert.not.match(drawerHtml, '<html');
  assert.match(drawerHtml, /role="dialog" aria-modal="true" aria-labelledby="dialog-title"/);
  assert.match(drawerHtml, '<h2 id="dialog-title">Update Staff</h2>');
  assert.match(drawerHtml, `hx-post="${STAFF}/${camille}/edit" hx-target="#staff-dialog"`);
  const page = await (await client.get(`${STAFF}/${camille}/edit`)).text();
  assert.match(page, '<h1 id="page-title">Update Staff</h1>');
  for (const label of ['First Name', 'Last Name', 'Role', 'Primary Provider', 'Username', 'Cell Phone', 'Home Phone']) {
    assert.match(page, new RegExp(`<label for="field-[a-z_]+">${label}</label>`), label);
  }
  assert.match(textOf(page), 'Email cnurse@sunny-pediatrics.example Change Email', 'the email is shown, changed through Change Email');
  assert.match(page, '<option value="nurse" selected="">Nurse</option>');
  assert.match(page, `<option value="${drlee}" selected="">Dana Lee</option>`);
  const form = editForm(page);
  assert.is(form.username, 'camilles');

  const duplicate = await client.post(`${STAFF}/${camille}/edit`, { ...form, first_name: 'Camilla', username: 'MarcusStaff' });
  assert.is(duplicate.status, 422);
  const duplicateHtml = await duplicate.text();
  assert.match(textOf(duplicateHtml), 'That username is already taken at this practice');
  assert.match(duplicateHtml, 'value="MarcusStaff"');
  assert.match(duplicateHtml, 'value="Camilla"');
  assert.match(duplicateHtml, /id="field-username"[^>]*aria-invalid="true"/);

  const badPhone = await client.post(`${STAFF}/${camille}/edit`, { ...form, cell_phone: 'call me', role: 'owner' }, { htmx: true });
  assert.is(badPhone.status, 422);
  const badHtml = await badPhone.text();
  assert.match(badHtml, 'role="dialog"', 'with htmx the drawer comes back with its errors');
  assert.match(textOf(badHtml), 'Enter a phone number like 555-0100.');
  assert.match(textOf(badHtml), 'Choose a role.');
  assert.match(badHtml, 'value="call me"');
  const noProvider = await client.post(`${STAFF}/${camille}/edit`, { ...form, primary_provider_id: admin });
  assert.is(noProvider.status, 422, 'only provider-role staff can be a primary provider');

  const saved = await client.post(`${STAFF}/${camille}/edit`, { ...form, cell_phone: '111-222-3333', home_phone: '555-0199' });
  assert.is(saved.status, 303);
  assert.is(saved.headers.get('location'), `${STAFF}/${camille}?done=updated`);
  const [profile] = await ctx.owner`select cell_phone, home_phone, first_name from staff_profiles where account_id = ${camille}`;
  assert.equal({ ...profile }, { cell_phone: '111-222-3333', home_phone: '555-0199', first_name: 'Camille' });
  assert.match(textOf(await (await client.get(`${STAFF}/${camille}?done=updated`)).text()), 'The staff information has been saved.');
  const [event] = await ctx.owner`select actor_account_id, detail from audit_events where action = 'account.updated' and subject_account_id = ${camille} order by id desc limit 1`;
  assert.is(event.actor_account_id, admin);
  assert.equal(event.detail.fields, ['cell_phone', 'home_phone']);
});

test('the staff list has a live search by name, username or email; the page and its htmx answer agree', async () => {
  const client = await signedIn('admin');
  const names = (html: string) => [...html.matchAll(/<th scope="row" id="staff-[^"]+">\s*<strong>([^<]+)<\/strong>/g)].map((m) => m[1].trim());
  const page = await (await client.get(`${STAFF}?q=${encodeURIComponent('  Camille ')}`)).text();
  assert.match(page, /<label for="field-q">Find staff<\/label>/);
  assert.match(page, 'value="Camille"', 'the search box keeps what was typed');
  assert.equal(names(page), ['Camille Nurse']);
  assert.match(textOf(page), 'Showing 1 of 1 records.');
  assert.equal(names(await (await client.get(`${STAFF}?q=mstaff%40sunny`)).text()), ['Marcus Staff'], 'by email');
  assert.equal(names(await (await client.get(`${STAFF}?q=DRLEE`)).text()), ['Dana Lee'], 'by username, any case');
  assert.equal(names(await (await client.get(`${STAFF}?q=lee+dana`)).text()), ['Dana Lee'], 'every word, in any order');
  const typed = await client.get(`${STAFF}?q=nur`, { htmx: true });
  assert.match(typed.headers.get('vary') ?? '', /^HX-Request(, Accept-Encoding)?$/);
  const fragment = await typed.text();
  assert.match(fragment, /^<div id="staff-results">/, 'typing gets the results region only');
  assert.equal(names(fragment), ['Camille Nurse']);
  const none = await client.get(`${STAFF}?q=${encodeURIComponent('%_zzz')}`, { htmx: true });
  assert.match(textOf(await none.text()), 'No staff match “%_zzz”.');
});

test('the role is changed in Update Staff with the administrator’s own password, and audited', async () => {
  const client = await signedIn('admin');
  const form = editForm(await (await client.get(`${STAFF}/${camille}/edit`)).text());
  const noPassword = await client.post(`${STAFF}/${camille}/edit`, { ...form, role: 'staff' });
  assert.is(noPassword.status, 422);
  assert.match(textOf(await noPassword.text()), 'Enter your own password to confirm this change.');
  assert.is((await ctx.owner`select role from staff_profiles where account_id = ${camille}`)[0].role, 'nurse');
  const changed = await client.post(`${STAFF}/${camille}/edit`, { ...form, role: 'staff', current_password: STAFF_PASSWORD });
  assert.is(changed.status, 303);
  assert.is((await ctx.owner`select role from staff_profiles where account_id = ${camille}`)[0].role, 'staff');
  const [event] = await ctx.owner`select detail from audit_events where action = 'account.updated' and subject_account_id = ${camille} order by id desc limit 1`;
  assert.equal(event.detail, { fields: [], role: { from: 'nurse', to: 'staff' } });
  const auditText = textOf(await (await client.get(`${SUNNY}/audit?action=account.updated`)).text());
  assert.match(auditText, 'Account details updated Role changed from Nurse to Front desk.');
  assert.match(textOf(await (await client.get(`${STAFF}/${camille}`)).text()), 'Front desk');
  const back = editForm(await (await client.get(`${STAFF}/${camille}/edit`)).text());
  assert.is((await client.post(`${STAFF}/${camille}/edit`, { ...back, role: 'nurse', current_password: STAFF_PASSWORD })).status, 303);
});

test('the last administrator cannot demote themself; once another administrator exists, they can', async () => {
  const client = await signedIn('admin');
  const own = editForm(await (await client.get(`${STAFF}/${admin}/edit`)).text());
  const refused = await client.post(`${STAFF}/${admin}/edit`, { ...own, role: 'staff', current_password: STAFF_PASSWORD });
  assert.is(refused.status, 422);
  assert.match(textOf(await refused.text()), 'You are the practice’s only administrator.');
  assert.is((await ctx.owner`select role from staff_profiles where account_id = ${admin}`)[0].role, 'admin');

  const camilleForm = editForm(await (await client.get(`${STAFF}/${camille}/edit`)).text());
  assert.is((await client.post(`${STAFF}/${camille}/edit`, { ...camilleForm, role: 'admin', current_password: STAFF_PASSWORD })).status, 303);
  const fresh = editForm(await (await client.get(`${STAFF}/${admin}/edit`)).text());
  const stepDown = await client.post(`${STAFF}/${admin}/edit`, { ...fresh, role: 'staff', current_password: STAFF_PASSWORD });
  assert.is(stepDown.status, 303);
  assert.is(stepDown.headers.get('location'), `${SUNNY}/?done=role`, 'no longer an administrator: home, not a refusal');
  assert.match(textOf(await (await client.get(`${SUNNY}/?done=role`)).text()), 'Your role was changed.');
  assert.is((await client.get(STAFF)).status, 403);

  // Camille, now the only administrator, makes Pat one again; both stay.
  const camilleClient = await signedIn('camilles');
  const patForm = editForm(await (await camilleClient.get(`${STAFF}/${admin}/edit`)).text());
  assert.is((await camilleClient.post(`${STAFF}/${admin}/edit`, { ...patForm, role: 'admin', current_password: STAFF_PASSWORD })).status, 303);
  const self = editForm(await (await camilleClient.get(`${STAFF}/${camille}/edit`)).text());
  assert.is((await camilleClient.post(`${STAFF}/${camille}/edit`, { ...self, role: 'nurse', current_password: STAFF_PASSWORD })).status, 303);
});

test('concurrent edits: the later save with an old version is refused with 409 and overwrites nothing', async () => {
  const first = await signedIn('admin');
  const second = await signedIn('admin');
  const formA = editForm(await (await first.get(`${STAFF}/${camille}/edit`)).text());
  const formB = editForm(await (await second.get(`${STAFF}/${camille}/edit`)).text());
  assert.is((await first.post(`${STAFF}/${camille}/edit`, { ...formA, home_phone: '555-0001' })).status, 303);
  const stale = await second.post(`${STAFF}/${camille}/edit`, { ...formB, first_name: 'Camila' });
  assert.is(stale.status, 409);
  const staleHtml = await stale.text();
  assert.match(textOf(staleHtml), 'Someone else saved changes to this staff member while you were editing');
  assert.match(textOf(staleHtml), 'Home Phone 555-0001', 'what is saved now is shown');
  assert.match(staleHtml, 'value="Camila"', 'what they typed is kept');
  const [row] = await ctx.owner`select first_name, home_phone from staff_profiles where account_id = ${camille}`;
  assert.equal({ ...row }, { first_name: 'Camille', home_phone: '555-0001' });
  const retry = await second.post(`${STAFF}/${camille}/edit`, editForm(staleHtml));
  assert.is(retry.status, 303, 'saving again after seeing the newer version works');
  assert.is((await ctx.owner`select first_name from staff_profiles where account_id = ${camille}`)[0].first_name, 'Camila');
});

test('another practice’s staff, patient-portal accounts and malformed ids are 404 everywhere, and nothing changes', async () => {
  const oakAdmin = await accountId(ctx.owner, 'oak-family-medicine', 'practice', 'admin');
  const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com');
  const snapshot = () => ctx.owner`
    select a.id, a.username, a.email, a.status, a.password_hash, a.updated_at, a.failed_sign_ins, sp.first_name, sp.cell_phone
    from accounts a left join staff_profiles sp on sp.account_id = a.id where a.id in (${oakAdmin}, ${jordan}) order by a.id`;
  const before = await snapshot();
  const auditBefore = await ctx.owner`select count(*)::int as n from audit_events`;
  await ctx.owner`update tenants set settings = settings || '{"staffPasswordSetByAdmin": true}' where id = ${sunny}`;
  const client = await signedIn('admin');
  const auditAfterSignIn = await ctx.owner`select count(*)::int as n from audit_events`;
  for (const id of [oakAdmin, jordan, 'not-a-uuid', '00000000-0000-4000-8000-000000000000', `${camille}x`]) {
    for (const path of ['', '/edit', '/reset-password', '/email', '/password', '/deactivate', '/reactivate']) {
      assert.is((await client.get(`${STAFF}/${id}${path}`)).status, 404, `GET ${id}${path}`);
    }
    const form = {
      first_name: 'Mallory', last_name: 'X', username: 'mallory', email: 'mallory@example.com', cell_phone: '', home_phone: '', primary_provider_id: '',
      version: '1', current_password: STAFF_PASSWORD, new_password: 'velvet otter harbor 2931', new_password_confirmation: 'velvet otter harbor 2931',
    };
    for (const path of ['/edit', '/reset-password', '/email', '/password', '/deactivate', '/reactivate', '/unlock', '/invitation']) {
      assert.is((await client.post(`${STAFF}/${id}${path}`, form)).status, 404, `POST ${id}${path}`);
    }
  }
  assert.equal(await snapshot(), before);
  const auditAfter = await ctx.owner`select count(*)::int as n from audit_events`;
  assert.is(auditAfter[0].n, auditAfterSignIn[0].n, 'no event besides the sign-in');
  assert.is(auditAfterSignIn[0].n, auditBefore[0].n + 1);
  assert.is((await ctx.owner`select 1 from outbox where to_address like 'mallory%' or account_id in (${oakAdmin}, ${jordan})`).length, 0);
  await ctx.owner`update tenants set settings = settings - 'staffPasswordSetByAdmin' where id = ${sunny}`;
});

test.run();
