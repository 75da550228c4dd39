import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';

// One structured (JSON) log for the whole process. A request's lines carry its request id, and a background job's
// lines its job name, without being passed around: the context travels with the async work (AsyncLocalStorage).
// What must never be written: passwords, tokens, security answers, codes, cookies, and the query strings and URLs
// of requests (patient search carries names and dates of birth). Lines name the route pattern instead, and the
// fields below are replaced wherever they appear, as a second line of defence.

const REDACTED = [
  'password', 'current_password', 'new_password', 'new_password_confirmation', 'temporary_password', 'token', 'answer',
  'code', 'codes', 'secret', 'cookie', 'authorization', 'query', 'url', 'parameters', 'email', 'to', 'identifier',
];
const redactPaths = REDACTED.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'gatehouse' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: { err: serializeError },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

let root = createLogger(process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'));
const context = new AsyncLocalStorage<Logger>();

/** The logger of the work in progress: the request's or job's when there is one. */
export function logger(): Logger {
  return context.getStore() ?? root;
}

/** Runs `work` with `bindings` (a request id, a job name) on every line it logs. */
export function withLogContext<T>(bindings: Record<string, string>, work: () => T): T {
  return context.run(root.child(bindings), work);
}

export function setLogLevel(level: string): void {
  root.level = level;
}

/** Sends every line to `destination` instead of stdout (tests read them); returns the way back. */
export function redirectLogs(destination: DestinationStream, level = 'info'): () => void {
  const previous = root;
  root = createLogger(level, destination);
  return () => {
    root = previous;
  };
}

/**
 * An error as a log field: its kind, code and message, and the stack. Not its other properties: a database error
 * carries the query's parameters. Messages of invalid-input errors echo the input, so only their code is kept.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) {
    const e = error as { code?: unknown; message?: unknown; name?: unknown } | null;
    return { type: typeof e?.name === 'string' ? e.name : typeof error, errorCode: e?.code, message: typeof e?.message === 'string' ? e.message : String(error) };
  }
  const code = (error as { code?: unknown }).code;
  const echoesInput = typeof code === 'string' && /^(22|23)/.test(code);
  return {
    type: error.name,
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    message: echoesInput ? 'invalid input (value not logged)' : error.message,
    stack: echoesInput ? undefined : error.stack?.split('\n').slice(0, 8).join('\n'),
  };
}
