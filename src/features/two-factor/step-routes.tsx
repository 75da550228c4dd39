import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { PRACTICE_SIGN_IN_TEXT } from '../../../views/sign-in/sign-in.tsx';
import { SecondStepForm, SecondStepPage, practiceTwoFactorText, type SecondStepProps, type TwoFactorText } from '../../../views/two-factor/step.tsx';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { chrome, portalPath, redirect, setSessionCookie } from '../../http/portal.ts';
import { isHtmx } from '../../http/client.ts';
import { clearChallengeCookie, readChallengeCookie, setDeviceCookie } from '../../http/two-factor-cookies.ts';
import { messagesFor } from '../../copy/messages.ts';
import { selectSmsProvider } from '../../mail/sms.ts';
import { completeSecondStep, requestSmsCode, smsOffer, type SmsOffer } from './second-step.ts';
import type { Portal } from '../../core/tenant.ts';
import { twoFactorSettingsRoutes } from './settings-routes.tsx';

const codeSchema = z.object({ code: z.string().trim().min(1).max(64), remember_device: z.literal('1').optional() });
const emptySchema = z.object({});

/** Staff read English directly, guardians the catalog's words; both say the same today. */
export function twoFactorText(c: Context<Env>): TwoFactorText {
  return c.var.portal === 'patient' ? c.var.messages.twoFactor : practiceTwoFactorText(messagesFor('en').twoFactor);
}

/**
 * The second sign-in step at /login/two-factor (both portals), and the 2FA settings pages of My Account / Settings.
 * The step needs the challenge cookie set by a correct password; without it (or once it is spent) the person signs
 * in again.
 */
export function twoFactorRoutes(deps: AppDeps, portal: Portal) {
  const routes = new Hono<Env>();
  const sms = selectSmsProvider(deps);
  const scope = (c: Context<Env>) => ({ db: deps.db, config: deps.config, tenant: c.var.tenant, portal: c.var.portal, origin: c.var.origin });
  const againPath = (c: Context<Env>, why: 'expired' | 'exhausted') => portalPath(c, `/login?two_factor=${why}`);

  function stepProps(c: Context<Env>, offer: SmsOffer, extra: Partial<SecondStepProps> = {}): SecondStepProps {
    const patient = c.var.portal === 'patient';
    return {
      chrome: chrome(c),
      t: twoFactorText(c),
      action: portalPath(c, '/login/two-factor'),
      smsAction: portalPath(c, '/login/two-factor/sms'),
      forgotHref: portalPath(c, '/forgot-password'),
      forgotLabel: patient ? c.var.messages.signIn.forgot : PRACTICE_SIGN_IN_TEXT.forgot,
      rememberDays: c.var.tenant.settings.rememberDeviceDays,
      sms: offer,
      ...extra,
    };
  }

  async function renderStep(c: Context<Env>, status: 200 | 403 | 422 | 429 | 503, extra: Partial<SecondStepProps>) {
    const offer = await smsOffer(scope(c), sms, readChallengeCookie(c));
    const props = stepProps(c, offer === 'expired' ? null : offer, extra);
    c.header('Cache-Control', 'no-store');
    if (isHtmx(c)) return c.html(<SecondStepForm {...props} />, status);
    return c.html(<SecondStepPage {...props} />, status);
  }

  routes.get('/login/two-factor', async (c) => {
    if (c.var.account) return c.redirect(portalPath(c, '/'), 303);
    const offer = await smsOffer(scope(c), sms, readChallengeCookie(c));
    if (offer === 'expired') {
      clearChallengeCookie(c, deps.config);
      return c.redirect(againPath(c, 'expired'), 303);
    }
    const notice = c.req.query('sms') === 'sent' && offer ? twoFactorText(c).smsSent(offer.phoneEnding) : null;
    c.header('Cache-Control', 'no-store');
    return c.html(<SecondStepPage {...stepProps(c, offer, { notice })} />);
  });

  routes.post('/login/two-factor', async (c) => {
    const form = await readForm(c, codeSchema);
    const t = twoFactorText(c);
    const remember = form.raw.remember_device === '1';
    if (!form.ok) {
      if (form.status !== 422) return renderError(c, form.status);
      return renderStep(c, 422, { error: t.missing, remember });
    }
    const result = await completeSecondStep(scope(c), readChallengeCookie(c), { code: form.data.code, remember });
    if (result.ok) {
      clearChallengeCookie(c, deps.config);
      setSessionCookie(c, deps, result.sessionId);
      if (result.device) setDeviceCookie(c, deps.config, result.device);
      return redirect(c, portalPath(c, '/'));
    }
    switch (result.reason) {
      case 'expired':
      case 'exhausted':
        clearChallengeCookie(c, deps.config);
        return redirect(c, againPath(c, result.reason));
      case 'throttled':
        c.header('Retry-After', String(result.retryAfterSeconds));
        return renderStep(c, 429, { error: t.throttled, remember });
      default:
        return renderStep(c, 422, { error: t.wrong(result.attemptsLeft), remember });
    }
  });

  routes.post('/login/two-factor/sms', async (c) => {
    const form = await readForm(c, emptySchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const t = twoFactorText(c);
    const result = await requestSmsCode(scope(c), sms, readChallengeCookie(c));
    if (result.ok) {
      if (!isHtmx(c)) return c.redirect(portalPath(c, '/login/two-factor?sms=sent'), 303);
      return renderStep(c, 200, { notice: t.smsSent(result.phoneEnding) });
    }
    switch (result.reason) {
      case 'expired':
        clearChallengeCookie(c, deps.config);
        return redirect(c, againPath(c, 'expired'));
      case 'unavailable':
        return renderStep(c, 403, { error: t.smsFailed });
      case 'too_many':
        return renderStep(c, 429, { error: t.smsTooMany });
      default:
        return renderStep(c, 503, { error: t.smsFailed });
    }
  });

  routes.route('/', twoFactorSettingsRoutes(deps, portal));
  return routes;
}
