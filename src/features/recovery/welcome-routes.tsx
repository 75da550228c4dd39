import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { LinkProblemPage, WelcomePage } from '../../../views/recovery/recovery.tsx';
import { SECURITY_QUESTIONS } from '../../copy/messages.ts';
import { findFlow, findToken, startFlow } from '../../core/account-tokens.ts';
import { getAccountSummary } from '../../core/accounts.ts';
import { newPasswordErrors, newPasswordSchema } from '../../core/password-policy.ts';
import { chrome } from '../../http/chrome.ts';
import { clearFlowCookie, readFlowCookie, setFlowCookie, setUsernameCookie } from '../../http/cookies.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { portalPath } from '../../http/paths.ts';
import type { Sql } from '../../platform/db.ts';
import { acceptInvitation } from './invitation.ts';

const welcomeSchema = newPasswordSchema.extend({
  question: z.enum(SECURITY_QUESTIONS).optional().catch(undefined),
  answer: z.string().trim().max(200).optional(),
});

/** G5 and staff invitations: the emailed link, then a token-free page to choose a password and a question. */
export function welcomeRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();

  routes.get('/welcome/:token', async (c) => {
    const flow = await deps.db.inTenant(c.var.tenant.id, async (tx) => {
      const token = await findToken(tx, c.req.param('token'), 'invitation', c.var.portal);
      return token?.state === 'valid' ? startFlow(tx, token.id) : null;
    });
    if (!flow) return renderProblem(c);
    setFlowCookie(c, deps, flow);
    return c.redirect(portalPath(c, '/welcome'), 303);
  });

  routes.get('/welcome', async (c) => {
    const state = readFlowCookie(c) ? await deps.db.inTenant(c.var.tenant.id, (tx) => openInvitation(c, tx)) : null;
    if (!state) return renderProblem(c);
    return renderWelcome(c, 200, state.account.username);
  });

  routes.post('/welcome', async (c) => {
    const form = await readForm(c, welcomeSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const m = c.var.messages.recovery;
    const outcome = await deps.db.inTenant(c.var.tenant.id, async (tx) => {
      const state = await openInvitation(c, tx);
      if (!state) return { problem: true as const };
      const { flow, account } = state;
      const data = form.ok ? form.data : null;
      const errors = {
        ...newPasswordErrors(data, c.var.tenant, account, c.var.messages),
        question: data?.question ? null : m.questionMissing,
        answer: data?.answer ? null : m.answerMissing,
      };
      if (Object.values(errors).some(Boolean)) return { errors, username: account.username };
      await acceptInvitation(tx, c.var.origin, flow, { password: data!.new_password, question: data!.question!, answer: data!.answer! });
      return { done: true as const, username: account.username };
    });
    if ('problem' in outcome) return renderProblem(c);
    if ('errors' in outcome) return renderWelcome(c, 422, outcome.username ?? '', outcome.errors);
    clearFlowCookie(c, deps);
    setUsernameCookie(c, deps, outcome.username);
    return c.redirect(portalPath(c, '/login?welcome=1'), 303);
  });

  /** The invitation this browser has open (its cookie), with the account it sets up; null when none is. */
  async function openInvitation(c: Context<Env>, tx: Sql) {
    const secret = readFlowCookie(c);
    const flow = secret ? await findFlow(tx, secret, 'invitation', c.var.portal) : null;
    if (!flow || flow.state !== 'valid') return null;
    const account = await getAccountSummary(tx, flow.accountId);
    return account ? { flow, account } : null;
  }

  function renderWelcome(c: Context<Env>, status: 200 | 422, username: string, errors?: Parameters<typeof WelcomePage>[0]['errors']) {
    return c.html(
      <WelcomePage chrome={chrome(c)} t={c.var.messages} action={portalPath(c, '/welcome')} strengthAction={portalPath(c, '/password-strength')} username={username} errors={errors} />,
      status,
    );
  }

  function renderProblem(c: Context<Env>) {
    const m = c.var.messages.recovery;
    return c.html(<LinkProblemPage chrome={chrome(c)} t={c.var.messages} title={m.invitationProblemTitle} message={m.invitationProblem} newLinkHref={portalPath(c, '/login')} newLinkLabel={m.goToSignIn} />, 410);
  }

  return routes;
}
