// Rotating SECRET_KEY: the new key goes in SECRET_KEY, the old one in SECRET_KEY_PREVIOUS, and everything sealed or
// hashed under the old key still works — a TOTP secret and recovery codes (sign-in), a queued email's body
// (delivery), a temporary password awaiting its printout (the credentials sheet) — while new data uses the new key.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../../src/app.ts';
import { readPrintout, setTemporaryPassword } from '../../src/features/patient-admin/temporary-password.ts';
import { findPortalAccess } from '../../src/features/patient-admin/portal-access.ts';
import { getTenantBySlug } from '../../src/core/tenant.ts';
import { createMailWorker } from '../../src/mail/delivery.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import type { Config } from '../../src/platform/config.ts';
import { keyIdOf, keyRingOf, sealedKeyId } from '../../src/platform/encryption.ts';
import { startFakeSmtp } from '../support/fake-smtp.ts';
import { Client, STAFF_PASSWORD, accountId, createTestContext, scopeFor } from '../support/harness.ts';
import { JORDAN_EMAIL, patientId } from '../support/patient-admin.ts';
import { enrolledStaffMember, freshCode, passwordStep } from '../support/two-factor.ts';

const OLD = 'the-key-before-rotation-0123456789abcdefgh';
const NEW = 'the-key-after-rotation-abcdefgh0123456789';
const ctx = await createTestContext({ SECRET_KEY: OLD });
const smtp = await startFakeSmtp();
test.after(async () => {
  await smtp.close();
  await ctx.close();
});

const rotated: Config = { ...ctx.config, secretKey: NEW, previousSecretKeys: [OLD] };
const oldKeyDropped: Config = { ...ctx.config, secretKey: NEW, previousSecretKeys: [] };
const appWith = (config: Config) => createApp({ config, db: ctx.db, mailer: createMailer({ config, db: ctx.db }) });
const PRACTICE = '/sunny-pediatrics/practice';

// Written under the old key, before the rotation.
const member = await enrolledStaffMember(ctx);
const [sealedSecret] = await ctx.owner`select totp_secret_encrypted from accounts where id = ${member.id}`;
const tenant = (await getTenantBySlug(ctx.db, 'sunny-pediatrics'))!;
const frontDesk = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'marcusstaff');
const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN_EMAIL);
const riley = await patientId(ctx, '10001');

test('the secret written before the rotation names the old key', () => {
  assert.is(sealedKeyId(sealedSecret.totp_secret_encrypted), keyIdOf(OLD));
});

test('after rotation the TOTP secret and a recovery code made under the old key still sign in', async () => {
  const app = appWith(rotated);
  const client = new Client(app, '198.51.100.160');
  await passwordStep(client, PRACTICE, member.username, STAFF_PASSWORD);
  const step = await client.post(`${PRACTICE}/login/two-factor`, { code: await freshCode(ctx, member.id, member.secret) });
  assert.is(step.status, 303);
  assert.is((await client.get(`${PRACTICE}/`)).status, 200);

  const other = new Client(app, '198.51.100.161');
  await passwordStep(other, PRACTICE, member.username, STAFF_PASSWORD);
  assert.is((await other.post(`${PRACTICE}/login/two-factor`, { code: member.recoveryCodes[0] })).status, 303);
  assert.is((await other.get(`${PRACTICE}/`)).status, 200);
});

test('with the old key dropped from the ring, what it sealed no longer opens (the rotation steps keep it until then)', async () => {
  const client = new Client(appWith(oldKeyDropped), '198.51.100.162');
  await passwordStep(client, PRACTICE, member.username, STAFF_PASSWORD);
  const refused = await client.post(`${PRACTICE}/login/two-factor`, { code: await freshCode(ctx, member.id, member.secret) });
  assert.is(refused.status, 422);
});

test('an email queued under the old key is delivered after the rotation, in full', async () => {
  await ctx.owner`delete from outbox`;
  const oldMailer = createMailer({ config: ctx.config, db: ctx.db });
  const queued = await ctx.db.inTenant(tenant.id, (tx) => oldMailer.queue(tx, {
    kind: 'invitation', to: 'newparent@example.com', subject: 'Welcome', html: '<p>Your link: https://gatehouse.test/x</p>', text: 'Your link: https://gatehouse.test/x',
  }));
  const [row] = await ctx.owner`select body_encrypted from outbox where id = ${queued}`;
  assert.is(sealedKeyId(row.body_encrypted), keyIdOf(OLD));

  const worker = createMailWorker({ db: ctx.db, config: { ...rotated, smtpUrl: smtp.url }, log: () => {} });
  assert.is((await worker.runOnce()).sent, 1);
  assert.is(smtp.deliveries[0].text.trim(), 'Your link: https://gatehouse.test/x');

  // New email is sealed with the new key.
  const newMailer = createMailer({ config: rotated, db: ctx.db });
  const fresh = await ctx.db.inTenant(tenant.id, (tx) => newMailer.queue(tx, { kind: 'invitation', to: 'b@example.com', subject: 'Hi', html: '<p>b</p>', text: 'b' }));
  const [freshRow] = await ctx.owner`select body_encrypted from outbox where id = ${fresh}`;
  assert.is(sealedKeyId(freshRow.body_encrypted), keyIdOf(NEW));
  assert.is(createMailer({ config: oldKeyDropped, db: ctx.db }).open(row.body_encrypted), null, 'without the old key the old body is unreadable');
});

test('a printout sealed under the old key still prints after the rotation', async () => {
  const actor = { id: frontDesk, displayName: 'Marcus Staff', role: 'staff' } as never;
  const key = { accountId: jordan, patientId: riley, staffId: frontDesk };
  const set = await ctx.db.inTenant(tenant.id, async (tx) => {
    const access = (await findPortalAccess(tx, riley, jordan, { lock: true }))!;
    return setTemporaryPassword(tx, scopeFor(ctx, tenant, 'practice', actor), access, { patientId: riley, typed: null, notify: false });
  });
  assert.ok(set.ok);
  const printoutId = (set as { printoutId: string }).printoutId;
  const printout = await ctx.db.inTenant(tenant.id, (tx) => readPrintout(tx, keyRingOf(rotated), { printoutId, ...key }));
  assert.match(printout?.password ?? '', /^[a-z]+(-[a-z]+)+-\d{3}$/);
  assert.is(await ctx.db.inTenant(tenant.id, (tx) => readPrintout(tx, keyRingOf(oldKeyDropped), { printoutId, ...key })), null);
});

test.run();
