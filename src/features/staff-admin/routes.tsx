import { Hono, type Context } from 'hono';
import { InviteStaffForm, UpdateStaffForm, valuesOf, type FormErrors, type StaffFormValues } from '../../../views/staff-admin/staff-drawer.tsx';
import { StaffListPage, StaffMemberPage, StaffResults, StaffRowsFragment } from '../../../views/staff-admin/staff.tsx';
import { ADMIN_OWN_PASSWORD, STAFF_FILTER_LABELS } from '../../copy/practice.ts';
import { practiceText } from '../../copy/practice/index.ts';
import { getLastEmailStatus } from '../../mail/outbox.ts';
import { chrome, clockOf } from '../../http/chrome.ts';
import { isPartialHtmx, redirect } from '../../http/client.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { isUuid } from '../../http/ids.ts';
import { ownPasswordProblem } from '../../http/own-password.ts';
import { requireRole, scopeOf } from '../../http/portal.ts';
import { portalPath } from '../../http/paths.ts';
import { isUniqueViolation, type Sql } from '../../platform/db.ts';
import { editSchema, inviteSchema } from './forms.ts';
import { loadMember, staffPath, surfaceMode, takenErrors } from './paths.ts';
import { inviteStaff } from './staff-actions.ts';
import { isStaffFilter, listProviders, listStaff, updateStaffProfile, type StaffFilter, type StaffMember } from './staff.ts';

// Staff administration (P4): /{t}/practice/staff and /{t}/practice/staff/{id}, administrators only.

const T = practiceText.staff;
const fullName = (m: StaffMember | null) => (m ? `${m.firstName} ${m.lastName}` : null);
const NOTICES: Record<string, (m: StaffMember | null, c: Context<Env>) => string> = {
  updated: () => T.notices.updated,
  reset: (m, c) => T.notices.reset(m?.email ?? null, c.var.tenant.settings.staffResetLinkHours),
  'reset-held-live': () => T.notices.resetHeldLive,
  'reset-held-cap': () => T.notices.resetHeldCap,
  email: () => T.notices.email,
  password: () => T.notices.password,
  deactivated: (m) => T.notices.deactivated(fullName(m)),
  reactivated: (m) => T.notices.reactivated(fullName(m)),
  unchanged: () => T.notices.unchanged,
  unlocked: () => T.notices.unlocked,
  invited: () => T.notices.invited,
};

/** The staff list, a member's page, the Update Staff drawer and inviting staff; the actions are in action-routes.tsx. */
export function staffRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  const inTenant = <T,>(c: Context<Env>, work: (tx: Sql) => Promise<T>) => deps.db.inTenant(c.var.tenant.id, work);
  const notice = (c: Context<Env>, m: StaffMember | null) => NOTICES[c.req.query('done') ?? '']?.(m, c) ?? null;

  routes.use('/staff', requireRole('admin'));
  routes.use('/staff/*', requireRole('admin'));

  routes.get('/staff', async (c) => {
    const after = c.req.query('after') ?? null;
    if (after !== null && !isUuid(after)) return renderError(c, 404);
    const query = (c.req.query('q') ?? '').trim().replace(/\s+/g, ' ').slice(0, 100);
    const showing = c.req.query('show') ?? '';
    if (showing && !isStaffFilter(showing)) return renderError(c, 404);
    const show = showing ? showing as StaffFilter : null;
    const page = await inTenant(c, (tx) => listStaff(tx, after, query, undefined, show));
    if (!page) return renderError(c, 404);
    const paths = { base: staffPath(c), selfId: c.var.account!.id, query, show: show ? { value: show, label: STAFF_FILTER_LABELS[show] } : null };
    // The page and its htmx answers (more rows as you scroll, results as you type) share an address.
    c.header('Vary', 'HX-Request');
    if (isPartialHtmx(c)) {
      return c.html(after ? <StaffRowsFragment page={page} paths={paths} /> : <StaffResults page={page} paths={paths} />);
    }
    return c.html(<StaffListPage chrome={chrome(c)} page={page} paths={paths} notice={notice(c, null)} />);
  });

  routes.get('/staff/invite', (c) => renderInvite(c, 200, { role: 'staff' }));

  routes.post('/staff/invite', async (c) => {
    const form = await readForm(c, inviteSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    if (!form.ok) return renderInvite(c, 422, form.raw, form.errors);
    const { first_name, last_name, role, username, email } = form.data;
    try {
      const result = await inTenant(c, (tx) => inviteStaff(tx, scopeOf(c, deps), { firstName: first_name, lastName: last_name, role, username, email }));
      if (!result.ok) return renderInvite(c, 422, form.raw, result.errors);
      return redirect(c, `${staffPath(c, result.id)}?done=invited`);
    } catch (error) {
      if (isUniqueViolation(error)) return renderInvite(c, 422, form.raw, takenErrors(error));
      throw error;
    }
  });

  function renderInvite(c: Context<Env>, status: 200 | 422, values: Record<string, string>, errors?: FormErrors) {
    return c.html(
      <InviteStaffForm mode={surfaceMode(c)} chrome={chrome(c)} action={staffPath(c, undefined, '/invite')} closeHref={staffPath(c)} values={values} errors={errors} />,
      status,
    );
  }

  routes.get('/staff/:id', async (c) => {
    const m = await loadMember(deps, c);
    if (!m) return renderError(c, 404);
    const lastEmail = await inTenant(c, (tx) => getLastEmailStatus(tx, m.id));
    return c.html(
      <StaffMemberPage chrome={chrome(c)} clock={clockOf(c)} member={m} lastEmail={lastEmail} base={staffPath(c, m.id)} listHref={staffPath(c)}
        self={m.id === c.var.account!.id} allowSetPassword={c.var.tenant.settings.staffPasswordSetByAdmin} notice={notice(c, m)} />,
    );
  });

  // The Update Staff drawer (a page of its own without JavaScript).
  routes.get('/staff/:id/edit', async (c) => {
    const m = await loadMember(deps, c);
    if (!m) return renderError(c, 404);
    return renderEdit(c, 200, m, valuesOf(m));
  });

  routes.post('/staff/:id/edit', async (c) => {
    const m = await loadMember(deps, c);
    if (!m) return renderError(c, 404);
    const form = await readForm(c, editSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const typed = keptInput(form.raw, m);
    if (!form.ok) {
      if (form.errors.version) return renderEdit(c, 400, m, { ...typed, version: m.version }, {}, T.errors.incomplete);
      return renderEdit(c, 422, m, typed, form.errors);
    }
    const data = form.data;
    // Giving or taking away a role is a change of what someone may do: it takes the administrator's own password.
    if (data.role !== m.role) {
      const own = await ownPasswordProblem(c, deps, data.current_password, ADMIN_OWN_PASSWORD);
      if (own) return renderEdit(c, own.status, m, typed, { current_password: own.message });
    }
    const input = {
      id: m.id, version: data.version, firstName: data.first_name, lastName: data.last_name, role: data.role,
      primaryProviderId: data.primary_provider_id, username: data.username, cellPhone: data.cell_phone, homePhone: data.home_phone,
    };
    try {
      const result = await inTenant(c, (tx) => updateStaffProfile(tx, scopeOf(c, deps), input));
      if (result.ok) {
        // An administrator who gave up that role can no longer open the staff pages: home, not a refusal.
        const self = m.id === c.var.account!.id && data.role !== 'admin';
        return redirect(c, self ? portalPath(c, '/?done=role') : `${staffPath(c, m.id)}?done=updated`);
      }
      if (result.reason === 'missing') return renderError(c, 404);
      if (result.reason === 'invalid') return renderEdit(c, 422, m, typed, result.errors);
      const message = T.errors.conflict;
      return renderEdit(c, 409, m, { ...typed, version: result.savedNow.version }, {}, message, result.savedNow);
    } catch (error) {
      if (isUniqueViolation(error)) return renderEdit(c, 422, m, typed, takenErrors(error));
      throw error;
    }
  });

  async function renderEdit(
    c: Context<Env>, status: 200 | 400 | 409 | 422 | 429, m: StaffMember, values: StaffFormValues, errors?: FormErrors, message?: string, savedNow?: StaffMember,
  ) {
    const providers = await inTenant(c, (tx) => listProviders(tx));
    return c.html(
      <UpdateStaffForm mode={surfaceMode(c)} chrome={chrome(c)} action={staffPath(c, m.id, '/edit')} closeHref={staffPath(c, m.id)}
        email={m.email} changeEmailHref={staffPath(c, m.id, '/email')}
        values={values} providers={providers.filter((p) => p.id !== m.id)} errors={errors} message={message} savedNow={savedNow} />,
      status,
    );
  }

  return routes;
}

/** What was typed, for the form shown again; fields that were not sent fall back to what is stored. */
function keptInput(raw: Record<string, string>, m: StaffMember): StaffFormValues {
  const stored = valuesOf(m);
  const keys = Object.keys(stored) as (keyof StaffFormValues)[];
  return Object.fromEntries(keys.map((k) => [k, (raw[k] ?? stored[k]).slice(0, 254)])) as StaffFormValues;
}
