import type { Config } from '../../platform/config.ts';
import { enterTenant, type Database } from '../../platform/db.ts';
import { isLocale } from '../../copy/messages.ts';
import { messagesForAccount } from '../../core/language.ts';
import { resetLinkEmail } from '../../mail/emails.tsx';
import type { Mailer } from '../../mail/mailer.ts';
import { issueToken } from '../../core/account-tokens.ts';
import { recordEvent } from '../../core/audit.ts';
import { countResetSent, recordHeldReset, resetEmailHold } from '../../core/reset-emails.ts';
import { parseSettings } from '../../core/tenant.ts';

/**
 * Turns queued "forgot password" requests into reset emails, across practices, off the request path: whether an
 * account matched is decided here, where nobody waits for the answer. Safe to run on several instances at once.
 */
export async function processResetRequests(db: Database, deps: { config: Config; mailer: Mailer }, batch = 20): Promise<number> {
  return db.asWorker('reset-requests', async (tx) => {
    const requests = await tx`
      select r.tenant_id, r.id, r.portal, r.email, r.ip, r.user_agent, r.language, t.slug, t.name, t.settings
      from reset_requests r join tenants t on t.id = r.tenant_id
      order by r.requested_at limit ${batch} for update of r skip locked`;
    for (const request of requests) {
      await enterTenant(tx, request.tenant_id);
      // What was typed is an email, or (staff sign in with usernames) a username; as at sign-in, a username wins.
      const [account] = await tx`
        select id, username, email from accounts
        where portal = ${request.portal} and (email = ${request.email} or lower(username) = ${request.email})
          and status in ('active', 'invited') and email is not null
        order by (lower(username) = ${request.email}) desc limit 1`;
      const origin = { ip: request.ip, userAgent: request.user_agent ?? '' };
      const hold = account ? await resetEmailHold(tx, account.id) : null;
      if (account && hold) {
        await recordHeldReset(tx, origin, { accountId: account.id, portal: request.portal, via: 'forgot-password', hold });
      } else if (account) {
        countResetSent('forgot-password');
        const hours = parseSettings(request.settings).resetLinkHours;
        const { token } = await issueToken(tx, { accountId: account.id, purpose: 'reset', lifetimeHours: hours });
        const link = `${deps.config.publicUrl}/${request.slug}/${request.portal}/reset/${token}`;
        const recipient = { to: account.email, accountId: account.id, practice: request.name, phone: parseSettings(request.settings).phoneNumber };
        await deps.mailer.queue(tx, resetLinkEmail(await messagesForAccount(tx, account.id, isLocale(request.language) ? request.language : undefined), recipient, { link, hours, username: account.username }));
        await recordEvent(tx, origin, {
          action: 'password.reset_requested', subjectAccountId: account.id, detail: { portal: request.portal, via: 'forgot-password' },
        });
      }
      await tx`delete from reset_requests where tenant_id = ${request.tenant_id} and id = ${request.id}`;
    }
    return requests.length;
  });
}
