import type { Context } from 'hono';
import { confirmOwnPassword } from '../core/accounts.ts';
import type { AppDeps, Env } from './env.ts';
import { scopeOf } from './portal.ts';

export type OwnPasswordWords = { missing: string; wrong: string; throttled: string };

/**
 * The signed-in person's own password, typed to confirm a sensitive change: null when it is right, otherwise the
 * status and the sentence to show beside the field (422 for missing or wrong, 429 once the budget is spent).
 */
export async function ownPasswordProblem(
  c: Context<Env>, deps: AppDeps, password: string | undefined, words?: OwnPasswordWords,
): Promise<{ status: 422 | 429; message: string } | null> {
  const m = words ?? accountWords(c);
  if (!password) return { status: 422, message: m.missing };
  const result = await confirmOwnPassword(deps.db, scopeOf(c, deps), password);
  if (result.ok) return null;
  return result.reason === 'wrong' ? { status: 422, message: m.wrong } : { status: 429, message: m.throttled };
}

/** The words of My Account / Settings, which every other confirmation shares unless it brings its own. */
function accountWords(c: Context<Env>): OwnPasswordWords {
  const m = c.var.messages.account;
  return { missing: m.currentPasswordMissing, wrong: m.currentPasswordWrong, throttled: m.tooManyTries };
}
