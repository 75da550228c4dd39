// Shared by every test file: a fresh copy of the seeded template database, the app built on it, and a
// small client that speaks HTTP to it the way a browser would (cookies, Origin on unsafe methods).
import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import type { Actor, Scope } from '../../src/core/scope.ts';
import type { Portal, Tenant } from '../../src/core/tenant.ts';
import { createMailer, type Mailer } from '../../src/mail/mailer.ts';
import { appDatabaseUrl } from '../../src/platform/app-role.ts';
import { connectAsOwner, connectDatabase, type Database, type Sql } from '../../src/platform/db.ts';

export const PUBLIC_URL = 'http://gatehouse.test';
export const STAFF_PASSWORD = 'correct horse battery staple';
export const GUARDIAN_PASSWORD = 'tulip garden evening';

export type TestContext = {
  app: ReturnType<typeof createApp>;
  db: Database;
  mailer: Mailer;
  /** Owner connection (superuser in tests): sees every tenant's rows, for assertions. */
  owner: Sql;
  config: Config;
  /** The owner's address of this file's database (migrations, operator commands). */
  databaseUrl: string;
  /** The application's own address of it (role gatehouse_app), as the app connects. */
  appDatabaseUrl: string;
  close(): Promise<void>;
};

export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const server = process.env.TEST_SERVER_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  const appPassword = process.env.TEST_APP_PASSWORD;
  if (!server || !template || !appPassword) throw new Error('Run tests with `npm test` (it prepares the database server), optionally `npm test -- <file filter>`.');
  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  const admin = connectAsOwner(server);
  await admin.unsafe(`create database ${name} template ${template}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL, CLIENT_IP_HEADER: 'fly-client-ip', DATABASE_PREPARED_STATEMENTS: process.env.DATABASE_PREPARED_STATEMENTS, ...env });
  // TEST_APP_SERVER_URL puts something between the app and the server (a PgBouncer in transaction mode, .ci/run).
  const appUrl = throughAppServer(appDatabaseUrl(databaseUrl, appPassword));
  const db = connectDatabase(appUrl, { max: 5, prepare: config.databasePreparedStatements });
  const owner = connectAsOwner(databaseUrl);
  const mailer = createMailer({ config, db });
  const app = createApp({ config, db, mailer });
  return {
    app, db, mailer, owner, config, databaseUrl, appDatabaseUrl: appUrl,
    async close() {
      await db.close();
      await owner.end();
      const dropper = connectAsOwner(server);
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

function throughAppServer(appUrl: string): string {
  const via = process.env.TEST_APP_SERVER_URL;
  if (!via) return appUrl;
  const url = new URL(appUrl);
  const server = new URL(via);
  url.hostname = server.hostname;
  url.port = server.port;
  return url.toString();
}

type RequestOptions = {
  method?: string;
  form?: Record<string, string>;
  body?: BodyInit;
  headers?: Record<string, string>;
  ip?: string;
  origin?: string | null;
  htmx?: boolean;
};

/** A browser-like client: keeps cookies by path, sends Origin on unsafe methods, never follows redirects. */
export class Client {
  private cookies = new Map<string, { value: string; path: string }>();
  constructor(private app: TestContext['app'], public ip = '203.0.113.10') {}

  async request(path: string, options: RequestOptions = {}): Promise<Response> {
    const method = options.method ?? (options.form ? 'POST' : 'GET');
    const headers: Record<string, string> = { 'user-agent': 'GatehouseTest/1.0', 'fly-client-ip': options.ip ?? this.ip, ...options.headers };
    if (method !== 'GET' && options.origin !== null) headers.origin ??= options.origin ?? PUBLIC_URL;
    if (options.htmx) headers['hx-request'] = 'true';
    const cookie = this.cookieHeader(path);
    if (cookie) headers.cookie = cookie;
    let body = options.body;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const response = await this.app.request(`${PUBLIC_URL}${path}`, { method, headers, body });
    for (const line of response.headers.getSetCookie()) this.store(line);
    return response;
  }

  get(path: string, options: RequestOptions = {}) {
    return this.request(path, { ...options, method: 'GET' });
  }

  post(path: string, form: Record<string, string>, options: RequestOptions = {}) {
    return this.request(path, { ...options, method: 'POST', form });
  }

  /** The raw cookie value, to replay it somewhere else as an attacker would. */
  cookie(name: string): string | undefined {
    return [...this.cookies.entries()].find(([key]) => key.startsWith(`${name}@`))?.[1].value;
  }

  setCookie(name: string, value: string, path = '/') {
    this.cookies.set(`${name}@${path}`, { value, path });
  }

  private store(line: string) {
    const [pair, ...attributes] = line.split(';').map((s) => s.trim());
    const [name, ...rest] = pair.split('=');
    const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
    const expired = attributes.some((a) => /^max-age=0$/i.test(a)) || rest.join('=') === '';
    if (expired) this.cookies.delete(`${name}@${path}`);
    else this.cookies.set(`${name}@${path}`, { value: rest.join('='), path });
  }

  private cookieHeader(path: string): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map(([key, c]) => `${key.split('@')[0]}=${c.value}`)
      .join('; ');
  }
}

export async function signIn(client: Client, tenant: string, portal: 'practice' | 'patient', username: string, password: string) {
  const response = await client.post(`/${tenant}/${portal}/login`, { username, password });
  if (response.status !== 303) throw new Error(`sign-in as ${username} failed with ${response.status}`);
  return response;
}

export async function tenantId(owner: Sql, slug: string): Promise<string> {
  const [row] = await owner`select id from tenants where slug = ${slug}`;
  return row.id;
}

export async function accountId(owner: Sql, slug: string, portal: 'practice' | 'patient', username: string): Promise<string> {
  const [row] = await owner`
    select a.id from accounts a join tenants t on t.id = a.tenant_id
    where t.slug = ${slug} and a.portal = ${portal} and lower(a.username) = lower(${username})`;
  return row.id;
}

/** Visible text of an HTML page, tags dropped and whitespace folded, for "the page says …" assertions. */
export function textOf(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();
}

export type SentEmail = { to: string; subject: string; kind: string; text: string; html: string; createdAt: Date };

/** Emails queued for `to`, newest first, bodies decrypted as the mail worker would. */
export async function emailsTo(ctx: TestContext, to: string): Promise<SentEmail[]> {
  const rows = await ctx.owner`select to_address, subject, kind, body_encrypted, created_at from outbox where to_address = ${to} order by created_at desc, id`;
  return rows.map((row) => {
    const body = ctx.mailer.open(row.body_encrypted);
    return { to: row.to_address, subject: row.subject, kind: row.kind, text: body?.text ?? '', html: body?.html ?? '', createdAt: row.created_at };
  });
}

/** The path of the first Gatehouse link in an email's text. */
export function linkIn(text: string): string {
  const match = text.match(new RegExp(`${PUBLIC_URL.replace(/[.]/g, '\\.')}(/\\S+)`));
  if (!match) throw new Error(`no link in email:\n${text}`);
  return match[1];
}

/** What a domain function runs with when a test calls it directly, as the HTTP layer would build it. */
export function scopeFor(ctx: TestContext, tenant: Tenant, portal: Portal = 'practice', actor: Actor | null = null): Scope {
  return { config: ctx.config, mailer: ctx.mailer, tenant, portal, origin: { ip: '127.0.0.1', userAgent: 'test' }, actor };
}
