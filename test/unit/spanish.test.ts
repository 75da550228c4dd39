// Families who read Spanish first (DESIGN.md "Spanish"): the Spanish catalog says everything the English one says,
// in Spanish, with Spanish plurals and month names; emails, the text message and the printed sheet come out in it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { en } from '../../src/copy/en.ts';
import { es } from '../../src/copy/es.ts';
import { LOCALES, SECURITY_QUESTIONS, isLocale, messagesFor, securityQuestionIn } from '../../src/copy/messages.ts';
import { count, plural } from '../../src/copy/plural.ts';
import { clockFor } from '../../src/copy/time.ts';
import { checkNewPassword } from '../../src/core/password-policy.ts';
import { renderCredentialsSheet } from '../../src/features/patient-admin/credentials-sheet.ts';
import {
  invitationEmail, loginEmailChangedEmail, passkeyChangedEmail, passwordChangedEmail, practiceResetLinkEmail, resetBurnedEmail,
  resetLinkEmail, temporaryPasswordNoticeEmail, twoFactorChangedEmail,
} from '../../src/mail/emails.tsx';

/** Words that are the same in both languages on purpose: each language's own name, and a status code. */
const SAME_IN_BOTH = new Set(['language.choices.en', 'language.choices.es', 'errors.code']);

/** Every leaf of a catalog by its path, functions called with sample arguments (a count of 7, or text "7"). */
function leaves(value: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (v: unknown, p: string) => {
    if (typeof v === 'function') return visit(v(...Array.from({ length: v.length }, () => 7)), p);
    if (Array.isArray(v)) return v.forEach((item, i) => visit(item, `${p}.${i}`));
    if (v && typeof v === 'object') return Object.entries(v).forEach(([key, item]) => visit(item, p ? `${p}.${key}` : key));
    out.set(p, String(v));
  };
  visit(value, path);
  return out;
}

test('the Spanish catalog has every word of the English one, each translated (but a short list kept on purpose)', () => {
  const english = leaves(en);
  const spanish = leaves(es);
  assert.equal([...spanish.keys()].sort(), [...english.keys()].sort(), 'the same keys, lists of the same length');
  const untranslated = [...english].filter(([path, text]) => spanish.get(path) === text && !SAME_IN_BOTH.has(path) && !/^(lang|locale)$|\.lang$/.test(path));
  assert.equal(untranslated, [], 'identical to English');
  assert.is(es.lang, 'es');
  assert.is(es.locale, 'es-US');
});

test('the Spanish words of the contract are exact', () => {
  assert.is(es.recovery.emailLabel, 'Correo electrónico');
  assert.is(es.signIn.passwordLabel, 'Contraseña');
  assert.is(es.account.currentPasswordLabel, 'Contraseña actual');
  assert.is(es.recovery.newPasswordLabel, 'Nueva contraseña');
  assert.is(es.recovery.confirmationLabel, 'Confirmación de la nueva contraseña');
  assert.is(es.recovery.answerLabel, 'Respuesta');
  assert.is(es.signIn.submit, 'Iniciar sesión');
  assert.is(es.layout.signOut, 'Cerrar sesión');
  assert.is(es.recovery.submit, 'Restablecer mi contraseña');
  assert.is(es.recovery.change, 'Cambiar mi contraseña');
  assert.is(es.account.changePassword, 'Cambiar mi contraseña');
  assert.is(es.signIn.forgot, '¿Olvidó su contraseña?');
  assert.is(es.recovery.almostDoneTitle, 'Casi listo');
  assert.is(es.language.label, 'Idioma');
  assert.equal(es.languageSwitch, { lang: 'en', label: 'English', hint: 'View this page in English' });
  assert.is(en.languageSwitch.label, 'Español');
});

test('a catalog is picked by language; anything unknown gets English', () => {
  assert.equal([...LOCALES], ['en', 'es']);
  assert.is(messagesFor('es'), es);
  assert.is(messagesFor('es-MX'), es);
  assert.is(messagesFor('ES'), es);
  for (const other of ['en', 'fr', '', null, undefined, 'español', '../es']) assert.is(messagesFor(other).lang, 'en', String(other));
  assert.ok(isLocale('es') && isLocale('en'));
  for (const other of ['fr', 'es-MX', '', null, 1, {}]) assert.not.ok(isLocale(other), String(other));
});

test('plurals follow the language’s rules: 1 intento, 0 intentos, 2 intentos', () => {
  assert.is(count('es-US', 1, { one: 'intento', other: 'intentos' }), '1 intento');
  assert.is(count('es-US', 0, { one: 'intento', other: 'intentos' }), '0 intentos');
  assert.is(plural('es-US', 2, { one: 'queda', other: 'quedan' }), 'quedan');
  assert.is(es.recovery.wrongAnswer(1), 'Esa respuesta no coincide. Le queda 1 intento antes de que este enlace se desactive.');
  assert.match(es.recovery.wrongAnswer(3), 'Le quedan 3 intentos');
  assert.match(es.home.sessionsValue(1), /^1 dispositivo$/);
  assert.is(es.home.passkeys(2), '2 llaves de acceso');
  assert.match(en.recovery.wrongAnswer(1), '1 try left');
  assert.match(en.recovery.wrongAnswer(2), '2 tries left');
  assert.match(en.signIn.locked(1), 'paused for 1 minute.');
});

test('dates and times in Spanish read with Spanish month names, in the practice’s time zone', () => {
  const when = new Date('2026-11-30T14:13:05Z');
  const spanish = clockFor('America/New_York', 'es-US');
  assert.match(spanish.dateTime(when), /^30 nov 2026, 9:13\s?a\.\s?m\. EST$/);
  assert.match(spanish.date(new Date('2026-01-15T17:00:00Z')), /^15 ene 2026$/);
  assert.is(clockFor('America/New_York').dateTime(when), 'Nov 30, 2026, 9:13 AM EST', 'English stays the default');
  assert.is(clockFor('America/New_York', 'not a tag!').dateTime(when), 'Nov 30, 2026, 9:13 AM EST');
  assert.match(es.credentialsSheet.formatDate(when, 'America/Chicago'), /^30 nov 2026, 8:13\s?a\.\s?m\. CST$/);
});

test('security questions: every language’s are accepted, and a stored one reads in the reader’s language', () => {
  assert.is(es.securityQuestions.length, en.securityQuestions.length);
  for (const q of [...en.securityQuestions, ...es.securityQuestions]) assert.ok(SECURITY_QUESTIONS.includes(q), q);
  assert.is(securityQuestionIn(es, en.securityQuestions[1]), es.securityQuestions[1]);
  assert.is(securityQuestionIn(en, es.securityQuestions[1]), en.securityQuestions[1]);
  assert.is(securityQuestionIn(es, 'A question kept from before'), 'A question kept from before');
});

test('the password policy speaks Spanish: the meter’s words and why a password is refused', () => {
  const policy = { minLength: 12, personal: ['riley.parent', 'Sunny Pediatrics'] };
  const short = checkNewPassword('corta', policy, es);
  assert.is(short.ok, false);
  assert.is(short.strength, 'Seguridad: Muy débil.');
  assert.match(short.message ?? '', 'Use al menos 12 caracteres');
  assert.match(checkNewPassword('riley.parent-2026!', policy, es).message ?? '', 'No use en su contraseña su nombre');
  const common = checkNewPassword('password1234', policy, es);
  assert.is(common.ok, false);
  assert.match(common.message ?? '', /^Esta contraseña es demasiado fácil de adivinar\. Se parece a una contraseña muy común\. Pruebe con/);
  assert.not.match(common.message ?? '', /[Tt]his|used|guess/);
  const good = checkNewPassword('lámpara tortuga violín nube', policy, es);
  assert.is(good.ok, true);
  assert.match(good.strength, /^Seguridad: (Buena|Fuerte)\.$/);
  // English stays as it was.
  assert.match(checkNewPassword('password1234', policy).message ?? '', /^This password is too easy to guess\. This is similar to a commonly used password\./);
  assert.match(checkNewPassword('password1234', policy).strength, /^Strength: /);
});

test('each email composed with the Spanish catalog is Spanish, subject and body, with its link once', () => {
  const r = { to: 'riley.parent@example.com', accountId: '00000000-0000-4000-8000-000000000001', practice: 'Sunny Pediatrics', phone: '(555) 010-0142' };
  const link = 'https://gatehouse.test/sunny-pediatrics/patient/reset/abc';
  const when = new Date('2026-11-30T14:13:00Z');
  const emails = [
    resetLinkEmail(es, r, { link, hours: 1, username: 'riley' }),
    practiceResetLinkEmail(es, r, { link, hours: 48, username: 'riley' }),
    invitationEmail(es, r, { link, days: 7, username: 'riley' }),
    temporaryPasswordNoticeEmail(es, r, { username: 'riley', signInLink: link }),
    passwordChangedEmail(es, r, when, 'America/New_York'),
    resetBurnedEmail(es, r),
    loginEmailChangedEmail(es, r, { newAddressMasked: 'r***@example.com' }),
    twoFactorChangedEmail(es, r, 'enabled'),
    passkeyChangedEmail(es, r, { change: 'added', name: 'Mi teléfono', when, timeZone: 'America/New_York' }),
  ];
  const english = /\b(your|the|password|link|portal account|practice|you)\b/i;
  for (const email of emails) {
    assert.match(email.subject, /\b(su|Se|Le|le|Restablezca)\b/, `${email.kind}: a Spanish subject (${email.subject})`);
    assert.not.match(email.subject.replace('Sunny Pediatrics', ''), english, `${email.kind}: subject`);
    const body = email.text.replace(/https:\S+/g, '').replaceAll('Sunny Pediatrics', '');
    assert.not.match(body, english, `${email.kind}: no English in the text part`);
    assert.match(email.text, 'consultorio', `${email.kind}: the Spanish footer`);
    assert.match(email.html, '<html lang="es">', `${email.kind}: marked Spanish`);
    if (email.text.includes(link)) {
      assert.is(email.text.split(link).length - 1, 1, `${email.kind}: the link once in the text part`);
      assert.is(email.html.split(link).length - 1, 1, `${email.kind}: the link once in the HTML part`);
    }
  }
  assert.match(emails[0].text, 'durante 1 hora.');
  assert.match(emails[0].text, 'Elegir una nueva contraseña:\n' + link);
  assert.match(emails[4].text, /el 30 nov 2026, 9:13\s?a\.\s?m\. EST/);
  assert.match(emails[8].text, /El 30 nov 2026, 9:13\s?a\.\s?m\. EST se agregó/);
  assert.match(resetLinkEmail(en, r, { link, hours: 1, username: 'riley' }).html, '<html lang="en">');
  assert.is(es.twoFactor.smsText('Sunny Pediatrics', '123456'),
    'Sunny Pediatrics: 123456 es su código para iniciar sesión. Vence en 10 minutos. No lo comparta: el consultorio nunca se lo pedirá.');
});

test('the credentials sheet in Spanish keeps its accents (an embedded font), and stays small', async () => {
  const pdf = await renderCredentialsSheet(es, {
    practice: 'Pediatría Sunny', guardianName: 'María Peña Núñez', patientNames: ['Sofía Peña'],
    portalAddress: 'https://gatehouse.test/sunny-pediatrics/patient', username: 'maria.pena',
    temporaryPassword: 'tulip-river-4821', temporaryUntil: new Date('2026-12-07T17:00:00Z'), timeZone: 'America/New_York',
    notice: { sentTo: 'm***@example.com' },
  });
  const folder = mkdtempSync(join(tmpdir(), 'sheet-'));
  try {
    writeFileSync(join(folder, 'sheet.pdf'), pdf);
    const text = execFileSync('/usr/bin/pdftotext', [join(folder, 'sheet.pdf'), '-'], { encoding: 'utf8' });
    for (const words of ['Contraseña temporal', 'María Peña Núñez', 'Pediatría Sunny', 'Cómo iniciar sesión por primera vez',
      '7 dic 2026', 'Válida hasta', 'tulip-river-4821', 'maria.pena']) {
      assert.match(text, words, words);
    }
    assert.match(text.replace(/\s+/g, ' '), 'Se le pedirá que elija su propia contraseña nueva');
    const fonts = execFileSync('/usr/bin/pdffonts', [join(folder, 'sheet.pdf')], { encoding: 'utf8' });
    assert.match(fonts, /DejaVuSans\s.*yes\s+yes/, 'DejaVu Sans, embedded as a subset');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  assert.ok(pdf.length < 60_000, `the sheet is ${pdf.length} bytes`);
});

test.run();
