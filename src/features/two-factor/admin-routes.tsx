import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { AdminResetPage } from '../../../views/two-factor/settings.tsx';
import { practiceText } from '../../copy/practice/index.ts';
import { chrome, clockOf } from '../../http/chrome.ts';
import { redirect } from '../../http/client.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { isUuid } from '../../http/ids.ts';
import { ownPasswordProblem } from '../../http/own-password.ts';
import { requireRole, scopeOf } from '../../http/portal.ts';
import { portalPath } from '../../http/paths.ts';
import { getStaffTwoFactor, resetTwoFactorByStaff, type StaffTwoFactor } from './two-factor.ts';

const passwordSchema = z.object({ current_password: z.string().min(1).max(1024) });

/**
 * P4: an administrator resets a staff member's 2FA (a lost phone, say). GET asks for confirmation, POST does it
 * after the administrator's own password; the staff pages link here ("Reset 2FA") for members with 2FA on.
 */
export function twoFactorAdminRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  const resetPath = '/staff/:id/two-factor/reset';
  routes.use(resetPath, requireRole('admin'));

  async function loadMember(c: Context<Env>): Promise<StaffTwoFactor | Response> {
    const id = c.req.param('id');
    const member = isUuid(id) ? await deps.db.inTenant(c.var.tenant.id, (tx) => getStaffTwoFactor(tx, id)) : null;
    if (!member) return renderError(c, 404);
    if (member.id === c.var.account!.id) return renderError(c, 403, practiceText.staff.actions.twoFactorOwn);
    return member;
  }

  function renderPage(c: Context<Env>, status: 200 | 422 | 429, member: StaffTwoFactor, extra: { done?: boolean; error?: string | null } = {}) {
    const memberHref = portalPath(c, `/staff/${member.id}`);
    return c.html(<AdminResetPage chrome={chrome(c)} member={member} since={member.enabledAt ? clockOf(c).date(member.enabledAt) : null} action={`${memberHref}/two-factor/reset`} memberHref={memberHref} {...extra} />, status);
  }

  routes.get(resetPath, async (c) => {
    const member = await loadMember(c);
    if (member instanceof Response) return member;
    return renderPage(c, 200, member, { done: c.req.query('done') === '1' && !member.enabledAt && member.passkeys === 0 });
  });

  routes.post(resetPath, async (c) => {
    const member = await loadMember(c);
    if (member instanceof Response) return member;
    const form = await readForm(c, passwordSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const here = portalPath(c, `/staff/${member.id}/two-factor/reset`);
    if (!member.enabledAt && member.passkeys === 0) return redirect(c, here);
    // A bare "Reset 2FA" button (the staff list's) asks for the confirmation; only this page's form carries the password.
    if (form.raw.current_password === undefined) return renderPage(c, 200, member);
    const problem = await ownPasswordProblem(c, deps, form.ok ? form.data.current_password : undefined);
    if (problem) return renderPage(c, problem.status, member, { error: problem.message });
    await deps.db.inTenant(c.var.tenant.id, (tx) => resetTwoFactorByStaff(tx, scopeOf(c, deps), member.id));
    return redirect(c, `${here}?done=1`);
  });

  return routes;
}
