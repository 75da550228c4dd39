import { isLocale, messagesFor, type Locale, type Messages } from '../copy/messages.ts';
import type { Sql } from '../platform/db.ts';
import { recordEvent } from './audit.ts';
import type { Scope } from './scope.ts';

// Families read the patient portal, its emails, text messages and printed sheets in English or Spanish (sql/060).
// Whoever triggers a message, it goes out in the language of the person who receives it.

/**
 * An account's language for what is sent to it: its saved choice; else, when the person is acting themselves right
 * now, the language they are using (`using`, the request's); else the one they last used; else English. Pass the
 * request's language whatever it is: a practice-portal request has none, so a front-desk action falls through.
 */
export async function languageOf(tx: Sql, accountId: string, using?: Locale): Promise<Locale> {
  const [row] = await tx`select coalesce(language, ${using ?? null}, last_language) as language from accounts where id = ${accountId}`;
  return isLocale(row?.language) ? row.language : 'en';
}

/** The catalog to write to an account in (see languageOf). */
export async function messagesForAccount(tx: Sql, accountId: string, using?: Locale): Promise<Messages> {
  return messagesFor(await languageOf(tx, accountId, using));
}

/** Saves the language an account chose (Settings, or the switcher while signed in); audited when it changes. */
export async function saveLanguage(tx: Sql, scope: Scope, accountId: string, language: Locale): Promise<{ ok: true; changed: boolean }> {
  const [row] = await tx`
    update accounts set language = ${language}, last_language = ${language}
    where id = ${accountId} and language is distinct from ${language}
    returning id`;
  if (row) {
    await recordEvent(tx, scope.origin, { action: 'account.language_changed', actorAccountId: scope.actor?.id ?? accountId, subjectAccountId: accountId, detail: { language } });
  }
  return { ok: true, changed: Boolean(row) };
}
