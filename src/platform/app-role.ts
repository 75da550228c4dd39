import type { Sql } from './db.ts';

// The application's own database role. Migrations and the operator command connect as the database owner; the
// running application connects as gatehouse_app, a login role of its own that is neither the owner nor a member of
// it and cannot bypass row-level security, so no statement it sends (not even SET ROLE or RESET ROLE) reaches
// another practice's rows. Nothing here depends on session state: it works the same behind a transaction pooler.

export const APP_ROLE = 'gatehouse_app';

/** Lets gatehouse_app log in with `password` (run by the owner at start-up and by the release command). */
export async function prepareAppRole(owner: Sql, password: string): Promise<void> {
  const [{ ddl }] = await owner`select format('alter role %I with login password %L', ${APP_ROLE}::text, ${password}::text) as ddl`;
  await owner.unsafe(ddl);
}

/** The owner's address with the application's role and password in it: same server, same database. */
export function appDatabaseUrl(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** The password of gatehouse_app in an application URL, when that URL logs in as gatehouse_app; else null. */
export function appRolePassword(appUrl: string): string | null {
  const url = new URL(appUrl);
  return decodeURIComponent(url.username) === APP_ROLE && url.password ? decodeURIComponent(url.password) : null;
}

/**
 * Refuses to serve on a connection that could leave row-level security: a superuser, a role that bypasses it, the
 * owner of the tables or anyone who may act as that owner. Returns the sentence to print, or null when it is safe.
 */
export async function unsafeAppConnection(sql: Sql): Promise<string | null> {
  const [row] = await sql`
    select current_user as role, r.rolsuper as superuser, r.rolbypassrls as bypass,
           pg_has_role(current_user, (select relowner from pg_class where oid = 'accounts'::regclass), 'MEMBER') as owner
    from pg_roles r where r.rolname = current_user`;
  if (!row.superuser && !row.bypass && !row.owner) return null;
  const why = row.superuser ? 'is a superuser' : row.bypass ? 'may bypass row-level security' : "owns Gatehouse's tables (or may act as their owner)";
  return `The application's database connection logs in as "${row.role}", which ${why}: give the application its own role (APP_DATABASE_URL, see the README) so one practice's rows stay out of another's reach.`;
}
