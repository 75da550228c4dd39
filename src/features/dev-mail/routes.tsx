import { Hono } from 'hono';
import { DevMailboxPage, DevMailMessagePage, type DevMailMessage } from '../../../views/dev-mail/dev-mail.tsx';
import type { Sql } from '../../platform/db.ts';
import { createEncrypter, type Encrypter } from '../../platform/encryption.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';

// The development mailbox: what the outbox holds, readable in a browser and by scripts (browser tests take the
// reset link from ?format=json). It shows every practice's mail, so it never exists in production.

const LIST_LIMIT = 200;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function devMailRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  const encrypter = createEncrypter(deps.config.secretKey, 'outbox');

  // app.ts does not mount these routes in production; this guard holds even if someone mounts them anyway.
  routes.use('*', async (c, next) => {
    if (deps.config.env === 'production') return renderError(c, 404);
    await next();
  });

  routes.get('/', async (c) => {
    const to = (c.req.query('to') ?? '').trim().toLowerCase().slice(0, 254);
    const messages = await listDevMail(deps.db.sql, encrypter, to);
    if (c.req.query('format') === 'json') return c.json(messages);
    return c.html(<DevMailboxPage messages={messages} to={to} />);
  });

  routes.get('/:id', async (c) => {
    const id = c.req.param('id');
    const message = UUID_PATTERN.test(id) ? await getDevMail(deps.db.sql, encrypter, id) : null;
    if (!message) return renderError(c, 404);
    if (c.req.query('format') === 'json') return c.json(message);
    return c.html(<DevMailMessagePage message={message} />);
  });

  return routes;
}

/**
 * Reads across practices with app.worker = 'devmail', a value the policy in sql/002 lets SELECT and nothing else:
 * the delivery worker's 'outbox' value would also have let this page change or claim rows.
 */
function runAsMailbox<T>(sql: Sql, work: (tx: Sql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`select set_config('app.worker', 'devmail', true)`;
    return work(tx as unknown as Sql);
  }) as Promise<T>;
}

async function listDevMail(sql: Sql, encrypter: Encrypter, to: string): Promise<DevMailMessage[]> {
  const rows = await runAsMailbox(sql, (tx) => tx`
    select id, kind, status, to_address, subject, body_encrypted, created_at, sent_at from outbox
    ${to ? tx`where lower(to_address) = ${to}` : tx``}
    order by created_at desc, id desc
    limit ${LIST_LIMIT}`);
  return rows.map((row) => readMessage(row, encrypter));
}

async function getDevMail(sql: Sql, encrypter: Encrypter, id: string): Promise<DevMailMessage | null> {
  const [row] = await runAsMailbox(sql, (tx) => tx`
    select id, kind, status, to_address, subject, body_encrypted, created_at, sent_at from outbox where id = ${id}`);
  return row ? readMessage(row, encrypter) : null;
}

function readMessage(row: Record<string, any>, encrypter: Encrypter): DevMailMessage {
  const plain = row.body_encrypted ? encrypter.decrypt(row.body_encrypted) : null;
  const body = plain ? (JSON.parse(plain) as { html: string; text: string }) : null;
  return {
    id: row.id, kind: row.kind, status: row.status, to: row.to_address, subject: row.subject,
    text: body?.text ?? null, html: body?.html ?? null, createdAt: row.created_at, sentAt: row.sent_at,
  };
}
