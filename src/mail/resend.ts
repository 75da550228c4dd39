import type { Resend } from 'resend';
import { onFirstUse } from '../platform/on-first-use.ts';
import type { Config } from '../platform/config.ts';
import { formatSender } from './sender.ts';
import { withinTimeout, type Transport } from './transport.ts';

// Resend's email API. The outbox row id is sent as the idempotency key, so a retry after a lost answer cannot
// deliver the same email twice.

const resendModule = onFirstUse<typeof import('resend')>('resend');

export function createResendTransport(config: Config, apiKey: string, timeoutMs: number): Transport {
  // The SDK is loaded with the first email, not at start-up (platform/on-first-use.ts).
  let resend: Resend | null = null;
  const client = () => (resend ??= new (resendModule().Resend)(apiKey, config.resendBaseUrl ? { baseUrl: config.resendBaseUrl } : undefined));
  return {
    name: 'resend',
    async send(message) {
      const payload = {
        from: formatSender(message.from), to: message.to, subject: message.subject, html: message.html, text: message.text,
        ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      };
      const result = await withinTimeout(timeoutMs, (signal) => client().emails.send(payload, { idempotencyKey: message.id, signal }));
      if (result === 'timeout') return { kind: 'retry', error: `no answer within ${timeoutMs} ms` };
      // The SDK answers failures as values; a throw would be a fault of ours or the network's.
      if ('error' in result && !('data' in result)) return { kind: 'retry', error: 'no response (client error)' };
      if (!result.error) return { kind: 'sent', messageId: result.data.id };
      // Only the status and the error code are kept: the provider's free text could echo what we sent.
      const status = result.error.statusCode;
      const code = String(result.error.name ?? 'unknown').replace(/[^a-z_]/gi, '').slice(0, 40);
      if (status === 429 || /rate_limit|quota/.test(code)) return { kind: 'rate-limited', retryAfterSeconds: readRetryAfter(result.headers) };
      const error = status ? `HTTP ${status} ${code}` : `no response (${code})`;
      // 400 and 422 mean this email itself is unacceptable; anything else may pass on a later try.
      return status === 400 || status === 422 ? { kind: 'rejected', error } : { kind: 'retry', error };
    },
  };
}

/** Seconds from Retry-After (seconds or an HTTP date), else Resend's ratelimit-reset, else a minute. */
export function readRetryAfter(headers: Record<string, string> | null): number {
  const raw = headers?.['retry-after'] ?? headers?.['ratelimit-reset'];
  let seconds = Number(raw);
  if (raw && !Number.isFinite(seconds)) seconds = (Date.parse(raw) - Date.now()) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.ceil(seconds), 86_400) : 60;
}
