import { Hono, type Context } from 'hono';
import { PasskeyRequiredPage, PasskeySignIn, type PasskeySignInProps } from '../../../views/passkeys/passkeys.tsx';
import { chrome } from '../../http/chrome.ts';
import { clearPasskeyCookie, readPasskeyCookie, setPasskeyCookie, setSessionCookie } from '../../http/cookies.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { readJson } from '../../http/json.ts';
import { portalPath } from '../../http/paths.ts';
import { PASSKEY_SIGN_IN_PATH, requiredStep, scopeOf } from '../../http/portal.ts';
import type { PageSlot } from '../../http/slots.ts';
import { beginSignIn, finishSignIn } from './passkey-sign-in.ts';
import { parseAuthenticationResponse } from './responses.ts';
import { passkeyScripts } from './scripts.ts';

/**
 * "Sign in with a passkey" on both portals: POST /login/passkey/options starts the ceremony (JSON), POST /login/passkey
 * finishes it (JSON in, JSON out: where to go, or what went wrong), GET /login/passkey asks a staff member who owes
 * two-factor sign-in for the passkey they have.
 */
export function passkeySignInRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();

  routes.post(`${PASSKEY_SIGN_IN_PATH}/options`, async (c) => {
    const result = await beginSignIn(deps.db, scopeOf(c, deps), readPasskeyCookie(c));
    c.header('Cache-Control', 'no-store');
    if (!result.ok) {
      c.header('Retry-After', String(result.retryAfterSeconds));
      return c.json({ error: c.var.messages.signIn.throttled }, 429);
    }
    setPasskeyCookie(c, deps, result.secret);
    return c.json(result.options);
  });

  routes.post(PASSKEY_SIGN_IN_PATH, async (c) => {
    const t = c.var.messages.passkeys;
    c.header('Cache-Control', 'no-store');
    const body = await readJson(c);
    if (!body.ok) return c.json({ error: t.failed }, body.status);
    const response = parseAuthenticationResponse(body.data);
    if (!response) return c.json({ error: t.failed }, 400);
    const secret = readPasskeyCookie(c);
    clearPasskeyCookie(c, deps);
    const result = await finishSignIn(deps.db, scopeOf(c, deps), { secret, response, replacingSessionId: c.var.sessionId });
    if (result.ok) {
      setSessionCookie(c, deps, result.sessionId);
      return c.json({ redirect: portalPath(c, '/') });
    }
    switch (result.reason) {
      case 'throttled':
        c.header('Retry-After', String(result.retryAfterSeconds));
        return c.json({ error: c.var.messages.signIn.throttled }, 429);
      case 'expired':
        return c.json({ error: t.expired }, 400);
      case 'not_here':
        return c.json({ error: t.notHere(c.var.tenant.name, portalName(c)) }, 401);
      case 'copied':
        return c.json({ error: t.copied }, 403);
      case 'deactivated':
        return c.json({ error: deactivatedWords(c) }, 403);
      default:
        return c.json({ error: t.failed }, 401);
    }
  });

  routes.get(PASSKEY_SIGN_IN_PATH, (c) => {
    if (!c.var.account) return c.redirect(portalPath(c, '/login'), 303);
    if (requiredStep(c) !== portalPath(c, PASSKEY_SIGN_IN_PATH)) return c.redirect(portalPath(c, '/'), 303);
    c.header('Cache-Control', 'no-store');
    return c.html(<PasskeyRequiredPage chrome={chrome(c)} practice={c.var.tenant.name} signIn={signInProps(c)} />);
  });

  return routes;
}

/** The login page's passkey button (src/app.ts hands it to the sign-in pages). */
export function passkeySignInSlot(): PageSlot {
  return (c) => <PasskeySignIn {...signInProps(c)} />;
}

function signInProps(c: Context<Env>): PasskeySignInProps {
  return {
    t: c.var.messages.passkeys, optionsAction: portalPath(c, `${PASSKEY_SIGN_IN_PATH}/options`), verifyAction: portalPath(c, PASSKEY_SIGN_IN_PATH),
    scripts: passkeyScripts(),
  };
}

function portalName(c: Context<Env>): string {
  return c.var.portal === 'patient' ? c.var.messages.layout.portalName : 'Practice Portal';
}

function deactivatedWords(c: Context<Env>): string {
  return c.var.portal === 'patient' ? c.var.messages.signIn.deactivated : 'This account is deactivated. Please ask your practice administrator.';
}
