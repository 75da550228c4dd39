// Every page a family opens on the patient portal, asked for in Spanish, reads Spanish: no sentence of the English
// catalog and none of the layout's English words are left on it (DESIGN.md "Spanish"). The pages are reached the way
// a parent reaches them: signed out, through the emailed reset link, and signed in.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { en } from '../../src/copy/en.ts';
import { es } from '../../src/copy/es.ts';
import { processResetRequests } from '../../src/features/recovery/reset-requests.ts';
import { Client, GUARDIAN_PASSWORD, createTestContext, emailsTo, linkIn, textOf } from '../support/harness.ts';
import { JORDAN_EMAIL } from '../support/patient-admin.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PATIENT = '/sunny-pediatrics/patient';
const SPANISH = { 'accept-language': 'es-MX,es;q=0.9' };

/** English sentences of the families' catalog that Spanish words differently (two words or more). */
function englishSentences(): string[] {
  const found = new Set<string>();
  const walk = (english: unknown, spanish: unknown) => {
    if (typeof english === 'string') {
      if (english !== spanish && /\w+\s+\w+/.test(english)) found.add(english);
    } else if (english && typeof english === 'object' && spanish && typeof spanish === 'object') {
      for (const [key, value] of Object.entries(english)) walk(value, (spanish as Record<string, unknown>)[key]);
    }
  };
  walk(en, es);
  return [...found, 'Skip to main content', 'Sign out', 'Signed in as', 'Patient Portal', 'Go to the start page'];
}
const ENGLISH = englishSentences();

function assertSpanish(html: string, where: string): void {
  assert.match(html, '<html lang="es">', `${where} is marked as Spanish`);
  const text = textOf(html);
  const left = ENGLISH.filter((sentence) => text.includes(sentence));
  assert.equal(left, [], `${where} still says in English: ${left.join(' | ')}`);
}

async function page(client: Client, path: string, where: string, status = 200): Promise<string> {
  const response = await client.get(path, { headers: SPANISH });
  assert.is(response.status, status, where);
  const html = await response.text();
  assertSpanish(html, where);
  return html;
}

test('the English catalog yields sentences to look for (the check can fail)', () => {
  assert.ok(ENGLISH.length > 100, `${ENGLISH.length} sentences`);
  assert.ok(ENGLISH.includes(en.recovery.forgotIntro));
  let caught = '';
  try {
    assertSpanish(`<html lang="es"><body>${en.layout.skip}</body></html>`, 'a sample');
  } catch (error) {
    caught = (error as Error).message;
  }
  assert.match(caught, 'a sample still says in English: Skip to main content');
});

test('signed out: sign-in, forgot password, "almost done", a page that does not exist', async () => {
  const client = new Client(ctx.app, '203.0.113.91');
  await page(client, `${PATIENT}/login`, 'the sign-in page');
  await page(client, `${PATIENT}/forgot-password`, 'forgot password');
  await page(client, `${PATIENT}/forgot-password/sent`, 'almost done');
  await page(client, `${PATIENT}/no-such-page`, 'the not-found page', 404);
  const wrong = await client.post(`${PATIENT}/login`, { username: JORDAN_EMAIL, password: 'not the password at all' }, { headers: SPANISH });
  assert.ok(wrong.status >= 400 && wrong.status < 500, `wrong password: ${wrong.status}`);
  assertSpanish(await wrong.text(), 'a refused sign-in');
});

test('the emailed reset link: the security question, a wrong answer, the new password form, a refused password, a link that no longer works', async () => {
  const client = new Client(ctx.app, '203.0.113.92');
  await ctx.owner`update account_tokens set revoked_at = now() where purpose = 'reset' and account_id in (select id from accounts where username = ${JORDAN_EMAIL})`;
  const asked = await client.post(`${PATIENT}/forgot-password`, { email: JORDAN_EMAIL }, { headers: SPANISH });
  assert.is(asked.status, 303);
  await processResetRequests(ctx.db, ctx);
  const [mail] = await emailsTo(ctx, JORDAN_EMAIL);
  assert.is(mail.kind, 'password_reset');
  const link = linkIn(mail.text);
  const opened = await client.get(link, { headers: SPANISH });
  assert.is(opened.status, 303);
  await page(client, opened.headers.get('location')!, 'the security question');
  const wrong = await client.post(`${PATIENT}/reset/answer`, { answer: 'not this one' }, { headers: SPANISH });
  assert.is(wrong.status, 422);
  assertSpanish(await wrong.text(), 'a wrong answer');
  const right = await client.post(`${PATIENT}/reset/answer`, { answer: 'Biscuit' }, { headers: SPANISH });
  assert.is(right.status, 303);
  const form = await page(client, right.headers.get('location')!, 'the new password form');
  assert.match(form, 'Nueva contraseña');
  const weak = await client.post(`${PATIENT}/reset/password`, { new_password: 'password1234', new_password_confirmation: 'password1234' }, { headers: SPANISH });
  assert.is(weak.status, 422);
  assertSpanish(await weak.text(), 'a refused new password');

  // A link that no longer works (a newer one was asked for) gets its own page, in Spanish too.
  await ctx.owner`update account_tokens set revoked_at = now() where purpose = 'reset' and account_id in (select id from accounts where username = ${JORDAN_EMAIL})`;
  const someoneElse = new Client(ctx.app, '203.0.113.93');
  const reused = await someoneElse.get(link, { headers: SPANISH });
  const landing = reused.status === 303 ? await someoneElse.get(reused.headers.get('location')!, { headers: SPANISH }) : reused;
  assert.ok(landing.status >= 400 && landing.status < 500, `a link that no longer works: ${landing.status}`);
  assertSpanish(await landing.text(), 'a link that no longer works');
});

test('signed in: home, Manage Login Credentials, two-factor, and a page that does not exist', async () => {
  const client = new Client(ctx.app, '203.0.113.94');
  const signedIn = await client.post(`${PATIENT}/login`, { username: JORDAN_EMAIL, password: GUARDIAN_PASSWORD }, { headers: SPANISH });
  assert.is(signedIn.status, 303);
  await page(client, `${PATIENT}/`, 'the family home');
  await page(client, `${PATIENT}/settings/account`, 'Manage Login Credentials');
  await page(client, `${PATIENT}/settings/account/two-factor`, 'two-factor settings');
  await page(client, `${PATIENT}/settings/account/passkeys/00000000-0000-4000-8000-000000000000/remove`, 'removing a passkey that is not there', 404);
  await page(client, `${PATIENT}/no-such-page`, 'the not-found page, signed in', 404);
});

test.run();
