import type { FC } from 'hono/jsx';
import { Layout, type Chrome } from './layout.tsx';

export const ErrorPage: FC<{ code: string; title: string; message: string; chrome: Chrome; back: { href: string; label: string } }> = (props) => (
  <Layout title={props.title} chrome={props.chrome}>
    <section class="card narrow">
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      <p><a href={props.back.href}>{props.back.label}</a></p>
      <p class="muted">{props.code}</p>
    </section>
  </Layout>
);
