// The layout's rules (STYLE.md, "Layout by capability"), read off the code's imports: which layer a file is in, what
// it may import, and the few things only one place may do. test/unit/layout.test.ts holds the project to them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

export type Import = { from: string; to: string; typeOnly: boolean };

/** Every .ts/.tsx file under src/ and views/ of `root`, as paths relative to it. */
export function sourceFiles(root: string): string[] {
  const walk = (dir: string): string[] => readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return walk(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
  return ['src', 'views'].filter((dir) => existsDir(join(root, dir))).flatMap(walk).sort();
}

const STATIC = /^\s*(import|export)\s+(type\s+)?([\s\S]*?)\s*from\s*'([^']+)'/gm;
const BARE = /^\s*import\s+'([^']+)'/gm;
const DYNAMIC = /import\(\s*'([^']+)'\s*\)/g;

/** The imports of one file: relative ones resolved to paths from `root`, packages by name. */
export function importsOf(root: string, file: string, text = readFileSync(join(root, file), 'utf8')): Import[] {
  const resolve = (spec: string) => (spec.startsWith('.') ? normalize(join(dirname(file), spec)) : spec);
  const found: Import[] = [];
  for (const m of text.matchAll(STATIC)) {
    const names = m[3].replace(/^\{|\}$/g, '').split(',').map((s) => s.trim()).filter(Boolean);
    const typeOnly = Boolean(m[2]) || (m[3].startsWith('{') && names.length > 0 && names.every((n) => n.startsWith('type ')));
    found.push({ from: file, to: resolve(m[4]), typeOnly });
  }
  for (const m of text.matchAll(BARE)) found.push({ from: file, to: resolve(m[1]), typeOnly: false });
  for (const m of text.matchAll(DYNAMIC)) found.push({ from: file, to: resolve(m[1]), typeOnly: false });
  return found;
}

/** The layer of a path: app, cli, platform, http, core, mail, copy, feature:<name>, views-ui, views:<name>; null outside. */
export function layerOf(path: string): string | null {
  if (path === 'src/app.ts' || path === 'src/server.ts') return 'app';
  const parts = path.split('/');
  if (parts[0] === 'src' && parts[1] === 'features') return `feature:${parts[2]}`;
  if (parts[0] === 'src' && ['cli', 'platform', 'http', 'core', 'mail', 'copy'].includes(parts[1])) return parts[1];
  if (parts[0] === 'views') return parts[1] === 'ui' ? 'views-ui' : `views:${parts[1]}`;
  return null;
}

// What each layer may take values from; arrows point one way (platform ← core, mail ← features ← app.ts).
const ALLOWED: Record<string, (target: string, self: string) => boolean> = {
  platform: (t) => t === 'platform',
  copy: (t) => t === 'copy',
  mail: (t) => ['platform', 'mail', 'copy', 'views-ui'].includes(t),
  core: (t) => ['platform', 'mail', 'core', 'copy'].includes(t),
  http: (t) => ['platform', 'core', 'mail', 'copy', 'http', 'views-ui'].includes(t),
  cli: (t) => ['platform', 'core', 'mail', 'copy', 'cli'].includes(t),
  app: (t) => !t.startsWith('views'),
  'views-ui': (t) => ['views-ui', 'copy'].includes(t),
  feature: (t, self) => ['platform', 'http', 'core', 'mail', 'copy', 'views-ui'].includes(t) || t === self || t === `views:${self.slice(8)}`,
  views: (t, self) => ['views-ui', 'copy'].includes(t) || t === self,
};

const isRouteModule = (path: string) => /^src\/features\/[^/]+\/([a-z-]+-)?routes\.tsx$/.test(path);
const isRouteLayer = (path: string) => isRouteModule(path) || /^src\/features\/[^/]+\/paths\.ts$/.test(path);

/** Every broken rule in the tree at `root`, one sentence each; empty when the layout holds. */
export function checkLayout(root: string): string[] {
  const problems: string[] = [];
  for (const file of sourceFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    const self = layerOf(file);
    if (!self) continue;
    for (const imp of importsOf(root, file, text)) {
      const target = layerOf(imp.to.replace(/\/$/, ''));
      if (!imp.to.startsWith('src/') && !imp.to.startsWith('views/')) {
        if (imp.to === 'postgres' && file !== 'src/platform/db.ts') problems.push(`${file} imports the database driver (only src/platform/db.ts may)`);
        const honoContext = imp.to === 'hono' || (imp.to.startsWith('hono/') && !['hono/jsx', 'hono/html'].includes(imp.to));
        const mayUseHono = self === 'app' || self === 'http' || isRouteLayer(file);
        if (honoContext && !imp.typeOnly && !mayUseHono) problems.push(`${file} imports ${imp.to} (only route modules and src/http see Hono)`);
        if (honoContext && imp.typeOnly && !mayUseHono) problems.push(`${file} takes a Hono type from ${imp.to} (only route modules and src/http see Hono)`);
        continue;
      }
      if (!target) continue;
      if (isRouteModule(imp.to) && self !== 'app') problems.push(`${file} -> ${imp.to}: only src/app.ts mounts route modules`);
      const crossFeature = self.startsWith('feature:') && target.startsWith('feature:') && target !== self;
      if (crossFeature) {
        problems.push(`${file} -> ${imp.to}: a feature never imports another feature (move what both need to src/core/)`);
        continue;
      }
      // Types flow freely toward views and copy (they describe what is shown); values follow the arrows.
      if (imp.typeOnly && self !== 'platform') continue;
      const allowed: (target: string, self: string) => boolean = ALLOWED[self.split(':')[0]];
      if (!allowed(target, self)) problems.push(`${file} -> ${imp.to}: ${self} may not import ${target}`);
    }
    if (/set_config\(\s*'app\./.test(text) && file !== 'src/platform/db.ts') problems.push(`${file} sets the tenant or worker (only src/platform/db.ts may)`);
    if (isRouteModule(file)) {
      if (/\b(tx|sql)`/.test(text)) problems.push(`${file} has SQL (route modules call the domain; SQL lives beside the rule it serves)`);
      if (/\.route\(/.test(text)) problems.push(`${file} mounts a sub-app (every route module is mounted in src/app.ts)`);
    }
  }
  return problems;
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
