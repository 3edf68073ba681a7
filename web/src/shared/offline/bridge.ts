/**
 * What the rest of the app knows of offline work, kept small for the first page (issue 15 §6):
 * the outbox's counts and the age of the copy being shown, as two tiny stores the header and the
 * notice subscribe to, and `orOffline`, through which a page's query reads the phone's copy when
 * the network fails. The store itself (runtime.ts, vault.ts, idb) loads on demand: for a staff
 * member who records visits, after the first page has loaded; for others, never.
 */
import { useSyncExternalStore } from 'react';
import type { Me } from '../../../../domain/api.js';
import type { FileRef } from '../../../../domain/children/schema.js';
import { isApiError } from '../api/client.js';

export const loadOffline = () => import('./runtime.js');
export type OfflineRuntime = Awaited<ReturnType<typeof loadOffline>>;

export interface OutboxSummary {
  waiting: number;
  /** Mandatory reports among `waiting`: shown in red, "call 110 now". */
  reportsWaiting: number;
  /** Refused items and held conflicts, waiting for their author. */
  problems: number;
  /** Delivered items still shown (with what changed on the file). */
  sent: number;
  /** When the server read the copy kept on the phone (null: none kept). */
  generatedAt: string | null;
  syncing: boolean;
}

function store<T>(initial: T) {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set: (next: T) => {
      value = next;
      listeners.forEach((l) => l());
    },
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

const outbox = store<OutboxSummary | null>(null);
const servedOffline = store<string | null>(null);

export const publishOutbox = (summary: OutboxSummary | null) => outbox.set(summary);
/** A page is showing the phone's copy read at `generatedAt` (null: back to the server's answers). */
export const publishServedOffline = (generatedAt: string | null) => servedOffline.set(generatedAt);

/** The outbox's counts; null until the store has been opened (or for whoever keeps none). */
export const useOutboxSummary = () => useSyncExternalStore(outbox.subscribe, outbox.get);
export const useServedOffline = () => useSyncExternalStore(servedOffline.subscribe, servedOffline.get);

/** Who keeps an offline copy and an outbox: whoever records visits. */
export const keepsOfflineWork = (me: Me) => me.permissions.includes('visit.record');

let starting: Promise<void> | null = null;
/** Bumped by a sign-out or a session end: a start scheduled before it does not run (it would open the store again). */
let generation = 0;
/** A session end being written (the copy wiped): the next start waits for it, so that it never wipes a fresh copy. */
let ending: Promise<void> = Promise.resolve();

/**
 * Opens the phone's store for the session and starts syncing once the page has what it shows and the
 * phone is idle: its code and the copy's download never compete with the first page on a slow link.
 * `busy`: whether the page is still loading its data (the query client's fetches). A record saved
 * meanwhile waits for the store rather than missing it.
 */
export function startOfflineWork(me: Me, busy: () => boolean = () => false): void {
  if (!keepsOfflineWork(me) || starting) return;
  const mine = generation;
  starting = new Promise<void>((resolve) => {
    const run = () =>
      void ending
        .then(() => loadOffline())
        .then((runtime) => (generation === mine ? runtime.start(me) : undefined))
        .catch((error: unknown) => console.warn('offline store not opened', error))
        .finally(resolve);
    const whenIdle = () => ('requestIdleCallback' in window ? window.requestIdleCallback(run, { timeout: 3000 }) : setTimeout(run, 500));
    const whenQuiet = (waited: number) => {
      if (document.readyState === 'complete' && (!busy() || waited >= 15_000)) whenIdle();
      else setTimeout(() => whenQuiet(waited + 250), 250);
    };
    whenQuiet(0);
  });
}

/** The store, once opened for the session (so a page's fallback never opens it for someone who keeps none). */
async function started(): Promise<OfflineRuntime | null> {
  if (!starting) return null;
  await starting;
  return loadOffline();
}

/**
 * A query's answer from the server, or from the phone's copy when the network failed: `read` gets
 * the store; null from it (nothing kept) keeps the network error.
 */
export async function orOffline<T>(pending: Promise<T>, read: (runtime: OfflineRuntime) => Promise<T | null>): Promise<T> {
  try {
    const answer = await pending;
    if (servedOffline.get() !== null) servedOffline.set(null);
    return answer;
  } catch (error) {
    if (!isApiError(error) || error.code !== 'NETWORK') throw error;
    const runtime = await started();
    const kept = runtime ? await read(runtime).catch(() => null) : null;
    if (kept === null) throw error;
    return kept;
  }
}

/**
 * The session ended (401): the children's copy goes, the own unsent work stays sealed for the next sign-in.
 * `userId` when the app learns it at start (the session last seen, before the store was opened).
 */
export function offlineSessionEnded(userId?: string): void {
  if (!starting && !userId) return;
  generation++;
  starting = null;
  ending = loadOffline()
    .then((runtime) => runtime.sessionEnded(userId))
    .catch((error: unknown) => console.warn('offline copy not wiped', error));
}

/** Signing out: everything kept for this user goes. */
export async function wipeOfflineWork(userId: string): Promise<void> {
  generation++;
  starting = null;
  const runtime = await loadOffline();
  await runtime.wipe(userId);
}

/**
 * Puts a record made without a signal into the outbox (its id is its idempotency key); false when
 * the store is not open (the app was never online in this browser for this user): the page keeps
 * the record as it did before (a draft).
 */
export async function queueOffline(...args: Parameters<OfflineRuntime['enqueue']>): Promise<boolean> {
  const runtime = await started();
  if (!runtime) return false;
  try {
    await runtime.enqueue(...args);
    return true;
  } catch (error) {
    console.warn('not queued', error);
    return false;
  }
}

/** A photo chosen without a signal, kept sealed on the phone (`local:` id) to go with its visit; null when the store is not open. */
export async function keepPhotoOffline(file: File): Promise<FileRef | null> {
  const runtime = await started();
  if (!runtime) return null;
  return runtime.keepPhoto(file).catch(() => null);
}

/** Whether an error is the network's (the request never reached the server). */
export const isNetworkError = (error: unknown) => isApiError(error) && error.code === 'NETWORK';

/** A correction held by a conflict: the form fields its author changed, to lay over the file as it is now. */
export async function heldCorrection(itemId: string): Promise<[string[], unknown][] | null> {
  const runtime = await started();
  const item = runtime ? await runtime.outboxItem(itemId) : null;
  return item?.kind === 'child-edit' && item.status === 'conflict' ? (item.payload?.formChanges ?? null) : null;
}

/** The held correction was saved on the latest file by its author: it leaves the outbox. */
export async function settleHeldCorrection(itemId: string): Promise<void> {
  const runtime = await started();
  await runtime?.discard(itemId);
}

/**
 * A form's draft kept sealed in the phone's store: undefined when this user keeps no store (the page
 * then keeps its draft as before), null when there is none.
 */
export async function readSealedDraft(key: string, maxAgeMs: number): Promise<unknown> {
  const runtime = await started();
  return runtime ? runtime.readDraft(key, maxAgeMs) : undefined;
}

/** Writes a draft sealed; false when this user keeps no store. */
export async function writeSealedDraft(key: string, value: unknown): Promise<boolean> {
  const runtime = await started();
  return runtime ? runtime.writeDraft(key, value) : false;
}

export async function clearSealedDraft(key: string): Promise<void> {
  const runtime = await started();
  await runtime?.clearDraft(key);
}
