import type { FC } from 'hono/jsx';
import { practiceText } from '../../src/copy/practice/index.ts';
import { Layout, Notice, type Chrome } from '../ui/layout.tsx';

const T = practiceText.patients.temporary;
const P = practiceText.patients.printout;

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
      <Heading id="temporary-heading">{T.heading(view.guardianName)}</Heading>
      <p>{T.intro}</p>
      {view.patientNames.length > 1 && <p>{T.covers(view.patientNames.join(practiceText.patients.access.and))}</p>}
      <form method="post" action={view.action} novalidate>
        {view.typingAllowed ? (
          <fieldset>
            <legend>{T.password}</legend>
            <div class="check">
              <input type="radio" id="field-mode-generate" name="mode" value="generate" checked={!typed} />
              <label for="field-mode-generate">{T.generate}</label>
            </div>
            <div class="check">
              <input type="radio" id="field-mode-type" name="mode" value="type" checked={typed} />
              <label for="field-mode-type">{T.type}</label>
            </div>
            <div class={view.error ? 'field invalid' : 'field'}>
              <label for="field-temporary_password">{T.typed}</label>
              <input id="field-temporary_password" name="temporary_password" type="text" autocomplete="off" maxlength={128} spellcheck={false}
                aria-invalid={view.error ? 'true' : undefined} aria-describedby={view.error ? 'field-temporary_password-error' : undefined} />
              {view.error && <p class="field-error" id="field-temporary_password-error">{view.error}</p>}
            </div>
          </fieldset>
        ) : (
          <p>{T.generated}</p>
        )}
        {view.maskedEmail ? (
          <div class="check">
            <input type="checkbox" id="field-notify" name="notify" value="1" checked={view.notify ?? true} />
            <label for="field-notify">{T.notify(view.maskedEmail)}</label>
          </div>
        ) : (
          <p>{T.noEmail}</p>
        )}
        <div class="actions">
          <button type="submit">{T.submit}</button>
          <a href={view.cancelHref}>{T.cancel}</a>
        </div>
      </form>
    </section>
  );
};

export const TemporaryPasswordPage: FC<{ chrome: Chrome; view: TemporaryFormView }> = ({ chrome, view }) => (
  <Layout title={T.title} chrome={chrome}>
    <TemporaryPasswordForm view={view} />
  </Layout>
);

export type PrintoutView = {
  guardianName: string;
  /** When the temporary password stops working, and when the sheet's copy is deleted, as the practice reads time. */
  temporaryUntil: string;
  printoutExpiresAt: string;
  noticeText: string;
  /** The sheet in the family's language, and in the other one. */
  pdfHref: string;
  sheetLanguage: string;
  other: { href: string; language: string };
  discardAction: string;
  backHref: string;
};

export const PrintoutPage: FC<{ chrome: Chrome; view: PrintoutView }> = ({ chrome, view }) => (
  <Layout title={P.title} chrome={chrome}>
    <section class="card">
      <h1>{P.heading(view.guardianName)}</h1>
      <Notice message={P.expires(view.temporaryUntil)} />
      <p>{view.noticeText}</p>
      <p>{P.onlyOnSheet(view.printoutExpiresAt)}</p>
      {/* A new tab, so this page (and its "delete the copy now") stays open behind the sheet. */}
      <p class="actions">
        <a class="button" href={view.pdfHref} target="_blank" rel="noopener" aria-describedby="pdf-new-tab">{P.print}</a>
        <span class="muted" id="pdf-new-tab">{P.newTab}</span>
      </p>
      <p>
        {P.sheetLanguage(view.sheetLanguage)}{' '}
        <a href={view.other.href} target="_blank" rel="noopener" aria-describedby="pdf-new-tab">{P.printOther(view.other.language)}</a>
      </p>
      <form method="post" action={view.discardAction} class="actions">
        <button type="submit" class="secondary">{P.discard}</button>
        <a href={view.backHref}>{P.back}</a>
      </form>
    </section>
  </Layout>
);

export const PrintoutGonePage: FC<{ chrome: Chrome; backHref: string }> = ({ chrome, backHref }) => (
  <Layout title={P.goneTitle} chrome={chrome}>
    <section class="card">
      <h1>{P.goneTitle}</h1>
      <p>{P.goneText}</p>
      <p><a href={backHref}>{P.back}</a></p>
    </section>
  </Layout>
);
