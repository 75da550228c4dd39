// The audit log's pure parts: the CSV a spreadsheet opens safely, the detail an administrator reads, devices named
// from user agents, and page cursors that cannot be forged into SQL.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvCell, describeDevice, parseCursor } from '../../src/features/audit-log/audit-log.ts';
import { describeDetail } from '../../src/copy/audit-detail.ts';
import { clockFor } from '../../src/copy/time.ts';

const clock = clockFor('America/New_York');

test('CSV cells: a spreadsheet formula is neutralised, quotes, commas and line breaks are quoted', () => {
  assert.is(csvCell('Pat Admin'), 'Pat Admin');
  assert.is(csvCell('=HYPERLINK("http://evil")'), `"'=HYPERLINK(""http://evil"")"`);
  assert.is(csvCell('+1 555'), "'+1 555");
  assert.is(csvCell('-2'), "'-2");
  assert.is(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.is(csvCell('a,b'), '"a,b"');
  assert.is(csvCell('line\nbreak'), '"line\nbreak"');
  assert.is(csvCell(''), '');
});

test('details read as sentences, not developer keys; times in the practice’s zone', () => {
  assert.is(describeDetail('sign_in.failed', { portal: 'practice', failures: 2 }, clock), 'Practice portal. 2 failed attempts in a row.');
  assert.is(describeDetail('audit.exported', { filters: {} }, clock), 'Every event, no filters.');
  assert.is(describeDetail('audit.exported', { filters: { action: 'sign_in.failed', from: '2026-11-01' } }, clock),
    'Filtered by action “Sign-in failed”, from 11/01/2026.');
  assert.is(describeDetail('password.changed', { signedOutOthers: true }, clock), 'Other devices were signed out.');
  assert.is(describeDetail('password.changed', { signedOutOthers: false }, clock), 'Other devices stayed signed in.');
  assert.is(describeDetail('password.temporary_set', { portal: 'patient', generated: true, notified: false, expiresAt: '2026-12-07T14:17:10.805Z' }, clock),
    'Patient portal. A password Gatehouse generated. No notice was emailed. Valid until Dec 7, 2026, 9:17 AM EST.');
  assert.is(describeDetail('account.updated', { fields: ['first_name', 'cell_phone'], role: { from: 'staff', to: 'nurse' } }, clock),
    'Changed: first name, cell phone. Role changed from Front desk to Nurse.');
  assert.is(describeDetail('account.email_changed', { from: 'a@x.example', to: 'b@x.example', familyContactUpdated: true }, clock),
    'From a@x.example to b@x.example. The Family Contact email was changed too.');
  assert.is(describeDetail('account.deactivated', { sessionsEnded: 2 }, clock), '2 signed-in devices were signed out.');
  assert.is(describeDetail('two_factor.failed', { portal: 'practice', attempt: 2, attemptsLeft: 3 }, clock), 'Practice portal. Attempt 2, 3 left.');
  assert.is(describeDetail('settings.changed', { before: { resetLinkHours: 48, patientAdminRoles: ['admin', 'staff'] }, after: { resetLinkHours: 24, patientAdminRoles: ['admin'] } }, clock),
    'Password reset link for patients and self-service (hours): 48 → 24. Roles with Patient Administration: Administrator, Front desk → Administrator.');
  assert.is(describeDetail('account.created', { portal: 'patient', contactId: '4f1c…' }, clock), 'Patient portal.', 'internal ids stay out');
  assert.is(describeDetail('account.deactivated', { note: 'old' }, clock), 'note: old', 'what is not known still shows');
  assert.is(describeDetail('sign_out', {}, clock), '');
  for (const text of [
    describeDetail('password.set_by_staff', { temporaryUntil: '2026-12-07T14:17:10.805Z', sessionsEnded: 0 }, clock),
    describeDetail('invitation.created', { portal: 'practice', expiresAt: '2026-12-07T14:17:10.805Z' }, clock),
  ]) {
    assert.not.match(text, /T\d\d:|Z\b|UTC|[a-z][A-Z]/, text);
  }
});

test('devices are named from user agents, unknown software by its first word', () => {
  const chromeOnWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
  assert.is(describeDevice(chromeOnWindows), 'Chrome on Windows');
  assert.is(describeDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1'), 'Safari on iPhone');
  assert.is(describeDevice('curl/8.4.0'), 'curl/8.4.0');
  assert.is(describeDevice(''), 'Unknown device');
});

test('cursors are microseconds and an id, nothing else', () => {
  assert.equal(parseCursor('1717243200123456_42'), { micros: '1717243200123456', id: '42' });
  assert.is(parseCursor(undefined), null);
  assert.is(parseCursor(''), null);
  assert.is(parseCursor("1_1' or 1=1"), 'invalid');
  assert.is(parseCursor('12345678901234567_1'), 'invalid');
});

test.run();
