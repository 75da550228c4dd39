// Recovery under attack: security-question guesses that do not start afresh with every new link, and inboxes that
// cannot be flooded with reset emails, whether by strangers on "forgot password" or by staff.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DAILY_CAP } from '../../src/core/reset-emails.ts';
import { processResetRequests } from '../../src/features/recovery/reset-requests.ts';
import { Client, STAFF_PASSWORD, accountId, createTestContext, emailsTo, linkIn, signIn, textOf } from '../support/harness.ts';
import { JORDAN_EMAIL, PATIENTS, patientId, staff } from '../support/patient-admin.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PRACTICE = '/sunny-pediatrics/practice';
let nextIp = 1;
const visitor = () => new Client(ctx.app, `198.18.7.${nextIp++}`);

/** Moves reset links and counters `hours` into the past, as if that much time had gone by. */
async function passTime(hours: number) {
  const shift = `${hours} hours`;
  await ctx.owner`update account_tokens set created_at = created_at - ${shift}::interval`;
  await ctx.owner`update rate_limits set window_started_at = window_started_at - ${shift}::interval`;
}

async function askForLink(email: string, base = PRACTICE) {
  assert.is((await visitor().post(`${base}/forgot-password`, { email })).status, 303);
  await processResetRequests(ctx.db, ctx);
}

async function resetEmails(email: string) {
  return (await emailsTo(ctx, email)).filter((mail) => mail.kind === 'password_reset' || mail.kind === 'staff_password_reset');
}

async function heldBack(id: string) {
  return ctx.owner`select detail from audit_events where subject_account_id = ${id} and action = 'password.reset_held_back' order by id`;
}

test('wrong answers count per account over a day: a new link brings no new tries, and the page says to ask the practice', async () => {
  const email = 'cnurse@sunny-pediatrics.example';
  const guesses = ['Shelbyville', 'Capital City', 'Ogdenville', 'North Haverbrook', 'Brockway'];
  for (let link = 0; link < 2; link++) {
    if (link) await passTime(1);
    await askForLink(email);
    const client = visitor();
    assert.is((await client.get(linkIn((await resetEmails(email))[0].text))).status, 303);
    for (const guess of guesses) await client.post(`${PRACTICE}/reset/answer`, { answer: guess });
  }
  await passTime(1);
  await askForLink(email);
  const client = visitor();
  await client.get(linkIn((await resetEmails(email))[0].text));
  const page = await client.get(`${PRACTICE}/reset`);
  assert.is(page.status, 429);
  assert.match(textOf(await page.text()), 'Please contact your practice');
  const right = await client.post(`${PRACTICE}/reset/answer`, { answer: 'Springfield' });
  assert.is(right.status, 429, 'even the right answer waits for the day to pass');
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
  const [refused] = await ctx.owner`select count(*)::int as n from audit_events where subject_account_id = ${id} and action = 'security_question.exhausted'`;
  assert.is(refused.n, 1);

  await passTime(25);
  await askForLink(email);
  const tomorrow = visitor();
  await tomorrow.get(linkIn((await resetEmails(email))[0].text));
  assert.is((await tomorrow.post(`${PRACTICE}/reset/answer`, { answer: 'Springfield' })).status, 303, 'a day later it works again');
});

test('forgot password: no second email while the last link is fresh, and a daily cap; the page is the same and the audit log says why', async () => {
  const email = 'mstaff@sunny-pediatrics.example';
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'marcusstaff');
  await askForLink(email);
  const first = await visitor().post(`${PRACTICE}/forgot-password`, { email });
  await processResetRequests(ctx.db, ctx);
  assert.is((await resetEmails(email)).length, 1, 'the link sent a moment ago still works: no second email');
  assert.is(first.headers.get('location'), `${PRACTICE}/forgot-password/sent`, 'the page says nothing different');
  assert.equal((await heldBack(id)).map((r) => r.detail.why), ['recent link still valid']);

  for (let i = 1; i < DAILY_CAP + 3; i++) {
    await passTime(0.5);
    await askForLink(email);
  }
  assert.is((await resetEmails(email)).length, DAILY_CAP, `at most ${DAILY_CAP} reset emails in a day`);
  assert.ok((await heldBack(id)).some((r) => r.detail.why === 'daily limit reached'));
});

test('staff-sent resets are capped too: a second click minutes later sends nothing and says so to the staff member', async () => {
  const admin = new Client(ctx.app, '198.51.100.230');
  await signIn(admin, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  const drlee = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'drlee');
  const [member] = await ctx.owner`select email from accounts where id = ${drlee}`;
  assert.is((await admin.post(`${PRACTICE}/staff/${drlee}/reset-password`, {})).status, 303);
  const again = await admin.post(`${PRACTICE}/staff/${drlee}/reset-password`, {});
  assert.is(again.status, 303);
  assert.match(again.headers.get('location') ?? '', 'done=reset-held-live');
  assert.match(textOf(await (await admin.get(again.headers.get('location')!)).text()), 'No new email was sent');
  assert.is((await resetEmails(member.email)).length, 1);
  assert.equal((await heldBack(drlee)).map((r) => r.detail.via), ['administrator']);

  const frontDesk = await staff(ctx);
  const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN_EMAIL);
  const page = `${PATIENTS}/${await patientId(ctx, '10001')}/portal/${jordan}`;
  const before = (await resetEmails(JORDAN_EMAIL)).length;
  assert.match((await frontDesk.post(`${page}/reset-password`, {})).headers.get('location') ?? '', 'done=reset');
  const second = await frontDesk.post(`${page}/reset-password`, {});
  assert.match(second.headers.get('location') ?? '', 'done=reset-held-live');
  assert.is((await resetEmails(JORDAN_EMAIL)).length, before + 1);
});

test.run();
