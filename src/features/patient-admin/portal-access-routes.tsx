import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ConfirmPage, ConfirmPanel, EmailForm, PortalAccessPage, type PortalAccessView, type PortalPaths } from '../../../views/patient-admin/portal-access.tsx';
import { practiceText } from '../../copy/practice/index.ts';
import { chrome, clockOf } from '../../http/chrome.ts';
import { isHtmx, redirect } from '../../http/client.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';
import { requirePatientAdmin, scopeOf } from '../../http/portal.ts';
import { isUniqueViolation, type Sql } from '../../platform/db.ts';
import { accessKey, accessPath, patientsPath, type AccessKey, withPortalAccess } from './paths.ts';
import { getLinkedPatients } from '../../core/linked-patients.ts';
import { maskEmail } from '../../core/mask-email.ts';
import { getPatient } from './patients.ts';
import {
  changeLoginEmail, disablePortalAccess, getPortalAccessDetails, resendPortalInvitation,
  restorePortalAccess, sendPasswordResetLink, unlockPortalAccount, type PortalAccess,
} from './portal-access.ts';
import { deleteExpiredPrintouts } from './temporary-password.ts';

const emailSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
  also_update_contact: z.literal('1').optional(),
});

const W = practiceText.patients;
const NOTICES: Record<string, (view: PortalAccessView, hours: number) => string> = {
  reset: (v, hours) => W.notices.reset(maskEmail(v.access.email ?? ''), hours),
  'reset-held-live': () => W.notices.resetHeldLive,
  'reset-held-cap': () => W.notices.resetHeldCap,
  email: () => W.notices.email,
  unlocked: () => W.notices.unlocked,
  invited: (v) => W.notices.invited(maskEmail(v.access.email ?? '')),
  exists: () => W.notices.exists,
  disabled: () => W.notices.disabled,
  restored: (v) => (v.access.email ? W.notices.restored(maskEmail(v.access.email)) : W.notices.restoredNoEmail),
  discarded: () => W.notices.discarded,
};

const STATE_ERRORS = W.errors;

/** A guardian's portal access: 404 (and nothing runs) unless the account is a contact of this patient. */
export function portalAccessRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  const base = '/patients/:patientId/portal/:accountId';
  routes.use(base, requirePatientAdmin);
  routes.use(`${base}/*`, requirePatientAdmin);

  async function loadView(c: Context<Env>, tx: Sql, key: AccessKey, access: PortalAccess): Promise<PortalAccessView> {
    const paths: PortalPaths = {
      patient: patientsPath(c, `/${key.patientId}`), email: accessPath(c, key, '/email'), reset: accessPath(c, key, '/reset-password'),
      temporary: accessPath(c, key, '/temporary-password'), unlock: accessPath(c, key, '/unlock'),
      resendInvitation: accessPath(c, key, '/resend-invitation'), disable: accessPath(c, key, '/disable'), restore: accessPath(c, key, '/restore'),
    };
    await deleteExpiredPrintouts(tx);
    const linkedPatients = (await getLinkedPatients(tx, key.accountId)).map((p) => ({
      name: `${p.firstName} ${p.lastName}`, accountNumber: p.accountNumber, href: patientsPath(c, `/${p.id}`),
    }));
    return {
      patient: (await getPatient(tx, key.patientId))!, access, details: await getPortalAccessDetails(tx, key.accountId), linkedPatients, paths,
      clock: clockOf(c),
    };
  }

  const withAccess = <T,>(c: Context<Env>, lock: boolean, work: (tx: Sql, access: PortalAccess, key: AccessKey) => Promise<T>) =>
    withPortalAccess(deps, c, lock, work);

  async function renderPage(c: Context<Env>, status: 200 | 422, extra: Partial<PortalAccessView> = {}) {
    const view = await withAccess(c, false, (tx, access, key) => loadView(c, tx, key, access));
    if (!view) return renderError(c, 404);
    const full = { ...view, ...extra };
    full.notice ??= NOTICES[c.req.query('done') ?? '']?.(full, c.var.tenant.settings.resetLinkHours) ?? null;
    return c.html(<PortalAccessPage chrome={chrome(c)} view={full} />, status);
  }

  routes.get(base, (c) => renderPage(c, 200));

  routes.post(`${base}/email`, async (c) => {
    const form = await readForm(c, emailSchema);
    if (!form.ok && form.status !== 422) return renderError(c, form.status);
    const alsoContact = form.raw.also_update_contact === '1';
    const refuse = async (error: string) => {
      if (!isHtmx(c)) return renderPage(c, 422, { emailForm: { value: form.raw.email ?? '', alsoContact, error } });
      const view = await withAccess(c, false, (tx, access, key) => loadView(c, tx, key, access));
      if (!view) return renderError(c, 404);
      return c.html(<EmailForm view={{ ...view, emailForm: { value: form.raw.email ?? '', alsoContact, error } }} />, 422);
    };
    if (!form.ok) return refuse(W.errors.email);
    let outcome;
    try {
      outcome = await withAccess(c, true, (tx, access) => changeLoginEmail(tx, scopeOf(c, deps), access, form.data.email, alsoContact));
    } catch (error) {
      // Two staff members giving two accounts the same address at once: the unique index decides, calmly.
      if (!isUniqueViolation(error)) throw error;
      outcome = { ok: false as const, reason: 'taken' as const };
    }
    if (!outcome) return renderError(c, 404);
    if (!outcome.ok) {
      return refuse(outcome.reason === 'taken' ? W.errors.emailTaken : W.errors.emailSame);
    }
    return redirect(c, `${accessPath(c, accessKey(c)!)}?done=email`);
  });

  // Confirmation steps: a page of their own without JavaScript; with htmx a panel above Account Settings.
  type Confirmation = { heading: string; submit: string; danger?: boolean; text: string[] };
  function confirmStep(path: string, build: (access: PortalAccess, c: Context<Env>, patients: string[]) => Confirmation | null) {
    routes.get(`${base}${path}`, async (c) => {
      const found = await withAccess(c, false, async (tx, access) => ({
        access, patients: (await getLinkedPatients(tx, access.accountId)).map((p) => `${p.firstName} ${p.lastName}`),
      }));
      if (!found) return renderError(c, 404);
      const spec = build(found.access, c, found.patients);
      if (!spec) return redirect(c, accessPath(c, accessKey(c)!));
      const panel = (level: 1 | 2) => (
        <ConfirmPanel heading={spec.heading} headingLevel={level} action={accessPath(c, accessKey(c)!, path)} cancelHref={accessPath(c, accessKey(c)!)}
          submit={spec.submit} danger={spec.danger}>
          {spec.text.map((line) => <p>{line}</p>)}
        </ConfirmPanel>
      );
      c.header('Vary', 'HX-Request');
      if (isHtmx(c)) return c.html(panel(2));
      return c.html(<ConfirmPage chrome={chrome(c)} title={spec.heading}>{panel(1)}</ConfirmPage>);
    });
  }

  const nameOf = (access: PortalAccess) => `${access.contact.firstName} ${access.contact.lastName}`;
  const and = W.access.and;
  const covers = (patients: string[]) => (patients.length > 1 ? [W.confirm.covers(patients.join(and))] : []);
  confirmStep('/reset-password', (access, c, patients) => (access.email && access.hasPassword && access.status !== 'deactivated' ? {
    heading: W.confirm.resetHeading(nameOf(access)), submit: W.confirm.resetSubmit,
    text: [
      W.confirm.resetTo(access.email, c.var.tenant.settings.resetLinkHours),
      W.confirm.resetHow,
      ...covers(patients),
    ],
  } : null));
  confirmStep('/disable', (access, _c, patients) => (access.status !== 'deactivated' ? {
    heading: W.confirm.disableHeading(nameOf(access)), submit: W.confirm.disableSubmit, danger: true,
    text: [
      W.confirm.disableWhat,
      ...(patients.length > 1 ? [W.confirm.disableLoses(nameOf(access), patients.join(and))] : []),
      W.confirm.disableRestore,
    ],
  } : null));

  routes.post(`${base}/reset-password`, async (c) => {
    const result = await withAccess(c, true, (tx, access) => sendPasswordResetLink(tx, scopeOf(c, deps), access));
    if (!result) return renderError(c, 404);
    if (!result.ok && result.reason === 'held') {
      return redirect(c, `${accessPath(c, accessKey(c)!)}?done=reset-held-${result.hold === 'daily limit reached' ? 'cap' : 'live'}`);
    }
    if (!result.ok) return renderPage(c, 422, { error: STATE_ERRORS.reset });
    return redirect(c, `${accessPath(c, accessKey(c)!)}?done=reset`);
  });

  const simpleAction = (path: string, act: typeof unlockPortalAccount, done: string, error: string) =>
    routes.post(`${base}${path}`, async (c) => {
      const result = await withAccess(c, true, (tx, access) => act(tx, scopeOf(c, deps), access));
      if (result === null) return renderError(c, 404);
      if (!result.ok) return renderPage(c, 422, { error });
      return redirect(c, `${accessPath(c, accessKey(c)!)}?done=${done}`);
    });
  simpleAction('/unlock', unlockPortalAccount, 'unlocked', STATE_ERRORS.unlock);
  simpleAction('/resend-invitation', resendPortalInvitation, 'invited', STATE_ERRORS.invitation);
  simpleAction('/disable', disablePortalAccess, 'disabled', STATE_ERRORS.disable);
  simpleAction('/restore', restorePortalAccess, 'restored', STATE_ERRORS.restore);

  return routes;
}
