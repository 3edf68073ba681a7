/**
 * What rc-resize-observer (under antd) imports as `resize-observer-polyfill` (web/first-page.ts
 * redirects it here): the browser's own ResizeObserver. Every browser the build targets (Vite's
 * baseline, Chrome 107 and later) has it, so the polyfill was 2 KB gzip that never ran.
 */
export default globalThis.ResizeObserver;
