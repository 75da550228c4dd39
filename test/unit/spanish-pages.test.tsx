// The parts of patient-portal pages that used to hold English of their own (security questions, the strength meter,
// the error page), drawn with the Spanish catalog: a family reading Spanish sees Spanish there too.
import { Hono } from 'hono';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { QuestionFields } from '../../views/ui/question-fields.tsx';
import { PasswordStrength } from '../../views/ui/password-fields.tsx';
import { SecurityQuestionPage } from '../../views/recovery/recovery.tsx';
import { en } from '../../src/copy/en.ts';
import { es } from '../../src/copy/es.ts';
import type { Messages } from '../../src/copy/messages.ts';
import { checkNewPassword } from '../../src/core/password-policy.ts';
import { bareChrome } from '../../src/http/chrome.ts';
import type { Env } from '../../src/http/env.ts';
import { renderError } from '../../src/http/errors.tsx';

const html = (node: unknown) => String(node);

test('the security question list is in Spanish, and a question chosen in English is shown chosen, in Spanish', () => {
  const page = html(<QuestionFields t={es} selected={en.securityQuestions[2]} />);
  for (const q of es.securityQuestions) assert.match(page, `>${q.replace(/'/g, '&#39;')}</option>`, q);
  for (const q of en.securityQuestions) assert.not.match(page, q.replace(/'/g, '&#39;'), q);
  assert.match(page, `<option value="${es.securityQuestions[2]}" selected="">`);
  assert.match(page, '>Pregunta de seguridad</label>');
  assert.match(page, '>Respuesta</label>');
});

test('the reset link’s question page asks a stored English question in Spanish', () => {
  const page = html(<SecurityQuestionPage t={es} chrome={bareChrome()} action="/x" question={en.securityQuestions[0]} />);
  assert.match(page, '¿Cómo se llamaba su primera mascota?');
  assert.match(page, 'Responda su pregunta de seguridad');
  assert.not.match(page, 'first pet');
});

test('the strength meter speaks the catalog’s language', () => {
  const check = checkNewPassword('qwertyuiopas', { minLength: 12, personal: [] }, es);
  const meter = html(<PasswordStrength check={check} />);
  assert.match(meter, '<strong>Seguridad: ');
  assert.match(meter, 'fácil de adivinar');
  assert.not.match(meter, /Strength|guess/);
});

/** A bare app answering every path with an error page, as a portal with this catalog would. */
function errorApp(portal: 'patient' | 'practice', t: Messages) {
  const app = new Hono<Env>();
  app.use(async (c, next) => {
    c.set('portal', portal);
    c.set('messages', t);
    await next();
  });
  app.get('/missing', (c) => renderError(c, 404));
  app.get('/refused', (c) => renderError(c, 403));
  return app;
}

test('error pages of the patient portal are in the family’s language; the practice portal stays English', async () => {
  const spanish = errorApp('patient', es);
  const missing = await spanish.request('/missing');
  assert.is(missing.status, 404);
  const page = await missing.text();
  assert.match(page, 'No encontramos la página');
  assert.match(page, 'Revise el enlace que le dio su consultorio');
  assert.match(page, 'Ir a la página de inicio');
  assert.not.match(page, /Page not found|Go to the start page/);
  const fragment = await (await spanish.request('/refused', { headers: { 'HX-Request': 'true' } })).text();
  assert.match(fragment, 'Se rechazó esa solicitud');

  const staff = await (await errorApp('practice', es).request('/missing')).text();
  assert.match(staff, 'Page not found');
  assert.match(staff, 'Go to the start page');
});

test.run();
