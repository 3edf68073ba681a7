/**
 * The installable app and its service worker (issue 15 §1), by vite-plugin-pwa (Workbox
 * generateSW): the web app manifest, and `sw.js` beside index.html.
 *
 * What the worker keeps (precache, fetched once after the first online visit and kept per build):
 * index.html, the styles, the icons, the manifest, and the scripts of the app shell (the entry
 * and what it imports) and of the pages a director works with in the field (OFFLINE_FEATURES,
 * with what they import). The other pages' scripts (administration, audit, imports…) are not
 * fetched ahead: about half of the build that a director never opens. Whatever script a page
 * loads online is kept too (/assets/ files are named by their content, so a kept one is never
 * stale), so a page opened once also opens offline.
 *
 * Navigations answer index.html from the precache (the single-page app routes on the phone);
 * /api/ and /metrics are never answered nor kept by the worker: data offline is another layer's
 * (IndexedDB), and API answers hold personal data.
 *
 * Updates: a new build's worker installs beside the running one and waits until every tab of the
 * app is closed (no skipWaiting), so nobody's form changes under him; the next start runs the new
 * build. clientsClaim only matters on the very first install (no worker ran the page yet): it lets
 * the page that installed the worker load its later pages offline without a reload. When an
 * update activates, no tab runs the old worker any more, so there is nothing to claim.
 *
 * The worker is registered from the app's own module (web/src/shared/offline/), never an inline
 * script: the Content-Security-Policy allows scripts from this origin only.
 */
import path from 'node:path';
import type { Plugin } from 'vite';
import { VitePWA, type ManifestOptions } from 'vite-plugin-pwa';

/** The app's primary colour (antd theme, web/src/app.tsx) and page background (styles.css). */
const THEME_COLOR = '#1f6f5c';
const BACKGROUND_COLOR = '#f3f5f4';

/** The features whose pages a director opens in the field: their scripts are fetched ahead. */
const OFFLINE_FEATURES = ['home', 'worklists', 'children', 'visits', 'reports', 'referrals', 'auth'] as const;

export const MANIFEST: Partial<ManifestOptions> = {
  name: '守护 Shouhu',
  short_name: '守护',
  description: '农村留守儿童和困境儿童关爱保护工作平台',
  lang: 'zh-CN',
  dir: 'ltr',
  start_url: '/',
  scope: '/',
  id: '/',
  display: 'standalone',
  orientation: 'any',
  theme_color: THEME_COLOR,
  background_color: BACKGROUND_COLOR,
  // Drawn once from the header's shield by scripts/make-app-icons.ts; committed under web/public/.
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
};

interface ChunkNode {
  imports: readonly string[];
  dynamicImports: readonly string[];
  isEntry: boolean;
  moduleIds: readonly string[];
}

/** The scripts to fetch ahead: the entries', the offline features' and shared lazy pieces, with everything they import. */
export function offlineScripts(chunks: ReadonlyMap<string, ChunkNode>, featuresDir: string): Set<string> {
  const inFeature = (id: string, feature?: string) => {
    const relative = path.relative(featuresDir, id.split('?')[0]!);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
    return feature === undefined || relative.split(path.sep)[0] === feature;
  };
  const keep = new Set<string>();
  const visit = (fileName: string) => {
    if (keep.has(fileName)) return;
    const chunk = chunks.get(fileName);
    if (!chunk) return;
    keep.add(fileName);
    chunk.imports.forEach(visit);
    // A piece loaded on demand that belongs to no feature (a shared dictionary): the shell's own.
    for (const lazy of chunk.dynamicImports) {
      if (!chunks.get(lazy)?.moduleIds.some((id) => inFeature(id))) visit(lazy);
    }
  };
  for (const [fileName, chunk] of chunks) {
    if (chunk.isEntry || chunk.moduleIds.some((id) => OFFLINE_FEATURES.some((f) => inFeature(id, f)))) visit(fileName);
  }
  return keep;
}

/** The bundle's chunk graph, read at generateBundle, for the precache list written after it. */
function chunkGraph(): { plugin: Plugin; chunks: Map<string, ChunkNode> } {
  const chunks = new Map<string, ChunkNode>();
  const plugin: Plugin = {
    name: 'shouhu-chunk-graph',
    apply: 'build',
    generateBundle(_options, bundle) {
      chunks.clear();
      for (const item of Object.values(bundle)) {
        if (item.type !== 'chunk') continue;
        chunks.set(item.fileName, { imports: item.imports, dynamicImports: item.dynamicImports, isEntry: item.isEntry, moduleIds: item.moduleIds });
      }
    },
  };
  return { plugin, chunks };
}

export function pwa(webRoot: string): Plugin[] {
  const graph = chunkGraph();
  const featuresDir = path.join(webRoot, 'src/features');
  return [
    graph.plugin,
    ...VitePWA({
      // Registered by web/src/shared/offline/register-service-worker.ts, not by an injected script.
      injectRegister: false,
      registerType: 'prompt',
      manifest: MANIFEST,
      // The icons are in globPatterns already.
      includeManifestIcons: false,
      workbox: {
        // manifest.webmanifest is added by the plugin itself.
        globPatterns: ['**/*.{js,css,html,png,svg}'],
        manifestTransforms: [
          (entries) => {
            const scripts = offlineScripts(graph.chunks, featuresDir);
            const manifest = entries.filter((e) => !/^assets\/.*\.js$/.test(e.url) || scripts.has(e.url));
            return { manifest, warnings: scripts.size === 0 ? ['no chunk graph: only the shell without scripts is precached'] : [] };
          },
        ],
        // /assets/ names carry their content hash: fetched as they are, never with a revision parameter.
        dontCacheBustURLsMatching: /^assets\//,
        // The largest precached script (today's client chunk) is ~540 KB before compression.
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api(?:\/|$)/, /^\/metrics(?:\/|$)/],
        runtimeCaching: [
          {
            urlPattern: ({ sameOrigin, url }) => sameOrigin && url.pathname.startsWith('/assets/'),
            handler: 'CacheFirst',
            options: { cacheName: 'shouhu-assets', expiration: { maxEntries: 300, purgeOnQuotaError: true } },
          },
        ],
        cleanupOutdatedCaches: true,
        skipWaiting: false,
        clientsClaim: true,
        // One file: no workbox-*.js beside it to serve and revalidate.
        inlineWorkboxRuntime: true,
        sourcemap: false,
      },
    }),
  ];
}
