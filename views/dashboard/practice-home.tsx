import type { FC } from 'hono/jsx';
import { PRACTICE_HOME } from '../../src/copy/practice-home.ts';
import { Layout, Notice, type Chrome } from '../ui/layout.tsx';
import { PatientSearchFields } from '../ui/patient-search-fields.tsx';
import { AttentionList, type AttentionItem } from './attention.tsx';

// The practice portal's Home: every role sees its own account and what it may do; an administrator first sees the
// practice's sign-in health, the front desk the patient search and its recently opened patients.

const H = PRACTICE_HOME;

export type Moment = { iso: string; text: string };

/** One number of the administrator's home, linking to the list it counts. */
export type Stat = { label: string; value: number; note: string; href: string; tone: 'calm' | 'warn' | 'bad' };

export type AdminHome = {
  stats: Stat[];
  allClear: boolean;
  locked: AttentionItem[];
  lockedTotal: number;
  lockedHref: string;
  expiring: AttentionItem[];
  expiringTotal: number;
  invitationsHref: string;
  failing: { name: string; portal: string; failures: number; href: string }[];
};

export type FrontDeskHome = {
  searchAction: string;
  recent: { name: string; href: string; accountNumber: string; dateOfBirth: string; opened: Moment }[];
};

export type OwnAccount = {
  twoFactor: boolean; passkeys: number; sessions: number; previousSignIn: Moment | null; accountHref: string; twoFactorHref: string;
};

export type PracticeHomeProps = {
  chrome: Chrome;
  name: string;
  role: string | null;
  notice?: string | null;
  you: OwnAccount;
  canDo: { text: string; link?: { href: string; label: string } }[];
  admin?: AdminHome | null;
  frontDesk?: FrontDeskHome | null;
};

export const PracticeHomePage: FC<PracticeHomeProps> = (props) => (
  <Layout title={H.title} chrome={props.chrome}>
    <Notice message={props.notice} />
    <div class="page-head">
      <div>
        <h1>{H.greeting(props.name)}</h1>
        {props.role && <p class="lede">{H.role} {props.role}</p>}
      </div>
    </div>
    {props.admin && <SignInHealth health={props.admin} />}
    {props.frontDesk && <FrontDesk home={props.frontDesk} />}
    <div class="grid-2">
      <YourAccount you={props.you} />
      <CanDo items={props.canDo} />
    </div>
  </Layout>
);

const SignInHealth: FC<{ health: AdminHome }> = ({ health }) => (
  <>
    <section class="card" aria-labelledby="health-heading">
      <div class="section-head">
        <h2 id="health-heading">{H.health.heading}</h2>
      </div>
      <p class="muted">{health.allClear ? H.health.allClear : H.health.intro}</p>
      <ul class="stats">
        {health.stats.map((stat) => (
          <li>
            <a class={`stat ${stat.value > 0 ? stat.tone : 'calm'}`} href={stat.href}>
              <span class="stat-value">{stat.value.toLocaleString('en-US')}</span>
              <span class="stat-label">{stat.label}</span>
              <span class="stat-note">{stat.note}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
    {health.locked.length > 0 && (
      <section class="card flush" aria-labelledby="locked-heading">
        <div class="section-head padded">
          <h2 id="locked-heading">{H.health.needsHandHeading}</h2>
          {health.lockedTotal > health.locked.length && <a href={health.lockedHref}>{H.health.seeAll(health.lockedTotal)}</a>}
        </div>
        <AttentionList items={health.locked} label={H.health.needsHandHeading} />
      </section>
    )}
    {health.expiring.length > 0 && (
      <section class="card flush" aria-labelledby="expiring-heading">
        <div class="section-head padded">
          <h2 id="expiring-heading">{H.health.invitationsHeading}</h2>
          {health.expiringTotal > health.expiring.length && <a href={health.invitationsHref}>{H.health.seeAll(health.expiringTotal)}</a>}
        </div>
        <AttentionList items={health.expiring} label={H.health.invitationsHeading} />
      </section>
    )}
    {health.failing.length > 0 && (
      <section class="card" aria-labelledby="failing-heading">
        <h2 id="failing-heading">{H.health.failingHeading}</h2>
        <table class="stack">
          <caption class="visually-hidden">{H.health.failingCaption}</caption>
          <thead>
            <tr><th scope="col">{H.health.failingAccount}</th><th scope="col">{H.health.failingPortal}</th><th scope="col" class="num">{H.health.failingCount}</th></tr>
          </thead>
          <tbody>
            {health.failing.map((f) => (
              <tr>
                <td><a href={f.href}>{f.name}</a></td>
                <td data-label={H.health.failingPortal}>{f.portal}</td>
                <td data-label={H.health.failingCount} class="num">{f.failures}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    )}
  </>
);

const FrontDesk: FC<{ home: FrontDeskHome }> = ({ home }) => (
  <>
    <section class="card" aria-labelledby="find-heading">
      <h2 id="find-heading">{H.frontDesk.searchHeading}</h2>
      <p class="muted">{H.frontDesk.searchIntro}</p>
      <form method="get" action={home.searchAction} role="search" aria-labelledby="find-heading" class="patient-search wide" novalidate>
        <PatientSearchFields values={{ account: '', name: '', dob: '', guardian_email: '' }} />
        <div class="actions"><button type="submit">{H.frontDesk.search}</button></div>
      </form>
    </section>
    <section class="card" aria-labelledby="recent-heading">
      <h2 id="recent-heading">{H.frontDesk.recentHeading}</h2>
      {home.recent.length === 0 ? <p class="empty">{H.frontDesk.recentNone}</p> : (
        <table class="stack">
          <caption class="visually-hidden">{H.frontDesk.recentCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{H.frontDesk.patient}</th><th scope="col">{H.frontDesk.account}</th>
              <th scope="col">{H.frontDesk.dateOfBirth}</th><th scope="col">{H.frontDesk.opened}</th>
            </tr>
          </thead>
          <tbody>
            {home.recent.map((p) => (
              <tr>
                <td><a href={p.href}>{p.name}</a></td>
                <td data-label={H.frontDesk.account}>{p.accountNumber}</td>
                <td data-label={H.frontDesk.dateOfBirth}>{p.dateOfBirth}</td>
                <td data-label={H.frontDesk.opened}><time datetime={p.opened.iso}>{p.opened.text}</time></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  </>
);

const YourAccount: FC<{ you: OwnAccount }> = ({ you }) => {
  const protectedBy = [you.twoFactor ? H.you.twoFactorOn : null, you.passkeys ? H.you.passkeys(you.passkeys) : null].filter(Boolean).join(' · ');
  return (
    <section class="card" aria-labelledby="you-heading">
      <h2 id="you-heading">{H.you.heading}</h2>
      <dl class="facts">
        <dt>{H.you.signInProtection}</dt>
        <dd>
          {protectedBy ? <span class="status ok">{protectedBy}</span> : (
            <>
              <span class="status warn">{H.you.unprotected}</span>
              <span class="hint block">{H.you.unprotectedHint}</span>
            </>
          )}
        </dd>
        <dt>{H.you.sessions}</dt>
        <dd>{H.you.sessionsValue(you.sessions)}</dd>
        <dt>{H.you.previous}</dt>
        <dd>{you.previousSignIn ? <time datetime={you.previousSignIn.iso}>{you.previousSignIn.text}</time> : H.you.firstSignIn}</dd>
      </dl>
      <div class="actions">
        <a class="button secondary" href={you.accountHref}>{H.you.manage}</a>
        {!protectedBy && <a href={you.twoFactorHref}>{H.you.setUpTwoFactor}</a>}
      </div>
    </section>
  );
};

const CanDo: FC<{ items: PracticeHomeProps['canDo'] }> = ({ items }) => (
  <section class="card" aria-labelledby="can-do-heading">
    <h2 id="can-do-heading">{H.canDo.heading}</h2>
    <ul class="can-do">
      {items.map((item) => (
        <li>
          {item.link && <a href={item.link.href} class="can-do-link">{item.link.label}</a>}
          <span class="muted">{item.text}</span>
        </li>
      ))}
    </ul>
  </section>
);
