import type { Child, FC } from 'hono/jsx';
import type { SignInText } from '../../src/copy/practice.ts';
import { ErrorSummary, Field, Layout, Notice, type Chrome } from '../ui/layout.tsx';

export type SignInProps = {
  chrome: Chrome;
  text: SignInText;
  action: string;
  forgotHref: string;
  username?: string;
  /** Where to go once signed in (a path of this portal), carried through the form. */
  next?: string | null;
  error?: string | null;
  notice?: string | null;
  /** What another capability adds below the form (the passkey button). */
  extra?: Child;
};

/** The form alone: the page renders it, and an htmx submission swaps it in place with its error. */
export const SignInForm: FC<SignInProps> = (props) => (
  <form method="post" action={props.action} id="sign-in" hx-post={props.action} hx-target="this" hx-swap="outerHTML" novalidate>
    <ErrorSummary message={props.error} focus />
    <Notice message={props.notice} />
    {props.next && <input type="hidden" name="next" value={props.next} />}
    <Field
      name="username"
      label={props.text.identifierLabel}
      hint={props.text.identifierHint}
      value={props.username}
      autocomplete="username"
      required
      maxlength={254}
      autofocus={!props.error && !props.username}
    />
    {/* With the username filled in (after a reset or an invitation), the password is what is left to type. */}
    <Field name="password" type="password" label={props.text.passwordLabel} autocomplete="current-password" required maxlength={1024}
      autofocus={!props.error && Boolean(props.username)} />
    <div class="actions">
      <button type="submit">{props.text.submit}</button>
      <a href={props.forgotHref}>{props.text.forgot}</a>
    </div>
  </form>
);

export const SignInPage: FC<SignInProps> = (props) => (
  <Layout title={props.text.title} chrome={props.chrome}>
    <section class="card narrow">
      <h1>{props.text.title}</h1>
      <SignInForm {...props} />
      {props.extra}
    </section>
  </Layout>
);
