import type { Config } from './config.ts';
import type { Database } from './db.ts';
import { startMailWorker } from './mail-delivery.ts';
import { processResetRequests } from './password-reset.ts';

export type BackgroundWork = { mailTransport: string; stop(): Promise<void> };

/**
 * The work each instance does beside serving requests: turning queued "forgot password" requests into emails,
 * and delivering the outbox. Both claim rows with SKIP LOCKED, so any number of instances may run this.
 */
export function startBackgroundWork(deps: { db: Database; config: Config }, options: { intervalMs?: number } = {}): BackgroundWork {
  const interval = options.intervalMs ?? 500;
  const mail = startMailWorker({ db: deps.db, config: deps.config, pollIntervalMs: interval });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const handleResetRequests = async () => {
    try {
      while (!stopped && (await processResetRequests(deps.db, deps.config)) > 0);
    } catch (error) {
      console.error('reset requests: a batch failed and will be retried', error instanceof Error ? error.message : error);
    }
  };
  const tick = () => {
    running = handleResetRequests().finally(() => {
      if (!stopped) timer = setTimeout(tick, interval);
    });
  };
  timer = setTimeout(tick, 0);

  return {
    mailTransport: mail.transport,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await mail.stop();
    },
  };
}
