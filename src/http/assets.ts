import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Handler } from 'hono';
import { PROJECT_ROOT } from '../platform/project-root.ts';
import { acceptedEncoding, type Encoding } from './compression.ts';

const PUBLIC_DIR = join(PROJECT_ROOT, 'public/');
const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
};

type Compressed = Partial<Record<Encoding, Promise<Uint8Array<ArrayBuffer>>>>;
type Asset = { body: Uint8Array<ArrayBuffer>; type: string; version: string; compressible: boolean; compressed: Compressed | null };

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
const TEXT = /^(?:text\/|image\/svg)/;

// The files in public/ are few and small: read once, served from memory, addressed by content hash. Text files are
// compressed once, at the strongest settings (brotli 11, gzip 9), on libuv's threads: all of them as soon as the
// server listens (compressAssets, from src/server.ts, so they do not slow its start), or each on its first request,
// whichever comes first. Every request after that sends the stored bytes.
const assets = new Map<string, Asset>(
  readdirSync(PUBLIC_DIR).map((name) => {
    const body = new Uint8Array(readFileSync(PUBLIC_DIR + name));
    const version = createHash('sha256').update(body).digest('hex').slice(0, 10);
    const type = TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
    return [name, { body, type, version, compressible: TEXT.test(type), compressed: null }];
  }),
);

function compressedOf(asset: Asset): Compressed {
  if (asset.compressed) return asset.compressed;
  asset.compressed = {};
  if (asset.compressible) {
    // A window just larger than the file (every one is far below 256 KB): the same bytes out, a fraction of the memory.
    const params = {
      [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 18, [constants.BROTLI_PARAM_SIZE_HINT]: asset.body.byteLength,
    };
    asset.compressed.br = brotli(asset.body, { params }).then((b) => new Uint8Array(b));
    asset.compressed.gzip = gzipped(asset.body, { level: 9, memLevel: 8 }).then((b) => new Uint8Array(b));
  }
  return asset.compressed;
}

/** Compresses every static file now, in the background. */
export function compressAssets(): void {
  for (const asset of assets.values()) compressedOf(asset);
}

export function assetUrl(name: string): string {
  const asset = assets.get(name);
  return asset ? `/public/${name}?v=${asset.version}` : `/public/${name}`;
}

/** What every page links to, by versioned URL (views/ui/layout.tsx takes them from its Chrome). */
export const PAGE_ASSETS = { css: assetUrl('app.css'), htmx: assetUrl('htmx.min.js'), script: assetUrl('app.js') };

export const serveAsset: Handler = async (c) => {
  const asset = assets.get(c.req.param('name') ?? '');
  if (!asset) return c.notFound();
  const encoding = acceptedEncoding(c.req.header('accept-encoding'));
  const stored = encoding ? compressedOf(asset)[encoding] : undefined;
  // Each encoding is its own representation, with its own tag; any of them still matches a revalidation.
  const etag = `"${asset.version}${stored ? `-${encoding}` : ''}"`;
  c.header('ETag', etag);
  // Versioned URLs never change content, so browsers may keep them for a year.
  c.header('Cache-Control', c.req.query('v') === asset.version ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
  if (asset.compressible) c.header('Vary', 'Accept-Encoding');
  const known = c.req.header('if-none-match')?.split(',').map((tag) => tag.trim().replace(/^W\//, '')) ?? [];
  if (known.some((tag) => tag === etag || tag.startsWith(`"${asset.version}`))) return c.body(null, 304);
  c.header('Content-Type', asset.type);
  if (!stored) return c.body(asset.body);
  c.header('Content-Encoding', encoding!);
  return c.body(await stored);
};
