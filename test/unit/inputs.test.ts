// Input read at the edge: configuration, dates of birth and the patient search's query string.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDateOfBirth, searchQuerySchema } from '../../src/features/patient-admin/search.ts';
import { loadConfig } from '../../src/platform/config.ts';

test('dates of birth as the date field or as MM/DD/YYYY; impossible dates are none', () => {
  assert.is(parseDateOfBirth('2016-04-12'), '2016-04-12');
  assert.is(parseDateOfBirth('4/12/2016'), '2016-04-12');
  assert.is(parseDateOfBirth('02/30/2016'), null);
  assert.is(parseDateOfBirth('13/01/2016'), null);
  assert.is(parseDateOfBirth('01/01/1700'), null);
  assert.is(parseDateOfBirth('yesterday'), null);
});

test('the search query is normalised once; anything unreadable is no filter or page 1', () => {
  const query = searchQuerySchema.parse({ account: ' 10001 ', name: 'Parent,  Riley', guardian_email: 'Jordan@Example.com', page: 'x' });
  assert.equal(query, { account: '10001', name: 'parent riley', dob: '', guardian_email: 'jordan@example.com', page: 1 });
  assert.is(searchQuerySchema.parse({ page: '9999' }).page, 1);
  assert.is(searchQuerySchema.parse({ account: ['1', '2'] }).account, '');
});

test('configuration is checked once, with readable messages; production needs its secrets', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
  assert.throws(() => loadConfig({ SECRET_KEY: 'short' }), /SECRET_KEY must be at least 32 characters/);
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /DATABASE_URL, APP_DATABASE_URL, PUBLIC_URL, SECRET_KEY must be set in production/);
  const config = loadConfig({ PORT: '4000', PUBLIC_URL: 'https://portal.example/', CLIENT_IP_HEADER: 'Fly-Client-IP' });
  assert.is(config.publicUrl, 'https://portal.example');
  assert.is(config.clientIpHeader, 'fly-client-ip');
  assert.is(config.env, 'development');
});

test.run();
