import type { FC } from 'hono/jsx';
import type { Messages } from '../../src/copy/messages.ts';
import { clockFor } from '../../src/copy/time.ts';
import { ErrorSummary, Field, Layout, Notice, type Chrome } from '../ui/layout.tsx';

// Passkeys (both portals): the login page's "Sign in with a passkey", My Account / Settings' list with "Add a
// passkey" and "Remove", the removal confirmation, and the page that asks policy-bound staff for their passkey.
// Whatever needs a passkey ceremony is rendered `hidden` and shown by /public/passkeys.js where the browser can do
// it: without JavaScript the buttons are simply absent.

export type PasskeyText = Messages['passkeys'];
export type PasskeyItem = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; synced: boolean };

/** The browser library first, then ours; both deferred, so they run in this order once the page is parsed. */
const Scripts: FC<{ scripts: string[] }> = ({ scripts }) => <>{scripts.map((src) => <script src={src} defer></script>)}</>;

export type PasskeySignInProps = { t: PasskeyText; optionsAction: string; verifyAction: string; scripts: string[] };

/** Below the password form; the script reveals it, runs the ceremony and follows the answer's redirect. */
export const PasskeySignIn: FC<PasskeySignInProps> = ({ t, optionsAction, verifyAction, scripts }) => (
  <div class="passkey-sign-in" data-passkey-sign-in data-options={optionsAction} data-verify={verifyAction}
    data-waiting={t.waiting} data-cancelled={t.cancelled} data-failed={t.failed} hidden>
    <p>{t.signInOr}</p>
    <div class="alert error" role="alert" data-passkey-error hidden></div>
    <p class="muted" role="status" data-passkey-status></p>
    <button type="button" class="secondary" data-passkey-start>{t.signIn}</button>
    <p class="hint">{t.signInHint}</p>
    <Scripts scripts={scripts} />
  </div>
);

export type PasskeyAccountProps = {
  t: PasskeyText;
  currentPasswordLabel: string;
  passkeys: PasskeyItem[];
  timeZone: string;
  /** The catalog's locale, so dates read in the family's language (English when absent). */
  locale?: string;
  addAction: string;
  verifyAction: string;
  removeHref: (id: string) => string;
  scripts: string[];
  notice?: string | null;
};

/** The "Passkeys" section of My Account / Settings. */
export const PasskeyAccountSection: FC<PasskeyAccountProps> = (props) => {
  const { t } = props;
  return (
    <section class="card" id="passkeys" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">{t.heading}</h2>
      <Notice message={props.notice} />
      <p>{t.intro}</p>
      {props.passkeys.length === 0 ? <p>{t.none}</p> : (
        <ul class="passkey-list" aria-label={t.listCaption}>
          {props.passkeys.map((key) => (
            <li>
              <strong id={`passkey-${key.id}`}>{key.name}</strong>
              <span class="muted"> · {t.created}: {clockFor(props.timeZone, props.locale).dateTime(key.createdAt)}</span>
              <span class="muted"> · {t.lastUsed}: {key.lastUsedAt ? clockFor(props.timeZone, props.locale).dateTime(key.lastUsedAt) : t.never}</span>{' '}
              <a class="button secondary" href={props.removeHref(key.id)} aria-describedby={`passkey-${key.id}`}>{t.remove}</a>
            </li>
          ))}
        </ul>
      )}
      <div data-passkey-add data-verify={props.verifyAction} data-cancelled={t.addCancelled} data-failed={t.addFailed}
        data-waiting={t.adding} data-unsupported={t.unsupported} hidden>
        <h3>{t.addHeading}</h3>
        <p>{t.addIntro}</p>
        <form method="post" action={props.addAction} novalidate>
          <div class="alert error" role="alert" data-passkey-error hidden></div>
          <Field name="passkey_name" label={t.nameLabel} hint={t.nameHint} maxlength={60} required autocomplete="off" />
          <Field name="current_password" id="field-passkey-current_password" type="password" label={props.currentPasswordLabel}
            autocomplete="current-password" maxlength={1024} required />
          <p class="muted" role="status" data-passkey-status></p>
          <button type="submit">{t.add}</button>
        </form>
      </div>
      <p class="muted" data-passkey-unsupported hidden>{t.unsupported}</p>
      {/* Shown until the script runs (a <noscript> would not show where scripts are merely blocked). */}
      <p class="muted" data-passkey-no-script>{t.needsScript}</p>
      <Scripts scripts={props.scripts} />
    </section>
  );
};

/** Removal asks for the current password first: a borrowed, signed-in browser must not be enough. */
export const RemovePasskeyPage: FC<{
  chrome: Chrome; t: PasskeyText; currentPasswordLabel: string; name: string; action: string; cancelHref: string; error?: string | null;
}> = (props) => {
  const { t } = props;
  return (
    <Layout title={t.removeTitle} chrome={props.chrome}>
      <section class="card narrow">
        <h1>{t.removeTitle}</h1>
        <p>{t.removeIntro(props.name)}</p>
        <form method="post" action={props.action} novalidate>
          <Field name="current_password" type="password" label={props.currentPasswordLabel} autocomplete="current-password"
            maxlength={1024} required error={props.error} autofocus />
          <div class="actions">
            <button type="submit" class="danger">{t.removeConfirm}</button>
            <a href={props.cancelHref}>{t.cancel}</a>
          </div>
        </form>
      </section>
    </Layout>
  );
};

/** A staff member under the two-factor policy who signed in with the password alone, and has a passkey. */
export const PasskeyRequiredPage: FC<{ chrome: Chrome; practice: string; signIn: PasskeySignInProps; error?: string | null }> = (props) => {
  const { t } = props.signIn;
  return (
    <Layout title={t.requiredTitle} chrome={props.chrome}>
      <section class="card narrow">
        <h1>{t.requiredTitle}</h1>
        <ErrorSummary message={props.error} focus />
        <p>{t.requiredIntro(props.practice)}</p>
        <PasskeySignIn {...props.signIn} />
        <p>{t.requiredLost}</p>
      </section>
    </Layout>
  );
};
