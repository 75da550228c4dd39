import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json, public/ and sql/: found by walking up from this module, so the same code finds
 * them whether it runs from src/ (development, tests) or from the compiled bundle in dist/ (production).
 */
export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(from: string): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json')) && existsSync(join(folder, 'sql'))) return folder;
    if (dirname(folder) === folder) throw new Error(`no Gatehouse folder (package.json and sql/) above ${from}`);
  }
}
