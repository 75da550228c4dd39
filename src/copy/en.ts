// The English catalog: every word parents, guardians and adult patients read (messages.ts picks a catalog). The words
// live by area in en/; this is the whole catalog, the model every other language's catalog must match.
import { accountWords } from './en/account.ts';
import { forms } from './en/forms.ts';
import { outgoing } from './en/outgoing.ts';
import { signingIn } from './en/sign-in.ts';
import { EN_US } from './locales.ts';

export const en = {
  lang: 'en',
  locale: EN_US,
  // The switcher link on every patient-portal page names the other language in that language.
  languageSwitch: { lang: 'es', label: 'Español', hint: 'Ver esta página en español' },
  ...signingIn,
  ...accountWords,
  ...outgoing,
  ...forms,
} as const;
