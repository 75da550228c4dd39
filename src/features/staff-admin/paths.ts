import type { Context } from 'hono';
import type { SurfaceMode } from '../../../views/staff-admin/staff-drawer.tsx';
import { practiceText } from '../../copy/practice/index.ts';
import { isHtmx } from '../../http/client.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { isUuid } from '../../http/ids.ts';
import { portalPath } from '../../http/paths.ts';
import { getStaffMember, type StaffMember } from './staff.ts';

// Shared by the staff administration route modules: addresses, the member named in the URL, and how a form shows.

/** A confirmation or short form: a dialog when htmx asked for it, a page of its own without JavaScript. */
export const surfaceMode = (c: Context<Env>): SurfaceMode => (isHtmx(c) ? 'dialog' : 'page');

/** /staff, /staff{rest} (e.g. /staff/invite) or /staff/{id}{rest}. */
export const staffPath = (c: Context<Env>, id?: string, rest = '') => portalPath(c, id ? `/staff/${id}${rest}` : `/staff${rest}`);

/** The staff member named in the URL, within this practice; null for a malformed, foreign or patient-portal id. */
export async function loadMember(deps: AppDeps, c: Context<Env>): Promise<StaffMember | null> {
  const id = c.req.param('id');
  if (!isUuid(id)) return null;
  return deps.db.inTenant(c.var.tenant.id, (tx) => getStaffMember(tx, id));
}

/** A username or email taken between our check and the insert (two administrators at once). */
export function takenErrors(error: unknown): Record<string, string> {
  const constraint = (error as { constraint_name?: string }).constraint_name;
  return constraint === 'accounts_email_key'
    ? { email: practiceText.staff.errors.emailTaken }
    : { username: practiceText.staff.errors.usernameTaken };
}
