// A reference beside the sign-in's floor: one Hono route, no middleware, that reads a posted form and verifies its
// password with one bare Argon2id verification (the library's own async call), answering 303 as a sign-in does. The
// difference between this row and bare Argon2id is what HTTP and the load generator cost on the same cores; the
// difference between this row and the sign-in is what Gatehouse's own work costs.
import { hash, verify } from '@node-rs/argon2';
import { Hono } from 'hono';
import { DEMO_STAFF_PASSWORD } from '../../src/cli/demo-seed.ts';
import { serveForBench } from './child-server.ts';

// The app's parameters (src/core/passwords.ts), written out as test/bench/argon2.ts does.
const stored = await hash(DEMO_STAFF_PASSWORD, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
// Any path: the bench posts the sign-in's own request (its path, headers and form) here.
const app = new Hono().post('*', async (c) => {
  const password = new URLSearchParams(await c.req.text()).get('password') ?? '';
  return (await verify(stored, password)) ? c.redirect('/', 303) : c.text('wrong password', 401);
});
serveForBench(app);
