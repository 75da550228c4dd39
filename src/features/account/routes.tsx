import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { AccountPage, RequiredUpdatePage, type AccountErrors } from '../../../views/account/account.tsx';
import { SECURITY_QUESTIONS } from '../../copy/messages.ts';
import { getAccountSummary } from '../../core/accounts.ts';
import { newPasswordErrors, newPasswordSchema } from '../../core/password-policy.ts';
import { getTwoFactorStatus } from '../../core/second-factor.ts';
import type { Portal } from '../../core/tenant.ts';
import { chrome, clockOf } from '../../http/chrome.ts';
import { redirect } from '../../http/client.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { ownPasswordProblem } from '../../http/own-password.ts';
import { REQUIRED_UPDATE_PATH, requireAccount, scopeOf } from '../../http/portal.ts';
import { portalPath } from '../../http/paths.ts';
import type { PageSlot } from '../../http/slots.ts';
import type { Sql } from '../../platform/db.ts';
import { changePassword, changeSecurityQuestion, endSession, listSessions } from './credentials.ts';

const currentPassword = z.string().min(1).max(1024);
const question = z.enum(SECURITY_QUESTIONS);
const answer = z.string().trim().min(1).max(200);
const passwordSchema = newPasswordSchema.extend({ current_password: currentPassword, sign_out_others: z.literal('1').optional() });
const questionSchema = z.object({ current_password: currentPassword, question, answer });
const requiredSchema = newPasswordSchema.partial().extend({
  current_password: currentPassword, question: question.optional(), answer: answer.optional(),
});

/**
 * P3 (practice: /account) and G3 (patient: /settings/account), plus the forced update of G4. `sections` are what other
 * capabilities add to the page (src/app.ts passes the passkey list).
 */
export function accountRoutes(deps: AppDeps, portal: Portal, slots: { sections?: PageSlot[] } = {}) {
  const routes = new Hono<Env>();
  const area = portal === 'practice' ? '/account' : '/settings/account';
  const base = (c: Context<Env>) => portalPath(c, area);
  const inTenant = <T,>(c: Context<Env>, work: (tx: Sql) => Promise<T>) => deps.db.inTenant(c.var.tenant.id, work);
  routes.use(area, requireAccount);
  routes.use(`${area}/*`, requireAccount);
  routes.use(REQUIRED_UPDATE_PATH, requireAccount);

  async function renderAccount(c: Context<Env>, status: 200 | 422 | 429, extra: { notice?: string | null; form?: 'password' | 'question'; errors?: AccountErrors } = {}) {
    const account = c.var.account!;
    const { summary, sessions, twoFactor } = await inTenant(c, async (tx) => ({
      summary: await getAccountSummary(tx, account.id),
      sessions: await listSessions(tx, account.id, c.var.sessionId),
      twoFactor: await getTwoFactorStatus(tx, account.id),
    }));
    const t = c.var.messages;
    const paths = {
      password: `${base(c)}/password`, question: `${base(c)}/security-question`, sessions: `${base(c)}/sessions`, strength: portalPath(c, '/password-strength'),
      twoFactor: `${base(c)}/two-factor`,
    };
    const twoFactorSummary = { enabled: twoFactor.enabled, since: twoFactor.enabledAt ? clockOf(c).date(twoFactor.enabledAt) : null, codesLeft: twoFactor.recoveryCodesLeft };
    return c.html(
      <AccountPage chrome={chrome(c)} t={t} title={c.var.portal === 'practice' ? t.account.practiceTitle : t.account.title}
        username={account.username} email={account.email} question={summary?.securityQuestion ?? null} sessions={sessions} paths={paths} clock={clockOf(c)}
        twoFactor={twoFactorSummary} sections={await Promise.all((slots.sections ?? []).map((section) => section(c)))} {...extra} />,
      status,
    );
  }

  routes.get(area, (c) => {
    const t = c.var.messages.account;
    const notice = { password: t.passwordChanged, question: t.questionChanged, session: t.sessionEnded }[c.req.query('done') ?? ''] ?? null;
    return renderAccount(c, 200, { notice });
  });

  routes.post(`${area}/password`, async (c) => {
    const form = await readForm(c, passwordSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const t = c.var.messages.account;
    if (!form.ok) {
      return renderAccount(c, 422, { form: 'password', errors: {
        current_password: form.errors.current_password ? t.currentPasswordMissing : null,
        ...newPasswordErrors(null, c.var.tenant, c.var.account!, c.var.messages),
      } });
    }
    const wrong = await ownPasswordProblem(c, deps, form.data.current_password);
    if (wrong) return renderAccount(c, wrong.status, { form: 'password', errors: { current_password: wrong.message } });
    const errors = newPasswordErrors(form.data, c.var.tenant, c.var.account!, c.var.messages);
    if (errors) return renderAccount(c, 422, { form: 'password', errors });
    await inTenant(c, (tx) => changePassword(tx, scopeOf(c, deps), {
      newPassword: form.data.new_password, keepSessionId: c.var.sessionId, signOutOthers: form.data.sign_out_others === '1',
    }));
    return redirect(c, `${base(c)}?done=password`);
  });

  routes.post(`${area}/security-question`, async (c) => {
    const form = await readForm(c, questionSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const m = c.var.messages;
    if (!form.ok) {
      return renderAccount(c, 422, { form: 'question', errors: {
        current_password: form.errors.current_password ? m.account.currentPasswordMissing : null,
        question: form.errors.question ? m.recovery.questionMissing : null,
        answer: form.errors.answer ? m.recovery.answerMissing : null,
      } });
    }
    const wrong = await ownPasswordProblem(c, deps, form.data.current_password);
    if (wrong) return renderAccount(c, wrong.status, { form: 'question', errors: { current_password: wrong.message } });
    await inTenant(c, (tx) => changeSecurityQuestion(tx, scopeOf(c, deps), form.data.question, form.data.answer));
    return redirect(c, `${base(c)}?done=question`);
  });

  routes.post(`${area}/sessions/:handle/end`, async (c) => {
    const ended = await inTenant(c, (tx) => endSession(tx, scopeOf(c, deps), c.req.param('handle')));
    if (!ended.ok) return renderError(c, 404, 'That device is no longer signed in.');
    return redirect(c, `${base(c)}?done=session`);
  });

  routes.get(REQUIRED_UPDATE_PATH, (c) => renderRequired(c, 200));

  routes.post(REQUIRED_UPDATE_PATH, async (c) => {
    const form = await readForm(c, requiredSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const m = c.var.messages;
    const account = c.var.account!;
    const needs = { password: account.mustChangePassword, question: !account.hasSecurityQuestion };
    const own = needs.password
      ? { missing: m.account.temporaryPasswordMissing, wrong: m.account.temporaryPasswordWrong, throttled: m.account.tooManyTries }
      : undefined;
    if (!form.ok) return renderRequired(c, 422, { current_password: own?.missing ?? m.account.currentPasswordMissing });
    const wrong = await ownPasswordProblem(c, deps, form.data.current_password, own);
    if (wrong) return renderRequired(c, wrong.status, { current_password: wrong.message });
    const newPassword = { new_password: form.data.new_password ?? '', new_password_confirmation: form.data.new_password_confirmation ?? '' };
    const errors: AccountErrors = needs.password ? { ...newPasswordErrors(newPassword, c.var.tenant, account, m) } : {};
    if (needs.question && !form.data.question) errors.question = m.recovery.questionMissing;
    if (needs.question && !form.data.answer) errors.answer = m.recovery.answerMissing;
    if (Object.values(errors).some(Boolean)) return renderRequired(c, 422, errors);
    await inTenant(c, async (tx) => {
      const scope = scopeOf(c, deps);
      if (needs.password) await changePassword(tx, scope, { newPassword: newPassword.new_password, keepSessionId: c.var.sessionId, signOutOthers: true });
      if (needs.question) await changeSecurityQuestion(tx, scope, form.data.question!, form.data.answer!);
    });
    return redirect(c, portalPath(c, `/?done=${needs.password ? 'password-set' : 'question-set'}`));
  });

  function renderRequired(c: Context<Env>, status: 200 | 422 | 429, errors?: AccountErrors) {
    const account = c.var.account!;
    return c.html(
      <RequiredUpdatePage chrome={chrome(c)} t={c.var.messages} action={portalPath(c, REQUIRED_UPDATE_PATH)} strengthAction={portalPath(c, '/password-strength')}
        username={account.username} needsPassword={account.mustChangePassword} needsQuestion={!account.hasSecurityQuestion} errors={errors} />,
      status,
    );
  }

  return routes;
}
