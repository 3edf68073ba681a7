/**
 * What keeps the JavaScript of the first page light (issue 15 §6: at most 300 KB gzip for a
 * director's phone; web/first-page.test.ts holds the budget). The build options that vite.config.ts
 * passes to Rolldown:
 *
 * - one `shell` chunk for every module the entry imports (the app shell and the home page, which is
 *   everybody's first page): one file instead of forty small ones, which compress worse apart;
 * - rc-field-form free of side effects, so that the form context antd's inputs read does not drag
 *   the whole form library (fields, validator) into it;
 * - two imports inside antd sent to a component loaded on demand, and a polyfill no target browser
 *   needs left out (`deferAntdParts`).
 */
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * Modules that Rolldown counts as imported by the entry (`$initial`) though the first page runs none
 * of them: reached through imports that tree-shaking empties (antd's form context imports
 * rc-field-form's index, which pulls the whole form; a button helper in color-picker pulls
 * Collapse). Kept out of the shell chunk, they stay in the chunks of the pages that use them.
 */
const NOT_FIRST_PAGE =
  /[\\/]node_modules[\\/](rc-field-form[\\/]es[\\/](?!FormContext\.js)|@rc-component[\\/]async-validator[\\/]|rc-collapse[\\/]|antd[\\/]es[\\/]collapse[\\/]|antd[\\/]es[\\/]form[\\/](?!context\.js|hooks[\\/]useVariants\.js|validateMessagesContext\.js))/;

/**
 * Parts of antd components that no page of the app uses, imported by modules every page needs:
 * Card's Tabs (drawn only for a card's `tabList`) and Typography's in-place editor (a TextArea, only
 * for `editable`). That one import of each is redirected to a wrapper that loads the real part on
 * first use (web/src/shared/antd-deferred/), ~20 KB gzip off the first page; any other import of
 * Tabs or TextArea is untouched.
 */
const DEFERRED: readonly { importer: RegExp; source: string; replacement: string }[] = [
  { importer: /[\\/]antd[\\/]es[\\/]card[\\/]Card\.js$/, source: '../tabs', replacement: 'tabs.tsx' },
  { importer: /[\\/]antd[\\/]es[\\/]typography[\\/]Base[\\/]index\.js$/, source: '../Editable', replacement: 'typography-editable.tsx' },
  // Not deferred but dropped: a polyfill of what every browser the build targets has (the file says why).
  { importer: /[\\/]node_modules[\\/]rc-resize-observer[\\/]/, source: 'resize-observer-polyfill', replacement: 'resize-observer.ts' },
];

/** A Vite plugin (before Vite's own resolver, which would resolve these relative imports first). */
export function deferAntdParts(): Plugin {
  return {
    name: 'shouhu-defer-antd-parts',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer) return null;
      const deferred = DEFERRED.find((d) => d.source === source && d.importer.test(importer));
      return deferred ? fileURLToPath(new URL(`./src/shared/antd-deferred/${deferred.replacement}`, import.meta.url)) : null;
    },
  };
}

export const firstPageRolldownOptions = {
  treeshake: {
    moduleSideEffects: (id: string) => (/[\\/]node_modules[\\/]rc-field-form[\\/]/.test(id) ? false : undefined),
  },
  output: {
    codeSplitting: {
      groups: [{ name: 'shell', tags: ['$initial' as const], test: (id: string) => !NOT_FIRST_PAGE.test(id), includeDependenciesRecursively: false }],
    },
  },
};
