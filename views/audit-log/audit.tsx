import type { FC } from 'hono/jsx';
import { ACTION_LABELS } from '../../src/copy/practice.ts';
import type { Clock } from '../../src/copy/time.ts';
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
  <Layout title="Audit log" chrome={props.chrome}>
    <h1>Audit log</h1>
    <p class="muted">Every sign-in and account event at this practice, newest first. Times and dates are the practice’s ({props.results.clock.timeZone.replace(/_/g, ' ')}).</p>
    <form method="get" action={props.action} role="search" aria-label="Filter events" class="card filters" novalidate
      hx-get={props.action} hx-trigger="submit, input delay:400ms" hx-target="#audit-results" hx-swap="outerHTML" hx-push-url="true"
      hx-indicator="#audit-searching">
      <Field name="person" label="Person" value={props.values.person} maxlength={100} autocomplete="off"
        hint="Name, username or email of who acted or whom it concerned" error={props.errors?.person} />
      <ActionSelect selected={props.values.action} error={props.errors?.action} />
      <Field name="from" type="date" label="From" value={props.values.from} error={props.errors?.from} />
      <Field name="to" type="date" label="To" value={props.values.to} error={props.errors?.to} />
      <div class="actions">
        <button type="submit">Filter</button>
        <a href={props.action}>Clear filters</a>
        <span id="audit-searching" class="htmx-indicator busy" aria-hidden="true">Loading events…</span>
      </div>
    </form>
    <AuditResults {...props.results} />
  </Layout>
);

const ActionSelect: FC<{ selected?: string; error?: string }> = ({ selected, error }) => (
  <div class={error ? 'field invalid' : 'field'}>
    <label for="field-action">Action</label>
    <select id="field-action" name="action" aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'field-action-error' : undefined}>
      <option value="">All actions</option>
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
        <p id="audit-count" role="status">Showing {props.events.length} {props.events.length === 1 ? 'event' : 'events'}</p>
        <a href={props.exportHref} class="button secondary" download>Export CSV</a>
      </div>
    )}
    {props.events.length > 0 && (
      <div class="table-scroll" role="region" aria-labelledby="audit-count" tabindex={0}>
        <table class="audit stack">
          <thead>
            <tr>
              <th scope="col">When</th><th scope="col">Who</th><th scope="col">To whom</th><th scope="col">What</th>
              <th scope="col">IP address</th><th scope="col">Device</th>
            </tr>
          </thead>
          <tbody>{props.events.map((event) => <AuditRow event={event} clock={props.clock} />)}</tbody>
        </table>
      </div>
    )}
    {(props.nextHref || props.newestHref) && (
      <nav aria-label="Audit log pages" class="actions pages">
        {props.newestHref && <a href={props.newestHref}>Newest events</a>}
        {props.nextHref && <a href={props.nextHref} rel="next">Next page</a>}
      </nav>
    )}
  </div>
);

const AuditRow: FC<{ event: AuditEntry; clock: Clock }> = ({ event, clock }) => {
  return (
    <tr>
      <td><time datetime={event.occurredAt.toISOString()}>{clock.precise(event.occurredAt)}</time></td>
      <td data-label="Who">{event.actor ? <Person person={event.actor} /> : event.typedName !== null ? <>Unknown name <q>{event.typedName}</q></> : '—'}</td>
      <td data-label="To whom">{event.subject ? <Person person={event.subject} /> : '—'}</td>
      <td data-label="What">
        {event.label}
        {event.detail && <span class="detail">{event.detail}</span>}
      </td>
      <td data-label="IP address">{event.ip ?? ''}</td>
      <td data-label="Device"><span title={event.userAgent}>{event.device}</span></td>
    </tr>
  );
};

const Person: FC<{ person: AuditPerson }> = ({ person }) => {
  if (!person.exists) return <span class="muted">Deleted account</span>;
  return (
    <>
      {person.name ?? person.username}
      {person.name && <span class="detail">{person.username}</span>}
    </>
  );
};
