import type { Database, Sql } from '../../platform/db.ts';
import { hitLimit } from '../../platform/throttle.ts';
import { messagesForAccount } from '../../core/language.ts';
import { recordEvent } from '../../core/audit.ts';
import { rememberDevice, type RememberedDevice } from '../../core/remembered-devices.ts';
import type { Scope } from '../../core/scope.ts';
import { verifySecondFactor } from '../../core/second-factor.ts';
import { startSession } from '../../core/sessions.ts';
import { getCellPhone, issueSmsCode, phoneEnding } from '../../core/sms-codes.ts';
import {
  MAX_CHALLENGE_SMS, countSecondFactorFailure, deleteChallenge, findChallenge, recordChallengeFailure, recordChallengeSms,
  secondFactorWaitSeconds, type Challenge,
} from '../../core/two-factor-challenges.ts';

// The second sign-in step (journeys P1 and G1): the code, or a recovery code, turns an open challenge into a session.

export type SecondStepResult =
  | { ok: true; sessionId: string; device: RememberedDevice | null }
  | { ok: false; reason: 'expired' | 'exhausted' }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export async function completeSecondStep(db: Database, scope: Scope, challengeSecret: string | null, input: { code: string; remember: boolean }): Promise<SecondStepResult> {
  const { config, tenant, portal, origin } = scope;
  return db.inTenant(tenant.id, async (tx) => {
    const challenge = await findChallenge(tx, challengeSecret, portal);
    if (!challenge || !(await stillEligible(tx, challenge))) return { ok: false, reason: 'expired' };
    const accountId = challenge.accountId;
    const audit = (action: Parameters<typeof recordEvent>[2]['action'], detail: Record<string, unknown> = {}) =>
      recordEvent(tx, origin, { action, actorAccountId: accountId, subjectAccountId: accountId, detail: { portal, ...detail } });

    const wait = await secondFactorWaitSeconds(tx, tenant.id, accountId);
    if (wait > 0) {
      await audit('two_factor.failed', { throttled: true });
      return { ok: false, reason: 'throttled', retryAfterSeconds: wait };
    }
    const check = await verifySecondFactor(tx, config, accountId, input.code, { allowSms: tenant.settings.smsCodesAllowed });
    if (!check.ok) {
      await countSecondFactorFailure(tx, tenant.id, accountId);
      const attemptsLeft = await recordChallengeFailure(tx, challenge);
      await audit('two_factor.failed', { attempt: challenge.attempts + 1, attemptsLeft });
      return attemptsLeft > 0 ? { ok: false, reason: 'wrong', attemptsLeft } : { ok: false, reason: 'exhausted' };
    }
    await deleteChallenge(tx, challenge.id);
    await audit('two_factor.succeeded', { method: check.method });
    if (check.method === 'recovery_code') {
      const [left] = await tx`select count(*)::int as n from two_factor_recovery_codes where account_id = ${accountId} and used_at is null`;
      await audit('two_factor.recovery_code_used', { left: left.n });
    }
    const days = tenant.settings.rememberDeviceDays;
    let device: RememberedDevice | null = null;
    if (input.remember && days > 0) {
      device = await rememberDevice(tx, { accountId, portal, days }, origin);
      await audit('two_factor.device_remembered', { days });
    }
    const sessionId = await startSession(tx, portal, accountId, origin, { twoFactor: check.method });
    return { ok: true, sessionId, device };
  });
}

/** "Use another account": the open second step is dropped, so its password step counts for nothing any more. */
export async function abandonSecondStep(db: Database, scope: Scope, challengeSecret: string | null): Promise<void> {
  await db.inTenant(scope.tenant.id, async (tx) => {
    const challenge = await findChallenge(tx, challengeSecret, scope.portal);
    if (challenge) await deleteChallenge(tx, challenge.id);
  });
}

/** The account behind a challenge may still sign in: active, 2FA still on (an admin may have reset it meanwhile). */
async function stillEligible(tx: Sql, challenge: Challenge): Promise<boolean> {
  const [row] = await tx`select status, totp_enabled_at is not null as two_factor from accounts where id = ${challenge.accountId}`;
  if (row?.status === 'active' && row.two_factor) return true;
  await deleteChallenge(tx, challenge.id);
  return false;
}

export type SmsOffer = { phoneEnding: string } | null;

/** Whether this step may offer "Request Token via SMS": the practice allows it, a provider exists, a phone is on file. */
export async function smsOffer(db: Database, scope: Scope, challengeSecret: string | null): Promise<SmsOffer | 'expired'> {
  const provider = scope.mailer.sms;
  return db.inTenant(scope.tenant.id, async (tx) => {
    const challenge = await findChallenge(tx, challengeSecret, scope.portal);
    if (!challenge) return 'expired';
    if (!provider || !scope.tenant.settings.smsCodesAllowed) return null;
    const phone = await getCellPhone(tx, challenge.accountId, scope.portal);
    return phone ? { phoneEnding: phoneEnding(phone) } : null;
  });
}

// Per account, across challenges: a stolen password must not become a way to flood someone's phone.
const SMS_PER_ACCOUNT = { bucket: 'two-factor:sms', max: 5, windowSeconds: 3600 };

export type SmsRequestResult =
  | { ok: true; phoneEnding: string }
  | { ok: false; reason: 'expired' | 'unavailable' | 'too_many' | 'failed' };

/** Issues a six-digit code and sends it. The code is stored before sending; the provider is called outside the transaction. */
export async function requestSmsCode(db: Database, scope: Scope, challengeSecret: string | null): Promise<SmsRequestResult> {
  const { config, tenant, portal, origin } = scope;
  const provider = scope.mailer.sms;
  type Issued = { error: 'expired' | 'unavailable' | 'too_many' } | { accountId: string; phone: string; code: string; text: string };
  const issued = await db.inTenant(tenant.id, async (tx): Promise<Issued> => {
    const challenge = await findChallenge(tx, challengeSecret, portal);
    if (!challenge) return { error: 'expired' };
    const phone = provider && tenant.settings.smsCodesAllowed ? await getCellPhone(tx, challenge.accountId, portal) : null;
    if (!phone) return { error: 'unavailable' };
    if (challenge.smsSent >= MAX_CHALLENGE_SMS) return { error: 'too_many' };
    const perAccount = await hitLimit(tx, SMS_PER_ACCOUNT, `${tenant.id}:${challenge.accountId}`);
    if (!perAccount.allowed) return { error: 'too_many' };
    await recordChallengeSms(tx, challenge);
    const code = await issueSmsCode(tx, config, challenge.accountId);
    const t = await messagesForAccount(tx, challenge.accountId, origin.language);
    return { accountId: challenge.accountId, phone, code, text: t.twoFactor.smsText(tenant.name, code) };
  });
  if ('error' in issued) return { ok: false, reason: issued.error };
  const sent = await provider!.send({ tenantId: tenant.id, to: issued.phone, text: issued.text });
  await db.inTenant(tenant.id, (tx) => recordEvent(tx, origin, {
    action: sent.ok ? 'two_factor.sms_sent' : 'two_factor.sms_failed', actorAccountId: issued.accountId, subjectAccountId: issued.accountId,
    detail: { portal, provider: provider!.name, ...(sent.ok ? {} : { error: sent.error }) },
  }));
  return sent.ok ? { ok: true, phoneEnding: phoneEnding(issued.phone) } : { ok: false, reason: 'failed' };
}
