import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sendInvitation } from '../../src/core/invitations.ts';
import { getTenantBySlug } from '../../src/core/tenant.ts';
import { Client, createTestContext, emailsTo, linkIn, scopeFor, signIn, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PATIENT = '/sunny-pediatrics/patient';
const PASSWORD = 'maple lantern quietly 58';

async function inviteGuardian(email: string) {
  const tenant = (await getTenantBySlug(ctx.db, 'sunny-pediatrics'))!;
  const [account] = await ctx.owner`select id from accounts where tenant_id = ${tenant.id} and email = ${email} and portal = 'patient'`;
  await ctx.db.inTenant(tenant.id, (tx) => sendInvitation(tx, scopeFor(ctx, tenant, 'patient'), { accountId: account.id, portal: 'patient' }));
  const [mail] = await emailsTo(ctx, email);
  return { link: linkIn(mail.text), mail, accountId: account.id as string };
}

test('an invited guardian opens the emailed link, chooses a password and a question, and signs in', async () => {
  const [invited] = await ctx.owner`select email from accounts where portal = 'patient' and status = 'invited' order by email limit 1`;
  const { link, mail, accountId } = await inviteGuardian(invited.email);
  assert.is(mail.kind, 'invitation');
  assert.match(mail.text, `Your username: ${invited.email}`);
  assert.match(mail.text, '7 days');

  const client = new Client(ctx.app);
  const opened = await client.get(link);
  assert.is(opened.status, 303);
  assert.is(opened.headers.get('location'), `${PATIENT}/welcome`);
  const page = await (await client.get(`${PATIENT}/welcome`)).text();
  assert.match(textOf(page), 'Set up your account');
  assert.match(page, /<label for="field-new_password">New password<\/label>/);
  assert.match(page, /<label for="field-answer">Answer<\/label>/);

  const incomplete = await client.post(`${PATIENT}/welcome`, { new_password: PASSWORD, new_password_confirmation: PASSWORD, question: '', answer: '' });
  assert.is(incomplete.status, 422);
  assert.match(textOf(await incomplete.text()), 'Choose a security question');

  const done = await client.post(`${PATIENT}/welcome`, { new_password: PASSWORD, new_password_confirmation: PASSWORD, question: 'What was the name of your first pet?', answer: 'Rex' });
  assert.is(done.status, 303);
  assert.is(done.headers.get('location'), `${PATIENT}/login?welcome=1`);
  const [row] = await ctx.owner`select status, security_question, password_hash is not null as has_password from accounts where id = ${accountId}`;
  assert.equal({ ...row }, { status: 'active', security_question: 'What was the name of your first pet?', has_password: true });
  const signedIn = new Client(ctx.app);
  await signIn(signedIn, 'sunny-pediatrics', 'patient', invited.email, PASSWORD);
  assert.is((await signedIn.get(`${PATIENT}/`)).status, 200, 'no forced update: password and question are set');

  const again = await new Client(ctx.app).get(link);
  assert.is(again.status, 410);
  assert.match(textOf(await again.text()), 'ask the practice to send a new invitation');
});

test('an expired invitation is refused; a reset link does not work as an invitation', async () => {
  const [invited] = await ctx.owner`select email from accounts where portal = 'patient' and status = 'invited' order by email offset 1 limit 1`;
  const { link } = await inviteGuardian(invited.email);
  await ctx.owner`update account_tokens set expires_at = now() - interval '1 second' where purpose = 'invitation' and used_at is null`;
  assert.is((await new Client(ctx.app).get(link)).status, 410);
  const token = link.split('/').pop();
  assert.is((await new Client(ctx.app).get(`${PATIENT}/reset/${token}`)).status, 404);
  assert.is((await new Client(ctx.app).get(`${PATIENT}/welcome`)).status, 410, 'no flow, no form');
});

test.run();
