// Finds words a person would read that are written straight into a view or a feature module instead of coming from
// a catalog in src/copy/. Each file is compiled by esbuild (types and comments gone, JSX turned into calls whose text
// children and props are plain string literals), then every string literal is read and judged: does it look like a
// word or a sentence? test/unit/hard-coded-words.test.ts holds the project to it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

export type Finding = { file: string; text: string };

/** Every string literal of compiled JavaScript (quotes, and templates with their `${…}` parts left out). */
export function stringLiterals(js: string): string[] {
  const found: string[] = [];
  let i = 0;
  let previous = '';
  const readQuoted = (quote: string) => {
    let value = '';
    for (i++; i < js.length && js[i] !== quote; i++) {
      if (js[i] === '\\' && js[i + 1] === 'u') { value += String.fromCharCode(parseInt(js.slice(i + 2, i + 6), 16)); i += 5; }
      else if (js[i] === '\\') { value += js[i + 1] === 'n' ? '\n' : js[i + 1]; i++; } else value += js[i];
    }
    i++;
    return value;
  };
  const readTemplate = () => {
    let value = '';
    for (i++; i < js.length && js[i] !== '`'; i++) {
      if (js[i] === '\\') { value += js[i + 1]; i++; continue; }
      if (js[i] === '$' && js[i + 1] === '{') {
        value += ' ';
        let depth = 1;
        for (i += 2; i < js.length && depth > 0; i++) {
          if (js[i] === '{') depth++;
          else if (js[i] === '}') depth--;
          else if (js[i] === '"' || js[i] === "'") { readQuoted(js[i]); i--; }
          else if (js[i] === '`') { readTemplate(); i--; }
        }
        i--;
        continue;
      }
      value += js[i];
    }
    i++;
    return value;
  };
  while (i < js.length) {
    const ch = js[i];
    if (ch === '"' || ch === "'") { found.push(readQuoted(ch)); previous = 'x'; continue; }
    if (ch === '`') { found.push(readTemplate()); previous = 'x'; continue; }
    if (ch === '/' && js[i + 1] === '/') { while (i < js.length && js[i] !== '\n') i++; continue; }
    if (ch === '/' && js[i + 1] === '*') { i = js.indexOf('*/', i + 2) + 2; continue; }
    // A slash where a value may start opens a regular expression: skip it, character classes included.
    if (ch === '/' && (previous === '' || '(,=:[!&|?{};+-*%<>~^'.includes(previous))) {
      let inClass = false;
      for (i++; i < js.length; i++) {
        if (js[i] === '\\') { i++; continue; }
        if (js[i] === '[') inClass = true;
        else if (js[i] === ']') inClass = false;
        else if (js[i] === '/' && !inClass) break;
      }
      i++;
      previous = 'x';
      continue;
    }
    if (!/\s/.test(ch)) previous = /[A-Za-z0-9_$)\]]/.test(ch) ? 'x' : ch;
    // A keyword such as `return` is followed by a value: a slash after it opens a regular expression.
    if (/[a-z]/.test(ch)) {
      const word = /^[a-z]+/.exec(js.slice(i))![0];
      if (['return', 'typeof', 'case', 'in', 'of'].includes(word)) previous = '(';
      i += word.length;
      continue;
    }
    i++;
  }
  return found;
}

/**
 * Whether a string reads as words for a person: a capitalised word ("Deactivate", "Front desk", "No patients
 * match."), or two or more lowercase words that are not CSS class names ("patient portal", "no reason given").
 * Header names ("Cache-Control"), all-capital tokens ("GET"), ids, classes and htmx triggers are not words.
 */
export function looksLikeWords(value: string, cssClasses: ReadonlySet<string>): boolean {
  const text = value.trim();
  if (!/[A-Za-z]{2,}/.test(text)) return false;
  if (/^[A-Z][a-z]+(-[A-Z][a-z]*)+$/.test(text)) return false;
  if (/^(select|insert into|update|delete from|limit|order by)\s/.test(text)) return false;
  const first = /[A-Za-z]+/.exec(text)![0];
  if (/^[A-Z][a-z]/.test(first) && (/\s/.test(text) || /^[A-Z][a-z]+[.!?:]?$/.test(text))) return true;
  const words = text.split(/\s+/);
  return words.length >= 2 && words.every((w) => /^\(?[a-z]+[),.:;!?]?$/.test(w)) && !words.every((w) => cssClasses.has(w));
}

function filesUnder(root: string, dir: string, pattern: RegExp): string[] {
  const walk = (path: string): string[] => readdirSync(join(root, path)).flatMap((name) => {
    const child = join(path, name);
    if (statSync(join(root, child)).isDirectory()) return walk(child);
    return pattern.test(child) ? [child] : [];
  });
  return walk(dir).sort();
}

/** The strings of one source file that read as words (JSX text, props, attributes and plain string values). */
export function wordsInSource(source: string, tsx: boolean, cssClasses: ReadonlySet<string>): string[] {
  const { code } = transformSync(source, { loader: tsx ? 'tsx' : 'ts', jsx: 'transform', jsxFactory: 'h', jsxFragment: 'F' });
  return stringLiterals(code).filter((text) => looksLikeWords(text, cssClasses)).map((text) => text.trim());
}

/** The words hard-coded in views/**\/*.tsx and src/features/**\/*.ts(x) of `root`. */
export function findHardCodedWords(root: string): Finding[] {
  const css = readFileSync(join(root, 'public/app.css'), 'utf8');
  const classes = new Set([...css.matchAll(/\.([a-z][a-z0-9-]*)/g)].map((m) => m[1]));
  const files = [...filesUnder(root, 'views', /\.tsx$/), ...filesUnder(root, 'src/features', /\.tsx?$/)];
  return files.flatMap((file) => {
    const source = readFileSync(join(root, file), 'utf8');
    return wordsInSource(source, file.endsWith('.tsx'), classes).map((text) => ({ file, text }));
  });
}
