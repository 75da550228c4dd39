// How long a pool connection waits before trying PostgreSQL again after failing. Through a restart every request
// that arrives meets that wait before it can be answered, so it must stay short however many failures came before
// (test/reliability/database-restart.test.ts shows the whole restart; this holds the bound on its own).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { reconnectDelaySeconds } from '../../src/platform/db.ts';

test('after any number of failures a connection tries the server again within a second', () => {
  for (let failures = 0; failures <= 100; failures++) {
    for (let draw = 0; draw < 50; draw++) {
      const seconds = reconnectDelaySeconds(failures);
      assert.ok(seconds >= 0 && seconds <= 1, `${failures} failures: waited ${seconds} s`);
    }
  }
});

test('the first retries come at once, and the wait varies so instances do not retry together', () => {
  assert.ok(reconnectDelaySeconds(1) <= 0.03, 'the first retry within 30 ms');
  const waits = new Set(Array.from({ length: 20 }, () => reconnectDelaySeconds(10)));
  assert.ok(waits.size > 1, 'jittered');
  assert.ok([...waits].every((s) => s >= 0.5), 'never under half the cap once it is reached');
});

test.run();
