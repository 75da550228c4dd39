import type { Child, FC } from 'hono/jsx';
import type { ActiveSession } from '../../src/features/account/credentials.ts';
import { securityQuestionIn, type Messages } from '../../src/copy/messages.ts';
import type { Clock } from '../../src/copy/time.ts';
import { Field, Layout, Notice, type Chrome } from '../ui/layout.tsx';
import { NewPasswordFields } from '../ui/password-fields.tsx';
import { QuestionFields } from '../ui/question-fields.tsx';

export type AccountErrors = Partial<Record<'current_password' | 'new_password' | 'new_password_confirmation' | 'question' | 'answer', string | null>>;

type Paths = { password: string; question: string; sessions: string; strength: string; twoFactor?: string };

export const CurrentPasswordField: FC<{ t: Messages; error?: string | null; id?: string; temporary?: boolean }> = ({ t, error, id, temporary }) => (
  <Field name="current_password" id={id} type="password" autocomplete="current-password" required maxlength={1024} error={error}
    label={temporary ? t.account.temporaryPasswordLabel : t.account.currentPasswordLabel} hint={temporary ? t.account.temporaryPasswordHint : undefined} />
);

export const AccountPage: FC<{
  chrome: Chrome; t: Messages; title: string; username: string; email: string | null; question: string | null;
  sessions: ActiveSession[]; paths: Paths; clock: Clock; notice?: string | null;
  form?: 'password' | 'question'; errors?: AccountErrors;
  twoFactor?: { enabled: boolean; since: string | null; codesLeft: number };
  /** Sections other capabilities add after two-factor authentication (passkeys). */
  sections?: Child;
}> = (props) => {
  const { t } = props;
  const errorsFor = (form: 'password' | 'question') => (props.form === form ? props.errors : undefined);
  return (
    <Layout title={props.title} chrome={props.chrome}>
      <h1>{props.title}</h1>
      <Notice message={props.notice} />
      <p>{t.account.usernameIs(props.username)}{props.email && <><br />{t.account.emailIs(props.email)}</>}</p>

      <section class="card" aria-labelledby="password-heading">
        <h2 id="password-heading">{t.account.passwordHeading}</h2>
        <form method="post" action={props.paths.password} novalidate>
          <input type="hidden" name="username" value={props.username} autocomplete="username" />
          <CurrentPasswordField t={t} error={errorsFor('password')?.current_password} />
          <NewPasswordFields labels={t.recovery} strengthAction={props.paths.strength} errors={errorsFor('password')} />
          <div class="check">
            <input type="checkbox" id="field-sign_out_others" name="sign_out_others" value="1" checked />
            <label for="field-sign_out_others">{t.account.signOutOthers}</label>
          </div>
          <button type="submit">{t.account.changePassword}</button>
        </form>
      </section>

      <section class="card" aria-labelledby="question-heading">
        <h2 id="question-heading">{t.account.questionHeading}</h2>
        <p>{t.account.questionIntro} {props.question ? t.account.currentQuestion(securityQuestionIn(t, props.question)) : t.account.noQuestion}</p>
        <form method="post" action={props.paths.question} novalidate>
          <CurrentPasswordField t={t} id="field-question-current_password" error={errorsFor('question')?.current_password} />
          <QuestionFields t={t} errors={errorsFor('question')} />
          <button type="submit">{t.account.saveQuestion}</button>
        </form>
      </section>

      {props.twoFactor && props.paths.twoFactor && (
        <section class="card" aria-labelledby="two-factor-heading">
          <h2 id="two-factor-heading">{t.account.twoFactorHeading}</h2>
          {props.twoFactor.enabled ? (
            <>
              <p>{t.twoFactor.statusOn(props.twoFactor.since ?? '', props.twoFactor.codesLeft)}</p>
              <ul class="links">
                <li><a href={props.paths.twoFactor}>{t.twoFactor.manageLink}</a></li>
                <li><a href={`${props.paths.twoFactor}#off-heading`}>{t.twoFactor.turnOff}</a></li>
              </ul>
            </>
          ) : (
            <>
              <p>{t.twoFactor.statusOff}</p>
              <p><a href={props.paths.twoFactor}>{t.twoFactor.setupLink}</a></p>
            </>
          )}
        </section>
      )}

      {props.sections}

      <section class="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">{t.account.sessionsHeading}</h2>
        <table class="stack">
          <thead><tr><th scope="col">{t.account.device}</th><th scope="col">{t.account.address}</th><th scope="col">{t.account.lastSeen}</th><th scope="col"><span class="visually-hidden">{t.account.actionColumn}</span></th></tr></thead>
          <tbody>
            {props.sessions.map((s) => (
              <tr>
                <td>{s.device}{s.current && <strong> ({t.account.thisDevice})</strong>}</td>
                <td data-label={t.account.address}>{s.ip ?? ''}</td>
                <td data-label={t.account.lastSeen}><time datetime={s.lastSeenAt.toISOString()}>{props.clock.dateTime(s.lastSeenAt)}</time></td>
                <td>
                  {!s.current && (
                    <form method="post" action={`${props.paths.sessions}/${s.handle}/end`}>
                      <button type="submit" class="secondary">{t.account.endSession}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
};

/** G4 / forced change: nothing else opens until the person has their own password (and a question). */
export const RequiredUpdatePage: FC<{
  chrome: Chrome; t: Messages; action: string; strengthAction: string; username: string;
  needsPassword: boolean; needsQuestion: boolean; errors?: AccountErrors;
}> = (props) => {
  const { t } = props;
  return (
    <Layout title={props.needsPassword ? t.account.requiredTitle : t.account.questionHeading} chrome={props.chrome}>
      <section class="card narrow">
        <h1>{props.needsPassword ? t.account.requiredTitle : t.account.questionHeading}</h1>
        {props.needsPassword && <p>{t.account.requiredIntro}</p>}
        <form method="post" action={props.action} novalidate>
          <input type="hidden" name="username" value={props.username} autocomplete="username" />
          {/* Field name current_password as everywhere; the person knows it as the temporary password they were given. */}
          <CurrentPasswordField t={t} error={props.errors?.current_password} temporary={props.needsPassword} />
          {props.needsPassword && <NewPasswordFields labels={t.recovery} strengthAction={props.strengthAction} errors={props.errors} />}
          {props.needsQuestion && (
            <>
              <p>{t.account.requiredQuestionIntro}</p>
              <QuestionFields t={t} errors={props.errors} />
            </>
          )}
          <button type="submit">{t.account.requiredSubmit}</button>
        </form>
      </section>
    </Layout>
  );
};
