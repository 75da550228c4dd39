import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from './db.ts';
import { PROJECT_ROOT } from './project-root.ts';

const SQL_DIR = join(PROJECT_ROOT, 'sql/');
// Any constant shared by every instance: two processes starting together queue on it.
const MIGRATION_LOCK = 727_274_001;

/** Applies the numbered files in sql/ that have not run yet, each in its own transaction. */
export async function migrate(owner: Sql, log: (line: string) => void = () => {}): Promise<string[]> {
  const files = (await readdir(SQL_DIR)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  await owner.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`;
    const done = new Set((await tx`select name from schema_migrations`).map((r) => r.name as string));
    for (const file of files) {
      if (done.has(file)) continue;
      await tx.unsafe(await readFile(SQL_DIR + file, 'utf8'));
      await tx`insert into schema_migrations (name) values (${file})`;
      applied.push(file);
      log(`migrated ${file}`);
    }
  });
  return applied;
}
