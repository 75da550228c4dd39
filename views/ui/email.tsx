import type { Child, FC } from 'hono/jsx';
import { raw } from 'hono/html';

// Every email's HTML: a table layout with inline styles, the one kind of markup Gmail, Outlook (Word's renderer)
// and Apple Mail all draw the same way. Pages forbid inline styles (CSP); an email is not a page, and mail clients
// drop <style> blocks and external sheets, so here the style attribute is right. Colours keep WCAG AA contrast.

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const INK = '#1a2233';
const MUTED = '#4f5b6b';
const ACCENT = '#0b57a4';
const LINE = '#e3e8ee';

const TEXT = `margin: 0 0 16px; font-family: ${FONT}; font-size: 16px; line-height: 24px; color: ${INK};`;

/** Who sends it: the practice's name, and the number to call when anything in the email is unexpected. */
export type EmailSender = { practice: string; phone?: string | null };

export type EmailBlock = { paragraphs: string[]; link?: { href: string; label: string }; after?: string[] };

const Paragraph: FC<{ text: string }> = ({ text }) => <p style={TEXT}>{text}</p>;

/** A button that is a table cell with a background, so Outlook draws it too; the link is in the email once. */
const Button: FC<{ href: string; label: string }> = ({ href, label }) => (
  <table role="presentation" cellpadding="0" cellspacing="0" border={0} style="margin: 8px 0 24px;">
    <tr>
      <td bgcolor={ACCENT} style={`border-radius: 6px; background: ${ACCENT};`}>
        <a href={href} target="_blank" style={`display: inline-block; padding: 12px 24px; font-family: ${FONT}; font-size: 16px; line-height: 20px; font-weight: 600; color: #ffffff; text-decoration: none; border-radius: 6px;`}>{label}</a>
      </td>
    </tr>
  </table>
);

const Frame: FC<{ lang: string; sender: EmailSender; title: string; footer: string; children?: Child }> = ({ lang, sender, title, footer, children }) => (
  <>
    {raw('<!DOCTYPE html>')}
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <meta name="supported-color-schemes" content="light" />
        <title>{title}</title>
      </head>
      <body style="margin: 0; padding: 0; background: #f4f6f9;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border={0} bgcolor="#f4f6f9" style="background: #f4f6f9;">
          <tr>
            <td align="center" style="padding: 24px 12px;">
              <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border={0} bgcolor="#ffffff"
                style={`max-width: 560px; background: #ffffff; border: 1px solid ${LINE}; border-radius: 8px;`}>
                <tr>
                  <td style={`padding: 24px 32px 4px; font-family: ${FONT}; font-size: 20px; line-height: 28px; font-weight: 700; color: ${INK};`}>
                    {sender.practice}
                  </td>
                </tr>
                <tr>
                  <td style="padding: 16px 32px 8px;">{children}</td>
                </tr>
                <tr>
                  <td style={`padding: 16px 32px 24px; border-top: 1px solid ${LINE}; font-family: ${FONT}; font-size: 13px; line-height: 20px; color: ${MUTED};`}>
                    <strong style={`color: ${INK};`}>{sender.practice}</strong>
                    {sender.phone && <> · <a href={`tel:${sender.phone.replace(/[^\d+]/g, '')}`} style={`color: ${MUTED};`}>{sender.phone}</a></>}
                    <br />
                    {footer}
                  </td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  </>
);

/** lang: the language of the words (the catalog's), so a mail client reads it aloud and hyphenates it right. */
export const EmailBody: FC<{ lang: string; sender: EmailSender; title: string; footer: string; block: EmailBlock }> = ({ lang, sender, title, footer, block }) => (
  <Frame lang={lang} sender={sender} title={title} footer={footer}>
    {block.paragraphs.map((p) => <Paragraph text={p} />)}
    {block.link && <Button href={block.link.href} label={block.link.label} />}
    {(block.after ?? []).map((p) => <Paragraph text={p} />)}
  </Frame>
);

/**
 * The plain-text part: the same words in the same order, the link once on a line of its own (so every client makes
 * it clickable), and the same footer under a signature separator.
 */
export function emailText(sender: EmailSender, footer: string, block: EmailBlock): string {
  const lines = [sender.practice, '', ...block.paragraphs.flatMap((p) => [p, ''])];
  if (block.link) lines.push(`${block.link.label}:`, block.link.href, '');
  for (const p of block.after ?? []) lines.push(p, '');
  lines.push('-- ', sender.phone ? `${sender.practice} · ${sender.phone}` : sender.practice, footer);
  return lines.join('\n');
}
