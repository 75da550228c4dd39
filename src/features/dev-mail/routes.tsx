import { Hono } from 'hono';
import { DevMailboxPage, DevMailMessagePage } from '../../../views/dev-mail/dev-mail.tsx';
import { practiceText } from '../../copy/practice/index.ts';
import { bareChrome } from '../../http/chrome.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { isUuid } from '../../http/ids.ts';
import { getDevMail, listDevMail } from './dev-mail.ts';

// The development mailbox: what the outbox holds, readable in a browser and by scripts (browser tests take the
// reset link from ?format=json). It shows every practice's mail, so it never exists in production.

export function devMailRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  const chrome = { ...bareChrome(), portalLabel: practiceText.devMail.title };

  // app.ts does not mount these routes in production; this guard holds even if someone mounts them anyway.
  routes.use('*', async (c, next) => {
    if (deps.config.env === 'production') return renderError(c, 404);
    await next();
  });

  routes.get('/', async (c) => {
    const to = (c.req.query('to') ?? '').trim().toLowerCase().slice(0, 254);
    const messages = await listDevMail(deps.db, deps.mailer, to);
    if (c.req.query('format') === 'json') return c.json(messages);
    return c.html(<DevMailboxPage chrome={chrome} messages={messages} to={to} />);
  });

  // The email's HTML alone, for the message page's frame. Email HTML styles itself inline (views/ui/email.tsx), which
  // the pages' CSP forbids: this answer has a policy of its own, allowing inline styles and nothing else (no script,
  // no fetch), may be framed by our own pages only, and is sandboxed even when opened directly.
  routes.get('/:id/html', async (c) => {
    const id = c.req.param('id');
    const message = isUuid(id) ? await getDevMail(deps.db, deps.mailer, id) : null;
    if (!message || message.html === null) return renderError(c, 404);
    c.header('Content-Security-Policy', [
      "default-src 'none'", "style-src 'unsafe-inline'", "img-src data:", "base-uri 'none'", "form-action 'none'",
      "frame-ancestors 'self'", 'sandbox allow-popups allow-popups-to-escape-sandbox',
    ].join('; '));
    c.header('X-Frame-Options', 'SAMEORIGIN');
    c.header('Cache-Control', 'no-store');
    return c.html(message.html);
  });

  routes.get('/:id', async (c) => {
    const id = c.req.param('id');
    const message = isUuid(id) ? await getDevMail(deps.db, deps.mailer, id) : null;
    if (!message) return renderError(c, 404);
    if (c.req.query('format') === 'json') return c.json(message);
    return c.html(<DevMailMessagePage chrome={chrome} message={message} />);
  });

  return routes;
}
