import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// Argon2id runs on threads of its own, one per core, each at a lower scheduling priority than the event loop (nice
// +10 on Linux): with every core busy hashing sign-ins, a signed-in page still gets a core the moment it needs one,
// and the hashing takes whatever is left. libuv's shared thread pool (where the library's async calls run) is left to
// file and DNS work. The threads start with the first hash, so an idle instance carries none of them.

const NICE = 10;
const argon2Path = createRequire(import.meta.url).resolve('@node-rs/argon2');

// Plain CommonJS run by each thread; the library is the one this module resolves, passed in by path.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const argon2 = require(workerData.argon2Path);
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, workerData.nice);
} catch {}
parentPort.on('message', ({ id, op, a, b }) => {
  try {
    parentPort.postMessage({ id, value: op === 'hash' ? argon2.hashSync(a, b) : argon2.verifySync(a, b) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});`;

export type Argon2Options = { memoryCost: number; timeCost: number; parallelism: number };
type Job = { op: 'hash' | 'verify'; a: string; b: unknown; done: (value: unknown) => void; fail: (error: Error) => void };
type Thread = { worker: Worker; busy: Job | null };

const size = Math.max(1, availableParallelism());
const threads: Thread[] = [];
const waiting: Job[] = [];
let nextId = 0;

export function argon2Hash(password: string, options: Argon2Options): Promise<string> {
  return run('hash', password, options) as Promise<string>;
}

export function argon2Verify(hash: string, password: string): Promise<boolean> {
  return run('verify', hash, password) as Promise<boolean>;
}

/** How many hashing threads this instance runs (or will, once the first hash starts them). */
export const ARGON2_THREADS = size;

function run(op: Job['op'], a: string, b: unknown): Promise<unknown> {
  return new Promise((done, fail) => {
    waiting.push({ op, a, b, done, fail });
    dispatch();
  });
}

function dispatch(): void {
  while (waiting.length) {
    const thread = threads.find((t) => !t.busy) ?? (threads.length < size ? startThread() : null);
    if (!thread) return;
    const job = waiting.shift()!;
    thread.busy = job;
    thread.worker.ref();
    thread.worker.postMessage({ id: nextId++, op: job.op, a: job.a, b: job.b });
  }
}

function startThread(): Thread {
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { argon2Path, nice: NICE } });
  const thread: Thread = { worker, busy: null };
  worker.unref();
  worker.on('message', (message: { value?: unknown; error?: string }) => {
    const job = thread.busy;
    thread.busy = null;
    // An idle thread does not keep the process alive.
    worker.unref();
    if (message.error !== undefined) job?.fail(new Error(message.error));
    else job?.done(message.value);
    dispatch();
  });
  const lost = (error: Error) => {
    threads.splice(threads.indexOf(thread), 1);
    thread.busy?.fail(error);
    thread.busy = null;
    dispatch();
  };
  worker.on('error', lost);
  worker.on('exit', (code) => {
    if (threads.includes(thread)) lost(new Error(`an Argon2 thread stopped (exit code ${code})`));
  });
  threads.push(thread);
  return thread;
}
