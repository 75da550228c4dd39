import type { Child, FC } from 'hono/jsx';
import { raw } from 'hono/html';

// Emails are built from JSX like pages, with inline-free, table-free markup that mail clients render well.
const EmailLayout: FC<{ practice: string; footer: string; children?: Child }> = ({ practice, footer, children }) => (
  <>
    {raw('<!DOCTYPE html>')}
    <html lang="en">
      <head><meta charset="utf-8" /><title>{practice}</title></head>
      <body>
        <h1>{practice}</h1>
        {children}
        <hr />
        <p><small>{footer}</small></p>
      </body>
    </html>
  </>
);

export type EmailBlock = { paragraphs: string[]; link?: { href: string; label: string }; after?: string[] };

export const EmailBody: FC<{ practice: string; footer: string; block: EmailBlock }> = ({ practice, footer, block }) => (
  <EmailLayout practice={practice} footer={footer}>
    {block.paragraphs.map((p) => <p>{p}</p>)}
    {block.link && <p><a href={block.link.href}>{block.link.label}</a></p>}
    {block.link && <p>{block.link.href}</p>}
    {(block.after ?? []).map((p) => <p>{p}</p>)}
  </EmailLayout>
);

/** The plain-text part carries the same words; the link stands alone on its line so every client makes it clickable. */
export function emailText(practice: string, footer: string, block: EmailBlock): string {
  const lines = [practice, '', ...block.paragraphs.flatMap((p) => [p, ''])];
  if (block.link) lines.push(`${block.link.label}:`, block.link.href, '');
  for (const p of block.after ?? []) lines.push(p, '');
  lines.push('--', footer);
  return lines.join('\n');
}
