/**
 * Security headers on every answer (issue 11 §11), by @fastify/helmet.
 *
 * Content-Security-Policy: scripts only from this origin (the built web app has no inline
 * script), no plugins, no framing by anyone (frame-ancestors 'none'), forms and fetches only
 * to this origin. Styles allow 'unsafe-inline': Ant Design 5 writes its CSS-in-JS into
 * <style> elements at run time, and some of its parts (the rc-* components, e.g. the scroll
 * lock of a modal) add theirs without the ConfigProvider's nonce; a nonce would also need
 * index.html rendered per request, which the offline shell (a cached index.html) cannot
 * have. Inline styles cannot run code; scripts stay locked to 'self'.
 *
 * Referrer-Policy is same-origin, not no-referrer: with no-referrer browsers send
 * `Origin: null` on our own POSTs, which the CSRF check refuses.
 * HSTS and upgrade-insecure-requests only behind HTTPS (SECURE_COOKIES=1): on a plain-HTTP
 * installation in a local network they would make the browser refuse the site.
 */
import fastifyHelmet from '@fastify/helmet';
import type { AppConfig } from './config.js';
import type { Api } from './http.js';

export async function registerSecurityHeaders(app: Api, config: Pick<AppConfig, 'secureCookies'>): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // data: for the inline favicon and antd's SVG images, blob: for photo previews before upload.
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
    // Cross-origin isolation would block nothing we load and gains nothing here.
    crossOriginEmbedderPolicy: false,
  });
}
