/**
 * Brotli and gzip copies of the built web app, made once at build time (issue 12 §18): beside
 * each compressible file of web/dist of 1 KB or more, `name.br` (quality 11) and `name.gz`
 * (level 9), which the server sends as they are to a browser that asks for them
 * (@fastify/static `preCompressed`) instead of compressing on every request, and at levels
 * too slow to use per request. A copy no smaller than its file is not written.
 *
 * A small Vite plugin rather than a package: the maintained one (vite-plugin-compression2)
 * is not among our dependencies, and this is node:zlib and a directory walk.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

/** Text formats the build writes; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml|wasm)$/i;
/** Below this a compressed copy saves less than a packet. */
export const PRECOMPRESS_MIN_BYTES = 1024;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export interface PrecompressSummary {
  files: number;
  bytes: number;
  brotliBytes: number;
  gzipBytes: number;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Writes `.br` and `.gz` beside every compressible file of `dir` (recursively) of at least PRECOMPRESS_MIN_BYTES. */
export async function precompressDir(dir: string): Promise<PrecompressSummary> {
  const summary: PrecompressSummary = { files: 0, bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  const files = (await filesUnder(dir)).filter((f) => COMPRESSIBLE.test(f));
  await Promise.all(
    files.map(async (file) => {
      const content = await fs.readFile(file);
      if (content.length < PRECOMPRESS_MIN_BYTES) return;
      const [br, gz] = await Promise.all([
        brotli(content, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
          },
        }),
        gzip(content, { level: zlib.constants.Z_BEST_COMPRESSION }),
      ]);
      summary.files++;
      summary.bytes += content.length;
      if (br.length < content.length) {
        await fs.writeFile(`${file}.br`, br);
        summary.brotliBytes += br.length;
      }
      if (gz.length < content.length) {
        await fs.writeFile(`${file}.gz`, gz);
        summary.gzipBytes += gz.length;
      }
    }),
  );
  return summary;
}

/** The Vite plugin: precompresses the output directory once everything (other plugins' files included) is written. */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'shouhu-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        const s = await precompressDir(outDir);
        const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
        this.info(`precompressed ${s.files} files: ${kb(s.bytes)} → brotli ${kb(s.brotliBytes)}, gzip ${kb(s.gzipBytes)}`);
      },
    },
  };
}
