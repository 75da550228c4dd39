import type { Sql } from '../platform/db.ts';
import { hashSecret } from './passwords.ts';
import { hashAnswer } from './security-question.ts';
import { isValidSlug } from './tenant.ts';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../copy/time.ts';

export type StaffRole = 'admin' | 'provider' | 'nurse' | 'staff';

export type NewStaff = {
  username: string; email: string; firstName: string; lastName: string; role: StaffRole;
  password?: string; securityQuestion?: string; securityAnswer?: string; cellPhone?: string;
};

/**
 * Creates a practice; `owner` is a connection with the owner's rights (operator command, demo seed). Its time zone
 * is stored from the start, so later changes to the default never move a practice's clock.
 */
export async function createPractice(owner: Sql, input: { slug: string; name: string; timeZone?: string; phoneNumber?: string }): Promise<string> {
  if (!isValidSlug(input.slug)) throw new Error(`"${input.slug}" is not a usable practice slug (lowercase letters, digits, hyphens; not a reserved word)`);
  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone)) throw new Error(`"${timeZone}" is not a time zone of a place (an IANA name such as America/Chicago)`);
  const settings = input.phoneNumber ? { timeZone, phoneNumber: input.phoneNumber } : { timeZone };
  const [row] = await owner`insert into tenants (slug, name, settings) values (${input.slug}, ${input.name}, ${owner.json(settings)}) returning id`;
  return row.id;
}

/** Adds a staff account and profile inside a tenant transaction; an account without a password is invited. */
export async function createStaffMember(tx: Sql, staff: NewStaff): Promise<string> {
  const passwordHash = staff.password ? await hashSecret(staff.password) : null;
  const answerHash = staff.securityAnswer ? await hashAnswer(staff.securityAnswer) : null;
  const [account] = await tx`
    insert into accounts (tenant_id, portal, username, email, password_hash, status, security_question, security_answer_hash, password_changed_at)
    values (app_tenant_id(), 'practice', ${staff.username}, ${staff.email.toLowerCase()}, ${passwordHash},
            ${passwordHash ? 'active' : 'invited'}, ${staff.securityQuestion ?? null}, ${answerHash}, ${passwordHash ? new Date() : null})
    returning id`;
  await tx`
    insert into staff_profiles (tenant_id, account_id, first_name, last_name, role, cell_phone)
    values (app_tenant_id(), ${account.id}, ${staff.firstName}, ${staff.lastName}, ${staff.role}, ${staff.cellPhone ?? null})`;
  return account.id;
}
