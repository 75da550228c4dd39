// What the delivery worker asks of a way to send email, and what it hears back.

export type Outcome =
  | { kind: 'sent'; messageId: string | null }
  | { kind: 'retry'; error: string }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'rejected'; error: string };

export type Message = { id: string; to: string; subject: string; html: string; text: string };
export type Transport = { name: string; send(message: Message): Promise<Outcome> };
