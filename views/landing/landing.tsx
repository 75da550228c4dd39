import type { FC } from 'hono/jsx';
import { Layout, type Chrome } from '../ui/layout.tsx';

export const LandingPage: FC<{ chrome: Chrome; tenants: { slug: string; name: string }[] | null }> = ({ chrome, tenants }) => (
  <Layout title="Find your practice" chrome={chrome}>
    <section class="card narrow">
      <h1>Find your practice</h1>
      <p>Use the sign-in link your practice gave you. It looks like <code>/your-practice/patient/login</code>.</p>
      {tenants && (
        <>
          <h2>Practices on this development server</h2>
          <ul>
            {tenants.map((t) => (
              <li>
                {t.name}: <a href={`/${t.slug}/patient/login`}>patient portal</a> ·{' '}
                <a href={`/${t.slug}/practice/login`}>practice portal</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  </Layout>
);
