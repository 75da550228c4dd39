// The layout's rules (STYLE.md), read off the code's imports: the project holds them, and a tree that breaks them
// is caught (the fixture under fixtures/broken-layout breaks each rule once).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { checkLayout, importsOf, layerOf } from '../support/layout-rules.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BROKEN = fileURLToPath(new URL('./fixtures/broken-layout/', import.meta.url));

test('Gatehouse holds every rule of its layout', () => {
  assert.equal(checkLayout(ROOT), []);
});

test('a tree that breaks the rules is caught, each break named once', () => {
  assert.equal(checkLayout(BROKEN).sort(), [
    'src/core/rule.ts -> src/features/beta/beta.ts: core may not import feature:beta',
    'src/core/rule.ts sets the tenant or worker (only src/platform/db.ts may)',
    'src/features/alpha/routes.tsx -> src/features/beta/beta.ts: a feature never imports another feature (move what both need to src/core/)',
    'src/features/alpha/routes.tsx has SQL (route modules call the domain; SQL lives beside the rule it serves)',
    'views/alpha/page.tsx -> src/core/rule.ts: views:alpha may not import core',
  ]);
});

test('imports are read with their kind: type-only, value, re-export and dynamic', () => {
  const text = [
    "import type { A } from './a.ts';",
    "import { type B, type C } from '../b.ts';",
    "import { d, type E } from './d.ts';",
    "export { f } from './f.ts';",
    "const g = await import('./g.ts');",
    "import 'side-effect';",
  ].join('\n');
  assert.equal(importsOf('.', 'src/core/x.ts', text).map((i) => `${i.to} ${i.typeOnly ? 'type' : 'value'}`).sort(), [
    'side-effect value', 'src/b.ts type', 'src/core/a.ts type', 'src/core/d.ts value', 'src/core/f.ts value', 'src/core/g.ts value',
  ]);
});

test('layers are named by folder', () => {
  assert.is(layerOf('src/app.ts'), 'app');
  assert.is(layerOf('src/features/sign-in/routes.tsx'), 'feature:sign-in');
  assert.is(layerOf('views/ui/layout.tsx'), 'views-ui');
  assert.is(layerOf('views/recovery/recovery.tsx'), 'views:recovery');
  assert.is(layerOf('src/platform/db.ts'), 'platform');
  assert.is(layerOf('test/unit/layout.test.ts'), null);
});

test.run();
