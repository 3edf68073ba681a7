/** Worker thread of the generator: builds batches of child rows on request. */
import { parentPort, workerData } from 'node:worker_threads';
import { createFieldCrypto } from '../server/core/crypto.js';
import { makeBatchBuilder, type BatchPlan } from './rows.js';

const { plan, key } = workerData as { plan: BatchPlan; key: Uint8Array };
const build = makeBatchBuilder(plan, createFieldCrypto(Buffer.from(key)));
parentPort!.on('message', (m: { batch: number; from: number; to: number }) => {
  parentPort!.postMessage({ batch: m.batch, rows: build(m.batch, m.from, m.to) });
});
