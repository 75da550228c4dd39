import { Hono, type Context } from 'hono';
import { ChangeEmailForm, ConfirmAction, SetPasswordForm, type FormErrors } from '../../../views/staff-admin/staff-drawer.tsx';
import { ADMIN_OWN_PASSWORD } from '../../copy/practice.ts';
import { practiceText } from '../../copy/practice/index.ts';
import { newPasswordErrors } from '../../core/password-policy.ts';
import { chrome } from '../../http/chrome.ts';
import { redirect } from '../../http/client.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { ownPasswordProblem } from '../../http/own-password.ts';
import { requireRole, scopeOf } from '../../http/portal.ts';
import { portalPath } from '../../http/paths.ts';
import { isUniqueViolation, type Sql } from '../../platform/db.ts';
import { loadMember, staffPath, surfaceMode } from './paths.ts';
import { changeEmailSchema, fromSchema, setPasswordSchema } from './forms.ts';
import {
  TEMPORARY_PASSWORD_DAYS, changeStaffEmail, resendStaffInvitation, sendStaffReset, setStaffActive, setStaffPassword, unlockStaff,
} from './staff-actions.ts';
import { getStaffMember, type StaffMember } from './staff.ts';

// The actions on a staff member's page (P4): each opens a confirmation or a short form first (a page without
// JavaScript, a dialog with it), then posts, is audited by the domain function, and redirects with a notice.

const A = practiceText.staff.actions;

export function staffActionRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  routes.use('/staff/:id/*', requireRole('admin'));

  // Each action reads the member again under a row lock in its own transaction: two administrators acting at once
  // are serialised, and each acts on (and notifies) what is stored, not on what its page showed.
  const locked = <T,>(c: Context<Env>, m: StaffMember, work: (tx: Sql, fresh: StaffMember) => Promise<T>) =>
    deps.db.inTenant(c.var.tenant.id, async (tx) => work(tx, (await getStaffMember(tx, m.id, { lock: true })) ?? m));
  const name = (m: StaffMember) => `${m.firstName} ${m.lastName}`;
  const back = (c: Context<Env>, m: StaffMember, from?: string) => (from === 'list' ? staffPath(c) : staffPath(c, m.id));
  const done = (c: Context<Env>, m: StaffMember, what: string, from?: string) =>
    redirect(c, from === 'list' ? `${staffPath(c)}?done=${what}` : `${staffPath(c, m.id)}?done=${what}`);

  // Reset Password: confirm, then a 72-hour link by email.
  routes.get('/staff/:id/reset-password', async (c) => {
    const m = await loadMember(deps, c);
    if (!m) return renderError(c, 404);
    return c.html(resetConfirm(c, m));
  });
  routes.post('/staff/:id/reset-password', async (c) => {
    const m = await loadMember(deps, c);
    if (!m) return renderError(c, 404);
    if (m.status === 'deactivated' || m.status === 'invited' || !m.email) return c.html(resetConfirm(c, m, resetRefusal(m)), 422);
    const sent = await locked(c, m, (tx, fresh) => sendStaffReset(tx, scopeOf(c, deps), fresh));
    return done(c, m, !sent.ok && sent.reason === 'held' ? `reset-held-${sent.hold === 'daily limit reached' ? 'cap' : 'live'}` : 'reset');
  });
  const resetRefusal = (m: StaffMember) =>
    m.status === 'deactivated' ? A.deactivated(name(m)) : m.status === 'invited' ? A.notAccepted(name(m)) : A.noEmail(name(m));
  function resetConfirm(c: Context<Env>, m: StaffMember, message?: string) {
    const hours = c.var.tenant.settings.staffResetLinkHours;
    return (
      <ConfirmAction mode={surfaceMode(c)} chrome={chrome(c)} title={A.resetPassword} action={staffPath(c, m.id, '/reset-password')}
        closeHref={staffPath(c, m.id)} button={A.resetPassword} message={message}>
        <p>{A.resetConfirm(name(m))}<strong>{m.email ?? A.noAddress}</strong>{A.resetValidity(hours)}</p>
      </ConfirmAction>
    );
  }

  // Change Email: the administrator's own password; a notice to the old address; pending links die.
  routes.get('/staff/:id/email', async (c) => {
    const m = await loadMember(deps, c);
    if (!m) return renderError(c, 404);
    return renderEmailForm(c, 200, m, '');
  });
  routes.post('/staff/:id/email', async (c) => {
    const m = await loadMember(deps, c);
    if (!m) return renderError(c, 404);
    const form = await readForm(c, changeEmailSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const typed = (form.raw.email ?? '').slice(0, 254);
    if (!form.ok) return renderEmailForm(c, 422, m, typed, { email: form.errors.email });
    const own = await ownPasswordProblem(c, deps, form.data.current_password, ADMIN_OWN_PASSWORD);
    if (own) return renderEmailForm(c, own.status, m, typed, { current_password: own.message });
    const result = await locked(c, m, (tx, fresh) => changeStaffEmail(tx, scopeOf(c, deps), fresh, form.data.email))
      .catch((error) => {
        // Taken by another account between our check and the update (two administrators at once).
        if (isUniqueViolation(error, 'accounts_email_key')) return { ok: false as const, reason: 'taken' as const, errors: { email: practiceText.staff.errors.emailTaken } };
        throw error;
      });
    if (!result.ok) return renderEmailForm(c, 422, m, typed, result.errors);
    return done(c, m, 'email');
  });
  function renderEmailForm(c: Context<Env>, status: 200 | 422 | 429, m: StaffMember, email: string, errors?: FormErrors) {
    return c.html(
      <ChangeEmailForm mode={surfaceMode(c)} chrome={chrome(c)} action={staffPath(c, m.id, '/email')} closeHref={staffPath(c, m.id)}
        name={name(m)} currentEmail={m.email} email={email} errors={errors} />,
      status,
    );
  }

  // Set password directly: only where the practice allows it, after the administrator's own password.
  routes.get('/staff/:id/password', async (c) => {
    const m = await loadMember(deps, c);
    if (!m) return renderError(c, 404);
    if (!c.var.tenant.settings.staffPasswordSetByAdmin) return refuseSetPassword(c);
    return renderSetPassword(c, 200, m);
  });
  routes.post('/staff/:id/password', async (c) => {
    const m = await loadMember(deps, c);
    if (!m) return renderError(c, 404);
    if (!c.var.tenant.settings.staffPasswordSetByAdmin) return refuseSetPassword(c);
    if (m.status === 'deactivated') return renderError(c, 422, A.deactivated(name(m)));
    const form = await readForm(c, setPasswordSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    if (!form.ok) return renderSetPassword(c, 422, m, { new_password: A.enterTwice });
    const own = await ownPasswordProblem(c, deps, form.data.current_password, ADMIN_OWN_PASSWORD);
    if (own) return renderSetPassword(c, own.status, m, { current_password: own.message });
    const errors = newPasswordErrors(form.data, c.var.tenant, { username: m.username, email: m.email }, c.var.messages);
    if (errors) return renderSetPassword(c, 422, m, errors);
    await locked(c, m, (tx, fresh) => setStaffPassword(tx, scopeOf(c, deps), fresh, form.data.new_password));
    return done(c, m, 'password');
  });
  const refuseSetPassword = (c: Context<Env>) =>
    renderError(c, 403, A.setPasswordNotAllowed);
  function renderSetPassword(c: Context<Env>, status: 200 | 422 | 429, m: StaffMember, errors?: FormErrors) {
    return c.html(
      <SetPasswordForm mode={surfaceMode(c)} chrome={chrome(c)} action={staffPath(c, m.id, '/password')} closeHref={staffPath(c, m.id)}
        strengthAction={portalPath(c, '/password-strength')} name={name(m)} days={TEMPORARY_PASSWORD_DAYS} errors={errors} />,
      status,
    );
  }

  // Deactivate / Reactivate: confirmation first; deactivation ends every session at once.
  for (const toggle of ['deactivate', 'reactivate'] as const) {
    const label = toggle === 'deactivate' ? practiceText.staff.deactivate : practiceText.staff.reactivate;
    routes.get(`/staff/:id/${toggle}`, async (c) => {
      const m = await loadMember(deps, c);
      if (!m) return renderError(c, 404);
      if (toggle === 'deactivate' && m.id === c.var.account!.id) return refuseSelf(c);
      const from = fromSchema.parse({ from: c.req.query('from') }).from;
      return c.html(
        <ConfirmAction mode={surfaceMode(c)} chrome={chrome(c)} title={A.toggleTitle(label, name(m))} action={staffPath(c, m.id, `/${toggle}`)}
          closeHref={back(c, m, from)} button={label} danger={toggle === 'deactivate'} from={from}>
          <p>{toggle === 'deactivate' ? A.deactivateConfirm(name(m)) : A.reactivateConfirm(name(m))}</p>
        </ConfirmAction>,
      );
    });
    routes.post(`/staff/:id/${toggle}`, async (c) => {
      const m = await loadMember(deps, c);
      if (!m) return renderError(c, 404);
      const form = await readForm(c, fromSchema);
      if (!form.ok) return renderError(c, form.status === 422 ? 400 : form.status);
      const result = await locked(c, m, (tx, fresh) => setStaffActive(tx, scopeOf(c, deps), fresh, toggle === 'reactivate'));
      if (!result.ok && result.reason === 'self') return refuseSelf(c);
      return done(c, m, result.ok ? `${toggle}d` : 'unchanged', form.data.from);
    });
  }
  const refuseSelf = (c: Context<Env>) => renderError(c, 403, A.notSelf);

  routes.post('/staff/:id/unlock', async (c) => {
    const m = await loadMember(deps, c);
    if (!m) return renderError(c, 404);
    await locked(c, m, (tx, fresh) => unlockStaff(tx, scopeOf(c, deps), fresh));
    return done(c, m, 'unlocked');
  });

  routes.post('/staff/:id/invitation', async (c) => {
    const m = await loadMember(deps, c);
    if (!m) return renderError(c, 404);
    const sent = await locked(c, m, (tx, fresh) => resendStaffInvitation(tx, scopeOf(c, deps), fresh));
    if (!sent.ok) return renderError(c, 422, A.alreadyAccepted(name(m)));
    return done(c, m, 'invited');
  });

  return routes;
}
