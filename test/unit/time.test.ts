// Every date and time people read, in the practice's time zone and in words (DESIGN.md "Time").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_TIME_ZONE, clockFor, formatCalendarDate, isTimeZone, timeZoneChoices } from '../../src/copy/time.ts';
import { parseSettings } from '../../src/core/tenant.ts';

const AFTERNOON_UTC = new Date('2026-11-30T14:13:05Z');

test('a moment reads like "Nov 30, 2026, 9:13 AM EST" in the practice’s zone, daylight time included', () => {
  const newYork = clockFor('America/New_York');
  assert.is(newYork.dateTime(AFTERNOON_UTC), 'Nov 30, 2026, 9:13 AM EST');
  assert.is(newYork.precise(AFTERNOON_UTC), 'Nov 30, 2026, 9:13:05 AM EST');
  assert.is(newYork.date(AFTERNOON_UTC), 'Nov 30, 2026');
  assert.is(newYork.time(AFTERNOON_UTC), '9:13 AM EST');
  assert.is(newYork.dateTime(new Date('2026-07-04T16:00:00Z')), 'Jul 4, 2026, 12:00 PM EDT');
  assert.is(clockFor('America/Los_Angeles').dateTime(AFTERNOON_UTC), 'Nov 30, 2026, 6:13 AM PST');
  // Late evening in Honolulu is already the next day in UTC: the practice's date is the one shown.
  assert.is(clockFor('Pacific/Honolulu').date(new Date('2026-12-01T08:30:00Z')), 'Nov 30, 2026');
});

test('UTC is never what a practice reads: not offered, not accepted, and an unknown zone falls back to the default', () => {
  assert.is(DEFAULT_TIME_ZONE, 'America/New_York');
  const choices = timeZoneChoices();
  assert.ok(choices.includes('America/Chicago') && choices.includes('Europe/Madrid'));
  assert.ok(!choices.some((zone) => zone === 'UTC' || zone.startsWith('Etc/') || !zone.includes('/')), 'only places');
  for (const zone of ['UTC', 'Etc/UTC', 'GMT', 'EST', 'Mars/Olympus', '', 'america/new_york']) assert.is(isTimeZone(zone), false, zone);
  assert.is(clockFor('Mars/Olympus').timeZone, DEFAULT_TIME_ZONE);
  assert.not.match(clockFor('Mars/Olympus').dateTime(AFTERNOON_UTC), 'UTC');
});

test('a practice’s settings keep their zone; a stored name this runtime does not know keeps the other settings', () => {
  assert.is(parseSettings({}).timeZone, DEFAULT_TIME_ZONE);
  assert.is(parseSettings({ timeZone: 'America/Denver' }).timeZone, 'America/Denver');
  const odd = parseSettings({ timeZone: 'Atlantis/Capital', idleMinutesPractice: 20 });
  assert.is(odd.timeZone, DEFAULT_TIME_ZONE);
  assert.is(odd.idleMinutesPractice, 20, 'one unknown zone does not reset the practice’s other settings');
});

test('dates of birth read as the practice types them', () => {
  assert.is(formatCalendarDate('2016-04-12'), '04/12/2016');
  assert.is(formatCalendarDate('2019-09-30'), '09/30/2019');
});

test.run();
