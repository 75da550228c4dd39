// The operator command: a new practice with an invited administrator and a working invitation link.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTenant, parseTenantArguments, type NewTenant } from '../../src/cli/tenant-create.ts';
import { Client, PUBLIC_URL, createTestContext, signIn, tenantId, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const ACME: NewTenant = {
  slug: 'acme-clinic', name: 'Acme Clinic', adminEmail: 'a@acme.example', adminUsername: 'pat', firstName: 'Pat', lastName: 'Smith',
  timeZone: 'America/New_York',
};

const WELCOME_PASSWORD = 'granite orchard whistle 73';

const ARGS = ['--slug', 'acme-clinic', '--name', 'Acme Clinic', '--admin-email', 'A@Acme.Example', '--admin-username', 'pat', '--first-name', 'Pat', '--last-name', 'Smith'];

/** Runs the real command line against this test's database, as an operator would. */
function runCommand(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/tenant-create.ts', ...args], {
      env: { ...process.env, DATABASE_URL: ctx.databaseUrl, PUBLIC_URL: 'https://portal.acme.example', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

async function rowCounts() {
  const [row] = await ctx.owner`
    select (select count(*) from tenants)::int as tenants, (select count(*) from accounts)::int as accounts,
           (select count(*) from audit_events)::int as audit, (select count(*) from account_tokens)::int as tokens`;
  return row;
}

test('the arguments are read, normalised, and every problem is named with its option', () => {
  const good = parseTenantArguments(ARGS);
  assert.equal(good, { ok: true, input: ACME }, 'the email is lower-cased');

  const missing = parseTenantArguments(['--slug', 'acme-clinic']);
  assert.is(missing.ok, false);
  if (missing.ok) return;
  assert.equal(missing.errors, ['--name is missing', '--admin-email is missing', '--admin-username is missing', '--first-name is missing', '--last-name is missing']);

  for (const slug of ['Acme-Clinic', 'admin', 'public', '-acme', 'acme_clinic', 'a'.repeat(49), '../acme']) {
    const bad = parseTenantArguments(ARGS.map((arg) => (arg === 'acme-clinic' ? slug : arg)));
    assert.ok(!bad.ok && bad.errors.length === 1 && bad.errors[0].includes('--slug'), `${slug}: ${JSON.stringify(bad)}`);
  }
  const email = parseTenantArguments(ARGS.map((arg) => (arg === 'A@Acme.Example' ? 'not-an-email' : arg)));
  assert.ok(!email.ok && email.errors[0] === '--admin-email: not an email address');
  const unknown = parseTenantArguments([...ARGS, '--role', 'owner']);
  assert.ok(!unknown.ok && /--role/.test(unknown.errors[0]));
  assert.equal(parseTenantArguments(['--help']), { ok: false, help: true, errors: [] });

  const chicago = parseTenantArguments([...ARGS, '--time-zone', 'America/Chicago']);
  assert.ok(chicago.ok && chicago.input.timeZone === 'America/Chicago', 'the practice’s time zone can be chosen');
  for (const zone of ['UTC', 'Etc/GMT+5', 'Mars/Olympus_Mons', 'EST']) {
    const bad = parseTenantArguments([...ARGS, '--time-zone', zone]);
    assert.ok(!bad.ok && bad.errors.length === 1 && bad.errors[0].startsWith('--time-zone:'), `${zone}: ${JSON.stringify(bad)}`);
  }
});

test('creates the practice, an invited administrator without a password, and an invitation link', async () => {
  const created = await createTenant(ctx.owner, ACME, { publicUrl: PUBLIC_URL });
  assert.is(created.tenantId, await tenantId(ctx.owner, 'acme-clinic'));
  const match = created.invitationUrl.match(/^http:\/\/gatehouse\.test\/acme-clinic\/practice\/welcome\/([A-Za-z0-9_-]{43})$/);
  assert.ok(match, created.invitationUrl);
  const token = match![1];

  const [admin] = await ctx.owner`
    select a.username, a.email, a.status, a.password_hash, a.portal, p.first_name, p.last_name, p.role
    from accounts a join staff_profiles p on p.tenant_id = a.tenant_id and p.account_id = a.id
    where a.tenant_id = ${created.tenantId}`;
  assert.equal({ ...admin }, {
    username: 'pat', email: 'a@acme.example', status: 'invited', password_hash: null, portal: 'practice',
    first_name: 'Pat', last_name: 'Smith', role: 'admin',
  });
  const [practice] = await ctx.owner`select settings from tenants where id = ${created.tenantId}`;
  assert.is(practice.settings.timeZone, 'America/New_York', 'the practice keeps the time zone it was created with');

  const tokens = await ctx.owner`select token_hash, purpose, account_id, expires_at from account_tokens where tenant_id = ${created.tenantId}`;
  assert.is(tokens.length, 1);
  assert.is(tokens[0].purpose, 'invitation');
  assert.is(tokens[0].account_id, created.adminAccountId);
  assert.is(tokens[0].token_hash, createHash('sha256').update(token).digest('hex'), 'only the SHA-256 of the token is stored');
  const days = (tokens[0].expires_at.getTime() - Date.now()) / 86_400_000;
  assert.ok(days > 6.9 && days <= 7, `valid for the practice's invitation days (7), got ${days}`);

  const events = await ctx.owner`select action, subject_account_id, detail from audit_events where tenant_id = ${created.tenantId} order by id`;
  assert.equal(events.map((e) => e.action), ['tenant.created', 'invitation.created']);
  assert.is(events[0].subject_account_id, created.adminAccountId);
  assert.is(events[0].detail.slug, 'acme-clinic');
});

test("the new practice's sign-in page is live, and the invited administrator cannot sign in before choosing a password", async () => {
  const page = await new Client(ctx.app).get('/acme-clinic/practice/login');
  assert.is(page.status, 200);
  assert.match(textOf(await page.text()), 'Acme Clinic');
  const attempt = await new Client(ctx.app, '198.51.100.40').post('/acme-clinic/practice/login', { username: 'pat', password: 'anything at all here' });
  assert.is(attempt.status, 401);
  assert.is(await ctx.db.inTenant(await tenantId(ctx.owner, 'acme-clinic'), (tx) => tx`select 1 from sessions`).then((r) => r.length), 0);
});

test('the administrator follows the printed link, chooses a password and a question, and signs in to the new practice', async () => {
  const created = await createTenant(ctx.owner, { ...ACME, slug: 'elm-street-clinic', name: 'Elm Street Clinic', adminUsername: 'robin', adminEmail: 'robin@elm.example' }, { publicUrl: PUBLIC_URL });
  const link = created.invitationUrl.slice(PUBLIC_URL.length);
  const client = new Client(ctx.app);
  const opened = await client.get(link);
  assert.is(opened.status, 303);
  assert.is(opened.headers.get('location'), '/elm-street-clinic/practice/welcome');
  const done = await client.post('/elm-street-clinic/practice/welcome', {
    new_password: WELCOME_PASSWORD, new_password_confirmation: WELCOME_PASSWORD, question: 'In what city were you born?', answer: 'Lisbon',
  });
  assert.is(done.status, 303);
  const [admin] = await ctx.owner`select status, password_hash is not null as has_password from accounts where id = ${created.adminAccountId}`;
  assert.equal({ ...admin }, { status: 'active', has_password: true });

  const staff = new Client(ctx.app);
  await signIn(staff, 'elm-street-clinic', 'practice', 'robin', WELCOME_PASSWORD);
  const home = await staff.get('/elm-street-clinic/practice/');
  assert.is(home.status, 200);
  const text = textOf(await home.text());
  assert.match(text, 'Elm Street Clinic');
  assert.match(text, 'Welcome, Pat Smith');
  assert.is((await new Client(ctx.app).get(link)).status, 410, 'the link worked once');
});

test('an existing slug is refused with a readable message and nothing is written', async () => {
  const before = await rowCounts();
  let message = '';
  try {
    await createTenant(ctx.owner, { ...ACME, slug: 'sunny-pediatrics', adminUsername: 'someone' }, { publicUrl: PUBLIC_URL });
  } catch (error) {
    message = (error as Error).message;
  }
  assert.is(message, 'A practice with the slug "sunny-pediatrics" already exists.');
  assert.equal(await rowCounts(), before);
});

test('the command line prints the invitation link from PUBLIC_URL and exits 0', async () => {
  const run = await runCommand(ARGS.map((arg) => (arg === 'acme-clinic' ? 'birch-health' : arg)));
  assert.is(run.code, 0, run.stderr);
  const link = run.stdout.match(/https:\/\/portal\.acme\.example\/birch-health\/practice\/welcome\/([A-Za-z0-9_-]{43})\s/);
  assert.ok(link, run.stdout);
  assert.match(run.stdout, 'https://portal.acme.example/birch-health/practice/login');
  const [token] = await ctx.owner`
    select t.token_hash from account_tokens t join tenants n on n.id = t.tenant_id where n.slug = 'birch-health'`;
  assert.is(token.token_hash, createHash('sha256').update(link![1]).digest('hex'));
  assert.not.match(run.stdout + run.stderr, token.token_hash, 'the stored hash is never printed');
});

test('the command line explains its usage and exits 2 on bad arguments, touching nothing', async () => {
  const before = await rowCounts();
  const run = await runCommand(['--slug', 'Bad Slug', '--name', 'X']);
  assert.is(run.code, 2);
  assert.match(run.stderr, '--slug: use lowercase letters');
  assert.match(run.stderr, '--admin-email is missing');
  assert.match(run.stderr, 'Usage: npm run tenant:create --');
  assert.equal(await rowCounts(), before);
});

test('the command line reports a taken slug in one line and exits 1', async () => {
  const run = await runCommand(ARGS.map((arg) => (arg === 'acme-clinic' ? 'oak-family-medicine' : arg)));
  assert.is(run.code, 1);
  assert.is(run.stderr.trim(), 'A practice with the slug "oak-family-medicine" already exists.');
  assert.not.match(run.stderr, /\bat .+:\d+:\d+/, 'no stack trace');
});

test.run();
