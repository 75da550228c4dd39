import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { SignInForm, SignInPage, type SignInProps } from '../../../views/sign-in/sign-in.tsx';
import { signInText, twoFactorText } from '../../copy/practice.ts';
import { isHtmx, redirect } from '../../http/client.ts';
import { chrome } from '../../http/chrome.ts';
import {
  clearSessionCookie, readDeviceCookie, setChallengeCookie, setDeviceCookie, setSessionCookie, takeUsernameCookie,
} from '../../http/cookies.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { scopeOf } from '../../http/portal.ts';
import { portalPath, returnPath } from '../../http/paths.ts';
import type { PageSlot } from '../../http/slots.ts';
import { ABSOLUTE_SESSION_HOURS } from '../../core/sessions.ts';
import { idleMinutes } from '../../core/tenant.ts';
import { signIn, signOut } from './sign-in.ts';

const signInSchema = z.object({
  username: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});

/**
 * Sign in and sign out (journeys P1, G1), the same for both portals; only the words differ. `belowForm` is what
 * another capability adds to the page (src/app.ts passes the passkey button).
 */
export function signInRoutes(deps: AppDeps, slots: { belowForm?: PageSlot } = {}) {
  const routes = new Hono<Env>();

  routes.get('/login', async (c) => {
    const next = returnPath(c, c.req.query('next'));
    if (c.var.account) return c.redirect(next ?? portalPath(c, '/'), 303);
    const justSet = c.req.query('reset') === '1' || c.req.query('welcome') === '1' ? takeUsernameCookie(c, deps) : null;
    return c.html(
      <SignInPage {...signInProps(c, next)} username={justSet ?? undefined} notice={noticeFor(c)} error={twoFactorProblem(c)}
        extra={await slots.belowForm?.(c)} />,
    );
  });

  routes.post('/login', async (c) => {
    const form = await readForm(c, signInSchema);
    const username = (form.raw.username ?? '').slice(0, 254);
    // Where the person was going before they were asked to sign in: a path of this practice and portal, or home.
    const next = returnPath(c, form.raw.next);
    if (!form.ok) {
      if (form.status !== 422) return renderError(c, form.status);
      return renderSignIn(c, 422, next, { username, error: words(c).missing });
    }
    const input = { identifier: form.data.username, password: form.data.password, rememberedDevice: readDeviceCookie(c) };
    const result = await signIn(deps.db, scopeOf(c, deps), input);
    if (result.ok && result.step === 'two_factor') {
      setChallengeCookie(c, deps, result.challenge);
      return redirect(c, portalPath(c, next ? `/login/two-factor?${new URLSearchParams({ next })}` : '/login/two-factor'));
    }
    if (result.ok) {
      setSessionCookie(c, deps, result.sessionId);
      if (result.device) setDeviceCookie(c, deps, result.device);
      return redirect(c, next ?? portalPath(c, '/'));
    }
    switch (result.reason) {
      case 'throttled':
        c.header('Retry-After', String(result.retryAfterSeconds));
        return renderSignIn(c, 429, next, { username, error: words(c).throttled });
      case 'locked':
        c.header('Retry-After', String(result.retryAfterSeconds));
        return renderSignIn(c, 429, next, { username, error: words(c).locked(Math.ceil(result.retryAfterSeconds / 60)) });
      case 'deactivated':
        return renderSignIn(c, 403, next, { username, error: words(c).deactivated });
      case 'temporary_expired':
        return renderSignIn(c, 403, next, { username, error: words(c).temporaryExpired });
      default:
        return renderSignIn(c, 401, next, { username, error: words(c).invalid });
    }
  });

  async function renderSignIn(c: Context<Env>, status: 401 | 403 | 422 | 429, next: string | null, extra: { username: string; error: string }) {
    const props = { ...signInProps(c, next), ...extra };
    if (isHtmx(c)) return c.html(<SignInForm {...props} />, status);
    return c.html(<SignInPage {...props} extra={await slots.belowForm?.(c)} />, status);
  }

  routes.post('/logout', async (c) => {
    const { account, sessionId } = c.var;
    if (account && sessionId) await deps.db.inTenant(c.var.tenant.id, (tx) => signOut(tx, scopeOf(c, deps), sessionId));
    clearSessionCookie(c, deps);
    return redirect(c, portalPath(c, '/login?signed_out=1'));
  });

  return routes;
}

function words(c: Context<Env>) {
  const patient = c.var.messages.signIn;
  return c.var.portal === 'patient'
    ? patient
    : { ...patient, deactivated: 'This account is deactivated. Please ask your practice administrator.' };
}

/** The one-line notice after a redirect here: signed out, a session that ended and why, password changed, account set up. */
function noticeFor(c: Context<Env>): string | null {
  const m = c.var.messages;
  if (c.req.query('signed_out') === '1') return m.signIn.signedOut;
  const ended = c.var.sessionEnded ?? c.req.query('ended');
  if (ended === 'idle') return m.signIn.endedIdle(idleMinutes(c.var.tenant.settings, c.var.portal));
  if (ended === 'expired') return m.signIn.endedExpired(ABSOLUTE_SESSION_HOURS);
  if (ended === 'ended') return m.signIn.endedElsewhere;
  if (c.req.query('reset') === '1') return m.recovery.changedNotice;
  if (c.req.query('welcome') === '1') return m.recovery.welcomeDone;
  return null;
}

/** Why the second step sent the person back here: it timed out, or too many wrong codes ended it. */
function twoFactorProblem(c: Context<Env>): string | null {
  const why = c.req.query('two_factor');
  if (why === 'expired') return twoFactorText(c.var.portal, c.var.messages).expired;
  if (why === 'exhausted') return twoFactorText(c.var.portal, c.var.messages).exhausted;
  return null;
}

function signInProps(c: Context<Env>, next: string | null): SignInProps {
  return {
    chrome: chrome(c),
    text: signInText(c.var.portal, c.var.messages),
    action: portalPath(c, '/login'),
    forgotHref: portalPath(c, '/forgot-password'),
    next,
  };
}
