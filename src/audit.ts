import type { Sql } from './db.ts';

export type AuditAction =
  | 'sign_in.succeeded' | 'sign_in.failed' | 'sign_in.locked_out' | 'sign_in.refused_deactivated' | 'sign_out'
  | 'session.ended' | 'password.reset_requested' | 'password.reset_completed' | 'password.changed'
  | 'password.reset_link_burned' | 'security_question.answer_failed' | 'security_question.changed'
  | 'invitation.created' | 'invitation.accepted' | 'account.unlocked' | 'account.deactivated'
  | 'account.reactivated' | 'tenant.created';

export type RequestOrigin = { ip: string; userAgent: string };

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
