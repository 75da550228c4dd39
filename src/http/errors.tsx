import type { Context } from 'hono';
import { ErrorPage } from '../../views/ui/error-page.tsx';
import type { Chrome } from '../../views/ui/layout.tsx';
import { messagesFor, type Messages } from '../copy/messages.ts';
import { bareChrome, chrome } from './chrome.ts';
import { isHtmx } from './client.ts';
import type { Env } from './env.ts';
import { portalPath } from './paths.ts';

type Status = keyof Messages['errors']['titles'];

/** The patient portal's words for the family's language; everywhere else (practice portal, no practice) English. */
function wordsFor(c: Context<Env>): Messages['errors'] {
  return (c.var.portal === 'patient' && c.var.messages ? c.var.messages : messagesFor('en')).errors;
}

/**
 * A calm page for anything that goes wrong; an htmx request gets the same words as a fragment. Inside a practice's
 * portal the page keeps that practice's header, menu and Sign out, and leads back to its home.
 */
export function renderError(c: Context, status: Status, message?: string) {
  const words = wordsFor(c as Context<Env>);
  const title = words.titles[status];
  const text = message ?? words.messages[status];
  if (isHtmx(c)) {
    return c.html(<div class="alert error" role="alert"><strong>{title}.</strong> {text}</div>, status);
  }
  const where = surroundings(c as Context<Env>, words);
  return c.html(<ErrorPage code={words.code(status)} title={title} message={text} chrome={where.chrome} back={where.back} />, status);
}

function surroundings(c: Context<Env>, words: Messages['errors']): { chrome: Chrome; back: { href: string; label: string } } {
  const start = { chrome: bareChrome(), back: { href: '/', label: words.toStart } };
  if (!c.var.tenant || !c.var.portal || !c.var.messages) return start;
  try {
    const page = chrome(c);
    const label = c.var.account ? words.toHome(c.var.tenant.name) : words.toSignIn(c.var.tenant.name);
    return { chrome: page, back: { href: portalPath(c, c.var.account ? '/' : '/login'), label } };
  } catch {
    // The practice's chrome itself failed (a 500 on the way): the plain page still says what happened.
    return start;
  }
}
