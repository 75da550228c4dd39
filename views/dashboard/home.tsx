import type { FC } from 'hono/jsx';
import type { Messages } from '../../src/copy/messages.ts';
import { formatCalendarDate } from '../../src/copy/time.ts';
import type { LinkedPatient } from '../../src/core/linked-patients.ts';
import { Layout, Notice, type Chrome } from '../ui/layout.tsx';

export const PracticeHomePage: FC<{
  chrome: Chrome; name: string; role: string | null; links: { href: string; label: string }[]; notice?: string | null;
}> = (props) => (
  <Layout title="Home" chrome={props.chrome}>
    <section class="card">
      <Notice message={props.notice} />
      <h1>Welcome, {props.name}</h1>
      {props.role && <p class="muted">Role: {props.role}</p>}
      <ul>
        {props.links.map((link) => <li><a href={link.href}>{link.label}</a></li>)}
      </ul>
    </section>
  </Layout>
);

export const PatientHomePage: FC<{
  chrome: Chrome; t: Messages; name: string; patients: LinkedPatient[]; settingsHref: string; notice?: string | null;
}> = (props) => (
  <Layout title={props.t.home.title} chrome={props.chrome}>
    <section class="card">
      <Notice message={props.notice} />
      <h1>{props.t.home.greeting(props.name)}</h1>
      <h2>{props.t.home.patientsHeading}</h2>
      {props.patients.length === 0 ? (
        <p>{props.t.home.noPatients}</p>
      ) : (
        <ul class="patients">
          {props.patients.map((p) => (
            <li>
              <strong>{p.firstName} {p.lastName}</strong> — {props.t.home.accountNumber} {p.accountNumber},{' '}
              {props.t.home.dateOfBirth} {formatCalendarDate(p.dateOfBirth)}
            </li>
          ))}
        </ul>
      )}
      <p><a href={props.settingsHref}>{props.t.home.settings}</a></p>
    </section>
  </Layout>
);
