import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress.js';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const apiServer = process.env.SHOUHU_API_URL ?? 'http://localhost:3000';

/**
 * Modules that Rolldown counts as imported by the entry (`$initial`) though the first page runs none
 * of them: reached through imports that tree-shaking empties (antd's form context imports
 * rc-field-form's index, which pulls the whole form; a button helper in color-picker pulls
 * Collapse). Kept out of the shell chunk, they stay in the chunks of the pages that use them.
 */
const NOT_FIRST_PAGE =
  /[\\/]node_modules[\\/](rc-field-form[\\/]es[\\/](?!FormContext\.js)|@rc-component[\\/]async-validator[\\/]|rc-collapse[\\/]|antd[\\/]es[\\/]collapse[\\/]|antd[\\/]es[\\/]form[\\/](?!context\.js|hooks[\\/]useVariants\.js|validateMessagesContext\.js))/;

export default defineConfig({
  root: webRoot,
  // precompress: .br and .gz beside each file of dist/, sent as they are by the server.
  plugins: [react(), precompress()],
  resolve: {
    // Every `import … from 'zod'` (web/ and domain/) gets zod without eval, as the CSP requires: web/src/zod/.
    alias: [{ find: /^zod$/, replacement: fileURLToPath(new URL('./src/zod/index.ts', import.meta.url)) }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd alone is ~1 MB minified; pages are split per route below that.
    chunkSizeWarningLimit: 1600,
    rolldownOptions: {
      treeshake: {
        moduleSideEffects: (id: string) => (/[\\/]node_modules[\\/]rc-field-form[\\/]/.test(id) ? false : undefined),
      },
      output: {
        codeSplitting: {
          groups: [{ name: 'shell', includeDependenciesRecursively: false, tags: ['$initial'], test: (id: string) => !NOT_FIRST_PAGE.test(id) }],
        },
      },
    },
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
