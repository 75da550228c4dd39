import type { Locale } from '../copy/messages.ts';
import type { Sql } from '../platform/db.ts';

// Every authentication and account event has a name here: the audit page filters by them.
export const AUDIT_ACTIONS = [
  // signing in and out
  'sign_in.succeeded', 'sign_in.failed', 'sign_in.locked_out', 'sign_in.refused_deactivated', 'sign_out', 'session.ended',
  'two_factor.succeeded', 'two_factor.failed', 'two_factor.recovery_code_used', 'two_factor.device_remembered',
  'two_factor.challenged',
  // credentials
  'password.reset_requested', 'password.reset_completed', 'password.changed', 'password.reset_link_burned',
  'password.set_by_staff', 'password.temporary_set', 'password.reset_held_back', 'security_question.exhausted', 'security_question.answer_failed', 'security_question.changed',
  'two_factor.enabled', 'two_factor.disabled', 'two_factor.reset_by_staff', 'two_factor.sms_sent',
  'two_factor.sms_failed', 'two_factor.recovery_codes_replaced',
  'passkey.added', 'passkey.removed', 'passkey.sign_in_failed', 'passkey.clone_suspected',
  // accounts
  'invitation.created', 'invitation.accepted', 'account.unlocked', 'account.deactivated', 'account.reactivated',
  'account.email_changed', 'account.updated', 'account.language_changed', 'account.created', 'portal_access.disabled',
  // records: who opened which patient's page in Patient Administration (it also gives the front desk its recent patients)
  'patient.opened',
  // email delivery, written by the delivery worker (src/mail/delivery.ts)
  'email.delivered', 'email.failed',
  // practice
  'tenant.created', 'settings.changed', 'audit.exported',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Where a request came from; `language` is the patient-portal language it was made in (the person's, for now). */
export type RequestOrigin = { ip: string; userAgent: string; language?: Locale };

export type AuditEvent = {
  action: AuditAction;
  actorAccountId?: string | null;
  subjectAccountId?: string | null;
  detail?: Record<string, unknown>;
};

/** Appends one event; runs inside the caller's tenant transaction so it commits or rolls back with the change. */
export async function recordEvent(tx: Sql, origin: RequestOrigin, event: AuditEvent): Promise<void> {
  await tx`
    insert into audit_events (tenant_id, action, actor_account_id, subject_account_id, ip, user_agent, detail)
    values (app_tenant_id(), ${event.action}, ${event.actorAccountId ?? null}, ${event.subjectAccountId ?? null},
            ${origin.ip}, ${origin.userAgent.slice(0, 500)}, ${tx.json((event.detail ?? {}) as never)})`;
}
