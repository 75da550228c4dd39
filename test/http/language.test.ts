// The patient portal in the family's language (DESIGN.md "Spanish"): the saved choice, then the switcher's cookie,
// then Accept-Language; the switcher keeps the page and never carries a link's secret or leaves the portal; Settings
// "Idioma" saves the choice (audited); emails go out in the recipient's language whoever sends them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { processResetRequests } from '../../src/features/recovery/reset-requests.ts';
import { Client, GUARDIAN_PASSWORD, accountId, createTestContext, emailsTo, signIn, textOf } from '../support/harness.ts';
import { JORDAN_EMAIL, PATIENTS, patientId, staff } from '../support/patient-admin.ts';

const ctx = await createTestContext();
test.after(() => ctx.close());

const PATIENT = '/sunny-pediatrics/patient';
const PRACTICE = '/sunny-pediatrics/practice';
const SPANISH = { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' };
const jordan = await accountId(ctx.owner, 'sunny-pediatrics', 'patient', JORDAN_EMAIL);
const switcherHref = (html: string) => /<a class="language" href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;

test('a browser asking for Spanish gets the patient portal in Spanish; the practice portal stays English', async () => {
  const client = new Client(ctx.app);
  const response = await client.get(`${PATIENT}/login`, { headers: SPANISH });
  assert.is(response.status, 200);
  assert.is(response.headers.get('content-language'), 'es');
  const html = await response.text();
  assert.match(html, '<html lang="es">');
  assert.match(html, />Iniciar sesión<\/button>/);
  assert.match(html, />¿Olvidó su contraseña\?<\/a>/);
  assert.match(html, /<a class="language" href="[^"]+" lang="en" hreflang="en"[^>]*>English<\/a>/);
  assert.is(switcherHref(html), `${PATIENT}/language?to=en&next=${encodeURIComponent(`${PATIENT}/login`)}`);

  const english = await (await client.get(`${PATIENT}/login`)).text();
  assert.match(english, '<html lang="en">', 'no Accept-Language: English');
  assert.match(english, />Español<\/a>/);
  const practice = await (await client.get(`${PRACTICE}/login`, { headers: SPANISH })).text();
  assert.match(practice, '<html lang="en">');
  assert.not.match(practice, 'class="language"', 'the practice portal has no switcher');
});

test('the switcher sets the lang cookie, keeps the page, and wins over Accept-Language', async () => {
  const client = new Client(ctx.app);
  const page = `${PATIENT}/forgot-password`;
  const html = await (await client.get(page, { headers: SPANISH })).text();
  const href = switcherHref(html)!;
  assert.is(href, `${PATIENT}/language?to=en&next=${encodeURIComponent(page)}`);
  const switched = await client.get(href, { headers: SPANISH });
  assert.is(switched.status, 303);
  assert.is(switched.headers.get('location'), page);
  assert.match(switched.headers.get('set-cookie') ?? '', /^lang=en; Max-Age=31536000; Path=\/sunny-pediatrics\/patient; HttpOnly; SameSite=Lax/);
  const after = await client.get(page, { headers: SPANISH });
  assert.match(await after.text(), '<html lang="en">', 'the cookie beats the browser header');
  assert.is(after.headers.get('content-language'), 'en');
  const back = await client.get(`${PATIENT}/language?to=es&next=${encodeURIComponent(page)}`);
  assert.is(back.headers.get('location'), page);
  assert.match(textOf(await (await client.get(page)).text()), 'Restablecer mi contraseña');
});

test('the switcher never leaves the practice\'s patient portal and refuses languages it does not have', async () => {
  const client = new Client(ctx.app);
  for (const next of ['https://evil.example/', '//evil.example/x', '/other-practice/patient/', `${PRACTICE}/staff`, '/sunny-pediatrics/patient/%2e%2e/practice', 'javascript:alert(1)']) {
    const response = await client.get(`${PATIENT}/language?to=es&next=${encodeURIComponent(next)}`);
    assert.is(response.status, 303, next);
    assert.is(response.headers.get('location'), `${PATIENT}/`, `${next} is not followed`);
  }
  for (const to of ['fr', '', 'es%00', 'x'.repeat(3000)]) {
    const response = await client.get(`${PATIENT}/language?to=${to}`);
    assert.is(response.status, 400, `to=${to.slice(0, 10)}`);
    assert.is(response.headers.get('set-cookie'), null, 'nothing is remembered');
  }
});

test('a page reached by an emailed link never puts the link\'s secret into the switcher', async () => {
  const client = new Client(ctx.app);
  const secret = 'Zk3nq8V1xY0aBcDeFgHiJkLmNoPqRsTuVwXyZ012345';
  const html = await (await client.get(`${PATIENT}/reset/${secret}`, { headers: SPANISH })).text();
  const href = switcherHref(html)!;
  assert.not.match(href, secret);
  assert.is(href, `${PATIENT}/language?to=en&next=${encodeURIComponent(`${PATIENT}/forgot-password`)}`);
});

test('Settings "Idioma": the saved choice is audited, follows the account to any browser, and the switcher keeps it', async () => {
  const client = new Client(ctx.app);
  await signIn(client, 'sunny-pediatrics', 'patient', JORDAN_EMAIL, GUARDIAN_PASSWORD);
  const settings = await (await client.get(`${PATIENT}/settings/account`)).text();
  assert.match(settings, /<label for="field-language">Language<\/label>/);
  assert.match(settings, /<option value="en" lang="en" selected="">English<\/option>/);
  const saved = await client.post(`${PATIENT}/settings/account/language`, { language: 'es' });
  assert.is(saved.status, 303);
  assert.is(saved.headers.get('location'), `${PATIENT}/settings/account?language=saved#language`);
  const spanish = await (await client.get(`${PATIENT}/settings/account?language=saved`)).text();
  assert.match(spanish, '<html lang="es">');
  assert.match(spanish, /<label for="field-language">Idioma<\/label>/);
  assert.match(spanish, /<option value="es" lang="es" selected="">Español<\/option>/);
  const [row] = await ctx.owner`select language, last_language from accounts where id = ${jordan}`;
  assert.equal([row.language, row.last_language], ['es', 'es']);
  const events = await ctx.owner`select detail from audit_events where action = 'account.language_changed' and subject_account_id = ${jordan}`;
  assert.equal(events.map((e) => e.detail.language), ['es']);

  // Another browser, asking for English: once signed in, the account's choice wins.
  const elsewhere = new Client(ctx.app, '203.0.113.44');
  await signIn(elsewhere, 'sunny-pediatrics', 'patient', JORDAN_EMAIL, GUARDIAN_PASSWORD);
  assert.match(await (await elsewhere.get(`${PATIENT}/`, { headers: { 'accept-language': 'en' } })).text(), '<html lang="es">');

  // The switcher, signed in and from our own page, changes the saved choice too; from another site it does not.
  await elsewhere.get(`${PATIENT}/language?to=en`, { headers: { 'sec-fetch-site': 'cross-site' } });
  assert.is((await ctx.owner`select language from accounts where id = ${jordan}`)[0].language, 'es');
  await elsewhere.get(`${PATIENT}/language?to=en`, { headers: { 'sec-fetch-site': 'same-origin' } });
  assert.is((await ctx.owner`select language from accounts where id = ${jordan}`)[0].language, 'en');

  const forged = await client.post(`${PATIENT}/settings/account/language`, { language: 'klingon' });
  assert.is(forged.status, 400);
  assert.is((await ctx.owner`select language from accounts where id = ${jordan}`)[0].language, 'en', 'nothing changed');
  const anonymous = await new Client(ctx.app).post(`${PATIENT}/settings/account/language`, { language: 'es' });
  assert.is(anonymous.status, 303);
  assert.match(anonymous.headers.get('location') ?? '', `${PATIENT}/login`);
});

test('emails go out in the recipient\'s language: a forgot-password request in Spanish, a reset sent by the front desk', async () => {
  await ctx.owner`update accounts set language = null, last_language = null where id = ${jordan}`;
  // Asked for in Spanish by someone who never chose: the reset email follows the request.
  const family = new Client(ctx.app, '203.0.113.61');
  const asked = await family.post(`${PATIENT}/forgot-password`, { email: JORDAN_EMAIL }, { headers: SPANISH });
  assert.is(asked.status, 303);
  await processResetRequests(ctx.db, ctx);
  const [spanishReset] = await emailsTo(ctx, JORDAN_EMAIL);
  assert.match(spanishReset.subject, /contraseña/i);
  assert.match(spanishReset.html, /<html[^>]*lang="es"/);

  // The front desk works in English; the family chose Spanish: the practice's reset link goes out in Spanish.
  // (Each send first retires the link before it, which would otherwise hold the new email back.)
  const retireLinks = () => ctx.owner`update account_tokens set revoked_at = now() where account_id = ${jordan} and purpose = 'reset'`;
  await ctx.owner`update accounts set language = 'es' where id = ${jordan}`;
  const frontDesk = await staff(ctx, 'marcusstaff');
  const riley = await patientId(ctx, '10001');
  await retireLinks();
  const sent = await frontDesk.post(`${PATIENTS}/${riley}/portal/${jordan}/reset-password`, {});
  assert.is(sent.status, 303);
  const [practiceReset] = await emailsTo(ctx, JORDAN_EMAIL);
  assert.is(practiceReset.kind, 'password_reset');
  assert.match(practiceReset.subject, /^Sunny Pediatrics .*enlace/, 'the practice-sent email, not the family\'s own request');
  assert.match(practiceReset.subject, 'Sunny Pediatrics');
  assert.match(practiceReset.text, /contraseña/i);
  assert.not.match(practiceReset.text, 'Choose a new password');

  // A parent who never chose and last used English gets English from the front desk.
  await ctx.owner`update accounts set language = null, last_language = 'en' where id = ${jordan}`;
  await retireLinks();
  await frontDesk.post(`${PATIENTS}/${riley}/portal/${jordan}/reset-password`, {});
  const [english] = await emailsTo(ctx, JORDAN_EMAIL);
  assert.match(english.text, 'Sunny Pediatrics sent you a link');
});

test('signing in remembers the language the person used, for what the practice sends later', async () => {
  await ctx.owner`update accounts set language = null, last_language = null where id = ${jordan}`;
  const client = new Client(ctx.app, '203.0.113.62');
  const response = await client.post(`${PATIENT}/login`, { username: JORDAN_EMAIL, password: GUARDIAN_PASSWORD }, { headers: SPANISH });
  assert.is(response.status, 303);
  const [row] = await ctx.owner`select language, last_language from accounts where id = ${jordan}`;
  assert.equal([row.language, row.last_language], [null, 'es']);
});

test('the front desk prints the credentials sheet in the family\'s language by default, and may choose the other', async () => {
  await ctx.owner`update accounts set language = 'es' where id = ${jordan}`;
  const frontDesk = await staff(ctx, 'marcusstaff');
  const riley = await patientId(ctx, '10001');
  const set = await frontDesk.post(`${PATIENTS}/${riley}/portal/${jordan}/temporary-password`, { notify: '1' });
  assert.is(set.status, 303);
  const printout = set.headers.get('location')!;
  const page = await (await frontDesk.get(printout)).text();
  assert.match(textOf(page), 'The sheet is in Spanish, the family\'s language. Print it in English instead');
  assert.match(page, `href="${printout}/credentials.pdf?lang=es"`);
  assert.match(page, `href="${printout}/credentials.pdf?lang=en"`);
  const spanish = pdfText(await (await frontDesk.get(`${printout}/credentials.pdf?lang=es`)).arrayBuffer());
  assert.match(spanish, 'Contraseña temporal');
  const english = pdfText(await (await frontDesk.get(`${printout}/credentials.pdf?lang=en`)).arrayBuffer());
  assert.match(english, 'Temporary password');
  const unknown = pdfText(await (await frontDesk.get(`${printout}/credentials.pdf?lang=klingon`)).arrayBuffer());
  assert.match(unknown, 'Contraseña temporal', 'a language we do not have falls back to the family\'s');
  const [notice] = await emailsTo(ctx, JORDAN_EMAIL);
  assert.is(notice.kind, 'temporary_password_notice');
  assert.match(notice.html, /<html[^>]* lang="es"/, 'the notice email is in Spanish too');
});

/** The PDF's text as pdftotext (poppler-utils) reads it. */
function pdfText(pdf: ArrayBuffer): string {
  const folder = mkdtempSync(join(tmpdir(), 'language-sheet-'));
  try {
    writeFileSync(join(folder, 'sheet.pdf'), Buffer.from(pdf));
    return execFileSync('/usr/bin/pdftotext', ['-layout', join(folder, 'sheet.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

test.run();
