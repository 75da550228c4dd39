// The staff list with 500 staff: seeded set-based as the owner inside the practice's setting, then its first
// page measured through HTTP as the administrator sees it.
import type { Request } from 'autocannon';
import { runInTenant, type Sql } from '../../src/platform/db.ts';
import { CLIENT_IP_HEADER } from './app-requests.ts';

export const BENCH_STAFF = 500;
export const STAFF_PATH = '/sunny-pediatrics/practice/staff';

export async function seedStaffForBench(owner: Sql, count: number): Promise<void> {
  const [tenant] = await owner`select id from tenants where slug = 'sunny-pediatrics'`;
  await runInTenant(owner, tenant.id, async (tx) => {
    await tx`
      insert into accounts (tenant_id, id, portal, username, email, status, last_sign_in_at)
      select app_tenant_id(), md5('bench-staff-' || n)::uuid, 'practice', 'staff' || lpad(n::text, 4, '0'),
             'staff' || n || '@sunny-pediatrics.example', 'active', now() - (n || ' hours')::interval
      from generate_series(1, ${count}) as n`;
    await tx`
      insert into staff_profiles (tenant_id, account_id, first_name, last_name, role, cell_phone)
      select app_tenant_id(), md5('bench-staff-' || n)::uuid, 'Staff' || n, 'Member' || lpad(n::text, 4, '0'),
             (array['provider', 'nurse', 'staff'])[1 + n % 3], '555-' || lpad(n::text, 4, '0')
      from generate_series(1, ${count}) as n`;
  });
  await owner`analyze accounts`;
  await owner`analyze staff_profiles`;
}

export function staffListRequest(cookie: string): Request {
  return { method: 'GET', path: STAFF_PATH, headers: { cookie, 'user-agent': 'GatehouseBench/1.0', [CLIENT_IP_HEADER]: '192.0.2.2' } };
}
