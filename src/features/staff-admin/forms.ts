import { z } from 'zod';
import { newPasswordSchema } from '../../core/password-policy.ts';

// The staff administration forms (P4), validated and normalised once at the edge.

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email('Enter an email address like name@example.com.').max(254));
const name = (label: string) => z.string().trim().min(1, `Enter the ${label}.`).max(100, `Use at most 100 characters.`);
const username = z.string().trim().min(3, 'Enter a username of at least 3 characters.').max(60, 'Use at most 60 characters.')
  .regex(/^[A-Za-z0-9._@-]+$/, 'Use letters, digits, dots, dashes, underscores or @ only.');
const phone = z.string().trim().max(40, 'Use at most 40 characters.').regex(/^[0-9+().\s-]*$/, 'Enter a phone number like 555-0100.')
  .transform((v) => v || null);

const role = z.enum(['admin', 'provider', 'nurse', 'staff'], 'Choose a role.');

// The email is changed in one place only, "Change Email" (it needs its own notice to the old address).
export const editSchema = z.object({
  first_name: name('first name'),
  last_name: name('last name'),
  role,
  primary_provider_id: z.union([z.literal(''), z.uuid()], 'Choose one of the practice’s providers.').transform((v) => v || null),
  username,
  cell_phone: phone,
  home_phone: phone,
  version: z.string().regex(/^\d{1,20}$/),
  current_password: z.string().max(1024).optional(),
});

export const inviteSchema = z.object({
  first_name: name('first name'),
  last_name: name('last name'),
  role,
  username,
  email: emailSchema,
});

const ownPassword = z.string().max(1024).optional();
export const changeEmailSchema = z.object({ email: emailSchema, current_password: ownPassword });
export const setPasswordSchema = newPasswordSchema.extend({ current_password: ownPassword });
export const fromSchema = z.object({ from: z.enum(['list', 'staff']).optional().catch(undefined) });
