import type { Context, MiddlewareHandler } from 'hono';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

// Text answers leave compressed when the browser says it can read them: brotli, else gzip. A page is a few kilobytes
// rendered at once, so it is compressed in one call (brotli at quality 4: most of the saving for a small share of the
// time); a stream (the audit CSV export) is compressed as it goes, chunk by chunk, so an export of any length never
// sits in memory. Static files arrive here already compressed (http/assets.ts) and are left alone.

const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|xml)|image\/svg\+xml)/;
const STREAMED = /^text\/csv/;
// Below this a compressed answer saves less than its own framing costs.
const MIN_BYTES = 1024;
// Told the page's size, brotli sizes its window to it: the same bytes out for about a fifth less work.
const brotliFor = (bytes: number) => ({ params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: bytes } });
// On libuv's threads: the event loop goes on with other requests while a page is compressed.
const brotliOff = promisify(brotliCompress);
const gzipOff = promisify(gzip);

export type Encoding = 'br' | 'gzip';

/** The best encoding the request accepts (`q=0` refuses one), or null for none. */
export function acceptedEncoding(header: string | undefined, options: { brotli?: boolean } = {}): Encoding | null {
  if (!header) return null;
  const accepted = new Set<string>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    accepted.add(name.trim());
  }
  if (options.brotli !== false && accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return null;
}

export function compressText(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get('content-type') ?? '';
    if (!res.body || !COMPRESSIBLE.test(type) || res.headers.has('content-encoding') || res.status === 204 || res.status === 304) return;
    if (!/accept-encoding/i.test(res.headers.get('vary') ?? '')) res.headers.append('Vary', 'Accept-Encoding');
    if (c.req.method === 'HEAD') return;
    const streamed = STREAMED.test(type);
    // CompressionStream speaks gzip (and deflate), not brotli: streams go out as gzip.
    const encoding = acceptedEncoding(c.req.header('accept-encoding'), { brotli: !streamed });
    if (!encoding) return;
    let body: BodyInit;
    if (streamed) {
      body = res.body.pipeThrough(new CompressionStream('gzip'));
    } else {
      const plain = new Uint8Array(await res.arrayBuffer());
      if (plain.byteLength < MIN_BYTES) return replace(c, plain, res);
      body = new Uint8Array(encoding === 'br' ? await brotliOff(plain, brotliFor(plain.byteLength)) : await gzipOff(plain));
    }
    res.headers.delete('Content-Length');
    res.headers.set('Content-Encoding', encoding);
    replace(c, body, res);
  };
}

/** The same answer with another body. Its headers are already the final ones: nothing to merge (see Hono's `res`). */
function replace(c: Context, body: BodyInit, res: Response): void {
  c.res = undefined;
  c.res = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}
