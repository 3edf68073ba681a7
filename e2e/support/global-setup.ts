import type { TestProject } from 'vitest/node';
import { startServer } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

/** One server for the whole browser suite: the first start seeds ~3,200 accounts, which takes a while. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = process.env.SHOUHU_E2E_BASE_URL ? null : await startServer();
  project.provide('baseURL', process.env.SHOUHU_E2E_BASE_URL ?? server?.baseURL ?? '');
  return async () => {
    await server?.stop();
  };
}
