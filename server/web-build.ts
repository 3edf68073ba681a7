/** `npm start` builds the web app when it is missing or older than its sources. */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

function newestMtime(dir: string, skip: Set<string>): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(full, skip) : fs.statSync(full).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

export async function ensureWebBuilt(log: (msg: string) => void): Promise<void> {
  const index = path.join(ROOT, 'web/dist/index.html');
  const skip = new Set(['dist', 'node_modules']);
  const sources = Math.max(newestMtime(path.join(ROOT, 'web'), skip), newestMtime(path.join(ROOT, 'domain'), skip));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  log('Building the web app (first start or sources changed)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
}
