// What operators see: JSON log lines, each carrying its request's id, with no password, token, answer, code,
// cookie or query string in them; and /metrics in Prometheus' format, off unless a token is configured.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMetricsApp } from '../../src/app.ts';
import { serializeError } from '../../src/platform/log.ts';
import { Client, GUARDIAN_PASSWORD, STAFF_PASSWORD, createTestContext, emailsTo, linkIn, signIn } from '../support/harness.ts';
import { captureLogs } from '../support/logs.ts';
import { PATIENTS, staff } from '../support/patient-admin.ts';
import { processResetRequests } from '../../src/features/recovery/reset-requests.ts';

const TOKEN = 'a-metrics-token-of-thirty-two-chars!';
const ctx = await createTestContext({ METRICS_TOKEN: TOKEN });
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';

test('log lines are JSON with a request id, name the route, and never carry a secret or a query string', async () => {
  const secrets: string[] = [];
  const { lines, raw } = await captureLogs(async () => {
    const desk = await staff(ctx);
    await desk.get(`${PATIENTS}?last_name=Parent&first_name=Riley&date_of_birth=03%2F14%2F2019&guardian_email=jordan.parent%40example.com`);
    await new Client(ctx.app, '198.51.100.240').post(`${PRACTICE}/login`, { username: 'admin', password: 'a wrong password 4471' });
    await new Client(ctx.app, '198.51.100.241').post('/sunny-pediatrics/patient/login', { username: 'jordan.parent@example.com', password: GUARDIAN_PASSWORD });
    const visitor = new Client(ctx.app, '198.51.100.242');
    await visitor.post(`${PRACTICE}/forgot-password`, { email: 'cnurse@sunny-pediatrics.example' });
    await processResetRequests(ctx.db, ctx);
    const link = linkIn((await emailsTo(ctx, 'cnurse@sunny-pediatrics.example'))[0].text);
    secrets.push(link.split('/').pop()!);
    await visitor.get(link);
    await visitor.post(`${PRACTICE}/reset/answer`, { answer: 'Shelbyville-9931' });
    await visitor.post(`${PRACTICE}/login/two-factor`, { code: '918273' });
    secrets.push(desk.cookie('gatehouse_session')!, visitor.cookie('gatehouse_flow')!);
    await desk.get(`${PATIENTS}?account=1%00`);
  }, 'info');
  assert.ok(lines.length >= 8, `lines: ${lines.length}`);
  for (const line of lines) {
    assert.type(line.requestId, 'string', `every line has a request id: ${JSON.stringify(line)}`);
    assert.type(line.time, 'string');
  }
  const routes = lines.map((line) => line.route).filter(Boolean);
  assert.ok(routes.includes('/:tenant/practice/patients'), routes.join(' '));
  assert.ok(routes.includes('/:tenant/practice/reset/:token'), 'the route pattern, not the link');
  for (const secret of [
    ...secrets, STAFF_PASSWORD, GUARDIAN_PASSWORD, 'a wrong password 4471', 'Shelbyville', '918273', 'Riley', 'Parent', '03/14/2019', '2019',
    'jordan.parent', 'cnurse', 'last_name', '?', '%00',
  ]) {
    assert.not.ok(raw.includes(secret), `the log never contains "${secret}"`);
  }
});

test('errors are logged by kind and code; an error that echoes its input does not echo it into the log', () => {
  const echo = Object.assign(new Error('invalid input syntax for type date: "03/14/2019"'), { code: '22007', parameters: ['Riley'], query: 'select …' });
  const logged = JSON.stringify(serializeError(echo));
  assert.not.match(logged, '2019');
  assert.not.match(logged, 'Riley');
  assert.match(logged, '22007');
});

test('/metrics: not there without the token, Prometheus text with the counters with it', async () => {
  const client = new Client(ctx.app, '198.51.100.243');
  await signIn(client, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);
  await new Client(ctx.app, '198.51.100.244').post(`${PRACTICE}/login`, { username: 'camilles', password: 'not it' });
  assert.is((await new Client(ctx.app).get('/metrics')).status, 404);
  assert.is((await new Client(ctx.app).get('/metrics', { headers: { authorization: 'Bearer not-the-token-but-long-enough-yes' } })).status, 404);
  const response = await new Client(ctx.app).get('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.is(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', 'text/plain; version=0.0.4');
  const text = await response.text();
  for (const series of [
    /gatehouse_sign_ins_total\{portal="practice",outcome="succeeded"\} \d+/, /gatehouse_sign_ins_total\{portal="practice",outcome="failed"\} \d+/,
    /# TYPE gatehouse_password_resets_requested_total counter/, /gatehouse_emails_total\{event="queued"\} \d+/,
    /gatehouse_outbox_oldest_seconds \d+/, /gatehouse_outbox_waiting \d+/, /gatehouse_db_pool_connections\{state="in_use"\} \d+/,
    /gatehouse_db_pool_waiting \d+/, /gatehouse_http_request_duration_seconds_bucket\{method="POST",route="\/:tenant\/practice\/login",le="0\.5"\} \d+/,
    /gatehouse_database_up 1/,
  ]) {
    assert.match(text, series);
  }
  assert.not.match(text, 'sunny-pediatrics', 'no practice is named');
  assert.not.match(text, 'camilles');

  const unconfigured = await createTestContext();
  try {
    assert.is((await new Client(unconfigured.app).get('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404, 'off unless a token is configured');
  } finally {
    await unconfigured.close();
  }
  const ownPort = await createMetricsApp({ config: ctx.config, db: ctx.db, mailer: ctx.mailer }).request('/metrics');
  assert.is(ownPort.status, 200, 'on a port of its own it needs no token');
});

test.run();
