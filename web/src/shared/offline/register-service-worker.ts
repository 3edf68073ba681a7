/// <reference types="vite/client" />
/**
 * Registers the service worker the build writes (web/pwa.ts: /sw.js), which keeps the app shell
 * and the field pages so the app opens with no signal after one online visit (issue 15 §1).
 *
 * From the app's module rather than an inline script (the Content-Security-Policy allows scripts
 * from this origin only). After the page has loaded, so that fetching the precache never
 * competes with the first page on a slow link. Not in the dev server, which has no worker.
 *
 * Nothing here activates a waiting update: a new build's worker takes over when every tab of the
 * app is closed, so an open form never changes under its user.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      // The app works online without it (a private window, a browser that refuses workers).
      console.warn('service worker not registered', error);
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
