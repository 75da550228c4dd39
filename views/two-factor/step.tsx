import type { FC } from 'hono/jsx';
import type { TwoFactorText } from '../../src/copy/practice.ts';
import { ErrorSummary, Field, Layout, Notice, type Chrome } from '../ui/layout.tsx';

export type SecondStepProps = {
  chrome: Chrome;
  t: TwoFactorText;
  action: string;
  smsAction: string;
  /** "Use another account": drops this second step and goes back to the sign-in form. */
  anotherAccountAction: string;
  forgotHref: string;
  forgotLabel: string;
  rememberDays: number;
  remember?: boolean;
  /** Present when "Request Token via SMS" is offered. */
  sms?: { phoneEnding: string } | null;
  /** Where to go once signed in (a path of this portal), carried through the forms. */
  next?: string | null;
  error?: string | null;
  notice?: string | null;
};

/** The code form alone: the page renders it, and htmx swaps it in place with its error or notice. */
export const SecondStepForm: FC<SecondStepProps> = (props) => {
  const { t } = props;
  return (
    <form method="post" action={props.action} id="two-factor-form" hx-post={props.action} hx-target="this" hx-swap="outerHTML" novalidate>
      <ErrorSummary message={props.error} focus />
      <Notice message={props.notice} />
      {props.next && <input type="hidden" name="next" value={props.next} />}
      <p>{t.intro}</p>
      <Field name="code" label={t.codeLabel} hint={t.codeHint} autocomplete="one-time-code" required maxlength={32} autofocus={!props.error} />
      {props.rememberDays > 0 && (
        <div class="check">
          <input type="checkbox" id="field-remember_device" name="remember_device" value="1" checked={props.remember} />
          <label for="field-remember_device">{t.remember(props.rememberDays)}</label>
        </div>
      )}
      <div class="actions">
        <button type="submit">{t.submit}</button>
        <a href={props.forgotHref}>{props.forgotLabel}</a>
      </div>
    </form>
  );
};

export const SecondStepPage: FC<SecondStepProps> = (props) => (
  <Layout title={props.t.title} chrome={props.chrome}>
    <section class="card narrow">
      <h1>{props.t.title}</h1>
      <SecondStepForm {...props} />
      {props.sms && (
        // A form of its own after the code form, so Enter in the code field never asks for a text message.
        <form method="post" action={props.smsAction} hx-post={props.smsAction} hx-target="#two-factor-form" hx-swap="outerHTML" class="two-factor-sms">
          {props.next && <input type="hidden" name="next" value={props.next} />}
          <p>{props.t.smsIntro}</p>
          <button type="submit" class="secondary">{props.t.requestSms}</button>
        </form>
      )}
      <p class="muted two-factor-help">{props.t.lostPhone}</p>
      <form method="post" action={props.anotherAccountAction} class="another-account">
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <button type="submit" class="link-button">{props.t.anotherAccount}</button>
      </form>
    </section>
  </Layout>
);
