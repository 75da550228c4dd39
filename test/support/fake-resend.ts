// A stand-in for Resend's POST /emails (see fake-service.ts). It keeps one delivery per idempotency key (as Resend
// does for 24 hours) and insists on a key, which Resend makes optional but Gatehouse must always send.
import { randomUUID } from 'node:crypto';
import { header, startFakeService, type Answer, type FakeService } from './fake-service.ts';

export type RecordedRequest = {
  method: string;
  path: string;
  authorization: string | null;
  idempotencyKey: string | null;
  body: Record<string, unknown> | null;
  status: number | null;
};

export type Delivery = { id: string; idempotencyKey: string; from: string; to: string[]; subject: string; html: string; text: string };

export type FakeResend = FakeService<RecordedRequest> & { apiKey: string; deliveries: Delivery[] };

const ERROR_NAMES: Record<number, string> = { 400: 'validation_error', 422: 'validation_error', 429: 'rate_limit_exceeded', 500: 'internal_server_error', 503: 'application_error' };

const fail = (status: number, name: string, message: string, headers?: Record<string, string>): Answer =>
  ({ status, json: { statusCode: status, name, message }, headers });

export async function startFakeResend(apiKey = 're_test_fake_key'): Promise<FakeResend> {
  const deliveries: Delivery[] = [];
  const byKey = new Map<string, { payload: string; id: string }>();

  const service = await startFakeService<RecordedRequest>({
    record: (request) => ({
      method: request.method, path: request.path, authorization: header(request, 'authorization'),
      idempotencyKey: header(request, 'idempotency-key'), body: parseJson(request.body), status: null,
    }),
    refuse(record) {
      const body = record.body;
      if (record.method !== 'POST' || record.path !== '/emails') return fail(404, 'not_found', 'Unknown endpoint');
      if (!record.authorization) return fail(401, 'missing_api_key', 'Missing API key in the authorization header');
      if (record.authorization !== `Bearer ${apiKey}`) return fail(403, 'invalid_api_key', 'API key is invalid');
      const key = record.idempotencyKey;
      if (!key || key.length > 256) return fail(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1-256 characters');
      if (!body || typeof body.from !== 'string' || !body.to || typeof body.subject !== 'string' || (!body.html && !body.text)) {
        return fail(422, 'validation_error', 'from, to, subject and html or text are required');
      }
      return null;
    },
    failure: (status, { retryAfter }) =>
      fail(status, ERROR_NAMES[status] ?? 'application_error', 'Failing on purpose', status === 429 ? { 'retry-after': String(retryAfter ?? 1) } : {}),
    accept(record) {
      const body = record.body!;
      const key = record.idempotencyKey!;
      const payload = JSON.stringify(body);
      const earlier = byKey.get(key);
      if (earlier && earlier.payload !== payload) return fail(409, 'invalid_idempotent_request', 'Same key, different payload');
      if (earlier) return { status: 200, json: { id: earlier.id } };
      const id = randomUUID();
      byKey.set(key, { payload, id });
      deliveries.push({
        id, idempotencyKey: key, from: body.from as string, to: [body.to].flat() as string[], subject: body.subject as string,
        html: String(body.html ?? ''), text: String(body.text ?? ''),
      });
      return { status: 200, json: { id } };
    },
    forget() {
      deliveries.length = 0;
      byKey.clear();
    },
  });
  return { ...service, apiKey, deliveries };
}

function parseJson(raw: string): Record<string, unknown> | null {
  try {
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}
