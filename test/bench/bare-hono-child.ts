// The floor for any Hono app on this machine: one route, no middleware, no database.
import { Hono } from 'hono';
import { serveForBench } from './child-server.ts';

serveForBench(new Hono().get('/', (c) => c.text('ok')));
