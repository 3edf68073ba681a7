/**
 * The budget of issue 15 §6: the JavaScript of a director's first page — the entry, the chunks it
 * imports, and the home page's if it is ever loaded on demand again — is at most 300 KB, gzip -9
 * (as bench/web.ts counts what the browser loaded). Builds the app into a scratch directory with a
 * manifest (some seconds): a failure names the files and their sizes, and web/first-page.ts says
 * what keeps them small.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { build, type Manifest } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const BUDGET_BYTES = 300 * 1024;
const CONFIG = fileURLToPath(new URL('../vite.config.ts', import.meta.url));
const HOME_PAGE = /features\/home\/home-page\.tsx$/;

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-first-page-'));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

/** The chunk files `keys` load before they run: themselves and their static imports, transitively. */
function staticClosure(manifest: Manifest, keys: readonly string[]): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the manifest`);
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return files;
}

describe("the first page's JavaScript", () => {
  it('is at most 300 KB gzip: the entry, what it imports, and the home page', async () => {
    // Vitest sets NODE_ENV=test, under which Vite would bundle React's development build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: CONFIG, mode: 'production', logLevel: 'silent', build: { outDir, emptyOutDir: true, manifest: true } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;

    const entries = Object.keys(manifest).filter((key) => manifest[key]!.isEntry);
    expect(entries).toHaveLength(1);
    const home = Object.keys(manifest).filter((key) => HOME_PAGE.test(key));
    const files = [...staticClosure(manifest, [...entries, ...home])].filter((file) => file.endsWith('.js'));
    const sizes = files.map((file) => ({ file, gzip: zlib.gzipSync(fs.readFileSync(path.join(outDir, file)), { level: 9 }).length }));
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);

    const listing = sizes
      .sort((a, b) => b.gzip - a.gzip)
      .map((s) => `${(s.gzip / 1024).toFixed(1).padStart(7)} KB  ${s.file}`)
      .join('\n');
    console.log(`first page: ${(total / 1024).toFixed(1)} KB gzip in ${files.length} files (budget 300 KB)`);
    expect(total, `${(total / 1024).toFixed(1)} KB gzip in ${files.length} files (budget 300 KB):\n${listing}`).toBeLessThanOrEqual(BUDGET_BYTES);
  }, 180_000);
});
