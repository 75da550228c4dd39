// The Spanish catalog: the same words as en.ts for families who read Spanish first, in the Spanish of the Americas and
// addressing the reader as usted. The words live by area in es/, each part typed by the keys it holds, so a key
// missing here fails the type check.
import { accountWords } from './es/account.ts';
import { forms } from './es/forms.ts';
import { outgoing } from './es/outgoing.ts';
import { signingIn } from './es/sign-in.ts';
import { ES_US } from './locales.ts';
import type { Messages } from './messages.ts';

export const es: Messages = {
  lang: 'es',
  locale: ES_US,
  languageSwitch: { lang: 'en', label: 'English', hint: 'View this page in English' },
  ...signingIn,
  ...accountWords,
  ...outgoing,
  ...forms,
};
