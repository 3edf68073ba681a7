/** Worker thread of the visits generator: builds the visits of a batch of children on request. */
import { parentPort, workerData } from 'node:worker_threads';
import { makeVisitsBuilder, type ChildIn, type VisitsPlan } from './visits-rows.js';

const build = makeVisitsBuilder(workerData as VisitsPlan);
parentPort!.on('message', (m: { batch: number; children: ChildIn[] }) => {
  parentPort!.postMessage({ batch: m.batch, ...build(m.batch, m.children) });
});
