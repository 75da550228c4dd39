// Which of our languages a browser asks for (Accept-Language), as the patient portal reads it before anything is saved.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fromAcceptLanguage } from '../../src/http/language.ts';

test('the highest-weighted language of ours wins, by its primary subtag', () => {
  assert.is(fromAcceptLanguage('es-MX,es;q=0.9,en-US;q=0.8,en;q=0.7'), 'es');
  assert.is(fromAcceptLanguage('en-US,en;q=0.9,es;q=0.8'), 'en');
  assert.is(fromAcceptLanguage('fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4'), 'es', 'a language we do not have is passed over');
  assert.is(fromAcceptLanguage('en;q=0.2, ES-419'), 'es', 'order and case do not matter; no q means 1');
});

test('nothing of ours, malformed or oversized headers give no answer (the portal falls back to English)', () => {
  assert.is(fromAcceptLanguage(undefined), null);
  assert.is(fromAcceptLanguage(''), null);
  assert.is(fromAcceptLanguage('fr, de;q=0.5'), null);
  assert.is(fromAcceptLanguage('es;q=0'), null, 'q=0 means "not this one"');
  assert.is(fromAcceptLanguage('es;q=abc, en;q=2'), null, 'q-values out of range are ignored');
  assert.is(fromAcceptLanguage(`es,${'x'.repeat(600)}`), null, 'a header no browser sends is ignored');
});

test.run();
