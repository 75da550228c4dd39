import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Handler } from 'hono';

const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));
const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
};

type Asset = { body: Uint8Array<ArrayBuffer>; type: string; version: string };

// The files in public/ are few and small: read once, served from memory, addressed by content hash.
const assets = new Map<string, Asset>(
  readdirSync(PUBLIC_DIR).map((name) => {
    const body = new Uint8Array(readFileSync(PUBLIC_DIR + name));
    const version = createHash('sha256').update(body).digest('hex').slice(0, 10);
    return [name, { body, type: TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream', version }];
  }),
);

export function assetUrl(name: string): string {
  const asset = assets.get(name);
  return asset ? `/public/${name}?v=${asset.version}` : `/public/${name}`;
}

/** What every page links to, by versioned URL (views/ui/layout.tsx takes them from its Chrome). */
export const PAGE_ASSETS = { css: assetUrl('app.css'), htmx: assetUrl('htmx.min.js'), script: assetUrl('app.js') };

export const serveAsset: Handler = (c) => {
  const asset = assets.get(c.req.param('name') ?? '');
  if (!asset) return c.notFound();
  const etag = `"${asset.version}"`;
  c.header('ETag', etag);
  // Versioned URLs never change content, so browsers may keep them for a year.
  c.header('Cache-Control', c.req.query('v') === asset.version ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
  if (c.req.header('if-none-match') === etag) return c.body(null, 304);
  c.header('Content-Type', asset.type);
  return c.body(asset.body);
};
