/**
 * What goes over the wire, for a cheap phone on a slow link (issue 12 §18).
 *
 * Compression: API answers of 1 KB or more go out brotli (quality 4: quality 11 costs too
 * much per request) or gzip, as the browser asks. The web app's files are compressed once at
 * build (web/precompress.ts: `.br` and `.gz` beside each file) and sent as they are.
 * Request bodies are not decompressed: nothing we accept comes compressed.
 * Compressing the answers that carry the CSRF token (/api/me) is safe from BREACH-style
 * guessing: the session cookie is SameSite=Lax, so another site cannot have the browser
 * fetch them with the session and measure their size.
 *
 * Caching: files under /assets/ carry a hash of their content in their names, so a browser
 * keeps them a year without asking again (immutable); index.html and every other file (a
 * service worker, a manifest) are revalidated on every open (no-cache), so a new build is
 * seen at once. API answers hold personal data: never stored (no-store) unless the route says
 * otherwise (a photo, addressed by its id, is private and immutable).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import { errorMessage } from '../../domain/errors.js';
import { requestLocale, type Api } from './http.js';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';
export const NOT_STORED = 'no-store';

/** A file of the build named with its content hash (Vite: `assets/name-[hash].ext`), as a path under the web root. */
const HASHED_ASSET = /^assets\/(?:.+\/)?[^/]+-[\w-]{8,}\.[a-z0-9]+$/i;
const PRECOMPRESSED_SUFFIX = /\.(?:br|gz)$/;
/**
 * A path naming a script, style or manifest file (`/sw.js`, `/workbox-….js`, `/x.css.map`): the
 * single-page app's routes have no such ending, and index.html in their place would be taken for
 * one (a service worker update answered with HTML fails, and the old worker stays).
 */
const FILE_BY_NAME = /\.(?:m?js|css|map|json|webmanifest)$/i;

/** Before the routes: compression of every route's answer, and no-store on API answers. */
export async function registerCompression(app: Api): Promise<void> {
  await app.register(fastifyCompress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    globalDecompression: false,
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', NOT_STORED);
    done(null, payload);
  });
}

/**
 * After the routes: the built web app from `webRoot` (when it holds an index.html), its
 * precompressed copies, and index.html for the single-page app's own routes. Anything else
 * not found is a 404 error answer, a missing /assets/ file included (an old page asking for a
 * chunk of a previous build must fail, not receive index.html as JavaScript), and so is a
 * missing script or manifest outside /assets/ (the service worker's files).
 */
export async function registerWebApp(app: Api, webRoot: string | null): Promise<void> {
  const hasWeb = !!webRoot && fs.existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      // Files are looked up per request, so a rebuilt web app is served without a restart.
      wildcard: true,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, file) => {
        const relative = path.relative(webRoot, file).split(path.sep).join('/').replace(PRECOMPRESSED_SUFFIX, '');
        reply.header('cache-control', HASHED_ASSET.test(relative) ? IMMUTABLE : REVALIDATE);
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const pathname = req.url.split('?')[0]!;
    if (!hasWeb || req.method !== 'GET' || pathname.startsWith('/api/') || pathname.startsWith('/assets/') || FILE_BY_NAME.test(pathname)) {
      const locale = requestLocale(req);
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: errorMessage(locale, 'NOT_FOUND') } });
    }
    // Client-side routes of the single-page app (setHeaders makes it no-cache).
    return reply.sendFile('index.html');
  });
}
