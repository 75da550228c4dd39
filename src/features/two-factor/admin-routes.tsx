import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { AdminResetPage } from '../../../views/two-factor/settings.tsx';
import { recordEvent } from '../../core/audit.ts';
import { confirmOwnPassword } from '../account/credentials.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { chrome, portalPath, redirect, requireRole } from '../../http/portal.ts';
import { notifyTwoFactorChange } from '../../mail/two-factor-emails.tsx';
import { getStaffTwoFactor, resetTwoFactorByStaff, type StaffTwoFactor } from './two-factor.ts';

// The same budget as every other current-password form (src/routes/account.tsx): one bucket, keyed by the admin.
const idSchema = z.uuid();
const passwordSchema = z.object({ current_password: z.string().min(1).max(1024) });

/**
 * P4: an administrator resets a staff member's 2FA (a lost phone, say). GET asks for confirmation, POST does it;
 * the staff pages link here ("Reset 2FA") for members whose accounts.totp_enabled_at is set.
 */
export function twoFactorAdminRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  const resetPath = '/staff/:id/two-factor/reset';

  async function loadMember(c: Context<Env>): Promise<StaffTwoFactor | Response> {
    const id = idSchema.safeParse(c.req.param('id'));
    const member = id.success ? await deps.db.inTenant(c.var.tenant.id, (tx) => getStaffTwoFactor(tx, id.data)) : null;
    if (!member) return renderError(c, 404);
    if (member.id === c.var.account!.id) return renderError(c, 403, 'To change your own two-factor authentication, use My Account.');
    return member;
  }

  function renderPage(c: Context<Env>, status: 200 | 422 | 429, member: StaffTwoFactor, extra: { done?: boolean; error?: string | null } = {}) {
    const memberHref = portalPath(c, `/staff/${member.id}`);
    return c.html(<AdminResetPage chrome={chrome(c)} member={member} action={`${memberHref}/two-factor/reset`} memberHref={memberHref} {...extra} />, status);
  }

  routes.get(resetPath, requireRole('admin'), async (c) => {
    const member = await loadMember(c);
    if (member instanceof Response) return member;
    return renderPage(c, 200, member, { done: c.req.query('done') === '1' && !member.enabledAt });
  });

  routes.post(resetPath, requireRole('admin'), async (c) => {
    const member = await loadMember(c);
    if (member instanceof Response) return member;
    const form = await readForm(c, passwordSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const here = portalPath(c, `/staff/${member.id}/two-factor/reset`);
    if (!member.enabledAt) return redirect(c, here);
    // A bare "Reset 2FA" button (the staff list's) asks for the confirmation; only this page's form carries the password.
    if (form.raw.current_password === undefined) return renderPage(c, 200, member);
    if (!form.ok) return renderPage(c, 422, member, { error: 'Enter your current password.' });
    const admin = c.var.account!;
    const confirmed = await confirmOwnPassword(deps.db, c.var.tenant.id, admin.id, form.data.current_password);
    if (confirmed !== 'ok') {
      return confirmed === 'wrong'
        ? renderPage(c, 422, member, { error: 'That is not your current password.' })
        : renderPage(c, 429, member, { error: 'Too many wrong passwords. Please wait a few minutes and try again.' });
    }
    await deps.db.inTenant(c.var.tenant.id, async (tx) => {
      await resetTwoFactorByStaff(tx, member.id);
      await recordEvent(tx, c.var.origin, { action: 'two_factor.reset_by_staff', actorAccountId: admin.id, subjectAccountId: member.id, detail: { portal: 'practice' } });
      await notifyTwoFactorChange(tx, deps.config, c.var.tenant, member.id, 'reset');
    });
    return redirect(c, `${here}?done=1`);
  });

  return routes;
}
