// A stand-in for Resend's POST /emails on 127.0.0.1: a real HTTP server, so the real `resend` client, its headers
// and its error handling are exercised. It records every request, keeps one delivery per idempotency key (as
// Resend does for 24 hours), and can be told to fail or to hang for the next calls.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedRequest = {
  method: string;
  path: string;
  authorization: string | null;
  idempotencyKey: string | null;
  body: Record<string, unknown> | null;
  status: number | null;
};

export type Delivery = { id: string; idempotencyKey: string; from: string; to: string[]; subject: string; html: string; text: string };

export type FakeResend = {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  deliveries: Delivery[];
  /** The next `count` well-formed requests get `status` (429 carries Retry-After: `retryAfter` seconds). */
  failNext(count: number, status: number, options?: { retryAfter?: number }): void;
  /** The next `count` well-formed requests get no answer at all, until the client gives up. */
  hangNext(count: number): void;
  reset(): void;
  close(): Promise<void>;
};

const ERROR_NAMES: Record<number, string> = { 400: 'validation_error', 422: 'validation_error', 429: 'rate_limit_exceeded', 500: 'internal_server_error', 503: 'application_error' };

export async function startFakeResend(apiKey = 're_test_fake_key'): Promise<FakeResend> {
  const requests: RecordedRequest[] = [];
  const deliveries: Delivery[] = [];
  const byKey = new Map<string, { payload: string; id: string }>();
  const hanging = new Set<ServerResponse>();
  let failures: { count: number; status: number; retryAfter?: number } = { count: 0, status: 500 };
  let hangs = 0;

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    let body: Record<string, unknown> | null = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = null;
    }
    const record: RecordedRequest = {
      method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization ?? null,
      idempotencyKey: header(req, 'idempotency-key'), body, status: null,
    };
    requests.push(record);
    const answer = (status: number, json: object, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
    };
    const fail = (status: number, name: string, message: string, headers?: Record<string, string>) =>
      answer(status, { statusCode: status, name, message }, headers);

    if (req.method !== 'POST' || req.url !== '/emails') return fail(404, 'not_found', 'Unknown endpoint');
    if (!record.authorization) return fail(401, 'missing_api_key', 'Missing API key in the authorization header');
    if (record.authorization !== `Bearer ${apiKey}`) return fail(403, 'invalid_api_key', 'API key is invalid');
    // Resend makes the key optional; Gatehouse must always send one, so this fake insists.
    const key = record.idempotencyKey;
    if (!key || key.length > 256) return fail(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1-256 characters');
    if (!body || typeof body.from !== 'string' || !body.to || typeof body.subject !== 'string' || (!body.html && !body.text)) {
      return fail(422, 'validation_error', 'from, to, subject and html or text are required');
    }
    if (hangs > 0) {
      hangs--;
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (failures.count > 0) {
      failures.count--;
      const headers: Record<string, string> = failures.status === 429 ? { 'retry-after': String(failures.retryAfter ?? 1) } : {};
      return fail(failures.status, ERROR_NAMES[failures.status] ?? 'application_error', 'Failing on purpose', headers);
    }
    const payload = JSON.stringify(body);
    const earlier = byKey.get(key);
    if (earlier && earlier.payload !== payload) return fail(409, 'invalid_idempotent_request', 'Same key, different payload');
    if (earlier) return answer(200, { id: earlier.id });
    const id = randomUUID();
    byKey.set(key, { payload, id });
    deliveries.push({
      id, idempotencyKey: key, from: body.from as string, to: [body.to].flat() as string[], subject: body.subject as string,
      html: String(body.html ?? ''), text: String(body.text ?? ''),
    });
    return answer(200, { id });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    deliveries,
    failNext(count, status, options = {}) {
      failures = { count, status, retryAfter: options.retryAfter };
    },
    hangNext(count) {
      hangs = count;
    },
    reset() {
      requests.length = 0;
      deliveries.length = 0;
      byKey.clear();
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

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value ?? null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
