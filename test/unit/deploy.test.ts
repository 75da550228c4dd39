// The Fly.io deployment keeps background work running (email retries, queued reset requests, sweeps) when Fly stops
// idle machines, and exposes /metrics only where its scraper looks.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const fly = readFileSync(new URL('../../fly.toml', import.meta.url), 'utf8');
const value = (key: string) => fly.match(new RegExp(`^\\s*${key}\\s*=\\s*"?([^"\\n]+)"?`, 'm'))?.[1]?.trim();

test('Fly may stop idle machines, but never the last one: background work keeps running', () => {
  const autoStop = value('auto_stop_machines');
  if (autoStop && autoStop !== 'off' && autoStop !== 'false') assert.ok(Number(value('min_machines_running')) >= 1, fly);
});

test('/metrics is scraped on its own port, the one the app listens on for it', () => {
  const section = fly.slice(fly.indexOf('[metrics]'));
  assert.ok(fly.includes('[metrics]'), 'a [metrics] section');
  assert.is(section.match(/^\s*port\s*=\s*(\d+)/m)?.[1], value('METRICS_PORT'));
  assert.is(section.match(/^\s*path\s*=\s*"([^"]+)"/m)?.[1], '/metrics');
});

test.run();
