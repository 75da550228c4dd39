// A stand-in for Twilio's Messages API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json) on 127.0.0.1: a real HTTP
// server, so src/sms.ts's fetch, Basic authentication, form encoding, timeouts and retries are exercised. It records
// every request and every accepted message, and can be told to fail or to hang for the next calls.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type TwilioRequest = { method: string; path: string; authorization: string | null; contentType: string | null; form: Record<string, string>; status: number | null };
export type TwilioMessage = { sid: string; to: string; from: string | null; messagingServiceSid: string | null; body: string };

export type FakeTwilio = {
  url: string;
  accountSid: string;
  authToken: string;
  requests: TwilioRequest[];
  messages: TwilioMessage[];
  /** The next `count` well-formed requests get `status` with a Twilio-style error body. */
  failNext(count: number, status: number): void;
  /** The next `count` well-formed requests get no answer until the client gives up. */
  hangNext(count: number): void;
  reset(): void;
  close(): Promise<void>;
};

export async function startFakeTwilio(accountSid = 'AC00000000000000000000000000000001', authToken = 'fake-twilio-auth-token'): Promise<FakeTwilio> {
  const requests: TwilioRequest[] = [];
  const messages: TwilioMessage[] = [];
  const hanging = new Set<ServerResponse>();
  let failures = { count: 0, status: 500 };
  let hangs = 0;

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const form = Object.fromEntries(new URLSearchParams(raw));
    const record: TwilioRequest = {
      method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization ?? null,
      contentType: req.headers['content-type'] ?? null, form, status: null,
    };
    requests.push(record);
    const answer = (status: number, json: object) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    const fail = (status: number, code: number, message: string) => answer(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

    if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) return fail(404, 20404, 'The requested resource was not found');
    if (record.authorization !== `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`) return fail(401, 20003, 'Authenticate');
    if (!record.contentType?.startsWith('application/x-www-form-urlencoded')) return fail(400, 20001, 'Unsupported content type');
    if (!form.To || !/^\+\d{8,15}$/.test(form.To)) return fail(400, 21211, "The 'To' number is not a valid phone number.");
    if (!form.From && !form.MessagingServiceSid) return fail(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required");
    if (!form.Body) return fail(400, 21602, 'Message body is required.');
    if (hangs > 0) {
      hangs--;
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (failures.count > 0) {
      failures.count--;
      return fail(failures.status, failures.status === 429 ? 20429 : 20500, 'Failing on purpose');
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    messages.push({ sid, to: form.To, from: form.From ?? null, messagingServiceSid: form.MessagingServiceSid ?? null, body: form.Body });
    return answer(201, { sid, status: 'queued', to: form.To, from: form.From ?? null, body: form.Body, account_sid: accountSid });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    requests,
    messages,
    failNext(count, status) {
      failures = { count, status };
    },
    hangNext(count) {
      hangs = count;
    },
    reset() {
      requests.length = 0;
      messages.length = 0;
      failures = { count: 0, status: 500 };
      hangs = 0;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
