import { z } from 'zod';
import type { Config } from '../platform/config.ts';
import { keyRingOf } from '../platform/encryption.ts';
import type { Database } from '../platform/db.ts';
import { logger } from '../platform/log.ts';
import { outboxEncrypter, sealBody } from './outbox.ts';

// Text messages go through a provider. In development and tests the "provider" is the outbox table: the message is
// written there already marked sent (the mail worker leaves it alone) and shows in /_dev/mail. In production it is
// Twilio's Messages API, called directly: a sign-in code is worth nothing ten minutes later, so it is sent while the
// person waits, with a short timeout and a few retries, rather than queued.

export type SmsMessage = { tenantId: string; to: string; text: string };
export type SmsResult = { ok: true; providerId: string | null } | { ok: false; error: string };
export type SmsProvider = { name: string; send(message: SmsMessage): Promise<SmsResult> };

/** Development and tests: the message becomes an outbox row of kind 'sms', to_address the phone as typed. */
export function createDevelopmentSms(deps: { db: Database; config: Config }): SmsProvider {
  const encrypter = outboxEncrypter(keyRingOf(deps.config));
  return {
    name: 'development outbox',
    async send(message) {
      const body = sealBody(encrypter, { text: message.text, html: `<p>${escapeHtml(message.text)}</p>` });
      const [row] = await deps.db.inTenant(message.tenantId, (tx) => tx`
        insert into outbox (tenant_id, kind, to_address, subject, body_encrypted, status, attempts, sent_at)
        values (app_tenant_id(), 'sms', ${message.to}, 'Text message', ${body}, 'sent', 1, now())
        returning id`);
      return { ok: true, providerId: row.id };
    },
  };
}

export type TwilioOptions = {
  accountSid: string;
  authToken: string;
  /** A sending number (+15551234567) or a Messaging Service SID (MG…). */
  from: string;
  baseUrl?: string;
  timeoutMs?: number;
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Lines about failures; they never carry the phone number or the text. */
  log?: (line: string) => void;
};

/**
 * Twilio's Messages API. Retries only what may pass later (no answer, a timeout, 429, 5xx); a 4xx is final. Twilio
 * has no idempotency key for this call, so a retry after a timeout could deliver a second, identical text: for a
 * sign-in code that is the lesser harm than none.
 */
export function createTwilioSms(options: TwilioOptions): SmsProvider {
  const baseUrl = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const url = `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const maxAttempts = options.maxAttempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 5000;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const log = options.log ?? ((line: string) => logger().warn(line));

  async function attempt(to: string, text: string): Promise<{ done: true; result: SmsResult } | { done: false; error: string }> {
    const form = new URLSearchParams({ To: to, Body: text });
    form.set(options.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', options.from);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const json = (await response.json().catch(() => null)) as { sid?: string; code?: number } | null;
      if (response.ok) return { done: true, result: { ok: true, providerId: typeof json?.sid === 'string' ? json.sid : null } };
      const error = `HTTP ${response.status}${typeof json?.code === 'number' ? ` (Twilio error ${json.code})` : ''}`;
      if (response.status === 429 || response.status >= 500) return { done: false, error };
      return { done: true, result: { ok: false, error } };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      return { done: false, error: name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `no response (${name})` };
    }
  }

  return {
    name: 'twilio',
    async send(message) {
      const to = toE164(message.to);
      if (!to) return { ok: false, error: 'the phone number on file is not a complete number' };
      let lastError = 'not sent';
      for (let n = 1; n <= maxAttempts; n++) {
        const outcome = await attempt(to, message.text);
        if (outcome.done) {
          if (!outcome.result.ok) log(`sms: twilio refused a message (${outcome.result.error})`);
          return outcome.result;
        }
        lastError = outcome.error;
        log(`sms: attempt ${n} of ${maxAttempts} failed (${outcome.error})`);
        if (n < maxAttempts) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (n - 1)));
      }
      return { ok: false, error: lastError };
    },
  };
}

/** A number Twilio accepts: +country… as given, or a 10-digit North American number. */
export function toE164(phone: string): string | null {
  const digits = phone.replace(/\D/g, '');
  if (phone.trim().startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return null;
}

const twilioEnv = z.object({
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-zA-Z]{8,}$/, 'TWILIO_ACCOUNT_SID must start with AC'),
  TWILIO_AUTH_TOKEN: z.string().min(8),
  TWILIO_FROM: z.string().regex(/^(\+\d{8,15}|MG[0-9a-zA-Z]{8,})$/, 'TWILIO_FROM must be +<number> or a Messaging Service SID'),
  TWILIO_BASE_URL: z.url().optional(),
});

/**
 * The provider for this process: Twilio when TWILIO_ACCOUNT_SID is set (checked here, at start-up), the development
 * outbox otherwise; none in production without Twilio, so no practice offers codes that would never arrive.
 */
export function selectSmsProvider(deps: { db: Database; config: Config }, env: Record<string, string | undefined> = process.env): SmsProvider | null {
  if (!env.TWILIO_ACCOUNT_SID) return deps.config.env === 'production' ? null : createDevelopmentSms(deps);
  const parsed = twilioEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return createTwilioSms({
    accountSid: parsed.data.TWILIO_ACCOUNT_SID, authToken: parsed.data.TWILIO_AUTH_TOKEN, from: parsed.data.TWILIO_FROM,
    baseUrl: parsed.data.TWILIO_BASE_URL,
  });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
