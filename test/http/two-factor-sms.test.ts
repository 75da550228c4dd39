// Codes by text message ("Request Token via SMS"): the Twilio provider against a local fake of its Messages API (sent
// once, retried on failure, 4xx final), and the sign-in step through the development outbox (shown in /_dev/mail):
// offered only where the practice allows it and a phone is on file, single use, ten minutes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTwilioSms, toE164 } from '../../src/mail/sms.ts';
import { startFakeTwilio } from '../support/fake-twilio.ts';
import { Client, STAFF_PASSWORD, createTestContext, emailsTo, tenantId, textOf } from '../support/harness.ts';
import { captureLogs } from '../support/logs.ts';
import { enrolledStaffMember, passwordStep } from '../support/two-factor.ts';

const ctx = await createTestContext();
const twilio = await startFakeTwilio();
const logged: string[] = [];
test.after(async () => {
  await twilio.close();
  await ctx.close();
});
test.before.each(() => {
  twilio.reset();
  logged.length = 0;
});

const PRACTICE = '/sunny-pediatrics/practice';
const provider = (options: { timeoutMs?: number; maxAttempts?: number } = {}) => createTwilioSms({
  accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15550001111', baseUrl: twilio.url, retryDelayMs: 10,
  log: (line) => logged.push(line), ...options,
});
const message = { tenantId: 'unused-by-twilio', to: '(555) 123-4567', text: 'Sunny Pediatrics: 123456 is your sign-in code.' };

test('Twilio: one request, one message, authenticated, in E.164', async () => {
  const result = await provider().send(message);
  assert.ok(result.ok);
  assert.is(twilio.requests.length, 1);
  assert.is(twilio.messages.length, 1);
  assert.equal(twilio.messages[0], { sid: (result as { providerId: string }).providerId, to: '+15551234567', from: '+15550001111', messagingServiceSid: null, body: message.text });
  assert.equal(logged, []);
});

test('Twilio: failures are retried and the text is still delivered once', async () => {
  twilio.failNext(2, 503);
  const result = await provider().send(message);
  assert.ok(result.ok);
  assert.equal(twilio.requests.map((r) => r.status), [503, 503, 201]);
  assert.is(twilio.messages.length, 1);
  assert.is(logged.length, 2);
  assert.ok(logged.every((line) => !line.includes('5551234567') && !line.includes('123456')), 'logs carry neither number nor code');

  twilio.reset();
  twilio.hangNext(1);
  const afterTimeout = await provider({ timeoutMs: 200 }).send(message);
  assert.ok(afterTimeout.ok, 'a request with no answer is retried');
  assert.is(twilio.messages.length, 1);
});

test('Twilio: gives up after the last attempt; a 4xx is final; an incomplete number is never sent', async () => {
  twilio.failNext(5, 500);
  const down = await provider({ maxAttempts: 3 }).send(message);
  assert.equal(down, { ok: false, error: 'HTTP 500 (Twilio error 20500)' });
  assert.is(twilio.requests.length, 3);

  twilio.reset();
  const wrongKey = await createTwilioSms({ accountSid: twilio.accountSid, authToken: 'wrong', from: '+15550001111', baseUrl: twilio.url, log: () => {} }).send(message);
  assert.equal(wrongKey, { ok: false, error: 'HTTP 401 (Twilio error 20003)' });
  assert.is(twilio.requests.length, 1, 'not retried');

  twilio.reset();
  assert.equal(await provider().send({ ...message, to: '555-0100' }), { ok: false, error: 'the phone number on file is not a complete number' });
  assert.is(twilio.requests.length, 0);
  assert.is(toE164('+44 20 7946 0958'), '+442079460958');
  assert.is(toE164('1-555-123-4567'), '+15551234567');
});

test('Twilio: a Messaging Service SID is sent as such', async () => {
  const service = createTwilioSms({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: 'MG0123456789abcdef', baseUrl: twilio.url });
  assert.ok((await service.send(message)).ok);
  assert.is(twilio.messages[0].messagingServiceSid, 'MG0123456789abcdef');
});

const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
const allowSms = (on: boolean) => ctx.owner`update tenants set settings = settings || jsonb_build_object('smsCodesAllowed', ${on}::boolean) where id = ${sunny}`;

test('"Request Token via SMS" is offered only where the practice allows it and a cell phone is on file', async () => {
  const member = await enrolledStaffMember(ctx, { cellPhone: '(555) 010-0123' });
  const browser = new Client(ctx.app);
  await passwordStep(browser, PRACTICE, member.username, STAFF_PASSWORD);
  assert.not.match(await (await browser.get(`${PRACTICE}/login/two-factor`)).text(), 'Request Token via SMS');
  assert.is((await browser.post(`${PRACTICE}/login/two-factor/sms`, {})).status, 403);
  await allowSms(true);
  assert.match(await (await browser.get(`${PRACTICE}/login/two-factor`)).text(), '>Request Token via SMS</button>');

  const noPhone = await enrolledStaffMember(ctx);
  const other = new Client(ctx.app);
  await passwordStep(other, PRACTICE, noPhone.username, STAFF_PASSWORD);
  assert.not.match(await (await other.get(`${PRACTICE}/login/two-factor`)).text(), 'Request Token via SMS');
  assert.is((await other.post(`${PRACTICE}/login/two-factor/sms`, {})).status, 403);
  await allowSms(false);
});

test('a texted code lands in the development mailbox, signs in once, and expires after ten minutes', async () => {
  await allowSms(true);
  const phone = '(555) 010-0199';
  const member = await enrolledStaffMember(ctx, { cellPhone: phone });
  const browser = new Client(ctx.app);
  await passwordStep(browser, PRACTICE, member.username, STAFF_PASSWORD);
  const sent = await browser.post(`${PRACTICE}/login/two-factor/sms`, {});
  assert.is(sent.status, 303);
  assert.is(sent.headers.get('location'), `${PRACTICE}/login/two-factor?sms=sent`);
  assert.match(textOf(await (await browser.get(`${PRACTICE}/login/two-factor?sms=sent`)).text()), 'ending in 0199');
  const [text] = await emailsTo(ctx, phone);
  assert.is(text.kind, 'sms');
  const code = text.text.match(/\b(\d{6})\b/)![1];
  assert.match(text.text, 'Sunny Pediatrics');
  assert.match(text.text, '10 minutes');
  const mailbox = await (await new Client(ctx.app).get('/_dev/mail?format=json')).json() as { to: string; text: string }[];
  assert.ok(mailbox.some((m) => m.to === phone && m.text.includes(code)), 'shown in /_dev/mail');
  const [stored] = await ctx.owner`select code_hash from two_factor_sms_codes where account_id = ${member.id}`;
  assert.not.match(stored.code_hash, code);
  const [audit] = await ctx.owner`select detail from audit_events where subject_account_id = ${member.id} and action = 'two_factor.sms_sent'`;
  assert.is(audit.detail.provider, 'development outbox');

  assert.is((await browser.post(`${PRACTICE}/login/two-factor`, { code })).status, 303);
  const again = new Client(ctx.app);
  await passwordStep(again, PRACTICE, member.username, STAFF_PASSWORD);
  assert.is((await again.post(`${PRACTICE}/login/two-factor`, { code })).status, 422, 'single use');

  const htmx = await again.post(`${PRACTICE}/login/two-factor/sms`, {}, { htmx: true });
  assert.is(htmx.status, 200);
  assert.match(textOf(await htmx.text()), 'ending in 0199');
  const late = (await emailsTo(ctx, phone))[0].text.match(/\b(\d{6})\b/)![1];
  const [lifetime] = await ctx.owner`select expires_at - created_at = interval '10 minutes' as ten from two_factor_sms_codes where account_id = ${member.id} and used_at is null`;
  assert.is(lifetime.ten, true);
  // Ten minutes and a second pass.
  await ctx.owner`update two_factor_sms_codes set created_at = now() - interval '10 minutes 1 second', expires_at = now() - interval '1 second' where account_id = ${member.id} and used_at is null`;
  assert.is((await again.post(`${PRACTICE}/login/two-factor`, { code: late })).status, 422, 'ten minutes later the code no longer works');

  assert.is((await again.post(`${PRACTICE}/login/two-factor/sms`, {})).status, 303);
  assert.is((await again.post(`${PRACTICE}/login/two-factor/sms`, {})).status, 303);
  const tooMany = await again.post(`${PRACTICE}/login/two-factor/sms`, {});
  assert.is(tooMany.status, 429, 'three texts per sign-in step at most');
  assert.match(textOf(await tooMany.text()), 'already sent several codes');
  await allowSms(false);
});

test('with Twilio configured, the code goes through Twilio; a failed send says so and is audited', async () => {
  const env = { TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_FROM: '+15550001111', TWILIO_BASE_URL: twilio.url };
  Object.assign(process.env, env);
  const withTwilio = await createTestContext();
  for (const key of Object.keys(env)) delete process.env[key];
  try {
    await withTwilio.owner`update tenants set settings = settings || '{"smsCodesAllowed": true}' where slug = 'sunny-pediatrics'`;
    const member = await enrolledStaffMember(withTwilio, { cellPhone: '+1 (555) 010-0177' });
    const browser = new Client(withTwilio.app);
    await passwordStep(browser, PRACTICE, member.username, STAFF_PASSWORD);
    assert.is((await browser.post(`${PRACTICE}/login/two-factor/sms`, {})).status, 303);
    assert.is(twilio.messages.length, 1, 'sent once');
    assert.is(twilio.messages[0].to, '+15550100177');
    assert.is((await emailsTo(withTwilio, '+1 (555) 010-0177')).length, 0, 'not the development outbox');
    const code = twilio.messages[0].body.match(/\b(\d{6})\b/)![1];
    assert.is((await browser.post(`${PRACTICE}/login/two-factor`, { code })).status, 303);

    const failing = new Client(withTwilio.app);
    await passwordStep(failing, PRACTICE, member.username, STAFF_PASSWORD);
    twilio.failNext(3, 500);
    const { result: failed, lines, raw } = await captureLogs(() => failing.post(`${PRACTICE}/login/two-factor/sms`, {}));
    const errorLines = lines.filter((line) => line.msg.startsWith('sms: attempt'));
    assert.is(errorLines.length, 3, 'each failed attempt is logged');
    assert.ok(errorLines.every((line) => line.level === 'warn' && typeof line.requestId === 'string'), 'as warnings of that request');
    assert.not.match(raw, '0177', 'without the number');
    assert.is(failed.status, 503);
    assert.match(textOf(await failed.text()), 'We could not send a text message just now');
    const [audit] = await withTwilio.owner`select detail from audit_events where subject_account_id = ${member.id} and action = 'two_factor.sms_failed'`;
    assert.is(audit.detail.error, 'HTTP 500 (Twilio error 20500)');
  } finally {
    await withTwilio.close();
  }
});

test.run();
