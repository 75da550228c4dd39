import { Hono, type Context } from 'hono';
import { PatientPage, PatientResultsUpdate, PatientSearchPage, type SearchView } from '../../../views/patient-admin/patient-admin.tsx';
import { practiceText } from '../../copy/practice/index.ts';
import { chrome } from '../../http/chrome.ts';
import { isPartialHtmx, redirect } from '../../http/client.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { isUuid } from '../../http/ids.ts';
import { requirePatientAdmin, scopeOf } from '../../http/portal.ts';
import { patientsPath } from './paths.ts';
import { getPatient, inviteContact, listAssociations, openPatient } from './patients.ts';
import { PAGE_SIZE, hasFilters, parseDateOfBirth, searchPatients, searchQuerySchema } from './search.ts';

// Patient Administration (P5), practice portal only, for the roles in tenant.settings.patientAdminRoles: the search,
// a patient with their Associations, and inviting a family contact; portal access and temporary passwords have route
// modules of their own.

const INVITE_ERRORS: Record<'no_email' | 'email_in_use', string> = practiceText.patients.patient.inviteErrors;

export function patientAdminRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  routes.use('/patients', requirePatientAdmin);
  routes.use('/patients/*', requirePatientAdmin);

  routes.get('/patients', async (c) => {
    const query = searchQuerySchema.parse(c.req.query());
    const dateOfBirth = query.dob ? parseDateOfBirth(query.dob) : null;
    const dobError = query.dob && !dateOfBirth ? practiceText.patients.search.dobInvalid : null;
    const filters = { account: query.account, name: query.name, dateOfBirth, guardianEmail: query.guardian_email };
    const result = dobError || !hasFilters(filters) ? null : await deps.db.inTenant(c.var.tenant.id, (tx) => searchPatients(tx, filters, query.page));
    const form = { account: query.account, name: c.req.query('name')?.trim().slice(0, 100) ?? '', dob: query.dob, guardian_email: query.guardian_email };
    const view: SearchView = {
      action: patientsPath(c), form, dobError, result, pageSize: PAGE_SIZE,
      patientHref: (id) => patientsPath(c, `/${id}`),
      pageHref: (page) => `${patientsPath(c)}?${new URLSearchParams({ ...form, page: String(page) })}`,
    };
    // Answers differ for htmx and for a page load at the same address: caches must keep both apart.
    c.header('Vary', 'HX-Request');
    const status = dobError ? 422 : 200;
    if (isPartialHtmx(c)) return c.html(<PatientResultsUpdate view={view} />, status);
    return c.html(<PatientSearchPage chrome={chrome(c)} view={view} />, status);
  });

  async function renderPatient(c: Context<Env>, patientId: string, extra: { notice?: string | null; error?: string | null } = {}) {
    const found = await deps.db.inTenant(c.var.tenant.id, async (tx) => {
      // A page opened (not one shown again after a refused action) is recorded in the audit log.
      const patient = extra.error ? await getPatient(tx, patientId) : await openPatient(tx, scopeOf(c, deps), patientId);
      return patient ? { patient, associations: await listAssociations(tx, patientId) } : null;
    });
    if (!found) return renderError(c, 404);
    return c.html(
      <PatientPage chrome={chrome(c)} view={{
        ...found, ...extra, searchHref: patientsPath(c),
        portalHref: (accountId) => patientsPath(c, `/${patientId}/portal/${accountId}`),
        inviteAction: (contactId) => patientsPath(c, `/${patientId}/contacts/${contactId}/invite`),
      }} />,
      extra.error ? 422 : 200,
    );
  }

  routes.get('/patients/:patientId', (c) => {
    const patientId = c.req.param('patientId');
    if (!isUuid(patientId)) return renderError(c, 404);
    return renderPatient(c, patientId);
  });

  routes.post('/patients/:patientId/contacts/:contactId/invite', async (c) => {
    const { patientId, contactId } = c.req.param();
    if (!isUuid(patientId) || !isUuid(contactId)) return renderError(c, 404);
    const result = await deps.db.inTenant(c.var.tenant.id, (tx) => inviteContact(tx, scopeOf(c, deps), patientId, contactId));
    if (!result.ok) return result.reason === 'not_found' ? renderError(c, 404) : renderPatient(c, patientId, { error: INVITE_ERRORS[result.reason] });
    return redirect(c, patientsPath(c, `/${patientId}/portal/${result.accountId}?done=${result.alreadyHadAccount ? 'exists' : 'invited'}`));
  });

  return routes;
}
