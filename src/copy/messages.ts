import { en } from './en.ts';
import { es } from './es.ts';

// Words that parents, guardians and adult patients read, one catalog per language. en.ts is the model: every other
// catalog is a Messages, so a key missing from one fails the type check. The practice portal's own words are in
// practice.ts (English).

/** A catalog's shape with en's words widened: strings to string, functions keep their parameters, lists of words. */
type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => infer R
    ? (...args: A) => Widen<R>
    : T extends readonly (infer E)[]
      ? readonly Widen<E>[]
      : T extends object
        ? { -readonly [K in keyof T]: Widen<T[K]> }
        : T;

export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

export type Messages = Omit<Widen<typeof en>, 'lang' | 'languageSwitch'> & {
  lang: Locale;
  languageSwitch: { lang: Locale; label: string; hint: string };
};

const catalogs: Record<Locale, Messages> = { en, es };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The catalog for a language such as 'es' or 'es-MX' (its first part counts); anything unknown gets English. */
export function messagesFor(locale: string | null | undefined): Messages {
  const language = typeof locale === 'string' ? locale.split('-')[0].toLowerCase() : null;
  return isLocale(language) ? catalogs[language] : en;
}

/**
 * Every security question of every language. A question is stored as the text the person chose, in the language they
 * read then, so a form accepts any of them.
 */
export const SECURITY_QUESTIONS = [...new Set(LOCALES.flatMap((locale) => catalogs[locale].securityQuestions))] as [string, ...string[]];

/** A stored question as this catalog words it (the same question, in the reader's language), or as stored. */
export function securityQuestionIn(t: Messages, stored: string): string {
  for (const locale of LOCALES) {
    const index = catalogs[locale].securityQuestions.indexOf(stored);
    if (index >= 0) return t.securityQuestions[index] ?? stored;
  }
  return stored;
}
