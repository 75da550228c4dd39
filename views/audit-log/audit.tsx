import type { FC } from 'hono/jsx';
import { ACTION_LABELS } from '../../src/copy/practice.ts';
import { practiceText } from '../../src/copy/practice/index.ts';
import type { Clock } from '../../src/copy/time.ts';

const T = practiceText.audit;
import type { AuditEntry, AuditPerson } from '../../src/features/audit-log/audit-log.ts';
import { Field, Layout, type Chrome } from '../ui/layout.tsx';

export type AuditFilterValues = { person?: string; action?: string; from?: string; to?: string };
export type AuditFilterErrors = Partial<Record<keyof AuditFilterValues, string>>;

export type AuditResultsProps = {
  events: AuditEntry[];
  exportHref: string;
  /** The next (older) page, and the way back to the newest events when this is not the first page. */
  nextHref: string | null;
  newestHref: string | null;
  /** Shown instead of the events when the filters could not be used. */
  problem?: string | null;
  clock: Clock;
};

export type AuditPageProps = {
  chrome: Chrome; action: string; values: AuditFilterValues; errors?: AuditFilterErrors; results: AuditResultsProps;
};

/** P6: filters as a plain GET form; with htmx the results below follow the form as it changes. */
export const AuditPage: FC<AuditPageProps> = (props) => (
  <Layout title={T.title} chrome={props.chrome}>
    <h1>{T.title}</h1>
    <p class="muted">{T.intro(props.results.clock.timeZone.replace(/_/g, ' '))}</p>
    <form method="get" action={props.action} role="search" aria-label={T.filterLabel} class="card filters" novalidate
      hx-get={props.action} hx-trigger="submit, input delay:400ms" hx-target="#audit-results" hx-swap="outerHTML" hx-push-url="true"
      hx-indicator="#audit-searching">
      <Field name="person" label={T.person} value={props.values.person} maxlength={100} autocomplete="off"
        hint={T.personHint} error={props.errors?.person} />
      <ActionSelect selected={props.values.action} error={props.errors?.action} />
      <Field name="from" type="date" label={T.from} value={props.values.from} error={props.errors?.from} />
      <Field name="to" type="date" label={T.to} value={props.values.to} error={props.errors?.to} />
      <div class="actions">
        <button type="submit">{T.filter}</button>
        <a href={props.action}>{T.clear}</a>
        <span id="audit-searching" class="htmx-indicator busy" aria-hidden="true">{T.loading}</span>
      </div>
    </form>
    <AuditResults {...props.results} />
  </Layout>
);

const ActionSelect: FC<{ selected?: string; error?: string }> = ({ selected, error }) => (
  <div class={error ? 'field invalid' : 'field'}>
    <label for="field-action">{T.action}</label>
    <select id="field-action" name="action" aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'field-action-error' : undefined}>
      <option value="">{T.allActions}</option>
      {Object.entries(ACTION_LABELS).map(([action, label]) => <option value={action} selected={action === selected}>{label}</option>)}
    </select>
    {error && <p class="field-error" id="field-action-error">{error}</p>}
  </div>
);

/** The region htmx replaces; it holds no heading or alert, so typing in the filters keeps the cursor there. */
export const AuditResults: FC<AuditResultsProps> = (props) => (
  <div id="audit-results" class="audit-results">
    {props.problem ? (
      <p class="field-error" id="audit-count">{props.problem}</p>
    ) : (
      <div class="results-bar">
        <p id="audit-count" role="status">{T.showing(props.events.length)}</p>
        <a href={props.exportHref} class="button secondary" download>{T.export}</a>
      </div>
    )}
    {props.events.length > 0 && (
      <div class="table-scroll" role="region" aria-labelledby="audit-count" tabindex={0}>
        <table class="audit stack">
          <thead>
            <tr>
              <th scope="col">{T.columns.when}</th><th scope="col">{T.columns.who}</th><th scope="col">{T.columns.toWhom}</th>
              <th scope="col">{T.columns.what}</th><th scope="col">{T.columns.ip}</th><th scope="col">{T.columns.device}</th>
            </tr>
          </thead>
          <tbody>{props.events.map((event) => <AuditRow event={event} clock={props.clock} />)}</tbody>
        </table>
      </div>
    )}
    {(props.nextHref || props.newestHref) && (
      <nav aria-label={T.pages} class="actions pages">
        {props.newestHref && <a href={props.newestHref}>{T.newest}</a>}
        {props.nextHref && <a href={props.nextHref} rel="next">{T.next}</a>}
      </nav>
    )}
  </div>
);

const AuditRow: FC<{ event: AuditEntry; clock: Clock }> = ({ event, clock }) => {
  return (
    <tr>
      <td><time datetime={event.occurredAt.toISOString()}>{clock.precise(event.occurredAt)}</time></td>
      <td data-label={T.columns.who}>{event.actor ? <Person person={event.actor} /> : event.typedName !== null ? <>{T.unknownName} <q>{event.typedName}</q></> : '—'}</td>
      <td data-label={T.columns.toWhom}>{event.subject ? <Person person={event.subject} /> : '—'}</td>
      <td data-label={T.columns.what}>
        {event.label}
        {event.detail && <span class="detail">{event.detail}</span>}
      </td>
      <td data-label={T.columns.ip}>{event.ip ?? ''}</td>
      <td data-label={T.columns.device}><span title={event.userAgent}>{event.device}</span></td>
    </tr>
  );
};

const Person: FC<{ person: AuditPerson }> = ({ person }) => {
  if (!person.exists) return <span class="muted">{T.deletedAccount}</span>;
  return (
    <>
      {person.name ?? person.username}
      {person.name && <span class="detail">{person.username}</span>}
    </>
  );
};
