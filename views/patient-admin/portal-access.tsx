import type { Child, FC } from 'hono/jsx';
import type { LastEmailStatus } from '../../src/mail/outbox.ts';
import { PORTAL_STATUS_LABELS } from '../../src/copy/practice.ts';
import { practiceText } from '../../src/copy/practice/index.ts';
import type { Clock } from '../../src/copy/time.ts';
import type { PatientRecord } from '../../src/features/patient-admin/patients.ts';
import type { PortalAccess, PortalAccessDetails } from '../../src/features/patient-admin/portal-access.ts';
import { ErrorSummary, Field, Layout, Notice, type Chrome } from '../ui/layout.tsx';

// A guardian's portal access from a patient's page (P5 "Account Settings") and the confirmation steps of its actions.
// Each confirmation is one component: a page of its own without JavaScript, a panel swapped into this page with htmx.

const A = practiceText.patients.access;
const L = practiceText.patients.lastEmail;

export type PortalPaths = {
  patient: string; email: string; reset: string; temporary: string; unlock: string; resendInvitation: string;
  disable: string; restore: string;
};

export type PortalAccessView = {
  patient: PatientRecord;
  access: PortalAccess;
  details: PortalAccessDetails;
  /** Every patient this one account covers: what Reset Password, a temporary password or Disable affect. */
  linkedPatients: { name: string; accountNumber: string; href: string }[];
  paths: PortalPaths;
  clock: Clock;
  notice?: string | null;
  error?: string | null;
  emailForm?: { value: string; alsoContact: boolean; error: string | null };
};



export function describeLastEmail(email: LastEmailStatus | null, clock: Clock): string {
  if (!email) return L.none;
  const stamp = (date: Date | null) => (date ? clock.dateTime(date) : L.never);
  const what = L.kinds[email.kind] ?? email.kind.replace(/_/g, ' ');
  switch (email.status) {
    case 'sent': return L.sent(what, stamp(email.sentAt));
    case 'failed': return L.failed(what, email.lastError);
    case 'sending': return L.sending(what, email.attempts);
    default: return email.attempts > 0 ? L.retrying(what, stamp(email.nextAttemptAt), email.lastError) : L.queued(what, stamp(email.createdAt));
  }
}

function describeStatus(access: PortalAccess, clock: Clock): string {
  const stamp = (date: Date) => clock.dateTime(date);
  const label = PORTAL_STATUS_LABELS[access.status];
  if (access.status === 'locked' && access.lockedUntil && access.lockedUntil > new Date()) return A.lockedUntil(label, stamp(access.lockedUntil));
  if (access.status === 'temporary' && access.temporaryUntil) {
    return access.temporaryUntil > new Date() ? A.temporaryUntil(label, stamp(access.temporaryUntil)) : A.temporaryExpired(label, stamp(access.temporaryUntil));
  }
  return label;
}

export const EmailForm: FC<{ view: PortalAccessView }> = ({ view }) => {
  const form = view.emailForm ?? { value: view.access.email ?? '', alsoContact: true, error: null };
  const contactDiffers = view.access.contact.email !== view.access.email;
  return (
    <form id="email-form" method="post" action={view.paths.email} novalidate data-focus-after-swap
      hx-post={view.paths.email} hx-target="#email-form" hx-swap="outerHTML">
      <Field name="email" type="email" label={A.loginEmail} value={form.value} autocomplete="off" maxlength={254} required error={form.error}
        hint={contactDiffers ? A.contactEmail(view.access.contact.email) : A.loginEmailHint} />
      <div class="check">
        <input type="checkbox" id="field-also_update_contact" name="also_update_contact" value="1" checked={form.alsoContact} />
        <label for="field-also_update_contact">{A.alsoContact}</label>
      </div>
      <button type="submit" class="secondary">{A.changeEmail}</button>
    </form>
  );
};

/** A GET form so the action is a real button (the contract names buttons) that leads to its confirmation first. */
const ConfirmFirst: FC<{ action: string; label: string; danger?: boolean }> = ({ action, label, danger }) => (
  <form method="get" action={action} hx-get={action} hx-target="#action-panel" hx-swap="innerHTML" class="inline">
    <button type="submit" class={danger ? 'danger' : undefined}>{label}</button>
  </form>
);

const PostButton: FC<{ action: string; label: string; secondary?: boolean }> = ({ action, label, secondary }) => (
  <form method="post" action={action} class="inline">
    <button type="submit" class={secondary ? 'secondary' : undefined}>{label}</button>
  </form>
);

export const PortalAccessPage: FC<{ chrome: Chrome; view: PortalAccessView }> = ({ chrome, view }) => {
  const { access, patient, details, paths } = view;
  const name = `${access.contact.firstName} ${access.contact.lastName}`;
  const active = access.status !== 'deactivated';
  return (
    <Layout title={A.title(name)} chrome={chrome}>
      <p><a href={paths.patient}>{A.patientLink(`${patient.firstName} ${patient.lastName}`, patient.accountNumber)}</a></p>
      <h1>{A.title(name)}</h1>
      <p class="muted">{A.relationshipOf(access.contact.relationship, `${patient.firstName} ${patient.lastName}`)}</p>
      <Notice message={view.notice} />
      <ErrorSummary message={view.error} />
      <div id="action-panel" data-focus-after-swap></div>
      <section class="card" aria-labelledby="settings-heading">
        <h2 id="settings-heading">{A.settings}</h2>
        <dl class="facts">
          <dt>{A.username}</dt><dd>{access.username}</dd>
          <dt>{A.patientsOnAccount}</dt>
          <dd>
            <ul class="plain">
              {view.linkedPatients.map((p) => <li><a href={p.href}>{p.name}</a>{A.account(p.accountNumber)}</li>)}
            </ul>
          </dd>
          <dt>{A.status}</dt><dd>{describeStatus(access, view.clock)}</dd>
          <dt>{A.lastSignIn}</dt><dd>{access.lastSignInAt ? view.clock.dateTime(access.lastSignInAt) : A.never}</dd>
          <dt>{A.twoFactor}</dt><dd>{access.twoFactor ? A.on : A.off}</dd>
          <dt>{A.lastEmail}</dt><dd>{describeLastEmail(details.lastEmail, view.clock)}</dd>
          {details.pendingLink && (
            <><dt>{details.pendingLink.purpose === 'reset' ? A.pendingReset : A.pendingInvitation}</dt><dd>{A.validUntil(view.clock.dateTime(details.pendingLink.expiresAt))}</dd></>
          )}
        </dl>
        <EmailForm view={view} />
      </section>
      <section class="card" aria-labelledby="actions-heading">
        <h2 id="actions-heading">{A.actions}</h2>
        {view.linkedPatients.length > 1 && (
          <p>{A.covers(view.linkedPatients.map((p) => p.name).join(A.and))}</p>
        )}
        <div class="actions">
          {active && access.hasPassword && access.email && <ConfirmFirst action={paths.reset} label={A.resetPassword} />}
          {active && <ConfirmFirst action={paths.temporary} label={A.setTemporary} />}
          {access.status === 'locked' && <PostButton action={paths.unlock} label={A.unlock} />}
          {access.status === 'invited' && access.email && <PostButton action={paths.resendInvitation} label={A.resendInvitation} secondary />}
          {active ? <ConfirmFirst action={paths.disable} label={A.disable} danger /> : <PostButton action={paths.restore} label={A.restore} />}
        </div>
      </section>
    </Layout>
  );
};

/** The confirmation step: a full page (no JavaScript) or the panel htmx puts above Account Settings. */
export const ConfirmPanel: FC<{ heading: string; headingLevel: 1 | 2; action: string; cancelHref: string; submit: string; danger?: boolean; children?: Child }> = (props) => (
  <section class="card confirm" aria-labelledby="confirm-heading">
    {props.headingLevel === 1 ? <h1 id="confirm-heading">{props.heading}</h1> : <h2 id="confirm-heading">{props.heading}</h2>}
    {props.children}
    <form method="post" action={props.action} class="actions">
      <button type="submit" class={props.danger ? 'danger' : undefined}>{props.submit}</button>
      <a href={props.cancelHref}>{A.cancel}</a>
    </form>
  </section>
);

export const ConfirmPage: FC<{ chrome: Chrome; title: string; children?: Child }> = ({ chrome, title, children }) => (
  <Layout title={title} chrome={chrome}>{children}</Layout>
);
