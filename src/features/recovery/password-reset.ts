import type { Database, Sql } from '../../platform/db.ts';
import { messagesForAccount } from '../../core/language.ts';
import { giveBack, hitLimit, isOverLimit, type Limit } from '../../platform/throttle.ts';
import { fromPractice, passwordChangedEmail, resetBurnedEmail } from '../../mail/emails.tsx';
import { markTokenUsed, revokeTokens, type TokenRow } from '../../core/account-tokens.ts';
import { setPassword } from '../../core/accounts.ts';
import { recordEvent } from '../../core/audit.ts';
import { hashSecret } from '../../core/passwords.ts';
import { revokeRememberedDevices } from '../../core/remembered-devices.ts';
import type { Scope } from '../../core/scope.ts';
import { verifySecondFactor } from '../../core/second-factor.ts';
import { verifyAnswer } from '../../core/security-question.ts';
import { invalidateAccountSessions } from '../../core/sessions.ts';
import { countSecondFactorFailure, secondFactorWaitSeconds } from '../../core/two-factor-challenges.ts';

// Journeys P2 and G2 after the emailed link is opened: the security question, the code of an account with 2FA, and
// the new password. Asking for the link is queued (reset-requests.ts).

export const MAX_ANSWER_FAILURES = 5;
// Wrong answers also count per account over a day, whichever link they came through: a new link does not bring new
// tries. Past the limit, reset by question is refused until the day is over and the page sends the person to the
// practice (which can help them by phone, send a link, or set a temporary password).
export const ANSWERS_PER_ACCOUNT: Limit = { bucket: 'security-answer:account', max: 10, windowSeconds: 86_400 };
export const RECOVERY_PER_IP: Limit = { bucket: 'recovery:ip', max: 30, windowSeconds: 3600 };
export const RECOVERY_PER_EMAIL: Limit = { bucket: 'recovery:email', max: 5, windowSeconds: 3600 };

export type ResetRequestResult = { ok: true } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * "Forgot password": only queues the request. Known and unknown addresses take the same path and the same
 * time here; the worker in reset-requests.ts decides, off the request path, whether an email goes out.
 */
export async function requestPasswordReset(db: Database, scope: Scope, email: string): Promise<ResetRequestResult> {
  const { tenant, portal, origin } = scope;
  const perIp = await hitLimit(db.sql, RECOVERY_PER_IP, origin.ip);
  if (!perIp.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: perIp.retryAfterSeconds };
  const perEmail = await hitLimit(db.sql, RECOVERY_PER_EMAIL, `${tenant.id}:${portal}:${email}`);
  // Over the per-address limit the request is dropped silently: the page cannot tell, and nobody is locked out.
  if (!perEmail.allowed) return { ok: true };
  await db.inTenant(tenant.id, (tx) => tx`
    insert into reset_requests (tenant_id, portal, email, ip, user_agent, language)
    values (app_tenant_id(), ${portal}, ${email}, ${origin.ip}, ${origin.userAgent.slice(0, 500)}, ${origin.language ?? 'en'})`);
  return { ok: true };
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
export async function passResetSecondFactor(tx: Sql, scope: Scope, flow: TokenRow, account: ResetAccount, code: string): Promise<ResetCodeResult> {
  const audit = (action: 'two_factor.failed' | 'two_factor.succeeded' | 'two_factor.recovery_code_used', detail: Record<string, unknown>) =>
    recordEvent(tx, scope.origin, { action, actorAccountId: account.id, subjectAccountId: account.id, detail: { during: 'password reset', ...detail } });
  const wait = await secondFactorWaitSeconds(tx, scope.tenant.id, account.id);
  if (wait > 0) {
    await audit('two_factor.failed', { throttled: true });
    return { ok: false, reason: 'throttled', retryAfterSeconds: wait };
  }
  const check = await verifySecondFactor(tx, scope.config, account.id, code, { allowSms: false });
  if (!check.ok) {
    await countSecondFactorFailure(tx, scope.tenant.id, account.id);
    await audit('two_factor.failed', {});
    return { ok: false, reason: 'wrong' };
  }
  await tx`update account_tokens set two_factor_passed_at = now() where id = ${flow.id}`;
  await audit(check.method === 'recovery_code' ? 'two_factor.recovery_code_used' : 'two_factor.succeeded', { method: check.method });
  return { ok: true };
}

export type AnswerResult = { ok: true } | { ok: false; reason: 'wrong'; triesLeft: number } | { ok: false; reason: 'burned' } | { ok: false; reason: 'exhausted' };

const answersKey = (scope: Scope, accountId: string) => `${scope.tenant.id}:${accountId}`;

/** Whether this account has used up its wrong answers for the day (reset by question is refused until then). */
export async function answersExhausted(tx: Sql, scope: Scope, accountId: string): Promise<boolean> {
  return !(await isOverLimit(tx, ANSWERS_PER_ACCOUNT, answersKey(scope, accountId))).allowed;
}

/**
 * Checks the security-question answer of an open reset flow; the fifth wrong answer stops the link, and the
 * account's daily budget stops reset by question altogether. The try is counted before the answer is weighed and
 * given back when it was right, so answers sent at once cannot outrun the budget.
 */
export async function answerSecurityQuestion(tx: Sql, scope: Scope, flow: TokenRow, account: ResetAccount, answer: string): Promise<AnswerResult> {
  const key = answersKey(scope, account.id);
  if (!(await hitLimit(tx, ANSWERS_PER_ACCOUNT, key)).allowed) {
    await recordEvent(tx, scope.origin, { action: 'security_question.exhausted', subjectAccountId: account.id, detail: { portal: scope.portal } });
    return { ok: false, reason: 'exhausted' };
  }
  if (account.answerHash && await verifyAnswer(account.answerHash, answer)) {
    await giveBack(tx, ANSWERS_PER_ACCOUNT, key);
    await tx`update account_tokens set question_passed_at = now() where id = ${flow.id}`;
    return { ok: true };
  }
  const [row] = await tx`update account_tokens set answer_failures = answer_failures + 1 where id = ${flow.id} returning answer_failures`;
  await recordEvent(tx, scope.origin, { action: 'security_question.answer_failed', subjectAccountId: account.id, detail: { failures: row.answer_failures } });
  if (row.answer_failures < MAX_ANSWER_FAILURES) return { ok: false, reason: 'wrong', triesLeft: MAX_ANSWER_FAILURES - row.answer_failures };
  await revokeTokens(tx, account.id, 'too many wrong answers', 'reset');
  await recordEvent(tx, scope.origin, { action: 'password.reset_link_burned', subjectAccountId: account.id });
  if (account.email) {
    const recipient = { to: account.email, accountId: account.id, ...fromPractice(scope.tenant) };
    await scope.mailer.queue(tx, resetBurnedEmail(await messagesForAccount(tx, account.id, scope.origin.language), recipient));
  }
  return { ok: false, reason: 'burned' };
}

/**
 * Sets the new password chosen through a link: the link is used up, other links die, every session of the
 * account ends, the owner is told by email, and the event is audited.
 */
export async function completePasswordReset(tx: Sql, scope: Scope, flow: TokenRow, account: ResetAccount, newPassword: string): Promise<void> {
  const hash = await hashSecret(newPassword);
  await setPassword(tx, account.id, hash);
  await markTokenUsed(tx, flow.id);
  await revokeTokens(tx, account.id, 'password changed');
  await invalidateAccountSessions(tx, account.id);
  await revokeRememberedDevices(tx, account.id);
  await tx`delete from two_factor_challenges where account_id = ${account.id}`;
  if (account.email) {
    const recipient = { to: account.email, accountId: account.id, ...fromPractice(scope.tenant) };
    await scope.mailer.queue(tx, passwordChangedEmail(await messagesForAccount(tx, account.id, scope.origin.language), recipient, new Date(), scope.tenant.settings.timeZone));
  }
  await recordEvent(tx, scope.origin, { action: 'password.reset_completed', actorAccountId: account.id, subjectAccountId: account.id, detail: { via: flow.purpose } });
}
