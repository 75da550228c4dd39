import { randomUUID } from 'node:crypto';
import type { Sql } from './db.ts';

// A few named slots for work that must not run too many times at once across every instance (audit exports): a
// slot is held by a lease that its holder renews while it works, so a holder that stops (a client that stopped
// reading, an instance that died) gives it back when the lease runs out, with no cleanup needed.

export type SlotHold = { holder: string; slots: string[] };

/**
 * Takes one free slot of each group (e.g. one of the practice's and one of everyone's) or none at all; null when a
 * group is full.
 */
export async function takeSlots(sql: Sql, groups: string[][], leaseSeconds: number): Promise<SlotHold | null> {
  const holder = randomUUID();
  const taken: string[] = [];
  for (const group of groups) {
    let got: string | null = null;
    for (const slot of group) {
      const [row] = await sql`
        insert into export_slots (slot, holder, lease_until) values (${slot}, ${holder}, now() + make_interval(secs => ${leaseSeconds}))
        on conflict (slot) do update set holder = excluded.holder, lease_until = excluded.lease_until
        where export_slots.lease_until < now()
        returning slot`;
      if (row) {
        got = slot;
        break;
      }
    }
    if (!got) {
      await releaseSlots(sql, { holder, slots: taken });
      return null;
    }
    taken.push(got);
  }
  return { holder, slots: taken };
}

export async function renewSlots(sql: Sql, hold: SlotHold, leaseSeconds: number): Promise<void> {
  await sql`update export_slots set lease_until = now() + make_interval(secs => ${leaseSeconds}) where holder = ${hold.holder}`;
}

export async function releaseSlots(sql: Sql, hold: SlotHold): Promise<void> {
  await sql`delete from export_slots where holder = ${hold.holder}`;
}
