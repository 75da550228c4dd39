import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  AlmostDonePage, ForgotPasswordPage, LinkProblemPage, NewPasswordPage, ResetCodePage, SecurityQuestionPage,
} from '../../../views/recovery/recovery.tsx';
import { forgotText, twoFactorText } from '../../copy/practice.ts';
import { findFlow, findToken, startFlow, type TokenRow } from '../../core/account-tokens.ts';
import { newPasswordErrors, newPasswordSchema } from '../../core/password-policy.ts';
import { chrome } from '../../http/chrome.ts';
import { clearFlowCookie, readFlowCookie, setFlowCookie, setUsernameCookie } from '../../http/cookies.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { scopeOf } from '../../http/portal.ts';
import { portalPath } from '../../http/paths.ts';
import type { Sql } from '../../platform/db.ts';
import {
  answerSecurityQuestion, answersExhausted, completePasswordReset, getResetAccount, passResetSecondFactor, requestPasswordReset, resetTwoFactorPassed, type ResetAccount,
} from './password-reset.ts';

const emailSchema = z.object({ email: z.string().trim().toLowerCase().pipe(z.email().max(254)) });
// Staff sign in with usernames, so the practice portal's "Forgot password?" takes a username as well as an email.
const identifierSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.union([z.email().max(254), z.string().regex(/^[a-z0-9._@-]{3,60}$/)])),
});
const answerSchema = z.object({ answer: z.string().trim().min(1).max(200) });
const codeSchema = z.object({ code: z.string().trim().min(1).max(64) });

/** Journeys P2 and G2: ask for a link, open it, answer the security question, choose a new password. */
export function passwordResetRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  const page = (c: Context<Env>) => ({ chrome: chrome(c), t: c.var.messages });
  const forgotProps = (c: Context<Env>) => ({
    ...page(c), action: portalPath(c, '/forgot-password'), signInHref: portalPath(c, '/login'), text: forgotText(c.var.portal, c.var.messages),
  });

  routes.get('/forgot-password', (c) => c.html(<ForgotPasswordPage {...forgotProps(c)} />));

  routes.post('/forgot-password', async (c) => {
    const form = await readForm(c, c.var.portal === 'practice' ? identifierSchema : emailSchema);
    if (!form.ok) {
      if (form.status !== 422) return renderError(c, form.status);
      const email = (form.raw.email ?? '').slice(0, 254);
      return c.html(<ForgotPasswordPage {...forgotProps(c)} email={email} error />, 422);
    }
    const result = await requestPasswordReset(deps.db, scopeOf(c, deps), form.data.email);
    if (!result.ok) {
      c.header('Retry-After', String(result.retryAfterSeconds));
      return renderError(c, 429, c.var.messages.recovery.tooMany);
    }
    return c.redirect(portalPath(c, '/forgot-password/sent'), 303);
  });

  routes.get('/forgot-password/sent', (c) => c.html(<AlmostDonePage {...page(c)} signInHref={portalPath(c, '/login')} />));

  // The emailed link: bind a flow to this browser and take the token out of the address bar at once.
  routes.get('/reset/:token', async (c) => {
    const flow = await deps.db.inTenant(c.var.tenant.id, async (tx) => {
      const token = await findToken(tx, c.req.param('token'), 'reset', c.var.portal);
      if (!token || token.state !== 'valid') return { problem: token };
      return { flow: await startFlow(tx, token.id) };
    });
    if ('problem' in flow) return renderLinkProblem(c, flow.problem ?? null);
    setFlowCookie(c, deps, flow.flow!);
    return c.redirect(portalPath(c, '/reset'), 303);
  });

  routes.get('/reset', async (c) => {
    const state = await loadFlow(c);
    if (!state) return renderFlowExpired(c);
    if (state.exhausted) return renderExhausted(c);
    return renderStep(c, state);
  });

  routes.post('/reset/answer', async (c) => {
    const form = await readForm(c, answerSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const outcome = await deps.db.inTenant(c.var.tenant.id, async (tx) => {
      const state = await openFlow(c, tx);
      if (!state) return { expired: true as const };
      const { flow, account } = state;
      if (!form.ok) return { flow, account, error: c.var.messages.recovery.answerMissing };
      const result = await answerSecurityQuestion(tx, scopeOf(c, deps), flow, account, form.data.answer);
      if (result.ok) return { next: true as const };
      if (result.reason === 'burned') return { burned: true as const };
      if (result.reason === 'exhausted') return { exhausted: true as const };
      return { flow, account, error: c.var.messages.recovery.wrongAnswer(result.triesLeft) };
    });
    if ('expired' in outcome) return renderFlowExpired(c);
    if ('exhausted' in outcome) return renderExhausted(c);
    if ('burned' in outcome) {
      clearFlowCookie(c, deps);
      const m = c.var.messages.recovery;
      return renderLinkPage(c, 410, m.linkBurnedTitle, m.linkBurned);
    }
    if ('next' in outcome) return c.redirect(portalPath(c, '/reset'), 303);
    return c.html(<SecurityQuestionPage {...page(c)} action={portalPath(c, '/reset/answer')} question={outcome.account?.securityQuestion ?? ''} error={outcome.error} />, 422);
  });

  routes.post('/reset/password', async (c) => {
    const form = await readForm(c, newPasswordSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const outcome = await deps.db.inTenant(c.var.tenant.id, async (tx) => {
      const state = await openFlow(c, tx);
      if (!state) return { expired: true as const };
      const { flow, account } = state;
      if (account.answerHash && !flow.questionPassed) return { question: true as const };
      if (account.twoFactorEnabled && !(await resetTwoFactorPassed(tx, flow))) return { question: true as const };
      const errors = newPasswordErrors(form.ok ? form.data : null, c.var.tenant, account, c.var.messages);
      if (errors) return { errors, account };
      await completePasswordReset(tx, scopeOf(c, deps), flow, account, form.ok ? form.data.new_password : '');
      return { done: true as const, username: account.username };
    });
    if ('expired' in outcome) return renderFlowExpired(c);
    if ('question' in outcome) return c.redirect(portalPath(c, '/reset'), 303);
    if ('errors' in outcome) {
      return c.html(<NewPasswordPage {...page(c)} action={portalPath(c, '/reset/password')} strengthAction={portalPath(c, '/password-strength')} username={outcome.account?.username ?? ''} errors={outcome.errors} />, 422);
    }
    clearFlowCookie(c, deps);
    setUsernameCookie(c, deps, outcome.username);
    return c.redirect(portalPath(c, '/login?reset=1'), 303);
  });

  // Accounts with 2FA: after the question, a code from the app (or a recovery code) before any new password.
  routes.post('/reset/two-factor', async (c) => {
    const form = await readForm(c, codeSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const t = twoFactorText(c.var.portal, c.var.messages);
    const outcome = await deps.db.inTenant(c.var.tenant.id, async (tx) => {
      const state = await openFlow(c, tx);
      if (!state) return { expired: true as const };
      const { flow, account } = state;
      if (!account.twoFactorEnabled || (account.answerHash && !flow.questionPassed)) return { next: true as const };
      if (!form.ok) return { status: 422 as const, error: t.missing };
      const result = await passResetSecondFactor(tx, scopeOf(c, deps), flow, account, form.data.code);
      if (result.ok) return { next: true as const };
      if (result.reason === 'throttled') {
        c.header('Retry-After', String(result.retryAfterSeconds));
        return { status: 429 as const, error: t.throttled };
      }
      return { status: 422 as const, error: t.confirmWrong };
    });
    if ('expired' in outcome) return renderFlowExpired(c);
    if ('next' in outcome) return c.redirect(portalPath(c, '/reset'), 303);
    return c.html(<ResetCodePage chrome={chrome(c)} t={t} action={portalPath(c, '/reset/two-factor')} error={outcome.error} />, outcome.status);
  });

  /** The reset flow this browser has open (its cookie), with the account it resets; null when none is. */
  async function openFlow(c: Context<Env>, tx: Sql) {
    const flowSecret = readFlowCookie(c);
    const flow = flowSecret ? await findFlow(tx, flowSecret, 'reset', c.var.portal) : null;
    if (!flow || flow.state !== 'valid') return null;
    return { flow, account: (await getResetAccount(tx, flow.accountId))! };
  }

  function loadFlow(c: Context<Env>) {
    return deps.db.inTenant(c.var.tenant.id, async (tx) => {
      const state = await openFlow(c, tx);
      if (!state) return null;
      const questionOwed = Boolean(state.account.answerHash) && !state.flow.questionPassed;
      return {
        ...state,
        codeOwed: state.account.twoFactorEnabled && !(await resetTwoFactorPassed(tx, state.flow)),
        exhausted: questionOwed && await answersExhausted(tx, scopeOf(c, deps), state.account.id),
      };
    });
  }


  function renderStep(c: Context<Env>, state: { flow: TokenRow; account: ResetAccount; codeOwed: boolean }) {
    if (state.account.answerHash && !state.flow.questionPassed) {
      return c.html(<SecurityQuestionPage {...page(c)} action={portalPath(c, '/reset/answer')} question={state.account.securityQuestion ?? ''} />);
    }
    if (state.codeOwed) return c.html(<ResetCodePage chrome={chrome(c)} t={twoFactorText(c.var.portal, c.var.messages)} action={portalPath(c, '/reset/two-factor')} />);
    return c.html(<NewPasswordPage {...page(c)} action={portalPath(c, '/reset/password')} strengthAction={portalPath(c, '/password-strength')} username={state.account.username} />);
  }

  /** Too many wrong answers on this account today: the way forward is the practice, not another link. */
  function renderExhausted(c: Context<Env>) {
    const m = c.var.messages.recovery;
    c.header('Retry-After', '86400');
    return c.html(<LinkProblemPage {...page(c)} title={m.answersExhaustedTitle} message={m.answersExhausted} newLinkHref={portalPath(c, '/login')} newLinkLabel={m.goToSignIn} />, 429);
  }

  function renderFlowExpired(c: Context<Env>) {
    const m = c.var.messages.recovery;
    return renderLinkPage(c, 400, m.flowExpiredTitle, m.flowExpired);
  }

  function renderLinkProblem(c: Context<Env>, token: TokenRow | null) {
    const m = c.var.messages.recovery;
    if (!token) return renderLinkPage(c, 404, m.linkUnknownTitle, m.linkUnknown);
    if (token.state === 'expired') return renderLinkPage(c, 410, m.linkExpiredTitle, m.linkExpired);
    if (token.state === 'used') return renderLinkPage(c, 410, m.linkUsedTitle, m.linkUsed);
    if (token.revokedReason === 'too many wrong answers') return renderLinkPage(c, 410, m.linkBurnedTitle, m.linkBurned);
    return renderLinkPage(c, 410, m.linkRevokedTitle, m.linkRevoked);
  }

  function renderLinkPage(c: Context<Env>, status: 400 | 404 | 410, title: string, message: string) {
    return c.html(<LinkProblemPage {...page(c)} title={title} message={message} newLinkHref={portalPath(c, '/forgot-password')} newLinkLabel={c.var.messages.recovery.requestNew} />, status);
  }

  return routes;
}
