// P6: the audit log — who may see it, what it shows, how it narrows and pages, and the CSV export.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AUDIT_ACTIONS } from '../../src/core/audit.ts';
import { Client, STAFF_PASSWORD, accountId, createTestContext, signIn, tenantId, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const SUNNY = '/sunny-pediatrics/practice';
const OAK = '/oak-family-medicine/practice';
const CHROME_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const FORMULA_NAME = '=HYPERLINK("http://evil.example/x","Click me")';

const admin = new Client(ctx.app, '198.51.100.200');
await signIn(admin, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);

/** The events table's rows as text, one string per row. */
function rowsOf(html: string): string[] {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]));
}

async function auditPage(client: Client, query: string, base = SUNNY) {
  const response = await client.get(`${base}/audit${query}`);
  assert.is(response.status, 200, `GET ${base}/audit${query}`);
  return response.text();
}

test('only administrators reach the audit log and its export; signed-out visitors go to sign-in', async () => {
  for (const username of ['camilles', 'marcusstaff', 'drlee']) {
    const client = new Client(ctx.app, '198.51.100.31');
    await signIn(client, 'sunny-pediatrics', 'practice', username, STAFF_PASSWORD);
    for (const path of ['/audit', '/audit?action=sign_in.failed', '/audit/export']) {
      const response = await client.get(`${SUNNY}${path}`);
      assert.is(response.status, 403, `${username} ${path}`);
      const refusal = await response.text();
      assert.match(textOf(refusal), 'Only practice administrators can open this page.');
      assert.not.match(refusal, '<table class="audit"');
    }
  }
  const [exports] = await ctx.owner`select count(*)::int as n from audit_events where action = 'audit.exported'`;
  assert.is(exports.n, 0, 'a refused export records nothing and sends nothing');
  const visitor = await new Client(ctx.app).get(`${SUNNY}/audit/export`);
  assert.is(visitor.status, 303);
  assert.is(visitor.headers.get('location'), `${SUNNY}/login?next=${encodeURIComponent(`${SUNNY}/audit/export`)}`);
  assert.is((await admin.get('/sunny-pediatrics/patient/audit')).status, 404, 'not a patient-portal page');
});

test('sign in, a failed sign-in and sign out appear with who, when, IP and device', async () => {
  const camille = new Client(ctx.app, '198.51.100.41');
  const wrong = await camille.post(`${SUNNY}/login`, { username: 'camilles', password: 'not her password' }, { headers: { 'user-agent': CHROME_ON_WINDOWS } });
  assert.is(wrong.status, 401);
  await camille.request(`${SUNNY}/login`, { method: 'POST', form: { username: 'camilles', password: STAFF_PASSWORD }, headers: { 'user-agent': CHROME_ON_WINDOWS } });
  assert.is((await camille.post(`${SUNNY}/logout`, {})).status, 303);

  const html = await auditPage(admin, '?person=camille');
  const rows = rowsOf(html);
  assert.is(rows.length, 4, rows.join('\n'));
  assert.match(rows[3], '198.51.100.31', 'the oldest is her sign-in in the previous test');
  assert.match(rows[0], /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M E[SD]T Camille Nurse camilles Camille Nurse camilles Signed out/);
  assert.match(rows[1], 'Signed in');
  assert.match(rows[2], 'Sign-in failed');
  assert.match(rows[2], 'Practice portal. 1 failed attempt in a row.');
  for (const row of rows.slice(0, 3)) assert.match(row, '198.51.100.41');
  assert.match(rows[2], 'Chrome on Windows');
  assert.match(html, /<time datetime="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z">/);
  assert.match(textOf(html), 'Showing 4 events');
  assert.match(html, /<label for="field-person">Person<\/label>/);
  assert.match(html, /<option value="sign_in.failed">Sign-in failed<\/option>/);
  for (const action of AUDIT_ACTIONS) {
    const label = html.match(new RegExp(`<option value="${action.replace('.', '\\.')}">([^<]+)</option>`))?.[1];
    assert.ok(label && label !== action && !label.includes('_'), `a readable label for ${action}: ${label}`);
  }
});

test('filters narrow by person, by action and by date; names come from staff, family contacts or nowhere', async () => {
  const marcus = new Client(ctx.app, '198.51.100.42');
  await signIn(marcus, 'sunny-pediatrics', 'practice', 'marcusstaff', STAFF_PASSWORD);
  const jordan = new Client(ctx.app, '198.51.100.43');
  await signIn(jordan, 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', 'tulip garden evening');

  const byPerson = rowsOf(await auditPage(admin, '?person=mstaff%40sunny'));
  assert.ok(byPerson.length >= 1 && byPerson.every((row) => row.includes('Marcus Staff')), byPerson.join('\n'));
  const byName = rowsOf(await auditPage(admin, '?person=Jordan+Parent'));
  assert.ok(byName.length >= 1 && byName.every((row) => row.includes('Jordan Parent')), byName.join('\n'));
  const byId = rowsOf(await auditPage(admin, `?person=${await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'marcusstaff')}`));
  assert.equal(byId, byPerson);
  assert.is(rowsOf(await auditPage(admin, '?person=%25')).length, 0, 'LIKE wildcards are matched literally');

  const failed = rowsOf(await auditPage(admin, '?action=sign_in.failed'));
  assert.ok(failed.length >= 1 && failed.every((row) => row.includes('Sign-in failed')), failed.join('\n'));
  const both = rowsOf(await auditPage(admin, '?person=marcus&action=sign_in.succeeded'));
  assert.is(both.length, 2, 'Marcus signed in here and in the first test');

  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  const ghost = '00000000-0000-4000-8000-000000000001';
  await ctx.owner`
    insert into audit_events (tenant_id, occurred_at, action, actor_account_id, subject_account_id, ip, user_agent, detail)
    values (${sunny}, '2024-01-15 10:00:00+00', 'account.deactivated', ${ghost}, ${ghost}, '192.0.2.9', '', '{"note": "old"}')`;
  // 03:30 UTC on the 16th is still the evening of the 15th at the practice (America/New_York): its day is the 15th.
  await ctx.owner`
    insert into audit_events (tenant_id, occurred_at, action, actor_account_id, subject_account_id, ip, user_agent, detail)
    values (${sunny}, '2024-01-16 03:30:00+00', 'account.reactivated', ${ghost}, ${ghost}, '192.0.2.9', '', '{}')`;
  const day = rowsOf(await auditPage(admin, '?from=2024-01-15&to=2024-01-15'));
  assert.is(day.length, 2);
  assert.match(day[0], 'Jan 15, 2024, 10:30:00 PM EST Deleted account Deleted account Account reactivated');
  assert.match(day[1], 'Jan 15, 2024, 5:00:00 AM EST Deleted account Deleted account Account deactivated note: old 192.0.2.9 Unknown device');
  assert.is(rowsOf(await auditPage(admin, '?from=2024-01-16&to=2024-01-31')).length, 0);
  assert.is(rowsOf(await auditPage(admin, '?to=2024-01-14')).length, 0);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
  const recent = rowsOf(await auditPage(admin, `?from=${today}`));
  assert.ok(recent.length > 0 && recent.every((row) => !row.includes('Jan 15, 2024')));
});

test('a broad person filter matching hundreds of accounts still finds their events and typed names', async () => {
  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  const ids = await ctx.owner`
    insert into accounts (tenant_id, portal, username, email)
    select ${sunny}, 'patient', 'bulk-guardian-' || n, 'bulk' || n || '@example.com' from generate_series(1, 600) n returning id`;
  await ctx.owner`
    insert into audit_events (tenant_id, action, actor_account_id, subject_account_id, detail)
    values (${sunny}, 'account.created', null, ${ids[599].id}, '{}'),
           (${sunny}, 'sign_in.failed', null, null, '{"identifier": "bulk-guardian-typo"}')`;
  const rows = rowsOf(await auditPage(admin, '?person=bulk-guardian'));
  assert.is(rows.length, 2, rows.join('\n'));
  assert.match(rows[0], 'Unknown name bulk-guardian-typo');
  assert.match(rows[1], /— bulk-guardian-\d+ Account created/);
});

test('bad filters and page links get a 4xx page that keeps the input, never a 500', async () => {
  const cases: [string, number, string][] = [
    ['?from=2024-02-30', 422, 'Enter a date as YYYY-MM-DD.'],
    ['?from=2024-03-02&to=2024-03-01', 422, 'The end date is before the start date.'],
    ['?action=drop+table', 422, 'Choose an action from the list.'],
    ['?person=a%09b', 422, 'Use letters, digits and punctuation only.'],
    ['?person=a%00b', 400, 'check the form and try again'],
    ['?cursor=abc', 400, 'That page link is not valid'],
    ['?cursor=1_2_3', 400, 'That page link is not valid'],
    ['?person=%E0%A4%A', 400, 'check the form and try again'],
    ['?cursor=9999999999999999_999999999999999999', 200, 'Showing'],
  ];
  for (const [query, status, text] of cases) {
    const response = await admin.get(`${SUNNY}/audit${query}`);
    assert.is(response.status, status, query);
    assert.match(textOf(await response.text()), text, query);
  }
  const kept = await (await admin.get(`${SUNNY}/audit?person=camille&from=2024-02-30`)).text();
  assert.match(kept, /name="person" type="text" value="camille"/);
  assert.match(kept, /name="from" type="date" value="2024-02-30"[^>]*aria-invalid="true"/);
  assert.is((await admin.get(`${SUNNY}/audit/export?to=yesterday`)).status, 422);
});

test('htmx gets the results fragment alone, and caches keep page and fragment apart', async () => {
  const response = await admin.get(`${SUNNY}/audit?action=sign_out`, { htmx: true });
  assert.is(response.status, 200);
  assert.match(response.headers.get('vary') ?? '', /^HX-Request(, Accept-Encoding)?$/);
  assert.is(response.headers.get('cache-control'), 'no-store');
  const html = await response.text();
  assert.ok(html.startsWith('<div id="audit-results"'), html.slice(0, 80));
  assert.not.match(html, '<html');
  assert.match(textOf(html), 'Signed out');
  assert.match(html, `href="${SUNNY}/audit/export?action=sign_out"`);
  const page = await (await admin.get(`${SUNNY}/audit`)).text();
  assert.match(page, /hx-get="\/sunny-pediatrics\/practice\/audit"[^>]*hx-push-url="true"/);
});

test('pages are keyset-ordered, distinct and complete, even when many events share a timestamp', async () => {
  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  await ctx.owner`
    insert into audit_events (tenant_id, occurred_at, action, detail)
    select ${sunny}, '2023-06-01 12:00:00.123456+00', 'invitation.created', jsonb_build_object('n', n) from generate_series(1, 70) n`;
  await ctx.owner`
    insert into audit_events (tenant_id, occurred_at, action, detail)
    select ${sunny}, '2023-06-01 11:00:00+00'::timestamptz - n * interval '1 second', 'invitation.created', jsonb_build_object('n', 70 + n)
    from generate_series(1, 50) n`;
  const seen: number[] = [];
  let path = `${SUNNY}/audit?action=invitation.created&to=2023-06-30`;
  const sizes: number[] = [];
  for (let pages = 0; path && pages < 10; pages++) {
    const response = await admin.get(path);
    assert.is(response.status, 200);
    const html = await response.text();
    const rows = rowsOf(html);
    sizes.push(rows.length);
    for (const row of rows) seen.push(Number(row.match(/n: (\d+)/)![1]));
    const next = html.match(/<a href="([^"]+)" rel="next">Next page<\/a>/)?.[1]?.replace(/&amp;/g, '&');
    if (next) {
      assert.match(next, /[?&]cursor=\d+_\d+/);
      assert.match(next, 'action=invitation.created');
    }
    assert.is(html.includes('>Newest events</a>'), pages > 0, 'a way back to the first page, from later pages');
    path = next ?? '';
  }
  assert.equal(sizes, [50, 50, 20]);
  assert.is(new Set(seen).size, 120, 'no event shown twice');
  assert.equal([...seen].sort((a, b) => a - b), Array.from({ length: 120 }, (_, i) => i + 1), 'none left out');
  assert.equal(seen.slice(70), Array.from({ length: 50 }, (_, i) => 71 + i), 'older events come later');
});

test("no other practice's events appear, whatever the filters", async () => {
  const oakAdmin = new Client(ctx.app, '198.51.100.50');
  await oakAdmin.post(`${OAK}/login`, { username: 'oak-intruder-probe', password: 'whatever it is' });
  await signIn(oakAdmin, 'oak-family-medicine', 'practice', 'admin', STAFF_PASSWORD);
  const oakAdminId = await accountId(ctx.owner, 'oak-family-medicine', 'practice', 'admin');

  const oakView = rowsOf(await auditPage(oakAdmin, '', OAK));
  assert.ok(oakView.some((row) => row.includes('Robin Oak') && row.includes('Signed in')), oakView.join('\n'));
  assert.ok(oakView.some((row) => row.includes('oak-intruder-probe')));
  assert.ok(oakView.every((row) => !/Pat Admin|Camille|Marcus/.test(row)), 'Oak sees none of Sunny');

  for (const query of ['', '?person=oak-intruder', '?person=Robin', `?person=${oakAdminId}`, '?action=sign_in.failed']) {
    const text = await auditPage(admin, query);
    assert.not.match(text, 'oak-intruder-probe', query);
    assert.not.match(text, 'Robin Oak', query);
  }
  const csv = await (await admin.get(`${SUNNY}/audit/export`)).text();
  assert.not.match(csv, 'oak-intruder-probe');
  assert.not.match(csv, 'Robin Oak');
});

test('CSV export: streamed attachment with a header row, the filtered rows, formulas neutralised, and audited', async () => {
  const attacker = new Client(ctx.app, '198.51.100.60');
  const tried = await attacker.post(`${SUNNY}/login`, { username: FORMULA_NAME, password: 'anything at all' }, { headers: { 'user-agent': '@SUM(1+1)*cmd|/C calc' } });
  assert.is(tried.status, 401);
  const page = rowsOf(await auditPage(admin, '?action=sign_in.failed'));
  assert.match(page[0], `Unknown name ${FORMULA_NAME.toLowerCase()}`);

  const response = await admin.get(`${SUNNY}/audit/export?action=sign_in.failed`);
  assert.is(response.status, 200);
  assert.is(response.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="audit-log-sunny-pediatrics-\d{4}-\d{2}-\d{2}\.csv"$/);
  assert.is(response.headers.get('cache-control'), 'no-store');
  assert.instance(response.body, ReadableStream);
  const bytes = new Uint8Array(await response.arrayBuffer());
  assert.equal([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 byte-order mark');
  const lines = new TextDecoder().decode(bytes).split('\r\n');
  assert.is(lines.pop(), '', 'every record ends with CRLF');
  assert.is(lines[0], 'When (UTC),Action,What,Who,Who (username),To whom,To whom (username),Detail,IP address,Device,User agent');
  assert.is(lines.length - 1, page.length, 'one record per event on the page');
  assert.ok(lines.slice(1).every((line) => /^\d{4}-\d{2}-\d{2}T[\d:.]+Z,sign_in\.failed,Sign-in failed,/.test(line)), lines.join('\n'));
  const formula = lines[1];
  assert.match(formula, `,"'=hyperlink(""http://evil.example/x"",""click me"")",`);
  assert.match(formula, `,'@SUM(1+1)*cmd|/C calc`);
  assert.match(formula, ',198.51.100.60,');
  for (const cell of formula.split(',')) assert.not.ok(/^"?[=+\-@]/.test(cell), `unprotected cell: ${cell}`);

  const adminId = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'admin');
  const [event] = await ctx.owner`select actor_account_id, detail, ip from audit_events where action = 'audit.exported' order by id desc limit 1`;
  assert.is(event.actor_account_id, adminId);
  assert.equal(event.detail, { filters: { action: 'sign_in.failed' } });
  assert.is(event.ip, '198.51.100.200');
  const listed = rowsOf(await auditPage(admin, '?action=audit.exported'));
  assert.match(listed[0], 'Pat Admin admin — Audit log exported Filtered by action “Sign-in failed”.');
});

test('a large export streams every matching row', async () => {
  const sunny = await tenantId(ctx.owner, 'sunny-pediatrics');
  await ctx.owner`
    insert into audit_events (tenant_id, occurred_at, action, detail)
    select ${sunny}, '2022-03-01'::timestamptz + n * interval '1 minute', 'account.updated', jsonb_build_object('n', n) from generate_series(1, 1234) n`;
  const csv = await (await admin.get(`${SUNNY}/audit/export?action=account.updated&to=2022-12-31`)).text();
  const lines = csv.trim().split('\r\n');
  assert.is(lines.length, 1235);
  assert.match(lines[1], 'n: 1234');
  assert.match(lines[1234], ',n: 1,');
});

test('abandoned downloads give their database connection back', async () => {
  // The test app has 5 connections: were each abandoned export to keep its transaction, the page below would hang.
  for (let i = 0; i < 8; i++) {
    const response = await admin.get(`${SUNNY}/audit/export?action=account.updated`);
    const reader = response.body!.getReader();
    await reader.read();
    assert.match(new TextDecoder().decode((await reader.read()).value), 'Account details updated', 'rows are flowing');
    // A moment for the stream to refill its queue, so that the cancel finds the export paused for the reader.
    await new Promise((resolve) => setTimeout(resolve, 30));
    await reader.cancel();
  }
  const stuck = new Promise<string>((resolve) => setTimeout(() => resolve('no connection was free: abandoned exports kept theirs'), 10_000).unref());
  assert.match(textOf(await Promise.race([auditPage(admin, '?action=account.updated'), stuck])), 'Showing 50 events');
});

test.run();
