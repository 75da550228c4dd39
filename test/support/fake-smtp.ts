// A real SMTP server on 127.0.0.1 standing in for a practice's covered email provider (see fake-service.ts for the
// HTTP stand-ins): the real client (nodemailer) connects, signs in, sends, and is answered as a provider would. Like
// the HTTP fakes it records every attempt and can refuse (any 4xx or 5xx reply to the message) or hang on demand.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export type SmtpAttempt = { messageId: string | null; to: string[]; status: number | null };

export type SmtpDelivery = {
  messageId: string;
  envelope: { from: string; to: string[] };
  from: { name: string; address: string };
  replyTo: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
};

export type FakeSmtp = {
  /** smtp://user:password@127.0.0.1:port, as an operator would write SMTP_URL. */
  url: string;
  user: string;
  password: string;
  attempts: SmtpAttempt[];
  deliveries: SmtpDelivery[];
  /** The next `count` messages are refused after their data with `code` (a 4xx asks to try later, a 5xx says never). */
  failNext(count: number, code: number): void;
  /** The next `count` messages get no answer after their data, until the client gives up. */
  hangNext(count: number): void;
  reset(): void;
  close(): Promise<void>;
};

export async function startFakeSmtp(options: { user?: string; password?: string } = {}): Promise<FakeSmtp> {
  const user = options.user ?? 'gatehouse';
  const password = options.password ?? 'covered-provider-app-password';
  const attempts: SmtpAttempt[] = [];
  const deliveries: SmtpDelivery[] = [];
  let failures = { count: 0, code: 550 };
  let hangs = 0;

  const server = new SMTPServer({
    logger: false,
    // A plain-text test server: no certificate to make, so no STARTTLS on offer.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      const refused = Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 });
      return callback(refused);
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      void receive(stream, session, callback);
    },
  });

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const parsed = await simpleParser(Buffer.concat(chunks));
    const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
    const attempt: SmtpAttempt = { messageId: parsed.messageId ?? null, to: envelopeTo, status: null };
    attempts.push(attempt);
    if (hangs > 0) {
      hangs--;
      return; // no reply at all: the client has to time out
    }
    if (failures.count > 0) {
      failures.count--;
      attempt.status = failures.code;
      // Real servers often repeat the recipient in their text; Gatehouse must keep only the codes.
      const enhanced = failures.code >= 500 ? '5.1.1' : '4.2.0';
      return callback(Object.assign(new Error(`${enhanced} Refused on purpose for <${envelopeTo.join(', ')}>`), { responseCode: failures.code }));
    }
    attempt.status = 250;
    const from = parsed.from?.value[0];
    deliveries.push({
      messageId: parsed.messageId ?? '',
      envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: envelopeTo },
      from: { name: from?.name ?? '', address: from?.address ?? '' },
      replyTo: parsed.replyTo?.value[0]?.address ?? null,
      to: [parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? '')).join(', '),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
    });
    callback(null);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    user, password, attempts, deliveries,
    failNext(count, code) {
      failures = { count, code };
    },
    hangNext(count) {
      hangs = count;
    },
    reset() {
      attempts.length = 0;
      deliveries.length = 0;
      failures = { count: 0, code: 550 };
      hangs = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
