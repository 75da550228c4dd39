import type { FC } from 'hono/jsx';
import { PORTAL_STATUS_LABELS } from '../../src/copy/practice.ts';
import { formatCalendarDate } from '../../src/copy/time.ts';
import type { Association, PatientRecord } from '../../src/features/patient-admin/patients.ts';
import type { SearchPage } from '../../src/features/patient-admin/search.ts';
import { Layout, Notice, type Chrome } from '../ui/layout.tsx';
import { PatientSearchFields } from '../ui/patient-search-fields.tsx';

// Patient Administration (P5): the search page with its live results, and a patient with their Associations.

export type SearchForm = { account: string; name: string; dob: string; guardian_email: string };

export type SearchView = {
  action: string;
  form: SearchForm;
  dobError: string | null;
  /** null until a filter is filled in. */
  result: SearchPage | null;
  pageSize: number;
  patientHref: (id: string) => string;
  pageHref: (page: number) => string;
};

/** The live results: the very component the page is built with, swapped in by htmx as the filters change. */
export const PatientResults: FC<{ view: SearchView }> = ({ view }) => {
  const { result } = view;
  return (
    <div id="patient-results">
      {result && result.patients.length > 0 && (
        <>
          <table class="stack">
            <caption class="visually-hidden">Matching patients</caption>
            <thead>
              <tr><th scope="col">Patient</th><th scope="col">Account</th><th scope="col">Date of birth</th><th scope="col">Parents and guardians</th></tr>
            </thead>
            <tbody>
              {result.patients.map((p) => (
                <tr>
                  <td><a href={view.patientHref(p.id)}>{p.lastName}, {p.firstName}</a></td>
                  <td data-label="Account">{p.accountNumber}</td>
                  <td data-label="Date of birth">{formatCalendarDate(p.dateOfBirth)}</td>
                  <td data-label="Parents and guardians">{p.guardians.map((g) => `${g.name} (${g.relationship})`).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {(result.page > 1 || result.hasNext) && (
            <nav class="pager" aria-label="Result pages">
              {result.page > 1 && <a href={view.pageHref(result.page - 1)} rel="prev">Previous page</a>}
              <span>Page {result.page}</span>
              {result.hasNext && <a href={view.pageHref(result.page + 1)} rel="next">Next page</a>}
            </nav>
          )}
        </>
      )}
    </div>
  );
};

/** "Showing 1–25", "No patients match": kept in one live region outside the swapped results, so it is announced. */
export function resultSummary(view: SearchView): string {
  if (view.dobError) return view.dobError;
  const { result } = view;
  if (!result) return 'Enter an account number, a name, a date of birth or a guardian email to find a patient.';
  if (result.patients.length === 0) return result.page > 1 ? 'No more patients match.' : 'No patients match. Check the spelling, or search by another filter.';
  const first = (result.page - 1) * view.pageSize + 1;
  const last = first + result.patients.length - 1;
  if (result.page === 1 && !result.hasNext) return `${result.patients.length} ${result.patients.length === 1 ? 'patient matches' : 'patients match'}.`;
  return `Showing patients ${first}–${last}${result.hasNext ? '; more on the next page' : ''}.`;
}

/** The htmx answer while typing: the results, and the summary swapped into the live region that stays put. */
export const PatientResultsUpdate: FC<{ view: SearchView }> = ({ view }) => (
  <>
    <PatientResults view={view} />
    <p id="results-summary" hx-swap-oob="innerHTML">{resultSummary(view)}</p>
  </>
);

export const PatientSearchPage: FC<{ chrome: Chrome; view: SearchView }> = ({ chrome, view }) => (
  <Layout title="Patient Administration" chrome={chrome}>
    <h1>Patient Administration</h1>
    <section class="card">
      <form id="patient-search" class="patient-search" method="get" action={view.action} role="search" aria-label="Find a patient" novalidate
        hx-get={view.action} hx-trigger="input changed delay:300ms, submit" hx-target="#patient-results" hx-swap="outerHTML"
        hx-push-url="true" hx-sync="this:replace" hx-indicator="#patient-searching">
        <PatientSearchFields values={view.form} dobError={view.dobError} />
        <div class="actions">
          <button type="submit">Search</button>
          <span id="patient-searching" class="htmx-indicator busy" aria-hidden="true">Searching…</span>
        </div>
      </form>
    </section>
    <section class="card" aria-labelledby="results-heading">
      <h2 id="results-heading">Patients</h2>
      <p id="results-summary" role="status">{resultSummary(view)}</p>
      <PatientResults view={view} />
    </section>
  </Layout>
);

export type PatientView = {
  patient: PatientRecord;
  associations: Association[];
  searchHref: string;
  portalHref: (accountId: string) => string;
  inviteAction: (contactId: string) => string;
  notice?: string | null;
  error?: string | null;
};

export const PatientPage: FC<{ chrome: Chrome; view: PatientView }> = ({ chrome, view }) => {
  const { patient } = view;
  const name = `${patient.firstName} ${patient.lastName}`;
  return (
    <Layout title={name} chrome={chrome}>
      <p><a href={view.searchHref}>Patient Administration</a></p>
      <h1>{name}</h1>
      <Notice message={view.notice} />
      {view.error && <div class="alert error" role="alert">{view.error}</div>}
      <section class="card" aria-labelledby="demographics-heading">
        <h2 id="demographics-heading">Demographics</h2>
        <dl class="facts">
          <dt>Account</dt><dd>{patient.accountNumber}</dd>
          <dt>Last name</dt><dd>{patient.lastName}</dd>
          <dt>First name</dt><dd>{patient.firstName}</dd>
          <dt>Date of birth</dt><dd>{formatCalendarDate(patient.dateOfBirth)}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="associations-heading">
        <h2 id="associations-heading">Associations</h2>
        {view.associations.length === 0 ? <p>No parents, guardians or family contacts are recorded for this patient.</p> : (
          <table class="stack">
            <caption class="visually-hidden">Parents, guardians and the patient's own portal access</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Relationship</th><th scope="col">Email</th><th scope="col">Portal status</th></tr>
            </thead>
            <tbody>
              {view.associations.map((a) => (
                <tr>
                  <td>{a.accountId ? <a href={view.portalHref(a.accountId)}>{a.firstName} {a.lastName}</a> : `${a.firstName} ${a.lastName}`}</td>
                  <td data-label="Relationship">{a.relationship}</td>
                  <td data-label="Email">{a.email ?? 'None on file'}</td>
                  <td data-label="Portal status">
                    {PORTAL_STATUS_LABELS[a.status]}
                    {!a.accountId && a.email && (
                      <form method="post" action={view.inviteAction(a.contactId)} class="inline">
                        <button type="submit" class="secondary">Invite to portal<span class="visually-hidden">: {a.firstName} {a.lastName}</span></button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
};
