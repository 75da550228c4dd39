import { Hono } from 'hono';
import { z } from 'zod';
import { PasswordStrength } from '../../../views/ui/password-fields.tsx';
import { checkNewPassword } from '../../core/password-policy.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { readForm } from '../../http/form.ts';

const schema = z.object({ new_password: z.string().max(1024) });

/** The strength meter's answer while someone types a new password (POST, so the password never sits in a URL). */
export function passwordStrengthRoutes(_deps: AppDeps) {
  const routes = new Hono<Env>();
  routes.post('/password-strength', async (c) => {
    const form = await readForm(c, schema);
    if (!form.ok) return renderError(c, form.status === 422 ? 400 : form.status);
    if (!form.data.new_password) return c.html(<PasswordStrength check={null} />);
    const account = c.var.account;
    const check = checkNewPassword(form.data.new_password, {
      minLength: c.var.tenant.settings.passwordMinLength,
      personal: [account?.username, account?.email, c.var.tenant.name, c.var.tenant.slug],
    }, c.var.messages);
    return c.html(<PasswordStrength check={check} />);
  });
  return routes;
}
