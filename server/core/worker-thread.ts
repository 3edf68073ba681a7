/**
 * Starting a worker thread on one of the server's TypeScript modules. The
 * server runs under tsx; a worker thread does not inherit its loader, so the
 * worker first loads tsx's API and imports the module through it (as the
 * bench's generator does). A compiled (.js) module is started directly.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(module: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, options);
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((api) => api.tsImport(${JSON.stringify(module.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { ...options, eval: true });
}
