/**
 * What the service worker fetches ahead (web/pwa.ts): the shell and the director's field pages
 * with everything they import, not the pages he never opens.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { offlineScripts } from './pwa.js';

const FEATURES = '/repo/web/src/features';
const feature = (name: string, file: string) => path.join(FEATURES, name, file);
const chunk = (moduleIds: string[], imports: string[] = [], dynamicImports: string[] = [], isEntry = false) => ({ moduleIds, imports, dynamicImports, isEntry });

describe('offlineScripts', () => {
  const chunks = new Map([
    ['assets/index.js', chunk(['/repo/web/src/main.tsx', feature('home', 'index.ts'), feature('audit', 'index.ts')], ['assets/client.js'], ['assets/home-page.js', 'assets/audit-page.js', 'assets/en-US.js'], true)],
    ['assets/client.js', chunk(['/repo/node_modules/react-dom/client.js'])],
    ['assets/en-US.js', chunk(['/repo/web/src/shared/i18n/en-US.ts'])],
    ['assets/home-page.js', chunk([feature('home', 'home-page.tsx')], ['assets/table.js'], ['assets/home-strings.js'])],
    ['assets/home-strings.js', chunk([feature('home', 'strings.ts')])],
    ['assets/table.js', chunk(['/repo/node_modules/antd/es/table/index.js'])],
    ['assets/audit-page.js', chunk([feature('audit', 'audit-page.tsx')], ['assets/table.js', 'assets/date-picker.js'])],
    ['assets/date-picker.js', chunk(['/repo/node_modules/antd/es/date-picker/index.js'])],
    ['assets/child-page.js', chunk([feature('children', 'child-page.tsx')], [], ['assets/visit-form-page.js'])],
    ['assets/visit-form-page.js', chunk([feature('visits', 'visit-form-page.tsx')])],
  ]);

  it("keeps the entry with what it imports, the field features' pages and their words, and shared pieces loaded on demand", () => {
    const kept = offlineScripts(chunks, FEATURES);
    expect([...kept].sort()).toEqual(
      ['assets/index.js', 'assets/client.js', 'assets/en-US.js', 'assets/home-page.js', 'assets/home-strings.js', 'assets/table.js', 'assets/child-page.js', 'assets/visit-form-page.js'].sort(),
    );
  });

  it('leaves out a page no director opens and what only it imports, though the entry names it', () => {
    const kept = offlineScripts(chunks, FEATURES);
    expect(kept.has('assets/audit-page.js')).toBe(false);
    expect(kept.has('assets/date-picker.js')).toBe(false);
  });

  it('reads a file outside the features folder as no feature, whatever its name', () => {
    const other = new Map([['assets/x.js', chunk(['/repo/web/src/features-old/home/x.ts'])]]);
    expect(offlineScripts(other, FEATURES).size).toBe(0);
  });
});
