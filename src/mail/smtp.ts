import type { Transporter } from 'nodemailer';
import { onFirstUse } from '../platform/on-first-use.ts';
import type { Config } from '../platform/config.ts';
import { withinTimeout, type Outcome, type Transport } from './transport.ts';

// Email over SMTP (SMTP_URL), for a provider that signs a Business Associate Agreement or the practice's own relay.
// One connection per message, every wait bounded by the worker's send timeout. SMTP has no idempotency key: the
// outbox row id becomes the Message-ID instead, the same on every retry, so the rare retry after a lost "250 OK"
// arrives as a copy that mail systems recognise as the same message. A 5xx reply refuses this message for good; a
// 4xx reply, a refused or dropped connection, a wrong password and a server that stops answering are all retried
// within the outbox's bounded window.

const nodemailer = onFirstUse<typeof import('nodemailer')>('nodemailer');

export function createSmtpTransport(config: Config, smtpUrl: string, timeoutMs: number): Transport {
  const url = new URL(smtpUrl);
  // nodemailer is loaded with the first email, not at start-up (platform/on-first-use.ts).
  let transporter: Transporter | null = null;
  const connect = () => (transporter ??= nodemailer().createTransport({
    url: smtpUrl,
    connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs, dnsTimeout: timeoutMs,
    // In production a message never crosses the network in clear: smtps:// is TLS from the start, smtp:// must
    // upgrade with STARTTLS or the attempt fails (and is retried) rather than going out unencrypted.
    requireTLS: config.env === 'production' && url.protocol === 'smtp:',
    disableFileAccess: true, disableUrlAccess: true,
  }));
  return {
    name: 'smtp',
    async send(message) {
      // Every step has its own timeout as well; this one bounds the whole conversation, however slowly a server trickles.
      const result = await withinTimeout(timeoutMs, (signal) => connect().sendMail({
        from: message.from, to: message.to, replyTo: message.replyTo ?? undefined,
        subject: message.subject, html: message.html, text: message.text,
        messageId: `<${message.id}@${message.from.address.split('@')[1]}>`,
        signal,
      }));
      if (result === 'timeout') return { kind: 'retry', error: `no answer within ${timeoutMs} ms` };
      if ('error' in result) return classify(result.error, timeoutMs);
      return { kind: 'sent', messageId: result.messageId ?? null };
    },
  };
}

type SmtpError = { code?: string; responseCode?: number; response?: string; permanent?: boolean; name?: string; command?: string };

/** Only the reply code, its enhanced status and nodemailer's error code are kept: a server's text may echo the address. */
export function classify(raw: unknown, timeoutMs: number): Outcome {
  const error = (raw ?? {}) as SmtpError;
  if (error.name === 'AbortError' || error.code === 'ETIMEDOUT') return { kind: 'retry', error: `no answer within ${timeoutMs} ms` };
  const code = String(error.code ?? 'unknown').replace(/[^A-Z_]/gi, '').slice(0, 20);
  if (typeof error.responseCode === 'number') {
    const enhanced = String(error.response ?? '').match(/^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/)?.[1];
    const reply = `SMTP ${error.responseCode}${enhanced ? ` ${enhanced}` : ''}`;
    // A refused sign-in or TLS upgrade is this deployment's configuration, not the message: retry while the
    // operator fixes it. Only a 5xx to the message itself (sender, recipient, content) refuses it for good.
    if (code === 'EAUTH') return { kind: 'retry', error: `${reply} (authentication failed)` };
    const command = String(error.command ?? 'DATA').toUpperCase();
    if (!/^(MAIL|RCPT|DATA)/.test(command)) return { kind: 'retry', error: `${reply} (${command.replace(/[^A-Z ]/g, '').slice(0, 20)} refused)` };
    return error.permanent ? { kind: 'rejected', error: reply } : { kind: 'retry', error: reply };
  }
  return { kind: 'retry', error: `no delivery (${code})` };
}
