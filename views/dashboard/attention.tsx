import type { FC } from 'hono/jsx';
import { PRACTICE_HOME } from '../../src/copy/practice-home.ts';
import { Layout, type Chrome } from '../ui/layout.tsx';

// The rows behind the administrator home's numbers: on Home (the first few, with their action) and on each list page.

const A = PRACTICE_HOME.attention;

/** One account (or email) that needs a hand: who, where it is handled, when, and the one action that fixes it. */
export type AttentionItem = {
  name: string;
  /** "Staff" or "Family". */
  portal: string;
  /** Their page (staff member, or a guardian's portal access); null when it has none. */
  href: string | null;
  /** What the row's time means ("Locked until") and the time as the practice reads it. */
  whenLabel: string;
  when: { iso: string; text: string } | null;
  detail?: string | null;
  /** A post (Unlock, Resend) or a link to a confirmation (Send a new link). */
  action?: { label: string; href: string; post: boolean } | null;
};

export const AttentionList: FC<{ items: AttentionItem[]; label: string }> = ({ items, label }) => (
  <ul class="rows" aria-label={label}>
    {items.map((item) => (
      <li class="row">
        <div class="row-main">
          {item.href ? <a href={item.href} class="row-title">{item.name}</a> : <span class="row-title">{item.name}</span>}
          <span class="tag">{item.portal}</span>
          {item.detail && <p class="row-sub">{item.detail}</p>}
        </div>
        <p class="row-meta">
          <span class="row-meta-label">{item.whenLabel}</span>{' '}
          {item.when ? <time datetime={item.when.iso}>{item.when.text}</time> : A.byPractice}
        </p>
        {item.action && (
          <div class="row-action">
            {item.action.post ? (
              <form method="post" action={item.action.href} class="inline">
                <button type="submit" class="secondary small" aria-label={`${item.action.label}: ${item.name}`}>{item.action.label}</button>
              </form>
            ) : (
              <a class="button secondary small" href={item.action.href} aria-label={`${item.action.label}: ${item.name}`}>{item.action.label}</a>
            )}
          </div>
        )}
      </li>
    ))}
  </ul>
);

export type AttentionPageProps = {
  chrome: Chrome;
  kind: string;
  items: AttentionItem[];
  homeHref: string;
  nextHref: string | null;
  firstHref: string | null;
};

export const AttentionPage: FC<AttentionPageProps> = (props) => {
  const title = A.titles[props.kind];
  return (
    <Layout title={title} chrome={props.chrome}>
      <p class="crumb"><a href={props.homeHref}>{A.back}</a></p>
      <h1>{title}</h1>
      <p class="lede">{A.intros[props.kind]}</p>
      <section class="card flush">
        {props.items.length === 0 ? <p class="empty">{A.none}</p> : <AttentionList items={props.items} label={title} />}
      </section>
      {(props.nextHref || props.firstHref) && (
        <nav class="pager" aria-label={title}>
          {props.firstHref && <a href={props.firstHref}>{A.first}</a>}
          {props.nextHref && <a href={props.nextHref} rel="next">{A.more}</a>}
        </nav>
      )}
    </Layout>
  );
};
