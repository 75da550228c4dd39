import { en } from './en.ts';

// Words that parents, guardians and adult patients read, one catalog per language (English now; Spanish follows).
// The practice portal's own words are in practice.ts.

export type Messages = typeof en;
export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

const catalog: Partial<Record<Locale, Messages>> = { en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function messagesFor(locale: string | null | undefined): Messages {
  return (isLocale(locale) ? catalog[locale] : undefined) ?? en;
}

// Stored as written: the chosen question's text is kept with the account.
export const SECURITY_QUESTIONS = [
  'What was the name of your first pet?',
  'In what city were you born?',
  'What is the name of the street you grew up on?',
  'What was the name of your first school?',
  'What is your oldest sibling\'s middle name?',
  'What was the make of your first car?',
  'What is the name of a favourite teacher?',
] as const;

/** The strength meter's words for zxcvbn's score 0–4. */
export const STRENGTH_LABELS = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'] as const;
