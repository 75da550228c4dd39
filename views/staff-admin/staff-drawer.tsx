import type { Child, FC } from 'hono/jsx';
import type { Provider, StaffMember } from '../../src/features/staff-admin/staff.ts';
import { practiceText } from '../../src/copy/practice/index.ts';
import { ErrorSummary, Field, Layout, type Chrome } from '../ui/layout.tsx';
import { NewPasswordFields } from '../ui/password-fields.tsx';

// The staff forms that open over a page: with JavaScript, htmx swaps them into #staff-dialog as a modal drawer or
// dialog (public/app.js moves focus in, traps Tab, closes on Escape and returns focus); without it, each is a page
// of its own at the same address. One component per form serves both.

const F = practiceText.staff.forms;
const M = practiceText.staff.member;

export type SurfaceMode = 'page' | 'dialog';
export type FormErrors = Partial<Record<string, string | null>>;

type SurfaceProps = { mode: SurfaceMode; chrome: Chrome; title: string; closeHref: string; drawer?: boolean; children?: Child };

export const Surface: FC<SurfaceProps> = (props) =>
  props.mode === 'dialog' ? (
    <div class="dialog-backdrop">
      <section class={props.drawer ? 'drawer' : 'dialog'} role="dialog" aria-modal="true" aria-labelledby="dialog-title">
        <div class="dialog-head">
          <h2 id="dialog-title">{props.title}</h2>
          <a class="dialog-close" href={props.closeHref} data-dialog-close aria-label={F.close(props.title)}>×</a>
        </div>
        {props.children}
      </section>
    </div>
  ) : (
    <Layout title={props.title} chrome={props.chrome}>
      <section class="card narrow" aria-labelledby="page-title">
        <h1 id="page-title">{props.title}</h1>
        {props.children}
      </section>
    </Layout>
  );

/** A form that posts normally, and through htmx (answer swapped into the dialog) when shown as one. */
const DialogForm: FC<{ mode: SurfaceMode; action: string; children?: Child }> = ({ mode, action, children }) =>
  mode === 'dialog'
    ? <form method="post" action={action} hx-post={action} hx-target="#staff-dialog" novalidate>{children}</form>
    : <form method="post" action={action} novalidate>{children}</form>;

const Cancel: FC<{ href: string }> = ({ href }) => <a href={href} data-dialog-close>{F.cancel}</a>;

/** The administrator's own password, which sensitive changes to someone else's account require (DESIGN.md §4). */
export const OwnPasswordField: FC<{ error?: string | null; hint?: string }> = ({ error, hint }) => (
  <Field name="current_password" type="password" label={F.ownPassword} autocomplete="current-password" maxlength={1024}
    hint={hint ?? F.ownPasswordHint} error={error} />
);

const Select: FC<{ name: string; label: string; value: string; options: { value: string; label: string }[]; error?: string | null; required?: boolean }> = (props) => {
  const id = `field-${props.name}`;
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name} required={props.required} aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}>
        {props.options.map((o) => <option value={o.value} selected={o.value === props.value}>{o.label}</option>)}
      </select>
      {props.error && <p class="field-error" id={`${id}-error`}>{props.error}</p>}
    </div>
  );
};

export type StaffFormValues = Record<'first_name' | 'last_name' | 'role' | 'primary_provider_id' | 'username' | 'cell_phone' | 'home_phone' | 'version', string>;

export function valuesOf(member: StaffMember): StaffFormValues {
  return {
    first_name: member.firstName, last_name: member.lastName, role: member.role, primary_provider_id: member.primaryProviderId ?? '',
    username: member.username, cell_phone: member.cellPhone ?? '', home_phone: member.homePhone ?? '', version: member.version,
  };
}

/**
 * The "Update Staff" drawer (seed 001): staff information with field-level errors that keep what was typed. The
 * email is shown with its own "Change Email", the one place it changes (the old address is told).
 */
export const UpdateStaffForm: FC<{
  mode: SurfaceMode; chrome: Chrome; action: string; closeHref: string; values: StaffFormValues; providers: Provider[];
  email: string | null; changeEmailHref: string; errors?: FormErrors; message?: string | null; savedNow?: StaffMember | null;
}> = (props) => {
  const v = props.values;
  const e = props.errors ?? {};
  const providers = [{ value: '', label: F.noProvider }, ...props.providers.map((p) => ({ value: p.id, label: p.name }))];
  return (
    <Surface mode={props.mode} chrome={props.chrome} title={F.update} closeHref={props.closeHref} drawer>
      <ErrorSummary message={props.message} focus={props.mode === 'page'} />
      {props.savedNow && <SavedNow member={props.savedNow} />}
      <DialogForm mode={props.mode} action={props.action}>
        <input type="hidden" name="version" value={v.version} />
        {props.mode === 'dialog' ? <h3>{F.staffInformation}</h3> : <h2>{F.staffInformation}</h2>}
        <div class="field-grid">
          <Field name="first_name" label={M.firstName} value={v.first_name} autocomplete="off" required maxlength={100} error={e.first_name} />
          <Field name="last_name" label={M.lastName} value={v.last_name} autocomplete="off" required maxlength={100} error={e.last_name} />
          <Select name="role" label={M.role} value={v.role} options={ROLE_OPTIONS} error={e.role} required />
          <Select name="primary_provider_id" label={M.primaryProvider} value={v.primary_provider_id} options={providers} error={e.primary_provider_id} />
          {/* Someone else's username and email: autocomplete off, or the browser would offer the administrator's own. */}
          <Field name="username" label={M.username} value={v.username} autocomplete="off" required maxlength={60} error={e.username} />
          <div class="field">
            <p class="field-like"><strong>{M.email}</strong><br />{props.email ?? F.notSet}</p>
            <a href={props.changeEmailHref} hx-get={props.mode === 'dialog' ? props.changeEmailHref : undefined}
              hx-target={props.mode === 'dialog' ? '#staff-dialog' : undefined}>{F.changeEmail}</a>
          </div>
          <Field name="cell_phone" type="tel" label={M.cellPhone} value={v.cell_phone} autocomplete="off" inputmode="tel" maxlength={40} error={e.cell_phone} />
          <Field name="home_phone" type="tel" label={M.homePhone} value={v.home_phone} autocomplete="off" inputmode="tel" maxlength={40} error={e.home_phone} />
        </div>
        <OwnPasswordField error={e.current_password} hint={F.ownPasswordForRole} />
        <div class="actions">
          <button type="submit">{F.save}</button>
          <Cancel href={props.closeHref} />
        </div>
      </DialogForm>
    </Surface>
  );
};

const SavedNow: FC<{ member: StaffMember }> = ({ member }) => (
  <div class="saved-now">
    <p><strong>{F.savedNow}</strong></p>
    <dl class="details compact">
      <dt>{F.name}</dt><dd>{member.firstName} {member.lastName}</dd>
      <dt>{M.username}</dt><dd>{member.username}</dd>
      <dt>{M.email}</dt><dd>{member.email ?? '—'}</dd>
      <dt>{M.primaryProvider}</dt><dd>{member.primaryProvider ?? '—'}</dd>
      <dt>{M.cellPhone}</dt><dd>{member.cellPhone ?? '—'}</dd>
      <dt>{M.homePhone}</dt><dd>{member.homePhone ?? '—'}</dd>
    </dl>
  </div>
);

/** "Are you sure?" before an action that changes someone's access; the same button name confirms it. */
export const ConfirmAction: FC<{
  mode: SurfaceMode; chrome: Chrome; title: string; action: string; closeHref: string; button: string;
  danger?: boolean; from?: string; message?: string | null; children?: Child;
}> = (props) => (
  <Surface mode={props.mode} chrome={props.chrome} title={props.title} closeHref={props.closeHref}>
    <ErrorSummary message={props.message} focus={props.mode === 'page'} />
    {props.children}
    <DialogForm mode={props.mode} action={props.action}>
      {props.from && <input type="hidden" name="from" value={props.from} />}
      <div class="actions">
        <button type="submit" class={props.danger ? 'danger' : undefined}>{props.button}</button>
        <Cancel href={props.closeHref} />
      </div>
    </DialogForm>
  </Surface>
);

export const ChangeEmailForm: FC<{
  mode: SurfaceMode; chrome: Chrome; action: string; closeHref: string; name: string; currentEmail: string | null;
  email: string; errors?: FormErrors;
}> = (props) => (
  <Surface mode={props.mode} chrome={props.chrome} title={F.changeEmail} closeHref={props.closeHref}>
    <p>{F.changeEmailIntro(props.name)}<strong>{props.currentEmail ?? F.notSet}</strong>{F.changeEmailOutro}</p>
    <DialogForm mode={props.mode} action={props.action}>
      <Field name="email" type="email" label={F.newEmail} value={props.email} autocomplete="off" required maxlength={254} error={props.errors?.email} />
      <OwnPasswordField error={props.errors?.current_password} />
      <div class="actions">
        <button type="submit">{F.changeEmail}</button>
        <Cancel href={props.closeHref} />
      </div>
    </DialogForm>
  </Surface>
);

export const SetPasswordForm: FC<{
  mode: SurfaceMode; chrome: Chrome; action: string; closeHref: string; strengthAction: string; name: string;
  days: number; errors?: FormErrors;
}> = (props) => (
  <Surface mode={props.mode} chrome={props.chrome} title={F.setPassword} closeHref={props.closeHref}>
    <p>{F.setPasswordIntro(props.name, props.days)}</p>
    <DialogForm mode={props.mode} action={props.action}>
      <NewPasswordFields labels={{ newPasswordLabel: F.newPassword, confirmationLabel: F.newPasswordConfirmation, newPasswordIntro: F.newPasswordIntro }}
        strengthAction={props.strengthAction} errors={{ new_password: props.errors?.new_password, new_password_confirmation: props.errors?.new_password_confirmation }} />
      <OwnPasswordField error={props.errors?.current_password} />
      <div class="actions">
        <button type="submit">{F.setPassword}</button>
        <Cancel href={props.closeHref} />
      </div>
    </DialogForm>
  </Surface>
);

export const ROLE_OPTIONS = (['staff', 'nurse', 'provider', 'admin'] as const).map((value) => ({ value, label: F.roles[value] }));

export const InviteStaffForm: FC<{
  mode: SurfaceMode; chrome: Chrome; action: string; closeHref: string; values: Record<string, string>; errors?: FormErrors;
}> = (props) => {
  const v = props.values;
  const e = props.errors ?? {};
  return (
    <Surface mode={props.mode} chrome={props.chrome} title={F.invite} closeHref={props.closeHref} drawer>
      <p>{F.inviteIntro}</p>
      <DialogForm mode={props.mode} action={props.action}>
        <Field name="first_name" label={M.firstName} value={v.first_name} autocomplete="off" required maxlength={100} error={e.first_name} />
        <Field name="last_name" label={M.lastName} value={v.last_name} autocomplete="off" required maxlength={100} error={e.last_name} />
        <Select name="role" label={M.role} value={v.role ?? 'staff'} options={ROLE_OPTIONS} error={e.role} required />
        <Field name="username" label={M.username} value={v.username} autocomplete="off" required maxlength={60} error={e.username} />
        <Field name="email" type="email" label={M.email} value={v.email} autocomplete="off" required maxlength={254} error={e.email} />
        <div class="actions">
          <button type="submit">{F.sendInvitation}</button>
          <Cancel href={props.closeHref} />
        </div>
      </DialogForm>
    </Surface>
  );
};
