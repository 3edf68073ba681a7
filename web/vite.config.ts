import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { deferAntdParts, firstPageRolldownOptions } from './first-page.js';
import { precompress } from './precompress.js';
import { pwa } from './pwa.js';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const apiServer = process.env.SHOUHU_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: webRoot,
  plugins: [
    react(),
    // The installable app: manifest and service worker (web/pwa.ts), written before precompress runs.
    ...pwa(webRoot),
    // precompress: .br and .gz beside each file of dist/, sent as they are by the server.
    precompress(),
    // deferAntdParts: two parts of antd no page uses, off the first page (web/first-page.ts).
    deferAntdParts(),
  ],
  resolve: {
    // Every `import … from 'zod'` (web/ and domain/) gets zod without eval, as the CSP requires: web/src/zod/.
    alias: [{ find: /^zod$/, replacement: fileURLToPath(new URL('./src/zod/index.ts', import.meta.url)) }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd alone is ~1 MB minified; pages are split per route below that.
    chunkSizeWarningLimit: 1600,
    // The first page's chunking and what is kept out of it (issue 15 §6): web/first-page.ts.
    rolldownOptions: firstPageRolldownOptions,
  },
  server: {
    // The web app imports the shared zod contract from ../domain.
    fs: { allow: [repoRoot] },
    proxy: {
      '/api': apiServer,
      '/metrics': apiServer,
    },
  },
});
