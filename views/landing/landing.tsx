import type { FC } from 'hono/jsx';
import { practiceText } from '../../src/copy/practice/index.ts';
import { Layout, type Chrome } from '../ui/layout.tsx';

const T = practiceText.landing;

export const LandingPage: FC<{ chrome: Chrome; tenants: { slug: string; name: string }[] | null }> = ({ chrome, tenants }) => (
  <Layout title={T.title} chrome={chrome}>
    <section class="card narrow">
      <h1>{T.title}</h1>
      <p>{T.intro}<code>{T.example}</code>{T.introEnd}</p>
      {tenants && (
        <>
          <h2>{T.development}</h2>
          <ul>
            {tenants.map((t) => (
              <li>
                {t.name}: <a href={`/${t.slug}/patient/login`}>{T.patientPortal}</a> ·{' '}
                <a href={`/${t.slug}/practice/login`}>{T.practicePortal}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  </Layout>
);
