// The audit log's pure parts: the CSV a spreadsheet opens safely, the detail an administrator reads, devices named
// from user agents, and page cursors that cannot be forged into SQL.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvCell, describeDetail, describeDevice, parseCursor } from '../../src/features/audit-log/audit-log.ts';

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

test('details read as words: known keys renamed, booleans as yes/no, settings as old → new', () => {
  assert.is(describeDetail({ portal: 'practice', failures: 2 }), 'portal: practice · failed attempts: 2');
  assert.is(describeDetail({ signed_out: true, fields: [] }), 'signed out: yes · fields: none');
  assert.is(describeDetail({ before: { resetLinkHours: 48 }, after: { resetLinkHours: 24 } }),
    'Password reset link for patients and self-service (hours): 48 → 24');
  assert.is(describeDetail({}), '');
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
