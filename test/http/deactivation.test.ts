// Deactivation keeps the account's row and its audit trail but wipes everything it could sign in with: password,
// security answer, TOTP secret, recovery codes, text-message codes, remembered browsers, open steps, printouts and
// passkeys. The database does it, whichever code deactivates; reactivation is an invitation to choose new ones.
import { randomUUID } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, STAFF_PASSWORD, accountId, createTestContext, emailsTo, linkIn, signIn, tenantId, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const SUNNY = await tenantId(ctx.owner, 'sunny-pediatrics');
const PRACTICE = '/sunny-pediatrics/practice';
const camille = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
const admin = new Client(ctx.app, '198.51.100.150');
await signIn(admin, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);

/** Every credential an account can hold, as rows and columns, given to `account`. */
async function giveEveryCredential(account: string) {
  const [patient] = await ctx.owner`select id from patients where tenant_id = ${SUNNY} limit 1`;
  const [creator] = await ctx.owner`select id from accounts where tenant_id = ${SUNNY} and username = 'admin'`;
  await ctx.owner`update accounts set totp_secret_encrypted = 'v2.sealed.secret', totp_enabled_at = now(), totp_last_used_step = 1 where id = ${account}`;
  const row = { tenant_id: SUNNY, account_id: account };
  const later = ctx.owner`now() + interval '10 minutes'`;
  await ctx.owner`insert into two_factor_recovery_codes ${ctx.owner({ ...row, code_hash: randomUUID() } as never)}`;
  await ctx.owner`insert into two_factor_sms_codes ${ctx.owner({ ...row, code_hash: randomUUID(), expires_at: later } as never)}`;
  await ctx.owner`insert into two_factor_enrolments ${ctx.owner({ ...row, session_hash: 'x', secret_encrypted: 'v2.x', expires_at: later } as never)}`;
  await ctx.owner`insert into two_factor_challenges ${ctx.owner({ ...row, secret_hash: randomUUID(), portal: 'practice', expires_at: later } as never)}`;
  await ctx.owner`insert into remembered_devices ${ctx.owner({ ...row, token_hash: randomUUID(), portal: 'practice', expires_at: ctx.owner`now() + interval '30 days'` } as never)}`;
  await ctx.owner`
    insert into credential_printouts (tenant_id, account_id, patient_id, created_by, password_encrypted, temporary_until, notice_missing_reason)
    values (${SUNNY}, ${account}, ${patient.id}, ${creator.id}, 'v2.y', now() + interval '7 days', 'not_requested')`;
}

async function credentialsOf(account: string) {
  const [row] = await ctx.owner`
    select password_hash is not null as password, security_answer_hash is not null as answer, security_question is not null as question,
           totp_secret_encrypted is not null as totp, totp_enabled_at is not null as two_factor,
           (select count(*) from two_factor_recovery_codes where account_id = a.id)::int as recovery_codes,
           (select count(*) from two_factor_sms_codes where account_id = a.id)::int as sms_codes,
           (select count(*) from two_factor_enrolments where account_id = a.id)::int as enrolments,
           (select count(*) from two_factor_challenges where account_id = a.id)::int as challenges,
           (select count(*) from remembered_devices where account_id = a.id)::int as devices,
           (select count(*) from credential_printouts where account_id = a.id)::int as printouts
    from accounts a where id = ${account}`;
  return { ...row };
}

const NOTHING = {
  password: false, answer: false, question: false, totp: false, two_factor: false,
  recovery_codes: 0, sms_codes: 0, enrolments: 0, challenges: 0, devices: 0, printouts: 0,
};

test('deactivating a staff member wipes every credential; the account row, profile and audit trail stay', async () => {
  await giveEveryCredential(camille);
  assert.equal(await credentialsOf(camille), {
    password: true, answer: true, question: true, totp: true, two_factor: true,
    recovery_codes: 1, sms_codes: 1, enrolments: 1, challenges: 1, devices: 1, printouts: 1,
  });
  const eventsBefore = (await ctx.owner`select count(*)::int as n from audit_events where subject_account_id = ${camille}`)[0].n;

  const confirm = textOf(await (await admin.get(`${PRACTICE}/staff/${camille}/deactivate`)).text());
  assert.match(confirm, 'Their password, security answer and two-factor authentication are erased.');
  assert.is((await admin.post(`${PRACTICE}/staff/${camille}/deactivate`, {})).status, 303);

  assert.equal(await credentialsOf(camille), NOTHING);
  const [kept] = await ctx.owner`
    select a.username, a.email, a.status, p.first_name from accounts a join staff_profiles p on p.account_id = a.id where a.id = ${camille}`;
  assert.equal({ ...kept }, { username: 'camilles', email: kept.email, status: 'deactivated', first_name: 'Camille' });
  assert.ok(kept.email);
  const events = await ctx.owner`select action from audit_events where subject_account_id = ${camille} order by id`;
  assert.is(events.length, eventsBefore + 1, 'nothing of the trail went; deactivation was added');
  assert.is(events.at(-1)!.action, 'account.deactivated');
});

test('reactivation emails an invitation: the old password is gone, the new one works, two-factor starts over', async () => {
  const page = textOf(await (await admin.get(`${PRACTICE}/staff/${camille}/reactivate`)).text());
  assert.match(page, 'will be emailed an invitation to choose a new password and security question');
  const done = await admin.post(`${PRACTICE}/staff/${camille}/reactivate`, {});
  assert.is(done.status, 303);
  assert.match(textOf(await (await admin.get(done.headers.get('location')!)).text()), 'has been reactivated and emailed an invitation to choose a new password');
  const [{ email, status }] = await ctx.owner`select email, status from accounts where id = ${camille}`;
  assert.is(status, 'invited');

  const oldPassword = await new Client(ctx.app, '198.51.100.151').post(`${PRACTICE}/login`, { username: 'camilles', password: STAFF_PASSWORD });
  assert.is(oldPassword.status, 401, 'the erased password signs nobody in');

  const [invitation] = await emailsTo(ctx, email);
  assert.is(invitation.kind, 'invitation');
  const browser = new Client(ctx.app, '198.51.100.152');
  assert.is((await browser.get(linkIn(invitation.text))).status, 303);
  const chosen = 'juniper lantern harbor 7741';
  const welcome = await browser.post(`${PRACTICE}/welcome`, {
    new_password: chosen, new_password_confirmation: chosen, question: 'What was the make of your first car?', answer: 'Volvo',
  });
  assert.is(welcome.status, 303);
  const signedIn = new Client(ctx.app, '198.51.100.153');
  await signIn(signedIn, 'sunny-pediatrics', 'practice', 'camilles', chosen);
  assert.is((await signedIn.get(`${PRACTICE}/`)).status, 200, 'no second step: the old two-factor secret is gone');
  assert.equal(await credentialsOf(camille), { ...NOTHING, password: true, answer: true, question: true });
});

test('whichever code deactivates an account, the database wipes it — passkeys included, whenever that table exists', async () => {
  await giveEveryCredential(camille);
  const passkeysLeft = await ctx.db.inTenant(SUNNY, async (tx) => {
    // A stand-in passkeys table visible to this transaction only (a temporary table comes first on the search path).
    await tx`create temporary table passkeys (tenant_id uuid not null, account_id uuid not null, credential_id text not null) on commit drop`;
    await tx`insert into passkeys values (${SUNNY}, ${camille}, 'credential-1')`;
    await tx`update accounts set status = 'deactivated' where id = ${camille}`;
    return (await tx`select count(*)::int as n from passkeys`)[0].n;
  });
  assert.is(passkeysLeft, 0);
  assert.equal(await credentialsOf(camille), NOTHING);
});

test.run();
