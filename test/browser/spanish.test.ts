// A family that reads Spanish, in a real browser that asks for Spanish (Accept-Language es-MX): forgot password →
// the email in Spanish → the security question → a new password → sign in, every page in Spanish and accessible;
// the switcher link keeps the page; the front desk (in English) prints the family's credentials sheet in Spanish.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { test } from 'uvu';
import type { Page } from 'playwright-core';
import { STAFF_PASSWORD, accountId } from '../support/harness.ts';
import { assertAccessible, browserSuite, journey } from '../support/browser.ts';
import { SUNNY_PATIENT as PATIENT, SUNNY_PRACTICE as PRACTICE, linkPath, logIn, mailCount, nextMail } from '../support/journeys.ts';

const suite = browserSuite();
const { it } = suite;
const EMAIL = 'jordan.parent@example.com';
const NEW_PASSWORD = 'cometa naranja jardín 4821';

async function spanishPage(page: Page, where: string): Promise<void> {
  assert.is(await page.getAttribute('html', 'lang'), 'es', `${where} is marked as Spanish`);
  await page.getByRole('link', { name: 'English' }).waitFor();
  await assertAccessible(page, where);
}

it('a parent whose browser asks for Spanish resets a forgotten password and signs in, entirely in Spanish', async () => {
  const seen = await mailCount(suite.harness, EMAIL, 'password_reset');
  await journey(suite.harness, { locale: 'es-MX' }, async (page) => {
    await page.goto(`${PATIENT}/login`);
    await spanishPage(page, 'the sign-in page');
    await page.getByRole('link', { name: '¿Olvidó su contraseña?' }).click();
    await page.waitForURL(`**${PATIENT}/forgot-password`);
    await spanishPage(page, 'the forgot-password page');
    await page.getByLabel('Correo electrónico').fill(EMAIL);
    await page.getByRole('button', { name: 'Restablecer mi contraseña' }).click();
    await page.getByRole('heading', { name: 'Casi listo' }).waitFor();
    await spanishPage(page, 'the "Casi listo" page');

    const mail = await nextMail(suite.harness, EMAIL, 'password_reset', seen);
    assert.match(mail.subject, 'Restablezca su contraseña del portal de Sunny Pediatrics');
    assert.match(mail.html, /<html[^>]* lang="es"/);
    assert.not.match(mail.text, /\b(password|Your username)\b/, 'no English left in the email');
    await page.goto(linkPath(suite.harness, mail.text));
    await page.waitForURL(`**${PATIENT}/reset`);
    await spanishPage(page, 'the security question page');
    await page.getByLabel('Respuesta').fill('no es esta');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.getByText('Esa respuesta no coincide').waitFor();
    await page.getByLabel('Respuesta').fill('Biscuit');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.getByLabel('Nueva contraseña', { exact: true }).waitFor();
    await spanishPage(page, 'the new password page');
    await page.getByLabel('Nueva contraseña', { exact: true }).fill('password1234');
    await page.getByLabel('Confirmación de la nueva contraseña').fill('password1234');
    await page.getByRole('button', { name: 'Cambiar mi contraseña' }).click();
    await page.getByText('demasiado fácil de adivinar').first().waitFor();
    await page.getByLabel('Nueva contraseña', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirmación de la nueva contraseña').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Cambiar mi contraseña' }).click();
    await page.waitForURL(`**${PATIENT}/login?reset=1`);
    await page.getByText('Se cambió su contraseña').waitFor();
    await spanishPage(page, 'the sign-in page after the reset');

    await page.getByLabel('Nombre de usuario').fill(EMAIL);
    await page.getByLabel('Contraseña', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
    await page.waitForURL(`**${PATIENT}/`);
    await page.getByRole('heading', { name: 'Riley Parent', level: 3 }).waitFor();
    await page.getByText('Fecha de nacimiento').first().waitFor();
    await spanishPage(page, 'the family home');
    await page.getByRole('button', { name: 'Cerrar sesión' }).waitFor();
  });
  const changed = await nextMail(suite.harness, EMAIL, 'password_changed');
  assert.match(changed.subject, 'Se cambió su contraseña del portal de Sunny Pediatrics');
});

it('the switcher keeps the page, with JavaScript and without; Settings "Idioma" saves the choice', async () => {
  for (const javaScript of [true, false]) {
    await journey(suite.harness, { locale: 'es-MX', javaScript }, async (page) => {
      await page.goto(`${PATIENT}/forgot-password`);
      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForURL(`**${PATIENT}/forgot-password`);
      assert.is(await page.getAttribute('html', 'lang'), 'en');
      await page.getByRole('button', { name: 'Reset my password' }).waitFor();
      await page.getByRole('link', { name: 'Español' }).click();
      await page.waitForURL(`**${PATIENT}/forgot-password`);
      await page.getByRole('button', { name: 'Restablecer mi contraseña' }).waitFor();
    });
  }
  await journey(suite.harness, { locale: 'en-US', viewport: { width: 320, height: 640 } }, async (page) => {
    await logIn(page, PATIENT, EMAIL, NEW_PASSWORD);
    await page.goto(`${PATIENT}/settings/account`);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await page.getByRole('button', { name: 'Save language' }).click();
    await page.getByRole('heading', { name: 'Idioma' }).waitFor();
    await page.getByText('Se guardó su idioma').waitFor();
    assert.is(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'nothing scrolls sideways at 320 px');
    await spanishPage(page, 'Settings in Spanish at 320 px');
  });
});

it('the front desk, in English, prints the family\'s credentials sheet in Spanish; its text reads Spanish, accents intact', async () => {
  // Jordan chose Spanish in Settings (the journey above); said again here so this journey stands on its own.
  const jordan = await accountId(suite.harness.ctx.owner, 'sunny-pediatrics', 'patient', EMAIL);
  await suite.harness.ctx.owner`update accounts set language = 'es' where id = ${jordan}`;
  await journey(suite.harness, {}, async (page) => {
    await logIn(page, PRACTICE, 'marcusstaff', STAFF_PASSWORD);
    await page.goto(`${PRACTICE}/patients?account=10001`);
    await page.getByRole('link', { name: 'Parent, Riley' }).click();
    await page.getByRole('link', { name: 'Jordan Parent' }).click();
    await page.getByRole('heading', { name: 'Portal access: Jordan Parent' }).waitFor();
    await page.getByRole('button', { name: 'Set temporary password' }).click();
    const form = page.getByRole('region', { name: 'Set temporary password for Jordan Parent' });
    await form.getByRole('button', { name: 'Set temporary password' }).click();
    await page.getByRole('heading', { name: 'Temporary password set for Jordan Parent' }).waitFor();
    await page.getByText('The sheet is in Spanish, the family\'s language.').waitFor();
    await page.getByRole('link', { name: 'Print it in English instead' }).waitFor();
    const href = await page.getByRole('link', { name: 'Print credentials (PDF)' }).getAttribute('href');
    assert.match(href!, /\/credentials\.pdf\?lang=es$/);
    const sheet = await page.context().request.get(href!);
    assert.is(sheet.headers()['content-type'], 'application/pdf');
    const folder = mkdtempSync(join(tmpdir(), 'spanish-sheet-'));
    try {
      writeFileSync(join(folder, 'sheet.pdf'), await sheet.body());
      const text = execFileSync('/usr/bin/pdftotext', ['-layout', join(folder, 'sheet.pdf'), '-'], { encoding: 'utf8' });
      assert.match(text, 'Contraseña temporal');
      assert.match(text, /[áéíóúñ]/);
      assert.not.match(text, 'Temporary password');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

test.run();
