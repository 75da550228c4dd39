import type { FC } from 'hono/jsx';
import type { Messages } from '../../src/copy/messages.ts';
import { formatCalendarDate } from '../../src/copy/time.ts';
import type { LinkedPatient } from '../../src/core/linked-patients.ts';
import { Layout, Notice, type Chrome } from '../ui/layout.tsx';

// The patient portal's Home (G6): one card per child (or the adult patient themself), the family's own account, and
// a clear way to Settings. The practice portal's homes are in practice-home.tsx.

export type PatientHomeProps = {
  chrome: Chrome;
  t: Messages;
  name: string;
  patients: LinkedPatient[];
  settingsHref: string;
  notice?: string | null;
  account: {
    signInName: string; twoFactor: boolean; passkeys: number; sessions: number; previousSignIn: { iso: string; text: string } | null;
  };
  practice: { name: string; phone: string | null };
};

export const PatientHomePage: FC<PatientHomeProps> = (props) => {
  const h = props.t.home;
  const a = props.account;
  const protectedBy = [a.twoFactor ? h.twoFactorOn : null, a.passkeys ? h.passkeys(a.passkeys) : null].filter(Boolean).join(' · ');
  return (
    <Layout title={h.title} chrome={props.chrome}>
      <Notice message={props.notice} />
      <h1>{h.greeting(props.name)}</h1>
      <section aria-labelledby="family-heading">
        <h2 id="family-heading">{h.patientsHeading}</h2>
        {props.patients.length === 0 ? (
          <p class="card empty">{h.noPatients}</p>
        ) : (
          <ul class="cards">
            {props.patients.map((p) => (
              <li class="card person">
                <h3>{p.firstName} {p.lastName}</h3>
                <dl class="facts">
                  <dt>{h.dateOfBirth}</dt>
                  <dd>{formatCalendarDate(p.dateOfBirth)}</dd>
                  <dt>{h.accountNumber}</dt>
                  <dd>{p.accountNumber}</dd>
                  <dt>{h.relationship}</dt>
                  <dd>{h.relationships[p.relationship] ?? p.relationship}</dd>
                </dl>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card" aria-labelledby="account-heading">
        <h2 id="account-heading">{h.accountHeading}</h2>
        <dl class="facts">
          <dt>{h.signInName}</dt>
          <dd>{a.signInName}</dd>
          <dt>{h.protection}</dt>
          <dd>
            {protectedBy ? <span class="status ok">{protectedBy}</span> : (
              <>
                <span class="status warn">{h.passwordOnly}</span>
                <span class="hint block">{h.passwordOnlyHint}</span>
              </>
            )}
          </dd>
          <dt>{h.sessions}</dt>
          <dd>{h.sessionsValue(a.sessions)}</dd>
          <dt>{h.previous}</dt>
          <dd>{a.previousSignIn ? <time datetime={a.previousSignIn.iso}>{a.previousSignIn.text}</time> : h.firstSignIn}</dd>
        </dl>
        <p class="muted">{h.settingsIntro}</p>
        <div class="actions">
          <a class="button" href={props.settingsHref}>{h.openSettings}</a>
        </div>
        {props.practice.phone && <p class="muted call">{h.callPractice(props.practice.name, props.practice.phone)}</p>}
      </section>
    </Layout>
  );
};
