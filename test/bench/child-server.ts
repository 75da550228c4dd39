// The bench's floor and reference children, each one Hono app in its own process: served on a free loopback port
// sent back to the bench over IPC, stopped when the bench says so or goes away.
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export function serveForBench(app: Hono, close: () => Promise<void> = async () => {}): void {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    process.send?.({ port: info.port });
  });
  const shutDown = async () => {
    server.close();
    await close();
    process.exit(0);
  };
  process.on('SIGTERM', shutDown);
  process.on('disconnect', shutDown);
}
