// Nothing a staff member reads is written straight into a view or a feature module: the words live in src/copy/
// (the practice catalog, src/copy/practice/index.ts, and the guardians' one), so another language can be added in
// one place. test/support/hard-coded-words.ts finds them; this file holds the project to it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { findHardCodedWords, wordsInSource } from '../support/hard-coded-words.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Files whose words belong to the patient portal or are shared by both portals; the Spanish catalog takes them over.
const MOVED_WITH_THE_SPANISH_CATALOG = [
  // patient-facing words: moved with the Spanish catalog
  'views/ui/', 'views/sign-in/', 'views/recovery/', 'views/account/', 'views/two-factor/', 'views/passkeys/',
  'src/features/account/', 'src/features/sign-in/', 'src/features/recovery/', 'src/features/passkeys/',
  'src/features/patient-admin/credentials-sheet.ts',
];

// Strings that look like words but are not words for a person to read, each with its reason.
const NOT_WORDS: Record<string, string> = {
  Vary: 'an HTTP header name',
  Edge: 'a browser brand', Opera: 'a browser brand', Firefox: 'a browser brand', Chrome: 'a browser brand', Safari: 'a browser brand',
  Android: 'an operating system brand', Windows: 'an operating system brand', Mac: 'an operating system brand', Linux: 'an operating system brand',
  'email changed': 'why links were revoked, stored with the token (account_tokens.revoked_reason)',
  'portal access disabled': 'why links were revoked, stored with the token',
  'temporary password set': 'why links were revoked, stored with the token',
  'password set by an administrator': 'why links were revoked, stored with the token',
  'account deactivated': 'why links were revoked, stored with the token',
  'no generated temporary password passed the password policy': 'an impossible case, thrown for the log',
  'the practice in context has no row': 'an impossible case, thrown for the log',
};

test('no view or feature module hard-codes a word a person reads', () => {
  const found = findHardCodedWords(ROOT)
    .filter((f) => !MOVED_WITH_THE_SPANISH_CATALOG.some((prefix) => f.file.startsWith(prefix)))
    .filter((f) => !(f.text in NOT_WORDS))
    .map((f) => `${f.file}: “${f.text}”`);
  assert.equal(found, [], 'move these words into the catalog in src/copy/ (practice portal: src/copy/practice/)');
});

test('the check finds words in JSX text, labelled props, attributes and messages', () => {
  const source = [
    'export const Page = () => (',
    '  <Layout title="Staff">',
    '    <p>No staff match.</p>',
    '    <Field label="Find staff" hint={`Name, ${x} or email`} aria-label="Search the staff list" />',
    "    <td>{on ? 'On' : 'Off'}</td>",
    "    <a class=\"link-button danger\" hx-trigger=\"input changed delay:300ms, submit\" href={'/staff'}>—</a>",
    '  </Layout>',
    ');',
    "const error = renderError(c, 403, 'You cannot deactivate your own account.');",
    "c.header('Cache-Control', 'no-store'); const re = /[A-Z]'s/g; const sql = 'select id from staff_profiles';",
  ].join('\n');
  assert.equal(wordsInSource(source, true, new Set(['link-button', 'danger'])), [
    'Staff', 'No staff match.', 'Find staff', 'Name,   or email', 'Search the staff list', 'On', 'Off', 'You cannot deactivate your own account.',
  ]);
});

test.run();
