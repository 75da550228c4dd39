import type { Config } from './config.ts';
import type { Database } from './db.ts';
import { startMailWorker } from '../mail/delivery.ts';
import { processResetRequests } from '../features/recovery/password-reset.ts';
import { sweepExpiredPrintouts } from '../features/patient-admin/temporary-password.ts';

const SWEEP_EVERY_MS = 10 * 60 * 1000;

/** Throttle counters whose window and block ended a day ago say nothing any more. */
async function deleteStaleCounters(db: Database): Promise<void> {
  await db.sql`
    delete from rate_limits
    where window_started_at < now() - interval '1 day' and (blocked_until is null or blocked_until < now())`;
}

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
  let lastSweep = 0;
  const sweep = async () => {
    if (Date.now() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = Date.now();
    try {
      await deleteStaleCounters(deps.db);
      await sweepExpiredPrintouts(deps.db.sql);
    } catch (error) {
      console.error('housekeeping failed and will run again later', error instanceof Error ? error.message : error);
    }
  };
  const tick = () => {
    running = handleResetRequests().then(sweep).finally(() => {
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
