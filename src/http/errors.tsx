import type { Context } from 'hono';
import { ErrorPage } from '../../views/ui/error-page.tsx';
import type { Chrome } from '../../views/ui/layout.tsx';
import { bareChrome, chrome } from './chrome.ts';
import { isHtmx } from './client.ts';
import type { Env } from './env.ts';
import { portalPath } from './paths.ts';

type Status = 400 | 403 | 404 | 405 | 413 | 415 | 422 | 429 | 500 | 503;

const TITLES: Record<Status, string> = {
  400: 'That request could not be read',
  403: 'That request was refused',
  404: 'Page not found',
  405: 'That action is not available here',
  413: 'That was too much to send',
  415: 'That request could not be read',
  422: 'Please check what you entered',
  429: 'Too many requests',
  500: 'Something went wrong on our side',
  503: 'Gatehouse is not available just now',
};

const MESSAGES: Record<Status, string> = {
  400: 'Please go back, check the form and try again.',
  403: 'For your safety this request was refused. Please go back, reload the page and try again.',
  404: 'The address may be mistyped, or the page has moved. Check the link your practice gave you.',
  405: 'Please go back and use the buttons on the page.',
  413: 'The form sent more than we accept. Please go back and shorten what you typed.',
  415: 'Please go back and submit the form from the page.',
  422: 'Please go back and check the form.',
  429: 'Please wait a little and try again.',
  500: 'Nothing you entered was lost by mistake on your end. Please try again in a moment.',
  503: 'Please try again in a moment.',
};

/**
 * A calm page for anything that goes wrong; an htmx request gets the same words as a fragment. Inside a practice's
 * portal the page keeps that practice's header, menu and Sign out, and leads back to its home.
 */
export function renderError(c: Context, status: Status, message?: string) {
  const title = TITLES[status];
  const text = message ?? MESSAGES[status];
  if (isHtmx(c)) {
    return c.html(<div class="alert error" role="alert"><strong>{title}.</strong> {text}</div>, status);
  }
  const where = surroundings(c as Context<Env>);
  return c.html(<ErrorPage status={status} title={title} message={text} chrome={where.chrome} back={where.back} />, status);
}

function surroundings(c: Context<Env>): { chrome: Chrome; back: { href: string; label: string } } {
  const start = { chrome: bareChrome(), back: { href: '/', label: 'Go to the start page' } };
  if (!c.var.tenant || !c.var.portal || !c.var.messages) return start;
  try {
    const page = chrome(c);
    const label = c.var.account ? `Go to ${c.var.tenant.name} home` : `Go to the ${c.var.tenant.name} sign-in page`;
    return { chrome: page, back: { href: portalPath(c, c.var.account ? '/' : '/login'), label } };
  } catch {
    // The practice's chrome itself failed (a 500 on the way): the plain page still says what happened.
    return start;
  }
}
