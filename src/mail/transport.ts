// What the delivery worker asks of a way to send email, and what it hears back.

export type Outcome =
  | { kind: 'sent'; messageId: string | null }
  | { kind: 'retry'; error: string }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'rejected'; error: string };

/** Who an email is from: the practice's name on the deployment's sending address (MAIL_FROM). */
export type Sender = { name: string; address: string };

export type Message = {
  /** The outbox row id: the idempotency key (Resend) and the Message-ID (SMTP), the same on every retry. */
  id: string;
  from: Sender;
  /** The practice's own address (practice setting), so replies reach people; null sends no Reply-To. */
  replyTo: string | null;
  to: string;
  subject: string;
  html: string;
  text: string;
};
export type Transport = { name: string; send(message: Message): Promise<Outcome> };

/**
 * Runs one call to a provider with an abort signal, and gives up after `timeoutMs` however the call behaves: 'timeout'
 * then, the call's own result (or thrown error, as { error }) otherwise.
 */
export async function withinTimeout<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T | { error: unknown } | 'timeout'> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => (controller.abort(), resolve('timeout')), timeoutMs);
  });
  try {
    const result = await Promise.race([call(controller.signal).catch((error: unknown) => ({ error })), timedOut]);
    return controller.signal.aborted ? 'timeout' : result;
  } finally {
    clearTimeout(timer);
  }
}
