import type { FC } from 'hono/jsx';
import { Layout, Notice, type Chrome } from '../ui/layout.tsx';

// "Set temporary password" and what follows it: the form (its own confirmation step), then the page that offers
// the credentials sheet while its 15 minutes last.

export type TemporaryFormView = {
  guardianName: string;
  /** The patients this account covers, when more than one: the new password is for all of them. */
  patientNames: string[];
  action: string;
  cancelHref: string;
  /** Staff may type the password themselves (practice setting staffMayTypeTemporaryPassword). */
  typingAllowed: boolean;
  maskedEmail: string | null;
  mode?: 'generate' | 'type';
  notify?: boolean;
  error?: string | null;
  headingLevel: 1 | 2;
};

export const TemporaryPasswordForm: FC<{ view: TemporaryFormView }> = ({ view }) => {
  const typed = view.mode === 'type';
  const Heading = view.headingLevel === 1 ? 'h1' : 'h2';
  return (
    <section class="card confirm" aria-labelledby="temporary-heading">
      <Heading id="temporary-heading">Set temporary password for {view.guardianName}</Heading>
      <p>
        The current password stops working and every signed-in device is signed out. The temporary password must be
        changed at first sign-in and expires after 7 days if unused. You can print it on a credentials sheet next.
      </p>
      {view.patientNames.length > 1 && <p>This sign-in covers {view.patientNames.join(' and ')}; the sheet names them all.</p>}
      <form method="post" action={view.action} novalidate>
        {view.typingAllowed ? (
          <fieldset>
            <legend>Password</legend>
            <div class="check">
              <input type="radio" id="field-mode-generate" name="mode" value="generate" checked={!typed} />
              <label for="field-mode-generate">Generate a readable password (recommended)</label>
            </div>
            <div class="check">
              <input type="radio" id="field-mode-type" name="mode" value="type" checked={typed} />
              <label for="field-mode-type">Type a password</label>
            </div>
            <div class={view.error ? 'field invalid' : 'field'}>
              <label for="field-temporary_password">Temporary password (only if you type one)</label>
              <input id="field-temporary_password" name="temporary_password" type="text" autocomplete="off" maxlength={128} spellcheck={false}
                aria-invalid={view.error ? 'true' : undefined} aria-describedby={view.error ? 'field-temporary_password-error' : undefined} />
              {view.error && <p class="field-error" id="field-temporary_password-error">{view.error}</p>}
            </div>
          </fieldset>
        ) : (
          <p>Gatehouse generates a readable password of words and digits.</p>
        )}
        {view.maskedEmail ? (
          <div class="check">
            <input type="checkbox" id="field-notify" name="notify" value="1" checked={view.notify ?? true} />
            <label for="field-notify">Email a notice to {view.maskedEmail} with the username and sign-in link (never the password)</label>
          </div>
        ) : (
          <p>There is no login email on file, so no notice can be emailed; the credentials sheet will say so.</p>
        )}
        <div class="actions">
          <button type="submit">Set temporary password</button>
          <a href={view.cancelHref}>Cancel</a>
        </div>
      </form>
    </section>
  );
};

export const TemporaryPasswordPage: FC<{ chrome: Chrome; view: TemporaryFormView }> = ({ chrome, view }) => (
  <Layout title="Set temporary password" chrome={chrome}>
    <TemporaryPasswordForm view={view} />
  </Layout>
);

export type PrintoutView = {
  guardianName: string;
  /** When the temporary password stops working, and when the sheet's copy is deleted, as the practice reads time. */
  temporaryUntil: string;
  printoutExpiresAt: string;
  noticeText: string;
  pdfHref: string;
  discardAction: string;
  backHref: string;
};

export const PrintoutPage: FC<{ chrome: Chrome; view: PrintoutView }> = ({ chrome, view }) => (
  <Layout title="Temporary password set" chrome={chrome}>
    <section class="card">
      <h1>Temporary password set for {view.guardianName}</h1>
      <Notice message={`It must be changed at first sign-in and expires ${view.temporaryUntil} if unused.`} />
      <p>{view.noticeText}</p>
      <p>
        The password is shown only on the credentials sheet. You can open it until {view.printoutExpiresAt}; after that
        Gatehouse deletes its copy.
      </p>
      {/* A new tab, so this page (and its "delete the copy now") stays open behind the sheet. */}
      <p class="actions">
        <a class="button" href={view.pdfHref} target="_blank" rel="noopener" aria-describedby="pdf-new-tab">Print credentials (PDF)</a>
        <span class="muted" id="pdf-new-tab">Opens in a new tab.</span>
      </p>
      <form method="post" action={view.discardAction} class="actions">
        <button type="submit" class="secondary">I have printed it: delete the copy now</button>
        <a href={view.backHref}>Back to portal access</a>
      </form>
    </section>
  </Layout>
);

export const PrintoutGonePage: FC<{ chrome: Chrome; backHref: string }> = ({ chrome, backHref }) => (
  <Layout title="Credentials sheet no longer available" chrome={chrome}>
    <section class="card">
      <h1>Credentials sheet no longer available</h1>
      <p>
        For the guardian's safety a temporary password can be printed for 15 minutes only, by the staff member who set
        it, and only while it is still the account's password. Set a new temporary password if the guardian needs one.
      </p>
      <p><a href={backHref}>Back to portal access</a></p>
    </section>
  </Layout>
);
