// Argon2id on threads of its own, one per core, below the event loop's priority: the hashes are the library's own
// (either side verifies the other's), and on Linux the hashing threads run at nice 10 while the main thread stays at 0.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hash, verify } from '@node-rs/argon2';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ARGON2_THREADS, argon2Hash, argon2Verify } from '../../src/platform/argon2-pool.ts';

const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

test('hashes and verifies as the library does, in both directions', async () => {
  const ours = await argon2Hash('correct horse battery staple', OPTIONS);
  assert.match(ours, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.ok(await verify(ours, 'correct horse battery staple'));
  const theirs = await hash('tulip garden evening', OPTIONS);
  assert.ok(await argon2Verify(theirs, 'tulip garden evening'));
  assert.not.ok(await argon2Verify(theirs, 'tulip garden evening!'));
});

test('a malformed hash is an error, not a match, and the threads carry on', async () => {
  try {
    await argon2Verify('not a hash', 'x');
    assert.unreachable('a malformed hash must not verify');
  } catch (error) {
    assert.instance(error, Error);
  }
  assert.ok(await argon2Verify(await argon2Hash('still working', OPTIONS), 'still working'));
});

test('one thread per core, each below the main thread in priority (Linux)', async () => {
  await Promise.all(Array.from({ length: ARGON2_THREADS * 2 }, (_, i) => argon2Hash(`password ${i}`, OPTIONS)));
  if (!existsSync('/proc/self/task')) {
    console.log('  (no /proc here: thread priorities not checked)');
    return;
  }
  const nice = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
  const tasks = readdirSync('/proc/self/task');
  assert.is(nice(String(process.pid)), 0, 'the event loop keeps its priority');
  assert.is(tasks.filter((tid) => nice(tid) === 10).length, ARGON2_THREADS);
});

test.run();
