import type { FC } from 'hono/jsx';
import type { LastEmailStatus } from '../../src/mail/outbox.ts';
import { ROLE_LABELS } from '../../src/copy/practice.ts';
import type { Clock } from '../../src/copy/time.ts';
import type { StaffMember, StaffPage, StaffRow } from '../../src/features/staff-admin/staff.ts';
import { Field, Layout, Notice, type Chrome } from '../ui/layout.tsx';

// Staff administration (P4): the list, its rows (also the htmx fragment of "more as you scroll"), a member's page.

/** A moment as the practice reads it ("Nov 30, 2026, 9:13 AM EST"), machine-readable in its datetime. */
const Time: FC<{ when: Date | null; clock: Clock }> = ({ when, clock }) =>
  (when ? <time datetime={when.toISOString()}>{clock.dateTime(when)}</time> : <>—</>);

const STATUS_LABELS: Record<StaffRow['status'], string> = { invited: 'Invited', active: 'Active', locked: 'Locked', deactivated: 'Deactivated' };

/** "Showing N of M records": cumulative when rows are appended as you scroll, a range on a later page without JS. */
export function countText(page: StaffPage, appended: boolean, query = ''): string {
  const end = page.nextAfter ? '' : ' You have reached the end.';
  if (page.total === 0) return query ? `No staff match “${query}”.` : 'Showing 0 of 0 records.';
  if (appended || page.from <= 1) return `Showing ${page.through} of ${page.total} records.${end}`;
  return `Showing ${page.from}–${page.through} of ${page.total} records.${end}`;
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
      <td data-label="Username">{row.username}</td>
      <td data-label="Email">{row.email ?? '—'}</td>
      <td data-label="Cell Phone">{row.cellPhone ?? '—'}</td>
      <td data-label="Primary Provider">{row.primaryProvider ?? '—'}</td>
      <td data-label="2-Factor Auth">{row.twoFactor ? 'On' : 'Off'}</td>
      <td>
        <div class="row-actions">
          <a href={`${paths.base}/${row.id}`} aria-describedby={nameId}>View</a>
          {row.id !== paths.selfId && (
            <form method="get" action={confirmHref} hx-get={`${confirmHref}?from=list`} hx-target="#staff-dialog">
              <input type="hidden" name="from" value="list" />
              <button type="submit" class={toggle === 'deactivate' ? 'link-button danger' : 'link-button'} aria-describedby={nameId}>
                {toggle === 'deactivate' ? 'Deactivate' : 'Reactivate'}
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
        <td colspan={7}><a href={moreHref(paths, page.nextAfter)}>Next</a></td>
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
          <caption class="visually-hidden">Staff of the practice</caption>
          <thead>
            <tr>
              <th scope="col">Staff</th><th scope="col">Username</th><th scope="col">Email</th><th scope="col">Cell Phone</th>
              <th scope="col">Primary Provider</th><th scope="col">2-Factor Auth</th><th scope="col">Action</th>
            </tr>
          </thead>
          <tbody id="staff-rows">
            <StaffRows page={page} paths={paths} />
          </tbody>
        </table>
      </div>
    )}
    {page.from > 1 && <p><a href={listHref(paths)}>Back to the first page</a></p>}
  </div>
);

export const StaffListPage: FC<{ chrome: Chrome; page: StaffPage; paths: ListPaths; notice?: string | null }> = ({ chrome, page, paths, notice }) => (
  <Layout title="Staff" chrome={chrome}>
    <div class="page-head">
      <h1>Staff</h1>
      <a class="button" href={`${paths.base}/invite`} hx-get={`${paths.base}/invite`} hx-target="#staff-dialog">Invite staff</a>
    </div>
    <Notice message={notice} />
    <form method="get" action={paths.base} role="search" aria-label="Search the staff list" class="staff-search" novalidate
      hx-get={paths.base} hx-trigger="input changed delay:300ms, submit" hx-target="#staff-results" hx-swap="outerHTML"
      hx-push-url="true" hx-sync="this:replace" hx-indicator="#staff-searching">
      {paths.show && <input type="hidden" name="show" value={paths.show.value} />}
      {paths.show && <p class="filter-note">Showing only: <strong>{paths.show.label}</strong></p>}
      <Field name="q" type="search" label="Find staff" hint="Name, username or email" value={paths.query} autocomplete="off" maxlength={100} />
      <div class="actions">
        <button type="submit" class="secondary">Search</button>
        {(paths.query || paths.show) && <a href={paths.base}>Show everyone</a>}
        <span id="staff-searching" class="htmx-indicator busy" aria-hidden="true">Searching…</span>
      </div>
    </form>
    <StaffResults page={page} paths={paths} />
    <div id="staff-dialog"></div>
  </Layout>
);

const EMAIL_KINDS: Record<string, string> = {
  staff_password_reset: 'Password reset link from an administrator', password_reset: 'Password reset link', invitation: 'Invitation',
  password_changed: 'Password changed notice', email_changed: 'Email change notice', reset_link_stopped: 'Reset link stopped notice',
};

export function deliveryText(email: LastEmailStatus | null, clock: Clock): string {
  if (!email) return 'No email sent yet.';
  const kind = EMAIL_KINDS[email.kind] ?? email.kind;
  const formatTime = (when: Date | null) => (when ? clock.dateTime(when) : '—');
  switch (email.status) {
    case 'sent': return `${kind}: delivered to the mail service at ${formatTime(email.sentAt)}.`;
    case 'failed': return `${kind}: could not be delivered (${email.lastError ?? 'no reason given'}).`;
    case 'sending': return `${kind}: being sent now (attempt ${email.attempts}).`;
    default: return email.attempts > 0
      ? `${kind}: waiting for another try at ${formatTime(email.nextAttemptAt)} (last error: ${email.lastError ?? 'unknown'}).`
      : `${kind}: queued at ${formatTime(email.createdAt)}, waiting to be sent.`;
  }
}

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
    <p><a href={listHref}>All staff</a></p>
    <h1>{m.firstName} {m.lastName}</h1>
    <p class="muted">{ROLE_LABELS[m.role]} · {STATUS_LABELS[m.status]}</p>
    <Notice message={notice} />

    <section class="card" aria-labelledby="basic-heading">
      <div class="section-head">
        <h2 id="basic-heading">Basic</h2>
        <a href={`${base}/edit`} hx-get={`${base}/edit`} hx-target="#staff-dialog">Edit</a>
      </div>
      <dl class="details">
        <div><dt>First Name</dt><dd>{m.firstName}</dd></div>
        <div><dt>Last Name</dt><dd>{m.lastName}</dd></div>
        <div><dt>Primary Provider</dt><dd>{m.primaryProvider ?? '—'}</dd></div>
        <div><dt>Username</dt><dd>{m.username}</dd></div>
        <div><dt>Email</dt><dd>{m.email ?? '—'}</dd></div>
        <div><dt>Cell Phone</dt><dd>{m.cellPhone ?? '—'}</dd></div>
        <div><dt>Home Phone</dt><dd>{m.homePhone ?? '—'}</dd></div>
        <div><dt>Role</dt><dd>{ROLE_LABELS[m.role]}</dd></div>
      </dl>
      <div class="actions">
        {m.status === 'invited'
          ? <form method="post" action={`${base}/invitation`} class="inline"><button type="submit" class="secondary">Resend invitation</button></form>
          : m.status !== 'deactivated' && <OpenButton href={`${base}/reset-password`} label="Reset Password" />}
        <OpenButton href={`${base}/email`} label="Change Email" />
        {allowSetPassword && m.status !== 'deactivated' && <OpenButton href={`${base}/password`} label="Set password" />}
      </div>
    </section>

    <section class="card" aria-labelledby="access-heading">
      <h2 id="access-heading">Sign-in and security</h2>
      <dl class="details">
        <div><dt>Status</dt><dd>{STATUS_LABELS[m.status]}{m.mustChangePassword && ' (must choose a new password at next sign-in)'}</dd></div>
        <div><dt>Last sign-in</dt><dd><Time when={m.lastSignInAt} clock={clock} /></dd></div>
        <div>
          <dt>Lockout</dt>
          <dd>
            {m.lockedUntil
              ? <>Locked until <Time when={m.lockedUntil} clock={clock} /> after {m.failedSignIns} failed sign-ins.</>
              : m.failedSignIns > 0 ? `Not locked; ${m.failedSignIns} failed sign-in${m.failedSignIns === 1 ? '' : 's'} in a row.` : 'Not locked.'}
            {(m.lockedUntil || m.failedSignIns > 0) && (
              <form method="post" action={`${base}/unlock`} class="inline"><button type="submit" class="secondary">Unlock</button></form>
            )}
          </dd>
        </div>
        <div>
          <dt>2-Factor Auth</dt>
          <dd>
            {m.twoFactor ? 'On' : 'Off'}
            {/* Your own 2FA is changed in My Account; src/routes/two-factor-admin.tsx refuses it here. */}
            {m.twoFactor && !self && (
              <form method="post" action={`${base}/two-factor/reset`} class="inline"><button type="submit" class="secondary">Reset 2FA</button></form>
            )}
          </dd>
        </div>
        <div>
          <dt>Pending password reset</dt>
          <dd>{m.pendingReset ? <>Sent <Time when={m.pendingReset.sentAt} clock={clock} />, expires <Time when={m.pendingReset.expiresAt} clock={clock} />.</> : 'None.'}</dd>
        </div>
        <div><dt>Last email</dt><dd>{deliveryText(lastEmail, clock)}</dd></div>
      </dl>
      {!self && (
        <div class="actions">
          {m.status === 'deactivated'
            ? <OpenButton href={`${base}/reactivate`} label="Reactivate" />
            : <OpenButton href={`${base}/deactivate`} label="Deactivate" danger />}
        </div>
      )}
    </section>
    <div id="staff-dialog"></div>
  </Layout>
);
