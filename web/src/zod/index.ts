/**
 * `zod` as the web build sees it (vite.config.ts aliases the bare import here, for web/ and
 * domain/ alike): configured by ./jitless.js before zod's schema classes load, since ES
 * modules run their imports in order.
 */
import './jitless.js';

export * from 'zod/v4';
export { default } from 'zod/v4';
