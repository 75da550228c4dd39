import type { FC } from 'hono/jsx';
import { raw } from 'hono/html';
import { ErrorSummary, Field, Layout, Notice, type Chrome } from '../ui/layout.tsx';
import type { TwoFactorText } from '../../src/copy/practice.ts';

// My Account / Settings → Two-factor authentication (P3, G3), and an administrator's reset of a staff member's 2FA (P4).

type Base = { chrome: Chrome; t: TwoFactorText };

/** "Current password", with an id of its own so several such forms may share a page. */
const CurrentPassword: FC<{ id: string; label: string; error?: string | null; hint?: string; autofocus?: boolean }> = (props) => {
  const described = [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint && <p class="hint" id={`${props.id}-hint`}>{props.hint}</p>}
      <input id={props.id} name="current_password" type="password" autocomplete="current-password" required maxlength={1024}
        autofocus={props.autofocus} aria-invalid={props.error ? 'true' : undefined} aria-describedby={described} />
      {props.error && <p class="field-error" id={`${props.id}-error`}>{props.error}</p>}
    </div>
  );
};

export const SetupStartPage: FC<Base & {
  action: string; required?: string | null; notice?: string | null; problem?: string | null; error?: string | null;
}> = (props) => {
  const { t } = props;
  return (
    <Layout title={t.setupTitle} chrome={props.chrome}>
      <section class="card narrow">
        <h1>{t.setupTitle}</h1>
        <ErrorSummary message={props.problem} focus />
        <Notice message={props.notice} />
        {props.required && <div class="alert notice" role="status">{props.required}</div>}
        <p>{t.setupIntro}</p>
        <p>{t.setupApps}</p>
        <form method="post" action={props.action} novalidate>
          <p>{t.passwordIntro}</p>
          <CurrentPassword id="field-current_password" label={t.currentPasswordLabel} error={props.error} autofocus />
          <button type="submit">{t.begin}</button>
        </form>
      </section>
    </Layout>
  );
};

export const EnrolPage: FC<Base & { action: string; qrSvg: string; secret: string; error?: string | null }> = (props) => {
  const { t } = props;
  const grouped = props.secret.match(/.{1,4}/g)?.join(' ') ?? props.secret;
  return (
    <Layout title={t.setupTitle} chrome={props.chrome}>
      <section class="card narrow">
        <h1>{t.setupTitle}</h1>
        <p>{t.scanStep}</p>
        {/* The SVG comes from the qrcode library (paths and presentation attributes only, no script or style). */}
        <div class="qr" role="img" aria-label={t.qrLabel}>{raw(props.qrSvg)}</div>
        <p>{t.keyStep}</p>
        <p class="totp-key-line"><span class="visually-hidden">{t.keyLabel}: </span><code id="totp-key" class="totp-key">{grouped}</code></p>
        <form method="post" action={props.action} novalidate>
          <ErrorSummary message={props.error} focus />
          <p>{t.confirmStep}</p>
          <Field name="code" label={t.codeLabel} autocomplete="one-time-code" inputmode="numeric" required maxlength={10} autofocus={!props.error} />
          <p class="muted">{t.setupTimeLimit}</p>
          <button type="submit">{t.turnOn}</button>
        </form>
      </section>
    </Layout>
  );
};

export const RecoveryCodesPage: FC<Base & { codes: string[]; downloadAction: string; doneHref: string; notice?: string | null }> = (props) => {
  const { t } = props;
  return (
    <Layout title={t.codesTitle} chrome={props.chrome}>
      <section class="card narrow">
        <h1>{t.codesTitle}</h1>
        <Notice message={props.notice} />
        <p>{t.codesIntro}</p>
        <p><strong>{t.codesOnce}</strong></p>
        <ol class="recovery-codes">
          {props.codes.map((code) => <li><code>{code}</code></li>)}
        </ol>
        <div class="actions">
          {/* A download, not a page: it may be asked for again (app.js guards other forms against a second send). */}
          <form method="post" action={props.downloadAction} data-repeatable>
            <input type="hidden" name="codes" value={props.codes.join(' ')} />
            <button type="submit" class="secondary">{t.download}</button>
          </form>
          <a class="button" href={props.doneHref}>{t.codesDone}</a>
        </div>
      </section>
    </Layout>
  );
};

export type ManageErrors = { codes?: string | null; off?: string | null };

export const ManagePage: FC<Base & {
  since: string; codesLeft: number; codesAction: string; offAction: string; required: boolean; errors?: ManageErrors;
}> = (props) => {
  const { t } = props;
  return (
    <Layout title={t.heading} chrome={props.chrome}>
      <h1>{t.onTitle}</h1>
      <p>{t.statusOn(props.since, props.codesLeft)}</p>
      <section class="card" aria-labelledby="codes-heading">
        <h2 id="codes-heading">{t.newCodesHeading}</h2>
        <p>{t.newCodesIntro}</p>
        <form method="post" action={props.codesAction} novalidate>
          <CurrentPassword id="field-codes-current_password" label={t.currentPasswordLabel} error={props.errors?.codes} />
          <button type="submit" class="secondary">{t.newCodes}</button>
        </form>
      </section>
      <section class="card" aria-labelledby="off-heading">
        <h2 id="off-heading">{t.turnOffHeading}</h2>
        <p>{t.turnOffIntro}</p>
        {props.required && <p><strong>{t.turnOffRequired}</strong></p>}
        <form method="post" action={props.offAction} novalidate>
          <CurrentPassword id="field-off-current_password" label={t.currentPasswordLabel} error={props.errors?.off} />
          <button type="submit" class="danger">{t.turnOff}</button>
        </form>
      </section>
    </Layout>
  );
};

export type ResetMember = { id: string; name: string; username: string; enabledAt: Date | null; passkeys: number };

/** GET confirms before the administrator's POST; afterwards the same page says it is done. */
export const AdminResetPage: FC<{
  chrome: Chrome; member: ResetMember; since: string | null; action: string; memberHref: string; done?: boolean; error?: string | null;
}> = ({ chrome, member, since, action, memberHref, done, error }) => (
  <Layout title="Reset two-factor authentication" chrome={chrome}>
    <section class="card narrow">
      <h1>Reset two-factor authentication</h1>
      <Notice message={done ? `Two-factor authentication was reset for ${member.name}. They have been signed out everywhere.` : null} />
      {member.enabledAt || member.passkeys > 0 ? (
        <>
          {member.enabledAt && <p>{member.name} ({member.username}) has used two-factor authentication since {since}.</p>}
          {member.passkeys > 0 && <p>{member.name} ({member.username}) signs in with {member.passkeys === 1 ? 'a passkey' : `${member.passkeys} passkeys`}.</p>}
          <p>
            Resetting turns it off, removes their passkeys, ends every session of theirs, forgets the browsers they saved
            and stops their recovery codes. They can set it up again at their next sign-in (and must, if the practice
            requires it). We email them.
          </p>
          <form method="post" action={action} novalidate>
            <CurrentPassword id="field-current_password" label="Current password" hint="Your own password, to confirm it is you." error={error} autofocus />
            <div class="actions">
              <button type="submit" class="danger">Reset 2FA</button>
              <a href={memberHref}>Cancel</a>
            </div>
          </form>
        </>
      ) : (
        <>
          <p>{member.name} ({member.username}) does not have two-factor authentication turned on.</p>
          <p><a href={memberHref}>Back to {member.name}</a></p>
        </>
      )}
    </section>
  </Layout>
);
