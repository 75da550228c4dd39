import type { FC } from 'hono/jsx';
import { PORTAL_STATUS_LABELS } from '../../src/copy/practice.ts';
import { practiceText } from '../../src/copy/practice/index.ts';
import { formatCalendarDate } from '../../src/copy/time.ts';
import type { Association, PatientRecord } from '../../src/features/patient-admin/patients.ts';
import type { SearchPage } from '../../src/features/patient-admin/search.ts';
import { Layout, Notice, type Chrome } from '../ui/layout.tsx';
import { PatientSearchFields } from '../ui/patient-search-fields.tsx';

// Patient Administration (P5): the search page with its live results, and a patient with their Associations.

const S = practiceText.patients.search;
const P = practiceText.patients.patient;

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
            <caption class="visually-hidden">{S.caption}</caption>
            <thead>
              <tr><th scope="col">{S.patient}</th><th scope="col">{S.account}</th><th scope="col">{S.dateOfBirth}</th><th scope="col">{S.guardians}</th></tr>
            </thead>
            <tbody>
              {result.patients.map((p) => (
                <tr>
                  <td><a href={view.patientHref(p.id)}>{p.lastName}, {p.firstName}</a></td>
                  <td data-label={S.account}>{p.accountNumber}</td>
                  <td data-label={S.dateOfBirth}>{formatCalendarDate(p.dateOfBirth)}</td>
                  <td data-label={S.guardians}>{p.guardians.map((g) => `${g.name} (${g.relationship})`).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {(result.page > 1 || result.hasNext) && (
            <nav class="pager" aria-label={S.pages}>
              {result.page > 1 && <a href={view.pageHref(result.page - 1)} rel="prev">{S.previous}</a>}
              <span>{S.page(result.page)}</span>
              {result.hasNext && <a href={view.pageHref(result.page + 1)} rel="next">{S.next}</a>}
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
  if (!result) return S.empty;
  if (result.patients.length === 0) return result.page > 1 ? S.noMore : S.noMatch;
  const first = (result.page - 1) * view.pageSize + 1;
  const last = first + result.patients.length - 1;
  if (result.page === 1 && !result.hasNext) return S.matches(result.patients.length);
  return S.showing(first, last, result.hasNext);
}

/** The htmx answer while typing: the results, and the summary swapped into the live region that stays put. */
export const PatientResultsUpdate: FC<{ view: SearchView }> = ({ view }) => (
  <>
    <PatientResults view={view} />
    <p id="results-summary" hx-swap-oob="innerHTML">{resultSummary(view)}</p>
  </>
);

export const PatientSearchPage: FC<{ chrome: Chrome; view: SearchView }> = ({ chrome, view }) => (
  <Layout title={S.title} chrome={chrome}>
    <h1>{S.title}</h1>
    <section class="card">
      <form id="patient-search" class="patient-search" method="get" action={view.action} role="search" aria-label={S.label} novalidate
        hx-get={view.action} hx-trigger="input changed delay:300ms, submit" hx-target="#patient-results" hx-swap="outerHTML"
        hx-push-url="true" hx-sync="this:replace" hx-indicator="#patient-searching">
        <PatientSearchFields values={view.form} dobError={view.dobError} />
        <div class="actions">
          <button type="submit">{S.search}</button>
          <span id="patient-searching" class="htmx-indicator busy" aria-hidden="true">{S.searching}</span>
        </div>
      </form>
    </section>
    <section class="card" aria-labelledby="results-heading">
      <h2 id="results-heading">{S.patients}</h2>
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
      <p><a href={view.searchHref}>{S.title}</a></p>
      <h1>{name}</h1>
      <Notice message={view.notice} />
      {view.error && <div class="alert error" role="alert">{view.error}</div>}
      <section class="card" aria-labelledby="demographics-heading">
        <h2 id="demographics-heading">{P.demographics}</h2>
        <dl class="facts">
          <dt>{P.account}</dt><dd>{patient.accountNumber}</dd>
          <dt>{P.lastName}</dt><dd>{patient.lastName}</dd>
          <dt>{P.firstName}</dt><dd>{patient.firstName}</dd>
          <dt>{P.dateOfBirth}</dt><dd>{formatCalendarDate(patient.dateOfBirth)}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="associations-heading">
        <h2 id="associations-heading">{P.associations}</h2>
        {view.associations.length === 0 ? <p>{P.noAssociations}</p> : (
          <table class="stack">
            <caption class="visually-hidden">{P.caption}</caption>
            <thead>
              <tr><th scope="col">{P.name}</th><th scope="col">{P.relationship}</th><th scope="col">{P.email}</th><th scope="col">{P.portalStatus}</th></tr>
            </thead>
            <tbody>
              {view.associations.map((a) => (
                <tr>
                  <td>{a.accountId ? <a href={view.portalHref(a.accountId)}>{a.firstName} {a.lastName}</a> : `${a.firstName} ${a.lastName}`}</td>
                  <td data-label={P.relationship}>{a.relationship}</td>
                  <td data-label={P.email}>{a.email ?? P.noEmail}</td>
                  <td data-label={P.portalStatus}>
                    {PORTAL_STATUS_LABELS[a.status]}
                    {!a.accountId && a.email && (
                      <form method="post" action={view.inviteAction(a.contactId)} class="inline">
                        <button type="submit" class="secondary">{P.invite}<span class="visually-hidden">: {a.firstName} {a.lastName}</span></button>
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
