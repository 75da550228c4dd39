// `npm run build [-- <folder>]`: the JavaScript that production runs, compiled by TypeScript (tsconfig.build.json)
// into dist/ (or the folder given), beside copies of public/ and sql/ that the code reads at run time. Plain
// JavaScript on purpose: it runs before anything is compiled, with nothing but Node and the TypeScript compiler.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = resolve(root, process.argv[2] ?? 'dist');
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root, stdio: 'inherit' });
for (const folder of ['public', 'sql']) cpSync(join(root, folder), join(out, folder), { recursive: true });
console.log(`built ${out}`);
