// A real HTTP server on 127.0.0.1 standing in for an outside service (Resend, Twilio), so the real clients, their
// headers, timeouts and retries are exercised. This part is what every stand-in shares: recording each request and
// the status it got, failing or hanging on demand, and closing without waiting for hung answers. A provider's fake
// says how that provider refuses, fails and accepts.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string };
export type Answer = { status: number; json: object; headers?: Record<string, string> };

export type FakeServiceSpec<R extends { status: number | null }> = {
  /** What the fake keeps of each request, for tests to read. */
  record(request: FakeRequest): R;
  /** The provider's own refusal of a request it would never accept (wrong path, key, body), checked first; or null. */
  refuse(record: R, request: FakeRequest): Answer | null;
  /** How the provider answers when it fails, for the failures planned with failNext. */
  failure(status: number, options: { retryAfter?: number }): Answer;
  /** A well-formed request that is neither failed nor hung. */
  accept(record: R, request: FakeRequest): Answer;
  /** Forgets the provider's own records (deliveries, idempotency keys) on reset. */
  forget?(): void;
};

export type FakeService<R> = {
  url: string;
  requests: R[];
  /** The next `count` well-formed requests get `status` (a 429 may carry Retry-After: `retryAfter` seconds). */
  failNext(count: number, status: number, options?: { retryAfter?: number }): void;
  /** The next `count` well-formed requests get no answer at all, until the client gives up. */
  hangNext(count: number): void;
  /**
   * Unreliable from now on: each well-formed request fails with `status` (a share `fail`) or gets no answer (a share
   * `hang`; with `acceptBeforeHang` the provider does the work first and only the answer is lost), drawn from a
   * seeded sequence so a run can be repeated. reset() or chaos(null) ends it.
   */
  chaos(mode: { fail: number; hang: number; status?: number; acceptBeforeHang?: boolean; seed?: number } | null): void;
  reset(): void;
  close(): Promise<void>;
};

export async function startFakeService<R extends { status: number | null }>(spec: FakeServiceSpec<R>): Promise<FakeService<R>> {
  const requests: R[] = [];
  const hanging = new Set<ServerResponse>();
  let failures: { count: number; status: number; retryAfter?: number } = { count: 0, status: 500 };
  let hangs = 0;
  let chaos: { fail: number; hang: number; status: number; acceptBeforeHang: boolean; random: () => number } | null = null;
  const hang = (res: ServerResponse) => {
    hanging.add(res);
    res.on('close', () => hanging.delete(res));
  };

  const server = createServer(async (req, res) => {
    const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: await readBody(req) };
    const record = spec.record(request);
    requests.push(record);
    const send = (answer: Answer) => {
      record.status = answer.status;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.json));
    };
    const refusal = spec.refuse(record, request);
    if (refusal) return send(refusal);
    if (hangs > 0) {
      hangs--;
      return hang(res);
    }
    if (chaos) {
      const draw = chaos.random();
      if (draw < chaos.hang) {
        if (chaos.acceptBeforeHang) record.status = spec.accept(record, request).status;
        return hang(res);
      }
      if (draw < chaos.hang + chaos.fail) return send(spec.failure(chaos.status, {}));
    }
    if (failures.count > 0) {
      failures.count--;
      return send(spec.failure(failures.status, { retryAfter: failures.retryAfter }));
    }
    return send(spec.accept(record, request));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, status, options = {}) {
      failures = { count, status, retryAfter: options.retryAfter };
    },
    hangNext(count) {
      hangs = count;
    },
    chaos(mode) {
      chaos = mode && {
        fail: mode.fail, hang: mode.hang, status: mode.status ?? 500, acceptBeforeHang: mode.acceptBeforeHang ?? false,
        random: seededRandom(mode.seed ?? 1),
      };
    },
    reset() {
      requests.length = 0;
      failures = { count: 0, status: 500 };
      hangs = 0;
      chaos = null;
      spec.forget?.();
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function header(request: FakeRequest, name: string): string | null {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value ?? null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A small repeatable random sequence (mulberry32), so a faulty run can be run again exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
