// The mail layer's pure parts: when to retry, how long a provider asks us to wait, the phone numbers Twilio takes,
// and what an email carries (one link, the same words in both parts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messagesFor } from '../../src/copy/messages.ts';
import { computeBackoffSeconds } from '../../src/mail/delivery.ts';
import {
  invitationEmail, passwordChangedEmail, practiceResetLinkEmail, resetLinkEmail, staffResetEmail, temporaryPasswordNoticeEmail,
} from '../../src/mail/emails.tsx';
import { openBody, outboxEncrypter, sealBody } from '../../src/mail/outbox.ts';
import { readRetryAfter } from '../../src/mail/resend.ts';
import { toE164 } from '../../src/mail/sms.ts';

const t = messagesFor('en');
const recipient = { to: 'jordan.parent@example.com', accountId: '00000000-0000-4000-8000-000000000001', practice: 'Sunny Pediatrics' };

test('retries back off exponentially, capped, with ±20 % jitter so instances do not retry together', () => {
  for (let i = 0; i < 200; i++) {
    const first = computeBackoffSeconds(1, 30, 3600);
    assert.ok(first >= 24 && first <= 36, `first retry ${first}`);
    const fourth = computeBackoffSeconds(4, 30, 3600);
    assert.ok(fourth >= 192 && fourth <= 288, `fourth retry ${fourth}`);
    assert.ok(computeBackoffSeconds(30, 30, 3600) <= 3600, 'never past the cap');
  }
});

test('Retry-After is read as seconds or as a date, Resend’s ratelimit-reset is a fallback, and a day is the most', () => {
  assert.is(readRetryAfter({ 'retry-after': '7' }), 7);
  assert.is(readRetryAfter({ 'ratelimit-reset': '3' }), 3);
  const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString();
  const seconds = readRetryAfter({ 'retry-after': inTwoMinutes });
  assert.ok(seconds > 100 && seconds <= 120, `${seconds}`);
  assert.is(readRetryAfter({ 'retry-after': '999999' }), 86_400);
  assert.is(readRetryAfter({}), 60, 'a minute when the provider says nothing');
  assert.is(readRetryAfter(null), 60);
  assert.is(readRetryAfter({ 'retry-after': 'soon' }), 60);
});

test('phone numbers become E.164 for Twilio; incomplete ones are refused', () => {
  assert.is(toE164('555-010-0177'), '+15550100177');
  assert.is(toE164('+1 (555) 010-0177'), '+15550100177');
  assert.is(toE164('1 555 010 0177'), '+15550100177');
  assert.is(toE164('+44 20 7946 0958'), '+442079460958');
  assert.is(toE164('555-0100'), null);
  assert.is(toE164('+123'), null);
});

test('a reset email shows its link once in each part, with the username and how long it works', () => {
  const link = 'https://gatehouse.test/sunny-pediatrics/patient/reset/abc';
  const email = resetLinkEmail(t, recipient, { link, hours: 48, username: 'jordan.parent@example.com' });
  assert.is(email.kind, 'password_reset');
  assert.is(email.to, recipient.to);
  assert.match(email.subject, 'Sunny Pediatrics');
  assert.match(email.text, "Your username, in case you've forgotten: jordan.parent@example.com");
  assert.match(email.text, '48 hours');
  assert.is(email.text.split(link).length - 1, 1, 'the link once in the text part');
  assert.match(email.html, `href="${link}"`);
});

test('staff emails carry the staff footer, guardian emails the patient one; times read in the practice’s time zone', () => {
  const staff = staffResetEmail(t, recipient, { link: 'https://x.test/r', hours: 72, username: 'camilles', administrator: 'Pat Admin' });
  assert.match(staff.text, 'Pat Admin, an administrator at Sunny Pediatrics');
  assert.match(staff.text, 'tell your practice administrator');
  const changed = passwordChangedEmail(t, recipient, new Date('2026-11-30T14:17:00Z'), 'America/New_York');
  assert.match(changed.text, 'Nov 30, 2026, 9:17 AM EST');
  assert.match(changed.html, 'Nov 30, 2026, 9:17 AM EST');
  assert.not.match(changed.text, 'UTC');
  const summer = passwordChangedEmail(t, recipient, new Date('2026-07-04T14:17:00Z'), 'America/Los_Angeles');
  assert.match(summer.text, 'Jul 4, 2026, 7:17 AM PDT');
  assert.match(changed.text, 'call the practice');
});

test('every email is a table layout with inline styles, a button for its link (once), the practice’s name and phone, one footer', () => {
  const withPhone = { ...recipient, phone: '(555) 010-0142' };
  const link = 'https://gatehouse.test/sunny-pediatrics/patient/welcome/tok';
  const emails = [
    resetLinkEmail(t, withPhone, { link, hours: 48, username: 'jordan' }),
    invitationEmail(t, withPhone, { link, days: 7, username: 'jordan' }),
    temporaryPasswordNoticeEmail(t, withPhone, { username: 'jordan', signInLink: link }),
    staffResetEmail(t, withPhone, { link, hours: 72, username: 'camilles', administrator: 'Pat Admin' }),
    passwordChangedEmail(t, withPhone, new Date('2026-11-30T14:17:00Z'), 'America/New_York'),
  ];
  for (const email of emails) {
    const html = email.html;
    assert.match(html, /^<!DOCTYPE html>/, email.kind);
    assert.match(html, '<table role="presentation"', `${email.kind}: a table layout`);
    assert.not.match(html, '<style', `${email.kind}: no style block (mail clients drop it)`);
    assert.not.match(html, /<link /, email.kind);
    assert.match(html, 'style="', `${email.kind}: inline styles`);
    assert.match(html, 'Sunny Pediatrics</td>', `${email.kind}: the practice's name heads it`);
    assert.match(html, '<a href="tel:5550100142"', `${email.kind}: the phone number, callable`);
    assert.match(email.text, 'Sunny Pediatrics · (555) 010-0142', `${email.kind}: and in the text part`);
    assert.match(email.text, /\n-- \nSunny Pediatrics · \(555\) 010-0142\n[^\n]+$/, `${email.kind}: the footer closes the text part`);
    if (email.kind === 'password_changed') continue;
    assert.is(html.split(link).length - 1, 1, `${email.kind}: the link once in the HTML part, as the button`);
    assert.is(email.text.split(link).length - 1, 1, `${email.kind}: the link once in the text part`);
    assert.match(html, new RegExp(`<td bgcolor="#[0-9a-f]{6}"[^>]*><a href="${link}"`), `${email.kind}: a button drawn as a table cell`);
  }
  const withoutPhone = resetLinkEmail(t, recipient, { link, hours: 48, username: 'jordan' });
  assert.not.match(withoutPhone.html, 'tel:');
  assert.match(withoutPhone.text, '\n-- \nSunny Pediatrics\n');
});

test('a reset sent by the practice says so, in its own words', () => {
  const link = 'https://gatehouse.test/sunny-pediatrics/patient/reset/abc';
  const email = practiceResetLinkEmail(t, recipient, { link, hours: 48, username: 'jordan.parent@example.com' });
  assert.is(email.kind, 'password_reset');
  assert.is(email.subject, 'Sunny Pediatrics sent you a link to reset your portal password');
  assert.match(email.text, 'Sunny Pediatrics sent you a link to choose a new password');
  assert.not.match(email.text, 'Someone (we hope you)');
  assert.match(email.text, "Your username, in case you've forgotten: jordan.parent@example.com");
  assert.is(email.text.split(link).length - 1, 1);
});

test('queued bodies are sealed with the outbox key and read back; another key or a changed byte reads nothing', () => {
  const encrypter = outboxEncrypter('a-test-secret-key-that-is-long-enough-123');
  const sealed = sealBody(encrypter, { html: '<p>Hi</p>', text: 'Hi' });
  assert.not.match(sealed, '<p>Hi</p>', 'not in clear (base64url never holds < or >)');
  assert.equal(openBody(encrypter, sealed), { html: '<p>Hi</p>', text: 'Hi' });
  assert.is(openBody(outboxEncrypter('another-secret-key-that-is-long-enough-45'), sealed), null);
  const parts = sealed.split('.');
  const body = parts.pop()!;
  assert.is(openBody(encrypter, [...parts, (body[0] === 'A' ? 'B' : 'A') + body.slice(1)].join('.')), null, 'a changed byte');
  assert.is(openBody(encrypter, null), null);
});

test.run();
