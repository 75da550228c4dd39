import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { SecondStepForm, SecondStepPage, type SecondStepProps } from '../../../views/two-factor/step.tsx';
import { signInText, twoFactorText } from '../../copy/practice.ts';
import { chrome } from '../../http/chrome.ts';
import { isHtmx, redirect } from '../../http/client.ts';
import { clearChallengeCookie, readChallengeCookie, setDeviceCookie, setSessionCookie } from '../../http/cookies.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { scopeOf } from '../../http/portal.ts';
import { portalPath, returnPath } from '../../http/paths.ts';
import { abandonSecondStep, completeSecondStep, requestSmsCode, smsOffer, type SmsOffer } from './second-step.ts';

const codeSchema = z.object({ code: z.string().trim().min(1).max(64), remember_device: z.literal('1').optional() });
const emptySchema = z.object({});

/**
 * The second sign-in step at /login/two-factor (both portals). It needs the challenge cookie set by a correct
 * password; without it (or once it is spent) the person signs in again.
 */
export function twoFactorStepRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  // Where the person was going (see sign-in): kept in the address and the forms of this step, checked on every use.
  const nextOf = (c: Context<Env>, raw?: string) => returnPath(c, raw ?? c.req.query('next'));
  const againPath = (c: Context<Env>, why: 'expired' | 'exhausted', next: string | null) =>
    portalPath(c, `/login?${new URLSearchParams({ two_factor: why, ...(next ? { next } : {}) })}`);
  const words = (c: Context<Env>) => twoFactorText(c.var.portal, c.var.messages);

  function stepProps(c: Context<Env>, offer: SmsOffer, extra: Partial<SecondStepProps> = {}): SecondStepProps {
    return {
      chrome: chrome(c),
      t: words(c),
      action: portalPath(c, '/login/two-factor'),
      smsAction: portalPath(c, '/login/two-factor/sms'),
      anotherAccountAction: portalPath(c, '/login/two-factor/cancel'),
      forgotHref: portalPath(c, '/forgot-password'),
      forgotLabel: signInText(c.var.portal, c.var.messages).forgot,
      rememberDays: c.var.tenant.settings.rememberDeviceDays,
      sms: offer,
      next: nextOf(c),
      ...extra,
    };
  }

  async function renderStep(c: Context<Env>, status: 200 | 403 | 422 | 429 | 503, extra: Partial<SecondStepProps>) {
    const offer = await smsOffer(deps.db, scopeOf(c, deps), readChallengeCookie(c));
    const props = stepProps(c, offer === 'expired' ? null : offer, extra);
    c.header('Cache-Control', 'no-store');
    if (isHtmx(c)) return c.html(<SecondStepForm {...props} />, status);
    return c.html(<SecondStepPage {...props} />, status);
  }

  routes.get('/login/two-factor', async (c) => {
    const next = nextOf(c);
    if (c.var.account) return c.redirect(next ?? portalPath(c, '/'), 303);
    const offer = await smsOffer(deps.db, scopeOf(c, deps), readChallengeCookie(c));
    if (offer === 'expired') {
      clearChallengeCookie(c, deps);
      return c.redirect(againPath(c, 'expired', next), 303);
    }
    const notice = c.req.query('sms') === 'sent' && offer ? words(c).smsSent(offer.phoneEnding) : null;
    c.header('Cache-Control', 'no-store');
    return c.html(<SecondStepPage {...stepProps(c, offer, { notice })} />);
  });

  routes.post('/login/two-factor', async (c) => {
    const form = await readForm(c, codeSchema);
    const t = words(c);
    const remember = form.raw.remember_device === '1';
    const next = nextOf(c, form.raw.next);
    if (!form.ok) {
      if (form.status !== 422) return renderError(c, form.status);
      return renderStep(c, 422, { error: t.missing, remember, next });
    }
    const result = await completeSecondStep(deps.db, scopeOf(c, deps), readChallengeCookie(c), { code: form.data.code, remember });
    if (result.ok) {
      clearChallengeCookie(c, deps);
      setSessionCookie(c, deps, result.sessionId);
      if (result.device) setDeviceCookie(c, deps, result.device);
      return redirect(c, next ?? portalPath(c, '/'));
    }
    switch (result.reason) {
      case 'expired':
      case 'exhausted':
        clearChallengeCookie(c, deps);
        return redirect(c, againPath(c, result.reason, next));
      case 'throttled':
        c.header('Retry-After', String(result.retryAfterSeconds));
        return renderStep(c, 429, { error: t.throttled, remember, next });
      default:
        return renderStep(c, 422, { error: t.wrong(result.attemptsLeft), remember, next });
    }
  });

  routes.post('/login/two-factor/sms', async (c) => {
    const form = await readForm(c, emptySchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const t = words(c);
    const next = nextOf(c, form.raw.next);
    const result = await requestSmsCode(deps.db, scopeOf(c, deps), readChallengeCookie(c));
    if (result.ok) {
      if (!isHtmx(c)) return c.redirect(portalPath(c, `/login/two-factor?${new URLSearchParams({ sms: 'sent', ...(next ? { next } : {}) })}`), 303);
      return renderStep(c, 200, { notice: t.smsSent(result.phoneEnding), next });
    }
    switch (result.reason) {
      case 'expired':
        clearChallengeCookie(c, deps);
        return redirect(c, againPath(c, 'expired', next));
      case 'unavailable':
        return renderStep(c, 403, { error: t.smsFailed, next });
      case 'too_many':
        return renderStep(c, 429, { error: t.smsTooMany, next });
      default:
        return renderStep(c, 503, { error: t.smsFailed, next });
    }
  });

  // "Use another account": back to the sign-in form with nothing of this attempt left behind (the way back stays).
  routes.post('/login/two-factor/cancel', async (c) => {
    const form = await readForm(c, emptySchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    await abandonSecondStep(deps.db, scopeOf(c, deps), readChallengeCookie(c));
    clearChallengeCookie(c, deps);
    const next = nextOf(c, form.raw.next);
    return redirect(c, portalPath(c, next ? `/login?${new URLSearchParams({ next })}` : '/login'));
  });

  return routes;
}
