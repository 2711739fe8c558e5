/**
 * Every source path named in a comment of src/ or on a page of docs/ exists, so a reader who follows one finds
 * the file. What counts as a path, precisely, so that prose and other projects' files are not taken for ours:
 *
 * - rooted: starts with src/, test/, bench/, deploy/, grafana/ or bin/ and ends in a file extension or `/`
 *   (`grafana/grafana:11.6.0`, an image, does not); read from the repository root;
 * - a module: ends in `.ts` or `.mjs`. `./x.ts` and `../x.ts` are read from the folder of the file they are
 *   written in. Any other is read from src/ or, in a comment, from the comment's own folder: `resolve.ts` in
 *   src/snapshot/ is src/snapshot/resolve.ts, `relabel/engine-identity.ts` is src/relabel/engine-identity.ts. A
 *   page of docs/ is in no source folder: there `snapshot/build.ts` is read from src/, and a bare `build.ts`
 *   is a file of that name in some folder of src/ (ARCHITECTURE.md names files in their folder's paragraph).
 *
 * Not paths: a token right after a word character, `.`, `/`, `@` or `-` (URLs, `/etc/…`, `@scope/pkg`), other
 * extensions (`model/relabel/relabel.go`, `promlex.l`, `lib/_tls_wrap.js`), and docs/…, which comments also
 * use for other projects' pages (exporter-toolkit's docs/web-configuration.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, posix, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const FOLDERS = 'src|test|bench|deploy|grafana|bin';
const ROOTED = new RegExp(`^(?:${FOLDERS})/`);
const MODULE = /(?:\.\.?\/)*(?:[\w-][\w.-]*\/)*[\w-][\w.-]*\.(?:ts|mjs)\b/;
/** A rooted path (up to the first character no path has) or a module, not right after a path character. */
const PATH = new RegExp(String.raw`(?<![\w./@-])(?:(?:${FOLDERS})/[\w./-]*|${MODULE.source})`, 'g');

interface Text {
  /** The file, from the repository root. */
  file: string;
  line: number;
  text: string;
}

const sourceFiles = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts'))
  .map((name) => posix.join('src', name));
const srcNames = new Set(sourceFiles.map((file) => basename(file)));

/** Every comment line of a TypeScript file, as the TypeScript parser finds them (none in strings or regexes). */
function commentLines(file: string): Text[] {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false);
  const comments = new Map<number, string>();
  const collect = (ranges: ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) comments.set(range.pos, source.slice(range.pos, range.end));
  };
  const visit = (node: ts.Node): void => {
    collect(ts.getLeadingCommentRanges(source, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(source, node.getEnd()));
    ts.forEachChild(node, visit);
  };
  visit(tree);
  collect(ts.getLeadingCommentRanges(source, tree.endOfFileToken.getFullStart()));
  return [...comments].flatMap(([pos, comment]) => {
    const first = source.slice(0, pos).split('\n').length;
    return comment.split('\n').map((text, i) => ({ file, line: first + i, text }));
  });
}

function pageLines(file: string): Text[] {
  return readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .map((text, i) => ({ file, line: i + 1, text }));
}

/** Whether `path`, named in `file`, exists by the rules above; undefined when it is not a path. */
function pathExists(path: string, file: string): boolean | undefined {
  const folder = dirname(file);
  const exists = (candidate: string) => existsSync(join(ROOT, candidate));
  if (ROOTED.test(path)) return /\.\w+$|\/$/.test(path) ? exists(path) : undefined;
  if (path.startsWith('.')) return exists(posix.join(folder, path));
  if (file.startsWith('src/')) return exists(posix.join('src', path)) || exists(posix.join(folder, path));
  return path.includes('/') ? exists(posix.join('src', path)) : srcNames.has(path);
}

/** `file:line: path` for each named path that does not exist. */
function missingPaths(lines: readonly Text[]): string[] {
  return lines.flatMap(({ file, line, text }) =>
    [...text.matchAll(PATH)]
      // A sentence may end right after a path: `see src/main.ts.`
      .map((match) => match[0].replace(/\.+$/, ''))
      .filter((path) => pathExists(path, file) === false)
      .map((path) => `${file}:${line}: ${path}`),
  );
}

describe('paths named in comments of src/ and on pages of docs/', () => {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => posix.join('docs', name));
  const comments = sourceFiles.flatMap(commentLines);
  const pages = docs.flatMap(pageLines);

  it('exist', () => {
    expect(missingPaths([...comments, ...pages])).toEqual([]);
  });

  it('are found', () => {
    const named = (lines: Text[]) => lines.flatMap(({ text }) => [...text.matchAll(PATH)]).length;
    expect(named(comments)).toBeGreaterThan(50);
    expect(named(pages)).toBeGreaterThan(100);
  });

  it.each<[string, string, string[]]>([
    ['src/snapshot/build.ts', ' * written into one buffer (output.ts). Then', ['src/snapshot/build.ts:1: output.ts']],
    ['src/snapshot/build.ts', ' * (snapshot.ts, resolve.ts, ./routes.ts, ../relabel/process.ts)', []],
    [
      'src/snapshot/build.ts',
      ' * (relabel/engine-identity.ts; engine-identity.ts)',
      ['src/snapshot/build.ts:1: engine-identity.ts'],
    ],
    [
      'src/snapshot/build.ts',
      ' * src/main.ts, test/snapshot/, bench/cycle.mjs and deploy/gone.yml.',
      ['src/snapshot/build.ts:1: deploy/gone.yml'],
    ],
    ['src/main.ts', ' * grafana/grafana:11.6.0, docs/gone.md, model/relabel/relabel.go, /etc/x/y.ts', []],
    [
      'docs/ARCHITECTURE.md',
      'snapshot/build.ts, build.ts, gone.ts and `snapshot/gone.ts`',
      ['docs/ARCHITECTURE.md:1: gone.ts', 'docs/ARCHITECTURE.md:1: snapshot/gone.ts'],
    ],
  ])('in %s: %s', (file, text, expected) => {
    expect(missingPaths([{ file, line: 1, text }])).toEqual(expected);
  });
});
