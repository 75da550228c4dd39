import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { processResetRequests } from '../../src/features/recovery/reset-requests.ts';
import { Client, STAFF_PASSWORD, accountId, createTestContext, emailsTo, linkIn, signIn, textOf } from '../support/harness.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const NEW_PASSWORD = 'velvet otter harbor 2931';
const process = () => processResetRequests(ctx.db, ctx);

async function requestLink(client: Client, base: string, email: string): Promise<string> {
  const response = await client.post(`${base}/forgot-password`, { email });
  assert.is(response.status, 303);
  await process();
  const [mail] = await emailsTo(ctx, email);
  return linkIn(mail.text);
}

test('practice: forgot password → email → security question → new password → old sessions end → sign in again', async () => {
  const base = '/sunny-pediatrics/practice';
  const oldSession = new Client(ctx.app);
  await signIn(oldSession, 'sunny-pediatrics', 'practice', 'camilles', STAFF_PASSWORD);

  const client = new Client(ctx.app);
  const form = await client.get(`${base}/forgot-password`);
  assert.match(await form.text(), /<label for="field-email">Email<\/label>/);
  const asked = await client.post(`${base}/forgot-password`, { email: 'CNurse@sunny-pediatrics.example ' });
  assert.is(asked.status, 303);
  assert.is(asked.headers.get('location'), `${base}/forgot-password/sent`);
  const sent = await client.get(`${base}/forgot-password/sent`);
  assert.match(textOf(await sent.text()), 'Almost done');

  assert.is((await emailsTo(ctx, 'cnurse@sunny-pediatrics.example')).length, 0, 'nothing is sent on the request path');
  assert.is(await process(), 1);
  const [mail] = await emailsTo(ctx, 'cnurse@sunny-pediatrics.example');
  assert.is(mail.kind, 'password_reset');
  assert.match(mail.subject, 'Sunny Pediatrics');
  assert.match(mail.text, "Your username, in case you've forgotten: camilles");
  assert.match(mail.text, '48 hours');
  assert.match(mail.html, /<a href="http:\/\/gatehouse\.test\/sunny-pediatrics\/practice\/reset\/[A-Za-z0-9_-]{43}"/);
  const link = linkIn(mail.text);
  const [stored] = await ctx.owner`select token_hash from account_tokens order by created_at desc limit 1`;
  assert.not.match(stored.token_hash, link.split('/').pop()!, 'only the hash of the token is stored');

  const opened = await client.get(link);
  assert.is(opened.status, 303);
  assert.is(opened.headers.get('location'), `${base}/reset`, 'the token leaves the address bar');
  assert.is(opened.headers.get('referrer-policy'), 'no-referrer');

  const question = await client.get(`${base}/reset`);
  assert.is(question.status, 200);
  const questionText = textOf(await question.text());
  assert.match(questionText, 'In what city were you born?');

  const wrong = await client.post(`${base}/reset/answer`, { answer: 'Shelbyville' });
  assert.is(wrong.status, 422);
  assert.match(textOf(await wrong.text()), '4 tries left');
  const right = await client.post(`${base}/reset/answer`, { answer: '  SPRINGFIELD ' });
  assert.is(right.status, 303);

  const choose = await client.get(`${base}/reset`);
  const chooseHtml = await choose.text();
  assert.match(chooseHtml, /<label for="field-new_password">New password<\/label>/);
  assert.match(chooseHtml, /<label for="field-new_password_confirmation">New password confirmation<\/label>/);
  assert.match(chooseHtml, /autocomplete="new-password"/);
  assert.match(chooseHtml, '>Change my password</button>');

  const weak = await client.post(`${base}/reset/password`, { new_password: 'password1234', new_password_confirmation: 'password1234' });
  assert.is(weak.status, 422);
  assert.match(textOf(await weak.text()), 'too easy to guess');
  const mismatch = await client.post(`${base}/reset/password`, { new_password: NEW_PASSWORD, new_password_confirmation: `${NEW_PASSWORD}x` });
  assert.is(mismatch.status, 422);
  assert.match(textOf(await mismatch.text()), 'do not match');

  const done = await client.post(`${base}/reset/password`, { new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD });
  assert.is(done.status, 303);
  assert.is(done.headers.get('location'), `${base}/login?reset=1`);
  const remembered = done.headers.getSetCookie().find((line) => line.startsWith('gatehouse_username='));
  assert.match(remembered ?? '', /^gatehouse_username=camilles; Max-Age=900; Path=\/sunny-pediatrics\/practice; HttpOnly; SameSite=Lax$/);
  const signInPage = await (await client.get(`${base}/login?reset=1`)).text();
  assert.match(textOf(signInPage), 'Your password has been changed');
  assert.match(signInPage, /name="username" type="text" value="camilles"/, 'the username is filled in for the new password');
  assert.match(signInPage, /name="password" type="password"[^>]*autofocus=""/, 'and the password is where the cursor waits');
  assert.not.match(await (await client.get(`${base}/login?reset=1`)).text(), 'value="camilles"', 'once only');

  assert.is((await oldSession.get(`${base}/`)).status, 303, 'the session from before the reset is gone');
  const id = await accountId(ctx.owner, 'sunny-pediatrics', 'practice', 'camilles');
  assert.is((await ctx.owner`select 1 from sessions where account_id = ${id}`).length, 0);
  const oldPassword = await new Client(ctx.app, '198.51.100.60').post(`${base}/login`, { username: 'camilles', password: STAFF_PASSWORD });
  assert.is(oldPassword.status, 401);
  await signIn(new Client(ctx.app), 'sunny-pediatrics', 'practice', 'camilles', NEW_PASSWORD);

  const [changed] = await emailsTo(ctx, 'cnurse@sunny-pediatrics.example');
  assert.is(changed.kind, 'password_changed');
  const actions = (await ctx.owner`select action from audit_events where subject_account_id = ${id} order by id`).map((r) => r.action);
  for (const action of ['password.reset_requested', 'security_question.answer_failed', 'password.reset_completed']) assert.ok(actions.includes(action), action);

  const reused = await new Client(ctx.app).get(link);
  assert.is(reused.status, 410);
  assert.match(textOf(await reused.text()), 'already used');
});

test('patient: a guardian resets with the pet question and signs in with the new password', async () => {
  const base = '/sunny-pediatrics/patient';
  const client = new Client(ctx.app);
  const link = await requestLink(client, base, 'jordan.parent@example.com');
  assert.match(link, /^\/sunny-pediatrics\/patient\/reset\//);
  await client.get(link);
  assert.match(textOf(await (await client.get(`${base}/reset`)).text()), 'What was the name of your first pet?');
  assert.is((await client.post(`${base}/reset/answer`, { answer: 'biscuit' })).status, 303);
  const done = await client.post(`${base}/reset/password`, { new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD });
  assert.is(done.status, 303);
  await signIn(new Client(ctx.app), 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', NEW_PASSWORD);
});

test('an unknown address gets exactly the same answer, and no email', async () => {
  const base = '/sunny-pediatrics/patient';
  const known = await new Client(ctx.app, '198.51.100.70').post(`${base}/forgot-password`, { email: 'jordan.parent@example.com' });
  const unknown = await new Client(ctx.app, '198.51.100.71').post(`${base}/forgot-password`, { email: 'nobody@example.com' });
  assert.is(known.status, unknown.status);
  assert.is(known.headers.get('location'), unknown.headers.get('location'));
  const headers = (r: Response) => [...r.headers.entries()].filter(([k]) => k !== 'date' && k !== 'x-request-id');
  assert.equal(headers(known), headers(unknown));
  assert.is(await known.text(), await unknown.text());
  await process();
  assert.is((await emailsTo(ctx, 'nobody@example.com')).length, 0);
  assert.is((await ctx.owner`select 1 from reset_requests`).length, 0, 'every request was handled');
});

test('staff may give their username instead: the same answer as for anyone, and the link goes to their email', async () => {
  const base = '/sunny-pediatrics/practice';
  const page = await (await new Client(ctx.app).get(`${base}/forgot-password`)).text();
  assert.match(textOf(page), 'Enter your username or the email address of your account.');
  assert.match(page, /<input id="field-email" name="email" type="text"[^>]*autocomplete="email"/);
  const before = (await emailsTo(ctx, 'mstaff@sunny-pediatrics.example')).length;
  const answers = [];
  for (const [ip, identifier] of [['198.51.100.72', 'MarcusStaff'], ['198.51.100.73', 'no_such_person'], ['198.51.100.74', 'nobody@example.com']]) {
    answers.push(await new Client(ctx.app, ip).post(`${base}/forgot-password`, { email: identifier }));
  }
  const headers = (r: Response) => [...r.headers.entries()].filter(([k]) => k !== 'date' && k !== 'x-request-id');
  for (const answer of answers.slice(1)) {
    assert.is(answer.status, answers[0].status);
    assert.equal(headers(answer), headers(answers[0]), 'a username, an unknown name and an unknown address look alike');
    assert.is(await answer.text(), await answers[0].clone().text());
  }
  assert.is(answers[0].headers.get('location'), `${base}/forgot-password/sent`);
  await process();
  const mails = await emailsTo(ctx, 'mstaff@sunny-pediatrics.example');
  assert.is(mails.length, before + 1, 'the username’s account gets the link, at its email');
  assert.match(mails[0].text, "Your username, in case you've forgotten: marcusstaff");
  assert.is((await ctx.owner`select 1 from reset_requests`).length, 0, 'every request was handled');

  const refused = await new Client(ctx.app, '198.51.100.75').post(`${base}/forgot-password`, { email: 'a b' });
  assert.is(refused.status, 422);
  assert.match(textOf(await refused.text()), 'Enter your username or your work email address.');
  const patientName = await new Client(ctx.app, '198.51.100.76').post('/sunny-pediatrics/patient/forgot-password', { email: 'jordan' });
  assert.is(patientName.status, 422, 'the patient portal still asks for an email address');
});

test('an invalid address is refused with the input kept', async () => {
  const response = await new Client(ctx.app).post('/sunny-pediatrics/patient/forgot-password', { email: 'not an email' });
  assert.is(response.status, 422);
  const html = await response.text();
  assert.match(html, 'value="not an email"');
  assert.match(html, 'aria-invalid="true"');
});

test('five wrong answers stop the link and tell the owner', async () => {
  const base = '/sunny-pediatrics/practice';
  const client = new Client(ctx.app);
  const link = await requestLink(client, base, 'mstaff@sunny-pediatrics.example');
  await client.get(link);
  for (let i = 1; i <= 4; i++) assert.is((await client.post(`${base}/reset/answer`, { answer: `guess ${i}` })).status, 422);
  const fifth = await client.post(`${base}/reset/answer`, { answer: 'guess 5' });
  assert.is(fifth.status, 410);
  assert.match(textOf(await fifth.text()), 'stopped');
  const [notice] = await emailsTo(ctx, 'mstaff@sunny-pediatrics.example');
  assert.is(notice.kind, 'reset_link_stopped');
  const again = await new Client(ctx.app).get(link);
  assert.is(again.status, 410);
  assert.match(textOf(await again.text()), 'stopped');
  const password = await client.post(`${base}/reset/password`, { new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD });
  assert.is(password.status, 400, 'no password can be set through a stopped link');
  await signIn(new Client(ctx.app), 'sunny-pediatrics', 'practice', 'marcusstaff', STAFF_PASSWORD);
});

test('expired and superseded links are refused, each offering a new link', async () => {
  const base = '/sunny-pediatrics/practice';
  const client = new Client(ctx.app, '198.51.100.80');
  const first = await requestLink(client, base, 'admin@sunny-pediatrics.example');
  // A link minutes old still works and no second email goes out (inbox protection); twenty minutes later one does.
  await ctx.owner`update account_tokens set created_at = created_at - interval '20 minutes'`;
  const second = await requestLink(client, base, 'admin@sunny-pediatrics.example');
  assert.is.not(first, second);
  const superseded = await new Client(ctx.app).get(first);
  assert.is(superseded.status, 410);
  const page = await superseded.text();
  assert.match(textOf(page), 'no longer works');
  assert.match(page, `href="${base}/forgot-password"`);
  await ctx.owner`update account_tokens set expires_at = now() - interval '1 minute' where revoked_at is null and used_at is null`;
  const expired = await new Client(ctx.app).get(second);
  assert.is(expired.status, 410);
  assert.match(textOf(await expired.text()), 'expired');
});

test('a link is bound to its practice and portal; a forged token is a calm 404', async () => {
  const client = new Client(ctx.app, '198.51.100.81');
  const link = await requestLink(client, '/sunny-pediatrics/patient', 'jordan.parent@example.com');
  const token = link.split('/').pop();
  assert.is((await new Client(ctx.app).get(`/oak-family-medicine/patient/reset/${token}`)).status, 404);
  assert.is((await new Client(ctx.app).get(`/sunny-pediatrics/practice/reset/${token}`)).status, 404);
  assert.is((await new Client(ctx.app).get('/sunny-pediatrics/patient/reset/not-a-token')).status, 404);
  const noFlow = await new Client(ctx.app).get('/sunny-pediatrics/patient/reset');
  assert.is(noFlow.status, 400);
  assert.match(textOf(await noFlow.text()), 'Open the link in your email again');
});

test('signing in kills a pending reset link', async () => {
  const client = new Client(ctx.app, '198.51.100.82');
  const link = await requestLink(client, '/sunny-pediatrics/practice', 'admin@sunny-pediatrics.example');
  await signIn(client, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  assert.is((await new Client(ctx.app).get(link)).status, 410);
});

test.run();
