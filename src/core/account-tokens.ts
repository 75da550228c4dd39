import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../platform/db.ts';
import type { Portal } from './tenant.ts';

// Reset and invitation links: 256-bit random tokens, of which only SHA-256 is stored. A link is single use:
// it is consumed when its flow completes, and any newer link, password change or sign-in revokes it.

export type TokenPurpose = 'reset' | 'invitation';
export const FLOW_MINUTES = 15;

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** Issues a new link for an account, revoking the account's older links of the same purpose. */
export async function issueToken(
  tx: Sql, input: { accountId: string; purpose: TokenPurpose; lifetimeHours: number; createdBy?: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  await revokeTokens(tx, input.accountId, 'superseded by a newer link', input.purpose);
  const token = newSecret();
  const [row] = await tx`
    insert into account_tokens (tenant_id, account_id, purpose, token_hash, expires_at, created_by)
    values (app_tenant_id(), ${input.accountId}, ${input.purpose}, ${hashToken(token)},
            now() + ${`${input.lifetimeHours} hours`}::interval, ${input.createdBy ?? null})
    returning expires_at`;
  return { token, expiresAt: row.expires_at };
}

export async function revokeTokens(tx: Sql, accountId: string, reason: string, purpose?: TokenPurpose): Promise<void> {
  await tx`
    update account_tokens set revoked_at = now(), revoked_reason = ${reason}, flow_hash = null
    where account_id = ${accountId} and used_at is null and revoked_at is null
      and (${purpose ?? null}::text is null or purpose = ${purpose ?? null})`;
}

export type TokenState = 'valid' | 'expired' | 'used' | 'revoked' | 'unknown';

export type TokenRow = {
  id: string;
  accountId: string;
  purpose: TokenPurpose;
  state: TokenState;
  revokedReason: string | null;
  answerFailures: number;
  questionPassed: boolean;
  expiresAt: Date;
};

const TOKEN_COLUMNS = (tx: Sql) => tx`
  id, account_id, purpose, revoked_reason, answer_failures, question_passed_at is not null as question_passed, expires_at,
  case when used_at is not null then 'used' when revoked_at is not null then 'revoked'
       when expires_at <= now() then 'expired' else 'valid' end as state`;

function toTokenRow(row: Record<string, any>): TokenRow {
  return {
    id: row.id, accountId: row.account_id, purpose: row.purpose, state: row.state, revokedReason: row.revoked_reason,
    answerFailures: row.answer_failures, questionPassed: row.question_passed, expiresAt: row.expires_at,
  };
}

/** A link of this portal only: a patient-portal link opened on the practice portal is unknown there. */
export async function findToken(tx: Sql, token: string, purpose: TokenPurpose, portal: Portal): Promise<TokenRow | null> {
  if (!looksLikeToken(token)) return null;
  const [row] = await tx`
    select ${TOKEN_COLUMNS(tx)} from account_tokens
    where token_hash = ${hashToken(token)} and purpose = ${purpose}
      and account_id in (select id from accounts where portal = ${portal})`;
  return row ? toTokenRow(row) : null;
}

/** Binds a fresh flow secret to a valid link; the browser keeps the secret, the address bar loses the token. */
export async function startFlow(tx: Sql, tokenId: string): Promise<string> {
  const flow = newSecret();
  await tx`
    update account_tokens set flow_hash = ${hashToken(flow)}, flow_expires_at = now() + ${`${FLOW_MINUTES} minutes`}::interval
    where id = ${tokenId}`;
  return flow;
}

/** The link behind a flow secret, if the flow is still open; locks the row for the step that follows. */
export async function findFlow(tx: Sql, flow: string, purpose: TokenPurpose, portal: Portal): Promise<TokenRow | null> {
  if (!looksLikeToken(flow)) return null;
  const [row] = await tx`
    select ${TOKEN_COLUMNS(tx)} from account_tokens
    where flow_hash = ${hashToken(flow)} and purpose = ${purpose} and flow_expires_at > now()
      and account_id in (select id from accounts where portal = ${portal})
    for update`;
  return row ? toTokenRow(row) : null;
}

export async function markTokenUsed(tx: Sql, tokenId: string): Promise<void> {
  await tx`update account_tokens set used_at = now(), flow_hash = null where id = ${tokenId}`;
}
