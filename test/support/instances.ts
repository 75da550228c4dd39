// Real Gatehouse instances for the reliability tests: separate processes (test/support/app-instance.ts) on one
// database, reached over HTTP through the same browser-like Client the other tests use, and stoppable the hard way.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client, PUBLIC_URL, type TestContext } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = 'test/support/app-instance.ts';

export type Instance = {
  name: string;
  port: number;
  /** A browser on this instance (cookies kept, Origin sent), from its own address. */
  client(ip?: string): Client;
  /** SIGKILL: no shutdown, no cleanup, as when a machine dies. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
};

export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const child = fork(ENTRY, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'test', PUBLIC_URL, CLIENT_IP_HEADER: 'fly-client-ip', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    if (output.length < 50_000) output += chunk;
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const port = await new Promise<number>((done, fail) => {
    child.once('message', (message: { port: number }) => done(message.port));
    child.once('exit', (code) => fail(new Error(`instance ${name} exited with ${code} before it was ready\n${output}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const overHttp = {
    request: (url: string, init: RequestInit) => fetch(url.replace(PUBLIC_URL, base), { ...init, redirect: 'manual' }),
  } as unknown as TestContext['app'];
  return {
    name, port,
    client: (ip = '203.0.113.10') => new Client(overHttp, ip),
    kill: () => ended(child, 'SIGKILL'),
    stop: () => ended(child, 'SIGTERM'),
    output: () => output,
  };
}

function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill(signal);
  });
}

/** Polls `condition` until it holds, for up to `tries` × 100 ms; false if it never does. */
export async function eventually(condition: () => Promise<boolean>, tries = 600): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await condition()) return true;
    await new Promise((done) => setTimeout(done, 100));
  }
  return false;
}
