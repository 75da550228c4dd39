import type { FC } from 'hono/jsx';
import { securityQuestionIn, type Messages } from '../../src/copy/messages.ts';
import type { ForgotText, TwoFactorText } from '../../src/copy/practice.ts';
import { ErrorSummary, Field, Layout, type Chrome } from '../ui/layout.tsx';
import { QuestionFields } from '../ui/question-fields.tsx';
import { NewPasswordFields } from '../ui/password-fields.tsx';

type Base = { chrome: Chrome; t: Messages };

export const ForgotPasswordPage: FC<Base & { action: string; signInHref: string; text: ForgotText; email?: string; error?: boolean }> = (props) => {
  const m = props.t.recovery;
  return (
    <Layout title={m.forgotTitle} chrome={props.chrome}>
      <section class="card narrow">
        <h1>{m.forgotTitle}</h1>
        <p>{props.text.intro}</p>
        <form method="post" action={props.action} novalidate>
          <Field name="email" type={props.text.inputType} label={m.emailLabel} hint={props.text.hint} value={props.email} autocomplete="email"
            inputmode="email" required maxlength={254} autofocus error={props.error ? props.text.invalid : null} />
          <div class="actions">
            <button type="submit">{m.submit}</button>
            <a href={props.signInHref}>{m.backToSignIn}</a>
          </div>
        </form>
      </section>
    </Layout>
  );
};

export const AlmostDonePage: FC<Base & { signInHref: string }> = (props) => (
  <Layout title={props.t.recovery.almostDoneTitle} chrome={props.chrome}>
    <section class="card narrow">
      <h1>{props.t.recovery.almostDoneTitle}</h1>
      <p>{props.t.recovery.almostDone}</p>
      <p>{props.t.recovery.almostDoneHelp}</p>
      <p><a href={props.signInHref}>{props.t.recovery.backToSignIn}</a></p>
    </section>
  </Layout>
);

export const LinkProblemPage: FC<Base & { title: string; message: string; newLinkHref: string; newLinkLabel: string }> = (props) => (
  <Layout title={props.title} chrome={props.chrome}>
    <section class="card narrow">
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      <p><a class="button" href={props.newLinkHref}>{props.newLinkLabel}</a></p>
    </section>
  </Layout>
);

export const SecurityQuestionPage: FC<Base & { action: string; question: string; error?: string | null }> = (props) => {
  const m = props.t.recovery;
  return (
    <Layout title={m.questionTitle} chrome={props.chrome}>
      <section class="card narrow">
        <h1>{m.questionTitle}</h1>
        <p>{m.questionIntro}</p>
        <form method="post" action={props.action} novalidate>
          <p class="question" id="security-question"><strong>{securityQuestionIn(props.t, props.question)}</strong></p>
          <Field name="answer" label={m.answerLabel} hint={m.answerHint} autocomplete="off" required maxlength={200} autofocus error={props.error} />
          <button type="submit">{m.continue}</button>
        </form>
      </section>
    </Layout>
  );
};

export type PasswordErrors = { new_password?: string | null; new_password_confirmation?: string | null };

export const NewPasswordPage: FC<Base & { action: string; strengthAction: string; username: string; errors?: PasswordErrors }> = (props) => {
  const m = props.t.recovery;
  return (
    <Layout title={m.newPasswordTitle} chrome={props.chrome}>
      <section class="card narrow">
        <h1>{m.newPasswordTitle}</h1>
        <p>{m.usernameIs(props.username)}</p>
        <form method="post" action={props.action} novalidate>
          <input type="hidden" name="username" value={props.username} autocomplete="username" />
          <NewPasswordFields labels={m} strengthAction={props.strengthAction} errors={props.errors} />
          <button type="submit">{m.change}</button>
        </form>
      </section>
    </Layout>
  );
};

export const WelcomePage: FC<Base & {
  action: string; strengthAction: string; username: string; errors?: PasswordErrors & { question?: string | null; answer?: string | null };
}> = (props) => {
  const m = props.t.recovery;
  return (
    <Layout title={m.welcomeTitle} chrome={props.chrome}>
      <section class="card narrow">
        <h1>{m.welcomeTitle}</h1>
        <p>{m.welcomeIntro}</p>
        <p><strong>{m.usernameIs(props.username)}</strong></p>
        <form method="post" action={props.action} novalidate>
          <input type="hidden" name="username" value={props.username} autocomplete="username" />
          <NewPasswordFields labels={m} strengthAction={props.strengthAction} errors={props.errors} />
          <QuestionFields t={props.t} errors={props.errors} />
          <button type="submit">{m.welcomeSubmit}</button>
        </form>
      </section>
    </Layout>
  );
};

/** The reset link of an account with 2FA: after the security question, a code before the new password. */
export const ResetCodePage: FC<{ chrome: Chrome; t: TwoFactorText; action: string; error?: string | null }> = (props) => (
  <Layout title={props.t.resetTitle} chrome={props.chrome}>
    <section class="card narrow">
      <h1>{props.t.resetTitle}</h1>
      <p>{props.t.resetIntro}</p>
      <form method="post" action={props.action} novalidate>
        <ErrorSummary message={props.error} focus />
        <Field name="code" label={props.t.codeLabel} hint={props.t.codeHint} autocomplete="one-time-code" required maxlength={32} autofocus={!props.error} />
        <button type="submit">{props.t.resetContinue}</button>
      </form>
      <p class="muted two-factor-help">{props.t.lostPhone}</p>
    </section>
  </Layout>
);
