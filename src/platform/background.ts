// Work each instance does beside serving requests, as independent loops: one round of a job, then either the next
// round at once (it said there is more to do) or a pause. Every job claims its rows in PostgreSQL (SKIP LOCKED or a
// plain delete), so any number of instances may run the same jobs. A failed round is logged and tried again later.

import { logger, withLogContext } from './log.ts';

export type BackgroundJob = {
  name: string;
  /** One round; true when more is waiting and the next round should start at once. */
  run(): Promise<boolean>;
  everyMs: number;
};

export type BackgroundWork = { stop(): Promise<void> };

export function runInBackground(jobs: BackgroundJob[], log: (line: string) => void = (line) => logger().error(line)): BackgroundWork {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();

  function schedule(job: BackgroundJob, delayMs: number) {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const round = withLogContext({ job: job.name }, () => runRound(job)).finally(() => running.delete(round));
      running.add(round);
    }, delayMs);
    timers.add(timer);
  }

  async function runRound(job: BackgroundJob) {
    let more = false;
    try {
      more = await job.run();
    } catch (error) {
      log(`${job.name}: a round failed and will run again later (${error instanceof Error ? error.message : 'unknown error'})`);
    }
    schedule(job, more ? 0 : job.everyMs);
  }

  for (const job of jobs) schedule(job, 0);
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(running);
    },
  };
}
