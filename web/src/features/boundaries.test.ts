/**
 * The web app's shape (issue 14): a feature reaches its own folder, the
 * shared pieces, domain/ and, of another feature, only its declared public
 * entries: api.ts (its query hooks) and public.ts (what others show of it).
 * The shared pieces reach no feature at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const FEATURES = path.resolve(import.meta.dirname);
const SRC = path.dirname(FEATURES);
const PUBLIC_ENTRIES = new Set(['api.js', 'public.js']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every relative module a file imports (static and lazy), resolved. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((specifier) => path.resolve(path.dirname(file), specifier));
}

const featureOf = (file: string): string | null => {
  const relative = path.relative(FEATURES, file);
  return relative.startsWith('..') ? null : relative.split(path.sep)[0]!;
};

describe('web feature boundaries', () => {
  it('a feature imports of another feature only its api.ts and public.ts', () => {
    const crossings: string[] = [];
    for (const file of sourceFiles(FEATURES)) {
      const own = featureOf(file);
      for (const target of importsOf(file)) {
        const other = featureOf(target);
        if (other !== null && other !== own && !PUBLIC_ENTRIES.has(path.basename(target))) crossings.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('the shared pieces import no feature', () => {
    const reaching = sourceFiles(path.join(SRC, 'shared')).flatMap((file) =>
      importsOf(file)
        .filter((target) => featureOf(target) !== null)
        .map((target) => `${path.relative(SRC, file)} → ${path.relative(SRC, target)}`),
    );
    expect(reaching).toEqual([]);
  });

  it('sees the imports it checks (the reports page reaches the children feature through its api.ts)', () => {
    const reports = importsOf(path.join(FEATURES, 'reports', 'reports-page.tsx'));
    expect(reports).toContain(path.join(FEATURES, 'children', 'api.js'));
  });
});
