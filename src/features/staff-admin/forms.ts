import { z } from 'zod';
import { practiceText } from '../../copy/practice/index.ts';
import { newPasswordSchema } from '../../core/password-policy.ts';

// The staff administration forms (P4), validated and normalised once at the edge.

const E = practiceText.staff.errors;

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email(E.email).max(254));
const name = (label: string) => z.string().trim().min(1, E.name(label)).max(100, E.tooLong(100));
const username = z.string().trim().min(3, E.usernameShort).max(60, E.tooLong(60))
  .regex(/^[A-Za-z0-9._@-]+$/, E.usernameCharacters);
const phone = z.string().trim().max(40, E.tooLong(40)).regex(/^[0-9+().\s-]*$/, E.phone)
  .transform((v) => v || null);

const role = z.enum(['admin', 'provider', 'nurse', 'staff'], E.role);

// The email is changed in one place only, "Change Email" (it needs its own notice to the old address).
export const editSchema = z.object({
  first_name: name(E.firstName),
  last_name: name(E.lastName),
  role,
  primary_provider_id: z.union([z.literal(''), z.uuid()], E.provider).transform((v) => v || null),
  username,
  cell_phone: phone,
  home_phone: phone,
  version: z.string().regex(/^\d{1,20}$/),
  current_password: z.string().max(1024).optional(),
});

export const inviteSchema = z.object({
  first_name: name(E.firstName),
  last_name: name(E.lastName),
  role,
  username,
  email: emailSchema,
});

const ownPassword = z.string().max(1024).optional();
export const changeEmailSchema = z.object({ email: emailSchema, current_password: ownPassword });
export const setPasswordSchema = newPasswordSchema.extend({ current_password: ownPassword });
export const fromSchema = z.object({ from: z.enum(['list', 'staff']).optional().catch(undefined) });
