import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { z } from 'zod';
import { onFirstUse } from '../platform/on-first-use.ts';
import { messagesFor, type Messages } from '../copy/messages.ts';
import type { Tenant } from './tenant.ts';

// One policy wherever a password is chosen (DESIGN.md §4): a length range, no composition rules, and a
// refusal of passwords that are common or built from the person's own name, email or practice.
export const MAX_PASSWORD_LENGTH = 128;
const MIN_SCORE = 3;

// Loaded and built on first use, not at import: the dictionaries take about a second of CPU and ~60 MB to prepare.
const zxcvbnCore = onFirstUse<typeof import('@zxcvbn-ts/core')>('@zxcvbn-ts/core');
const commonWords = onFirstUse<typeof import('@zxcvbn-ts/language-common')>('@zxcvbn-ts/language-common');
const englishWords = onFirstUse<typeof import('@zxcvbn-ts/language-en')>('@zxcvbn-ts/language-en');
let zxcvbn: ZxcvbnFactory | null = null;
function estimator(): ZxcvbnFactory {
  const common = commonWords();
  const english = englishWords();
  // Warnings come back by name (the catalog words them in the reader's language); suggestions are not shown.
  const warningNames = Object.fromEntries(Object.keys(english.translations.warnings).map((name) => [name, name]));
  zxcvbn ??= new (zxcvbnCore().ZxcvbnFactory)({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: { ...english.translations, warnings: { ...english.translations.warnings, ...warningNames } },
  });
  return zxcvbn;
}

export type PasswordCheck = {
  ok: boolean;
  /** 0–4, for the strength meter. */
  score: number;
  /** "Strength: Fair.": the score in words, for the meter. */
  strength: string;
  /** Why it is refused, or a tip when it is accepted but could be better. */
  message: string | null;
};

export type PasswordContext = { minLength: number; personal: (string | null | undefined)[] };

/** The policy's verdict on a new password, in the words of the catalog t (the reader's language; English if none). */
export function checkNewPassword(password: string, context: PasswordContext, t: Messages = messagesFor('en')): PasswordCheck {
  const words = t.passwordPolicy;
  const verdict = (ok: boolean, score: number, message: string | null): PasswordCheck =>
    ({ ok, score, strength: words.strength(words.strengthLabels[score] ?? ''), message });
  const minLength = Math.max(8, context.minLength);
  const length = [...password].length;
  if (length < minLength) return verdict(false, 0, words.tooShort(minLength));
  if (length > MAX_PASSWORD_LENGTH) return verdict(false, 0, words.tooLong(MAX_PASSWORD_LENGTH));
  const personal = personalWords(context.personal);
  const lower = password.toLowerCase();
  if (personal.some((word) => word.length >= 4 && lower.includes(word))) return verdict(false, 1, words.personal);
  const result = estimator().check(password.slice(0, 100), personal);
  if (result.score < MIN_SCORE) {
    const warning = result.feedback.warning;
    return verdict(false, result.score, words.guessable(warning ? (words.warnings[warning] ?? '') : ''));
  }
  return verdict(true, result.score, result.score === 3 ? words.good : words.strong);
}

function personalWords(values: (string | null | undefined)[]): string[] {
  const words = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    // For an address only the part before @ is personal; the domain is shared by many people.
    const lower = value.toLowerCase().split('@')[0];
    words.add(lower);
    for (const part of lower.split(/[^a-z0-9]+/)) if (part.length >= 4) words.add(part);
  }
  return [...words];
}

/** The two fields of every "choose a new password" form (reset, invitation, My Account, staff set password). */
export const newPasswordSchema = z.object({
  new_password: z.string().max(1024),
  new_password_confirmation: z.string().max(1024),
});
export type NewPasswordInput = z.infer<typeof newPasswordSchema>;
export type NewPasswordErrors = { new_password?: string | null; new_password_confirmation?: string | null };

/** The same checks wherever a new password is chosen, under the practice's policy; null when it is acceptable. */
export function newPasswordErrors(
  input: NewPasswordInput | null, tenant: Tenant, account: { username: string; email: string | null }, t: Messages,
): NewPasswordErrors | null {
  const check = checkNewPassword(input?.new_password ?? '', {
    minLength: tenant.settings.passwordMinLength,
    personal: [account.username, account.email, tenant.name, tenant.slug],
  }, t);
  if (!check.ok) return { new_password: check.message };
  if (input?.new_password !== input?.new_password_confirmation) return { new_password_confirmation: t.recovery.mismatch };
  return null;
}
