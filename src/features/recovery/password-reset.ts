import { issueToken, markTokenUsed, revokeTokens, type TokenRow } from '../../core/account-tokens.ts';
import { recordEvent, type RequestOrigin } from '../../core/audit.ts';
import type { Config } from '../../platform/config.ts';
import type { Database, Sql } from '../../platform/db.ts';
import { passwordChangedEmail, resetBurnedEmail, resetLinkEmail } from '../../mail/emails.tsx';
import { createEncrypter } from '../../platform/encryption.ts';
import { messagesFor } from '../../copy/messages.ts';
import { enqueueEmail } from '../../mail/outbox.ts';
import { hashSecret } from '../../core/passwords.ts';
import { revokeRememberedDevices } from '../../core/remembered-devices.ts';
import { verifyAnswer } from '../../core/security-question.ts';
import { invalidateAccountSessions } from '../../core/sessions.ts';
import { parseSettings, type Portal, type Tenant } from '../../core/tenant.ts';
import { RECOVERY_PER_EMAIL, RECOVERY_PER_IP, hitLimit } from '../../platform/throttle.ts';
import { countSecondFactorFailure, secondFactorWaitSeconds } from '../../core/two-factor-challenges.ts';
import { verifySecondFactor } from '../two-factor/two-factor.ts';

export const MAX_ANSWER_FAILURES = 5;

/**
 * "Forgot password": only queues the request. Known and unknown addresses take the same path and the same
 * time here; the worker below decides, off the request path, whether an email goes out.
 */
export async function requestPasswordReset(
  db: Database, tenant: Tenant, portal: Portal, email: string, origin: RequestOrigin,
): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const perIp = await hitLimit(db.sql, RECOVERY_PER_IP, origin.ip);
  if (!perIp.allowed) return { ok: false, retryAfterSeconds: perIp.retryAfterSeconds };
  const perEmail = await hitLimit(db.sql, RECOVERY_PER_EMAIL, `${tenant.id}:${portal}:${email}`);
  // Over the per-address limit the request is dropped silently: the page cannot tell, and nobody is locked out.
  if (!perEmail.allowed) return { ok: true };
  await db.inTenant(tenant.id, (tx) => tx`
    insert into reset_requests (tenant_id, portal, email, ip, user_agent)
    values (app_tenant_id(), ${portal}, ${email}, ${origin.ip}, ${origin.userAgent.slice(0, 500)})`);
  return { ok: true };
}

/** Turns queued requests into reset emails, across practices; safe to run on several instances at once. */
export async function processResetRequests(db: Database, config: Config, batch = 20): Promise<number> {
  const encrypter = createEncrypter(config.secretKey, 'outbox');
  return db.sql.begin(async (tx) => {
    await tx`select set_config('app.worker', 'reset-requests', true)`;
    const requests = await tx`
      select r.tenant_id, r.id, r.portal, r.email, r.ip, r.user_agent, t.slug, t.name, t.settings
      from reset_requests r join tenants t on t.id = r.tenant_id
      order by r.requested_at limit ${batch} for update of r skip locked`;
    for (const request of requests) {
      await tx`select set_config('app.tenant_id', ${request.tenant_id}, true)`;
      const [account] = await tx`
        select id, username, email from accounts
        where portal = ${request.portal} and email = ${request.email} and status in ('active', 'invited')`;
      if (account) {
        const hours = parseSettings(request.settings).resetLinkHours;
        const { token } = await issueToken(tx as unknown as Sql, { accountId: account.id, purpose: 'reset', lifetimeHours: hours });
        const link = `${config.publicUrl}/${request.slug}/${request.portal}/reset/${token}`;
        const recipient = { to: account.email, accountId: account.id, practice: request.name };
        await enqueueEmail(tx as unknown as Sql, encrypter, resetLinkEmail(messagesFor('en'), recipient, { link, hours, username: account.username }));
        await recordEvent(tx as unknown as Sql, { ip: request.ip, userAgent: request.user_agent ?? '' }, {
          action: 'password.reset_requested', subjectAccountId: account.id, detail: { portal: request.portal, via: 'forgot-password' },
        });
      }
      await tx`delete from reset_requests where tenant_id = ${request.tenant_id} and id = ${request.id}`;
    }
    return requests.length;
  }) as Promise<number>;
}

export type ResetAccount = {
  id: string; username: string; email: string | null; securityQuestion: string | null; answerHash: string | null; twoFactorEnabled: boolean;
};

export async function getResetAccount(tx: Sql, accountId: string): Promise<ResetAccount | null> {
  const [row] = await tx`
    select id, username, email, security_question, security_answer_hash, totp_enabled_at is not null as two_factor
    from accounts where id = ${accountId}`;
  return row ? {
    id: row.id, username: row.username, email: row.email, securityQuestion: row.security_question, answerHash: row.security_answer_hash,
    twoFactorEnabled: row.two_factor,
  } : null;
}

/** Whether this reset flow has had its code (accounts with 2FA only; recovery never bypasses the second factor). */
export async function resetTwoFactorPassed(tx: Sql, flow: TokenRow): Promise<boolean> {
  const [row] = await tx`select two_factor_passed_at is not null as passed from account_tokens where id = ${flow.id}`;
  return row?.passed === true;
}

export type ResetCodeResult = { ok: true } | { ok: false; reason: 'wrong' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** An app code or a recovery code for the reset of an account with 2FA; failures count with the sign-in step's. */
export async function passResetSecondFactor(
  tx: Sql, deps: { config: Config }, tenant: Tenant, flow: TokenRow, account: ResetAccount, code: string, origin: RequestOrigin,
): Promise<ResetCodeResult> {
  const audit = (action: 'two_factor.failed' | 'two_factor.succeeded' | 'two_factor.recovery_code_used', detail: Record<string, unknown>) =>
    recordEvent(tx, origin, { action, actorAccountId: account.id, subjectAccountId: account.id, detail: { during: 'password reset', ...detail } });
  const wait = await secondFactorWaitSeconds(tx, tenant.id, account.id);
  if (wait > 0) {
    await audit('two_factor.failed', { throttled: true });
    return { ok: false, reason: 'throttled', retryAfterSeconds: wait };
  }
  const check = await verifySecondFactor(tx, deps.config, account.id, code, { allowSms: false });
  if (!check.ok) {
    await countSecondFactorFailure(tx, tenant.id, account.id);
    await audit('two_factor.failed', {});
    return { ok: false, reason: 'wrong' };
  }
  await tx`update account_tokens set two_factor_passed_at = now() where id = ${flow.id}`;
  await audit(check.method === 'recovery_code' ? 'two_factor.recovery_code_used' : 'two_factor.succeeded', { method: check.method });
  return { ok: true };
}

export type AnswerResult = { ok: true } | { ok: false; triesLeft: number } | { ok: false; burned: true };

/** Checks the security-question answer of an open reset flow; the fifth wrong answer stops the link. */
export async function answerSecurityQuestion(
  tx: Sql, deps: { config: Config }, tenant: Tenant, flow: TokenRow, account: ResetAccount, answer: string, origin: RequestOrigin,
): Promise<AnswerResult> {
  if (account.answerHash && await verifyAnswer(account.answerHash, answer)) {
    await tx`update account_tokens set question_passed_at = now() where id = ${flow.id}`;
    return { ok: true };
  }
  const [row] = await tx`update account_tokens set answer_failures = answer_failures + 1 where id = ${flow.id} returning answer_failures`;
  await recordEvent(tx, origin, { action: 'security_question.answer_failed', subjectAccountId: account.id, detail: { failures: row.answer_failures } });
  if (row.answer_failures < MAX_ANSWER_FAILURES) return { ok: false, triesLeft: MAX_ANSWER_FAILURES - row.answer_failures };
  await revokeTokens(tx, account.id, 'too many wrong answers', 'reset');
  await recordEvent(tx, origin, { action: 'password.reset_link_burned', subjectAccountId: account.id });
  if (account.email) {
    const recipient = { to: account.email, accountId: account.id, practice: tenant.name };
    await enqueueEmail(tx, createEncrypter(deps.config.secretKey, 'outbox'), resetBurnedEmail(messagesFor('en'), recipient));
  }
  return { ok: false, burned: true };
}

/**
 * Sets the new password chosen through a link: the link is used up, other links die, every session of the
 * account ends, the owner is told by email, and the event is audited.
 */
export async function completePasswordReset(
  tx: Sql, deps: { config: Config }, tenant: Tenant, flow: TokenRow, account: ResetAccount, newPassword: string, origin: RequestOrigin,
): Promise<void> {
  const hash = await hashSecret(newPassword);
  await setPassword(tx, account.id, hash);
  await markTokenUsed(tx, flow.id);
  await revokeTokens(tx, account.id, 'password changed');
  await invalidateAccountSessions(tx, account.id);
  await revokeRememberedDevices(tx, account.id);
  await tx`delete from two_factor_challenges where account_id = ${account.id}`;
  if (account.email) {
    const encrypter = createEncrypter(deps.config.secretKey, 'outbox');
    const recipient = { to: account.email, accountId: account.id, practice: tenant.name };
    await enqueueEmail(tx, encrypter, passwordChangedEmail(messagesFor('en'), recipient, new Date()));
  }
  await recordEvent(tx, origin, { action: 'password.reset_completed', actorAccountId: account.id, subjectAccountId: account.id, detail: { via: flow.purpose } });
}

/** The one place a password is stored: it clears forced-change state and any lockout. */
export async function setPassword(tx: Sql, accountId: string, hash: string, options: { temporaryUntil?: Date } = {}): Promise<void> {
  const temporary = options.temporaryUntil ?? null;
  await tx`
    update accounts set password_hash = ${hash}, password_changed_at = now(), updated_at = now(),
           must_change_password = ${temporary !== null}, temporary_password_expires_at = ${temporary},
           failed_sign_ins = 0, locked_until = null,
           status = case when status = 'invited' then 'active' else status end
    where id = ${accountId}`;
}
