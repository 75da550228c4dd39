import type { FC } from 'hono/jsx';
import type { LastEmailStatus } from '../../src/mail/outbox.ts';
import { ROLE_LABELS } from '../../src/copy/practice.ts';
import { practiceText } from '../../src/copy/practice/index.ts';
import type { Clock } from '../../src/copy/time.ts';
import type { StaffMember, StaffPage, StaffRow } from '../../src/features/staff-admin/staff.ts';
import { Field, Layout, Notice, type Chrome } from '../ui/layout.tsx';

// Staff administration (P4): the list, its rows (also the htmx fragment of "more as you scroll"), a member's page.

/** A moment as the practice reads it ("Nov 30, 2026, 9:13 AM EST"), machine-readable in its datetime. */
const Time: FC<{ when: Date | null; clock: Clock }> = ({ when, clock }) =>
  (when ? <time datetime={when.toISOString()}>{clock.dateTime(when)}</time> : <>—</>);

const T = practiceText.staff;
const STATUS_LABELS: Record<StaffRow['status'], string> = T.status;

/** "Showing N of M records": cumulative when rows are appended as you scroll, a range on a later page without JS. */
export function countText(page: StaffPage, appended: boolean, query = ''): string {
  const end = page.nextAfter ? '' : T.count.end;
  if (page.total === 0) return query ? T.count.noMatch(query) : T.count.none;
  if (appended || page.from <= 1) return `${T.count.upTo(page.through, page.total)}${end}`;
  return `${T.count.range(page.from, page.through, page.total)}${end}`;
}

type ListPaths = { base: string; selfId: string; query: string; show?: { value: string; label: string } | null };

/** The list's address with what was searched for and the filter shown, and more. */
const listHref = (paths: ListPaths, more: Record<string, string> = {}) => {
  const params = new URLSearchParams({ ...(paths.query ? { q: paths.query } : {}), ...(paths.show ? { show: paths.show.value } : {}), ...more });
  return params.size ? `${paths.base}?${params}` : paths.base;
};
const moreHref = (paths: ListPaths, after: string) => listHref(paths, { after });

const StaffListRow: FC<{ row: StaffRow; paths: ListPaths }> = ({ row, paths }) => {
  const nameId = `staff-${row.id}`;
  const toggle = row.status === 'deactivated' ? 'reactivate' : 'deactivate';
  const confirmHref = `${paths.base}/${row.id}/${toggle}`;
  return (
    <tr>
      <th scope="row" id={nameId}>
        <strong>{row.firstName} {row.lastName}</strong> <small>{ROLE_LABELS[row.role]}</small>
        {row.status !== 'active' && <span class={`badge ${row.status}`}>{STATUS_LABELS[row.status]}</span>}
      </th>
      <td data-label={T.columns.username}>{row.username}</td>
      <td data-label={T.columns.email}>{row.email ?? '—'}</td>
      <td data-label={T.columns.cellPhone}>{row.cellPhone ?? '—'}</td>
      <td data-label={T.columns.primaryProvider}>{row.primaryProvider ?? '—'}</td>
      <td data-label={T.columns.twoFactor}>{row.twoFactor ? T.on : T.off}</td>
      <td>
        <div class="row-actions">
          <a href={`${paths.base}/${row.id}`} aria-describedby={nameId}>{T.view}</a>
          {row.id !== paths.selfId && (
            <form method="get" action={confirmHref} hx-get={`${confirmHref}?from=list`} hx-target="#staff-dialog">
              <input type="hidden" name="from" value="list" />
              <button type="submit" class={toggle === 'deactivate' ? 'link-button danger' : 'link-button'} aria-describedby={nameId}>
                {toggle === 'deactivate' ? T.deactivate : T.reactivate}
              </button>
            </form>
          )}
        </div>
      </td>
    </tr>
  );
};

/** The rows of one page, then either the row that loads the next page when it scrolls into view, or nothing. */
export const StaffRows: FC<{ page: StaffPage; paths: ListPaths }> = ({ page, paths }) => (
  <>
    {page.rows.map((row) => <StaffListRow row={row} paths={paths} />)}
    {page.nextAfter && (
      <tr id="staff-more" hx-get={moreHref(paths, page.nextAfter)} hx-trigger="revealed" hx-swap="outerHTML">
        <td colspan={7}><a href={moreHref(paths, page.nextAfter)}>{T.next}</a></td>
      </tr>
    )}
  </>
);

/** The htmx answer for "more": the next rows, and the count above the table brought up to date. */
export const StaffRowsFragment: FC<{ page: StaffPage; paths: ListPaths }> = ({ page, paths }) => (
  <>
    <StaffRows page={page} paths={paths} />
    <hx-partial hx-target="#staff-count" hx-swap="innerHTML">{countText(page, true, paths.query)}</hx-partial>
  </>
);

/**
 * The count, the table and the way back to the first page: the region the live search replaces as someone types
 * (it holds no heading or alert, so focus stays in the search box).
 */
export const StaffResults: FC<{ page: StaffPage; paths: ListPaths }> = ({ page, paths }) => (
  <div id="staff-results">
    <p id="staff-count" class="muted" role="status">{countText(page, false, paths.query)}</p>
    {page.total > 0 && (
      <div class="table-scroll">
        <table class="staff-list stack">
          <caption class="visually-hidden">{T.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{T.columns.staff}</th><th scope="col">{T.columns.username}</th><th scope="col">{T.columns.email}</th>
              <th scope="col">{T.columns.cellPhone}</th><th scope="col">{T.columns.primaryProvider}</th><th scope="col">{T.columns.twoFactor}</th>
              <th scope="col">{T.columns.action}</th>
            </tr>
          </thead>
          <tbody id="staff-rows">
            <StaffRows page={page} paths={paths} />
          </tbody>
        </table>
      </div>
    )}
    {page.from > 1 && <p><a href={listHref(paths)}>{T.firstPage}</a></p>}
  </div>
);

export const StaffListPage: FC<{ chrome: Chrome; page: StaffPage; paths: ListPaths; notice?: string | null }> = ({ chrome, page, paths, notice }) => (
  <Layout title={T.title} chrome={chrome}>
    <div class="page-head">
      <h1>{T.title}</h1>
      <a class="button" href={`${paths.base}/invite`} hx-get={`${paths.base}/invite`} hx-target="#staff-dialog">{T.invite}</a>
    </div>
    <Notice message={notice} />
    <form method="get" action={paths.base} role="search" aria-label={T.searchLabel} class="staff-search" novalidate
      hx-get={paths.base} hx-trigger="input changed delay:300ms, submit" hx-target="#staff-results" hx-swap="outerHTML"
      hx-push-url="true" hx-sync="this:replace" hx-indicator="#staff-searching">
      {paths.show && <input type="hidden" name="show" value={paths.show.value} />}
      {paths.show && <p class="filter-note">{T.showingOnly} <strong>{paths.show.label}</strong></p>}
      <Field name="q" type="search" label={T.findStaff} hint={T.findStaffHint} value={paths.query} autocomplete="off" maxlength={100} />
      <div class="actions">
        <button type="submit" class="secondary">{T.search}</button>
        {(paths.query || paths.show) && <a href={paths.base}>{T.showEveryone}</a>}
        <span id="staff-searching" class="htmx-indicator busy" aria-hidden="true">{T.searching}</span>
      </div>
    </form>
    <StaffResults page={page} paths={paths} />
    <div id="staff-dialog"></div>
  </Layout>
);


export function deliveryText(email: LastEmailStatus | null, clock: Clock): string {
  const D = T.delivery;
  if (!email) return D.none;
  const kind = D.kinds[email.kind] ?? email.kind;
  const formatTime = (when: Date | null) => (when ? clock.dateTime(when) : '—');
  switch (email.status) {
    case 'sent': return D.sent(kind, formatTime(email.sentAt));
    case 'failed': return D.failed(kind, email.lastError);
    case 'sending': return D.sending(kind, email.attempts);
    default: return email.attempts > 0 ? D.retrying(kind, formatTime(email.nextAttemptAt), email.lastError) : D.queued(kind, formatTime(email.createdAt));
  }
}

const M = T.member;

/** A button that opens a confirmation or a form: a plain GET without JavaScript, the dialog with it. */
const OpenButton: FC<{ href: string; label: string; danger?: boolean }> = ({ href, label, danger }) => (
  <form method="get" action={href} hx-get={href} hx-target="#staff-dialog" class="inline">
    <button type="submit" class={danger ? 'danger' : 'secondary'}>{label}</button>
  </form>
);

export const StaffMemberPage: FC<{
  chrome: Chrome; clock: Clock; member: StaffMember; lastEmail: LastEmailStatus | null; base: string; listHref: string;
  self: boolean; allowSetPassword: boolean; notice?: string | null;
}> = ({ chrome, clock, member: m, lastEmail, base, listHref, self, allowSetPassword, notice }) => (
  <Layout title={`${m.firstName} ${m.lastName}`} chrome={chrome}>
    <p><a href={listHref}>{M.allStaff}</a></p>
    <h1>{m.firstName} {m.lastName}</h1>
    <p class="muted">{ROLE_LABELS[m.role]} · {STATUS_LABELS[m.status]}</p>
    <Notice message={notice} />

    <section class="card" aria-labelledby="basic-heading">
      <div class="section-head">
        <h2 id="basic-heading">{M.basic}</h2>
        <a href={`${base}/edit`} hx-get={`${base}/edit`} hx-target="#staff-dialog">{M.edit}</a>
      </div>
      <dl class="details">
        <div><dt>{M.firstName}</dt><dd>{m.firstName}</dd></div>
        <div><dt>{M.lastName}</dt><dd>{m.lastName}</dd></div>
        <div><dt>{M.primaryProvider}</dt><dd>{m.primaryProvider ?? '—'}</dd></div>
        <div><dt>{M.username}</dt><dd>{m.username}</dd></div>
        <div><dt>{M.email}</dt><dd>{m.email ?? '—'}</dd></div>
        <div><dt>{M.cellPhone}</dt><dd>{m.cellPhone ?? '—'}</dd></div>
        <div><dt>{M.homePhone}</dt><dd>{m.homePhone ?? '—'}</dd></div>
        <div><dt>{M.role}</dt><dd>{ROLE_LABELS[m.role]}</dd></div>
      </dl>
      <div class="actions">
        {m.status === 'invited'
          ? <form method="post" action={`${base}/invitation`} class="inline"><button type="submit" class="secondary">{M.resendInvitation}</button></form>
          : m.status !== 'deactivated' && <OpenButton href={`${base}/reset-password`} label={M.resetPassword} />}
        <OpenButton href={`${base}/email`} label={M.changeEmail} />
        {allowSetPassword && m.status !== 'deactivated' && <OpenButton href={`${base}/password`} label={M.setPassword} />}
      </div>
    </section>

    <section class="card" aria-labelledby="access-heading">
      <h2 id="access-heading">{M.access}</h2>
      <dl class="details">
        <div><dt>{M.status}</dt><dd>{STATUS_LABELS[m.status]}{m.mustChangePassword && M.mustChange}</dd></div>
        <div><dt>{M.lastSignIn}</dt><dd><Time when={m.lastSignInAt} clock={clock} /></dd></div>
        <div>
          <dt>{M.lockout}</dt>
          <dd>
            {m.lockedUntil
              ? <>{M.lockedUntil} <Time when={m.lockedUntil} clock={clock} />{M.afterFailures(m.failedSignIns)}</>
              : m.failedSignIns > 0 ? M.failuresInARow(m.failedSignIns) : M.notLocked}
            {(m.lockedUntil || m.failedSignIns > 0) && (
              <form method="post" action={`${base}/unlock`} class="inline"><button type="submit" class="secondary">{M.unlock}</button></form>
            )}
          </dd>
        </div>
        <div>
          <dt>{M.twoFactor}</dt>
          <dd>
            {m.twoFactor ? T.on : T.off}
            {/* Your own 2FA is changed in My Account; src/routes/two-factor-admin.tsx refuses it here. */}
            {m.twoFactor && !self && (
              <form method="post" action={`${base}/two-factor/reset`} class="inline"><button type="submit" class="secondary">{M.resetTwoFactor}</button></form>
            )}
          </dd>
        </div>
        <div>
          <dt>{M.pendingReset}</dt>
          <dd>{m.pendingReset ? <>{M.sent} <Time when={m.pendingReset.sentAt} clock={clock} />{M.expires} <Time when={m.pendingReset.expiresAt} clock={clock} />.</> : M.none}</dd>
        </div>
        <div><dt>{M.lastEmail}</dt><dd>{deliveryText(lastEmail, clock)}</dd></div>
      </dl>
      {!self && (
        <div class="actions">
          {m.status === 'deactivated'
            ? <OpenButton href={`${base}/reactivate`} label={T.reactivate} />
            : <OpenButton href={`${base}/deactivate`} label={T.deactivate} danger />}
        </div>
      )}
    </section>
    <div id="staff-dialog"></div>
  </Layout>
);
