/**
 * Offline field work on the phone (issue 15 §2–5, DESIGN §9), loaded on demand (bridge.ts):
 *
 * - the working set: what GET /api/offline/working-set answers, sealed child by child in the
 *   vault, refreshed whenever the phone is online, read by the pages when the network fails;
 * - the outbox: visits (with their photos), mandatory reports and file edits made without a
 *   signal, each with its own id (the server's idempotency key), sent oldest first when the signal
 *   returns; a refusal is kept on its item and never stops the others; a file edit against a file
 *   changed meanwhile is held as a conflict, never sent again blindly;
 * - the lifecycle of the copy: a new session's key re-seals the outbox, a session ended (401) wipes
 *   the children's copy but keeps the staff member's own unsent work for his next sign-in, signing
 *   out wipes everything, and `maxOfflineDays` without the server wipes everything.
 */
import { v7 as uuidv7 } from 'uuid';
import { Me } from '../../../../domain/api.js';
import { addDays, daysBetween } from '../../../../domain/children/dates.js';
import { ChildDetail, FileRef } from '../../../../domain/children/schema.js';
import { OfflineKey, WorkingSet, type OfflineChild, type OfflineVillage } from '../../../../domain/offline/schema.js';
import { ReportRecord, type ReportRow } from '../../../../domain/reports/schema.js';
import type { ReferralRow } from '../../../../domain/referrals/schema.js';
import { visitState, type ScheduleSettings } from '../../../../domain/visits/schedule.js';
import {
  RecordedVisit,
  WORKLIST_AGING_OUT_DAYS,
  WORKLIST_UNSEEN_VISITS,
  type VisitInput,
  type VisitPage,
  type WorklistCounts,
  type WorklistKind,
  type WorklistPage,
  type WorklistRow,
} from '../../../../domain/visits/schema.js';
import { ApiError, isApiError, postForm, request, setCsrfToken } from '../api/client.js';
import { todayChina } from '../format.js';
import { publishOutbox, publishServedOffline, type OutboxSummary } from './bridge.js';
import { rememberSession } from './session-snapshot.js';
import {
  deleteVault,
  importKey,
  open,
  openBytes,
  openVault,
  readKey,
  readState,
  seal,
  sealBytes,
  vaultUsers,
  type OutboxKind,
  type OutboxProblem,
  type OutboxRow,
  type Sealed,
  type VaultDb,
  type VaultState,
} from './vault.js';

const DAY_MS = 86_400_000;
/** How often an open app tries the outbox and refreshes its copy while online. */
const SYNC_EVERY_MS = 5 * 60_000;
/** A delivered item is shown (with what changed on the file) this long, unless dismissed. */
const SENT_KEPT_MS = 7 * DAY_MS;

interface Open {
  userId: string;
  db: VaultDb;
  key: CryptoKey | null;
  state: VaultState | null;
}

let current: Open | null = null;
let started: string | null = null;
/** The session's key being fetched (start): a record made meanwhile waits for it rather than failing. */
let keyReady: Promise<unknown> | null = null;
let timer: ReturnType<typeof setInterval> | null = null;

// ---------------------------------------------------------------- what an outbox item holds (sealed)

/** What the file looked like on the phone when the item was made: the "what changed" of a delivery compares against it. */
interface FileSnapshot {
  version: number;
  riskLevel: string;
  override: { level: string; by: string; reason: string } | null;
  status: string;
  regionCode: string;
  nextDue: string | null;
}

export interface ItemPayload {
  childName: string;
  villageName: string;
  /** The request body as the page made it (a visit's photo ids may be local: `local:…`). */
  body: Record<string, unknown>;
  base: FileSnapshot | null;
  /** After delivery: what the server's file says now that differs from `base`, beyond the item's own effect. */
  changes?: FileChange[];
  /**
   * A file correction: the form's fields the user changed (path and value), so that a correction held by a conflict
   * can be laid over the file as it is now, touching nothing else.
   */
  formChanges?: [string[], unknown][];
  /** After delivery: the record's id on the server (the visit or report). */
  resultId?: string;
  /** After a visit's delivery: what the server suggests (a mandatory report, a referral), as the form would have shown it. */
  suggestions?: RecordedVisit['suggestions'];
  referralTo?: RecordedVisit['referralTo'];
}

export interface FileChange {
  what: 'risk' | 'override' | 'status' | 'region' | 'nextDue';
  before: string | null;
  after: string | null;
  /** An override's author and reason. */
  note?: string;
}

export interface OutboxItem extends Omit<OutboxRow, 'sealed'> {
  payload: ItemPayload | null;
}

const snapshotOf = (child: ChildDetail): FileSnapshot => ({
  version: child.version,
  riskLevel: child.riskLevel,
  override: child.schedule?.risk.override ? { level: child.schedule.risk.override.level, by: child.schedule.risk.override.by, reason: child.schedule.risk.override.reason } : null,
  status: child.status,
  regionCode: child.region.code,
  nextDue: child.schedule?.nextDue ?? null,
});

// ---------------------------------------------------------------- start, key, wipe

/** The store of the signed-in staff member, opened once per page. */
async function vaultOf(userId: string): Promise<Open> {
  if (current?.userId === userId) return current;
  current?.db.close();
  const db = await openVault(userId);
  const [key, state] = await Promise.all([readKey(db), readState(db)]);
  current = { userId, db, key, state };
  return current;
}

async function writeState(o: Open, patch: Partial<VaultState>): Promise<void> {
  const base: VaultState = o.state ?? { userId: o.userId, keyFingerprint: '', lastOnlineAt: Date.now(), maxOfflineDays: 14, generatedAt: null, villages: [] };
  o.state = { ...base, ...patch };
  await o.db.put('meta', o.state, 'state');
}

/** Every store on this phone whose user has not been online for longer than his days allow is deleted (whoever signs in). */
async function sweepExpired(except: string | null): Promise<void> {
  for (const userId of await vaultUsers()) {
    if (userId === except) continue;
    const db = await openVault(userId);
    const state = await readState(db);
    db.close();
    if (!state || Date.now() - state.lastOnlineAt > state.maxOfflineDays * DAY_MS) await deleteVault(userId);
  }
}

/**
 * Starts offline work for the session (once per page and user). `me.csrfToken` empty: the session
 * was kept from the last time online (the app opened without a signal).
 */
export async function start(me: Me): Promise<void> {
  if (started === me.user.id) return;
  started = me.user.id;
  await sweepExpired(me.user.id);
  const o = await vaultOf(me.user.id);
  if (o.state && Date.now() - o.state.lastOnlineAt > o.state.maxOfflineDays * DAY_MS) {
    await wipe(me.user.id);
    return;
  }
  await publish();
  if (me.csrfToken) {
    // The key (one request) in the background — a record made meanwhile waits for it — then the outbox and the copy.
    keyReady = ensureKey(o).catch(() => undefined);
    void keyReady.then(() => syncNow());
  }
  window.addEventListener('online', () => void syncNow());
  if (timer) clearInterval(timer);
  timer = setInterval(() => {
    if (navigator.onLine) void syncNow();
  }, SYNC_EVERY_MS);
}

let keyTurn: Promise<unknown> = Promise.resolve();

/**
 * The session's key; a new session's key re-seals the outbox and drafts (the children's copy is read
 * again). One at a time, in this page and across the phone's tabs (Web Locks), each reading the store
 * afresh: two re-sealings at once would open rows with a key they are no longer sealed with.
 */
function ensureKey(o: Open): Promise<CryptoKey> {
  const run = async () => {
    const locked = () => rotateKey(o);
    return 'locks' in navigator ? navigator.locks.request(`shouhu-key-${o.userId}`, locked) : locked();
  };
  const next = keyTurn.then(run, run);
  keyTurn = next.catch(() => undefined);
  return next;
}

async function rotateKey(o: Open): Promise<CryptoKey> {
  const answer = await request(OfflineKey, '/api/offline/key', { method: 'POST' });
  const { key, fingerprint } = await importKey(answer.key);
  [o.key, o.state] = await Promise.all([readKey(o.db), readState(o.db)]);
  if (o.key && o.state?.keyFingerprint === fingerprint) {
    await writeState(o, { lastOnlineAt: Date.now(), maxOfflineDays: answer.maxOfflineDays });
    return o.key;
  }
  const old = o.key;
  const tx = o.db.transaction(['outbox', 'photos', 'drafts'], 'readonly');
  const [rows, photos, drafts] = await Promise.all([tx.objectStore('outbox').getAll(), tx.objectStore('photos').getAll(), tx.objectStore('drafts').getAll()]);
  await tx.done;
  // Re-sealing is done outside the transaction (WebCrypto is asynchronous), then written in one.
  const [resealed, resealedPhotos, resealedDrafts] = await Promise.all([reseal(rows, old, key), reseal(photos, old, key), reseal(drafts, old, key)]);
  const write = o.db.transaction(['outbox', 'photos', 'drafts', 'children', 'villages', 'meta'], 'readwrite');
  const stores = { outbox: write.objectStore('outbox'), photos: write.objectStore('photos'), drafts: write.objectStore('drafts') };
  await Promise.all([stores.outbox.clear(), stores.photos.clear(), stores.drafts.clear(), write.objectStore('children').clear(), write.objectStore('villages').clear()]);
  await Promise.all([...resealed.map((r) => stores.outbox.put(r)), ...resealedPhotos.map((p) => stores.photos.put(p)), ...resealedDrafts.map((d) => stores.drafts.put(d))]);
  await write.objectStore('meta').put(key, 'key');
  o.state = { ...(o.state ?? { userId: o.userId, villages: [] }), userId: o.userId, keyFingerprint: fingerprint, lastOnlineAt: Date.now(), maxOfflineDays: answer.maxOfflineDays, generatedAt: null, villages: o.state?.villages ?? [] };
  await write.objectStore('meta').put(o.state, 'state');
  await write.done;
  o.key = key;
  return key;
}

/** Rows sealed with the old key, sealed again with the new one; a row no key here can open is dropped (nothing could read it). */
async function reseal<T extends { sealed: Sealed }>(rows: T[], from: CryptoKey | null, to: CryptoKey): Promise<T[]> {
  if (!from) return [];
  const done: T[] = [];
  for (const row of rows) {
    try {
      done.push({ ...row, sealed: await sealBytes(to, await openBytes(from, row.sealed)) });
    } catch {
      // Already sealed with the new key (another tab got there first), or with a key no longer here.
      const opens = await openBytes(to, row.sealed).then(
        () => true,
        () => false,
      );
      if (opens) done.push(row);
    }
  }
  return done;
}

/** Signing out: the whole store goes, unsent work included (the page asked first). */
export async function wipe(userId: string): Promise<void> {
  if (current?.userId === userId) {
    current.db.close();
    current = null;
  }
  if (started === userId) started = null;
  await deleteVault(userId);
  publishServedOffline(null);
  publishOutbox(null);
}

/**
 * The server said the session is over: the children's copy goes; the staff member's own unsent work waits,
 * sealed, for his next sign-in. `userId`: the user the phone last saw signed in, when the app learns it at
 * start (the store is not open yet).
 */
export async function sessionEnded(userId?: string): Promise<void> {
  if (userId && current?.userId !== userId) {
    if (!(await vaultUsers()).includes(userId)) return;
    await vaultOf(userId);
  }
  const o = current;
  started = null;
  if (!o) return;
  const tx = o.db.transaction(['children', 'villages', 'meta'], 'readwrite');
  await Promise.all([tx.objectStore('children').clear(), tx.objectStore('villages').clear()]);
  if (o.state) {
    o.state = { ...o.state, generatedAt: null };
    await tx.objectStore('meta').put(o.state, 'state');
  }
  await tx.done;
  publishServedOffline(null);
}

// ---------------------------------------------------------------- sync

let syncing: Promise<void> | null = null;

/** Sends the outbox, then reads the working set again; one at a time per page (and per phone, with Web Locks). */
export function syncNow(): Promise<void> {
  syncing ??= (async () => {
    try {
      const o = current;
      if (!o) return;
      const run = async () => {
        const me = await sessionOnline(o);
        if (!me) return;
        const key = await ensureKey(o);
        await flush(o, key);
        await refresh(o, key, me);
      };
      if ('locks' in navigator) await navigator.locks.request(`shouhu-sync-${o.userId}`, run);
      else await run();
    } catch (error) {
      if (!isApiError(error) || error.code !== 'NETWORK') console.warn('offline sync', error);
    } finally {
      syncing = null;
      await publish();
    }
  })();
  return syncing;
}

/** The session as the server sees it now (its CSRF token for the writes); null when it ended or belongs to someone else. */
async function sessionOnline(o: Open): Promise<Me | null> {
  try {
    const me = await request(Me, '/api/me');
    setCsrfToken(me.csrfToken);
    rememberSession(me);
    if (me.user.id !== o.userId) return null;
    return me;
  } catch (error) {
    if (isApiError(error) && error.status === 401) await sessionEnded();
    return null;
  }
}

/** The working set again: a director's village, a supervisor's chosen villages (none chosen: nothing kept). */
async function refresh(o: Open, key: CryptoKey, me: Me): Promise<void> {
  const director = me.scope.region.level === 'village';
  const villages = director ? [] : (o.state?.villages ?? []);
  if (!director && villages.length === 0) return;
  const set = await request(WorkingSet, '/api/offline/working-set', { query: { villages: villages.join(',') || undefined } });
  const children = await Promise.all(set.villages.flatMap((v) => v.children.map(async (c) => ({ id: c.child.id, village: v.region.code, sealed: await seal(key, c) }))));
  const villageRows = await Promise.all(set.villages.map(async (v) => ({ code: v.region.code, sealed: await seal(key, { region: v.region, reports: v.reports, referrals: v.referrals, scheduleSettings: set.scheduleSettings }) })));
  const tx = o.db.transaction(['children', 'villages', 'meta'], 'readwrite');
  await Promise.all([tx.objectStore('children').clear(), tx.objectStore('villages').clear()]);
  await Promise.all([...children.map((c) => tx.objectStore('children').put(c)), ...villageRows.map((v) => tx.objectStore('villages').put(v))]);
  o.state = { ...(o.state as VaultState), generatedAt: set.generatedAt, lastOnlineAt: Date.now(), maxOfflineDays: set.maxOfflineDays, villages: set.villages.map((v) => v.region.code) };
  await tx.objectStore('meta').put(o.state, 'state');
  await tx.done;
}

/** Whether the flush must stop here (no signal, no session, the server in trouble) rather than mark the item. */
function stopsTheFlush(error: unknown): boolean {
  if (!isApiError(error)) return true;
  return error.code === 'NETWORK' || error.status === 401 || error.status === 403 || error.status === 429 || error.status >= 500;
}

function problemOf(error: ApiError): OutboxProblem {
  const currentVersion = typeof error.data?.currentVersion === 'number' ? error.data.currentVersion : null;
  return { code: error.code, message: error.message, field: error.field ?? null, currentVersion };
}

async function flush(o: Open, key: CryptoKey): Promise<void> {
  const rows = await o.db.getAllFromIndex('outbox', 'createdAt');
  for (const row of rows) {
    if (row.status !== 'waiting') continue;
    const payload = await open<ItemPayload>(key, row.sealed);
    // Counted before it goes: if the phone dies on the way, the next try knows the server may have it.
    const trying = { ...row, attempts: row.attempts + 1 };
    await o.db.put('outbox', trying);
    try {
      const delivered = await send(o, key, row, payload);
      await o.db.put('outbox', { ...trying, status: 'sent', sentAt: new Date().toISOString(), problem: null, sealed: await seal(key, { ...payload, ...delivered }) });
      await removePhotos(o, row.id);
    } catch (error) {
      if (stopsTheFlush(error)) throw error;
      const apiError = error as ApiError;
      const conflict = row.kind === 'child-edit' && apiError.code === 'CONFLICT';
      await o.db.put('outbox', { ...trying, status: conflict ? 'conflict' : 'refused', problem: problemOf(apiError) });
    }
    await publish();
  }
  // Delivered items are shown a week.
  for (const row of await o.db.getAll('outbox')) if (row.status === 'sent' && row.sentAt && Date.now() - Date.parse(row.sentAt) > SENT_KEPT_MS) await o.db.delete('outbox', row.id);
}

const childPath = (childId: string) => `/api/children/${encodeURIComponent(childId)}`;

/** Sends one item; answers what the delivered item keeps (the server's id, what changed on the file). */
async function send(o: Open, key: CryptoKey, row: OutboxRow, payload: ItemPayload): Promise<Partial<ItemPayload>> {
  if (row.kind === 'visit') {
    const body = payload.body as unknown as VisitInput;
    const photoIds: string[] = [];
    for (const id of body.photoIds) photoIds.push(id.startsWith('local:') ? await uploadPhoto(o, key, row.childId, id) : id);
    // What changed on the file while the phone was offline is read before the visit adds its own effect (risk, due date).
    const changes = await changesSince(row.childId, payload.base, attempted(row));
    const visit = await request(RecordedVisit, `${childPath(row.childId)}/visits`, { method: 'POST', body: { ...body, photoIds } });
    return { resultId: visit.id, suggestions: visit.suggestions, referralTo: visit.referralTo ?? null, changes };
  }
  if (row.kind === 'report') {
    const report = await request(ReportRecord, `${childPath(row.childId)}/reports`, { method: 'POST', body: payload.body });
    return { resultId: report.id };
  }
  const child = await request(ChildDetail, childPath(row.childId), { method: 'PUT', body: payload.body });
  return { resultId: child.id };
}

/**
 * Whether the item may already have reached the server (an earlier try got no answer): its file may then
 * carry the item's own effect, which must not be told as somebody else's change.
 */
const attempted = (row: OutboxRow) => row.attempts > 0;

/** Uploads a photo kept on the phone once: its server id is written down before the visit is sent. */
async function uploadPhoto(o: Open, key: CryptoKey, childId: string, localId: string): Promise<string> {
  const photo = await o.db.get('photos', localId);
  if (!photo) throw new ApiError(422, 'PHOTO_LOST', localId, 'photoIds');
  if (photo.uploadedId) return photo.uploadedId;
  const bytes = new Uint8Array(await openBytes(key, photo.sealed));
  const headerLength = new DataView(bytes.buffer).getUint32(0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as { type: string; name: string };
  const form = new FormData();
  form.append('file', new File([bytes.subarray(4 + headerLength)], header.name, { type: header.type }), header.name);
  const ref = await postForm(FileRef, `${childPath(childId)}/visit-photos`, form);
  await o.db.put('photos', { ...photo, uploadedId: ref.id });
  return ref.id;
}

/** What the file on the server says now that the phone did not know when the item was made. */
async function changesSince(childId: string, base: FileSnapshot | null, visitMayBeIn: boolean): Promise<FileChange[]> {
  if (!base) return [];
  let now: ChildDetail;
  try {
    now = await request(ChildDetail, childPath(childId));
  } catch {
    return [];
  }
  const after = snapshotOf(now);
  const changes: FileChange[] = [];
  const overrideText = (v: FileSnapshot['override']) => (v ? v.level : null);
  if (overrideText(base.override) !== overrideText(after.override) || base.override?.reason !== after.override?.reason) {
    changes.push({ what: 'override', before: overrideText(base.override), after: overrideText(after.override), note: after.override ? `${after.override.by}：${after.override.reason}` : undefined });
  }
  // A visit moves the derived risk and the due date itself: once it may be in, only what a visit never changes is told.
  if (visitMayBeIn) return changes;
  if (base.riskLevel !== after.riskLevel) changes.push({ what: 'risk', before: base.riskLevel, after: after.riskLevel });
  if (base.status !== after.status) changes.push({ what: 'status', before: base.status, after: after.status });
  if (base.regionCode !== after.regionCode) changes.push({ what: 'region', before: base.regionCode, after: now.region.name });
  // The visit itself moves the due date: it is news only beside another change (an override, a move).
  if (changes.length > 0 && base.nextDue !== after.nextDue) changes.push({ what: 'nextDue', before: base.nextDue, after: after.nextDue });
  return changes;
}

async function removePhotos(o: Open, itemId: string): Promise<void> {
  const photos = await o.db.getAllKeysFromIndex('photos', 'itemId', itemId);
  await Promise.all(photos.map((id) => o.db.delete('photos', id)));
}

// ---------------------------------------------------------------- the outbox, as the pages use it

/**
 * The store and the key its rows are sealed with now, read afresh: another tab may have moved the
 * store to a new session's key, and a row sealed with the old one would no longer open.
 */
async function openKeyed(): Promise<{ o: Open; key: CryptoKey }> {
  if (!current?.key && keyReady) await keyReady;
  const o = current;
  if (o) o.key = (await readKey(o.db)) ?? o.key;
  if (!o?.key) throw new ApiError(0, 'OFFLINE_LOCKED', 'offline store is locked');
  return { o, key: o.key };
}

/** The file as the phone knows it (the working set, else what the page had): the base a delivery's changes are told against. */
async function baseOf(o: Open, key: CryptoKey, childId: string): Promise<{ base: FileSnapshot | null; childName: string; villageName: string }> {
  const kept = await o.db.get('children', childId);
  if (!kept) return { base: null, childName: '', villageName: '' };
  const { child } = await open<OfflineChild>(key, kept.sealed);
  return { base: snapshotOf(child), childName: child.name, villageName: child.region.name };
}

/**
 * Puts a record in the outbox. `known.tried`: the page sent it once and got no answer (the server may
 * have it: its effect on the file is then not told as somebody else's change).
 */
export async function enqueue(
  kind: OutboxKind,
  childId: string,
  id: string,
  body: Record<string, unknown>,
  known: { childName: string; villageName: string; child?: ChildDetail; tried?: boolean; formChanges?: [string[], unknown][] },
): Promise<void> {
  const { o, key } = await openKeyed();
  const kept = await baseOf(o, key, childId);
  const payload: ItemPayload = {
    childName: known.childName || kept.childName,
    villageName: known.villageName || kept.villageName,
    body,
    base: known.child ? snapshotOf(known.child) : kept.base,
    ...(known.formChanges ? { formChanges: known.formChanges } : {}),
  };
  const row: OutboxRow = { id, kind, childId, createdAt: new Date().toISOString(), status: 'waiting', attempts: known.tried ? 1 : 0, problem: null, sentAt: null, sealed: await seal(key, payload) };
  const tx = o.db.transaction(['outbox', 'photos'], 'readwrite');
  await tx.objectStore('outbox').put(row);
  const photoIds = kind === 'visit' ? ((body.photoIds as string[] | undefined) ?? []).filter((p) => p.startsWith('local:')) : [];
  for (const photoId of photoIds) {
    const photo = await tx.objectStore('photos').get(photoId);
    if (photo) await tx.objectStore('photos').put({ ...photo, itemId: id });
  }
  await tx.done;
  await publish();
  if (navigator.onLine) void syncNow();
}

/** A photo chosen without a signal: kept sealed on the phone, sent before its visit. */
export async function keepPhoto(file: File): Promise<FileRef> {
  const { o, key } = await openKeyed();
  const id = `local:${uuidv7()}`;
  const header = new TextEncoder().encode(JSON.stringify({ type: file.type, name: file.name }));
  const bytes = new Uint8Array(4 + header.length + file.size);
  new DataView(bytes.buffer).setUint32(0, header.length);
  bytes.set(header, 4);
  bytes.set(new Uint8Array(await file.arrayBuffer()), 4 + header.length);
  await o.db.put('photos', { id, itemId: null, createdAt: new Date().toISOString(), uploadedId: null, sealed: await sealBytes(key, bytes.buffer) });
  return { id, url: '', uploadedAt: new Date().toISOString() };
}

export async function outboxItems(): Promise<OutboxItem[]> {
  const o = current;
  if (!o) return [];
  const rows = await o.db.getAllFromIndex('outbox', 'createdAt');
  return Promise.all(
    rows.map(async ({ sealed, ...row }) => {
      let payload: ItemPayload | null = null;
      try {
        payload = o.key ? await open<ItemPayload>(o.key, sealed) : null;
      } catch {
        payload = null;
      }
      return { ...row, payload };
    }),
  );
}

/** Sends a refused item again as it is (after its cause was dealt with, e.g. a validation the server has since relaxed). */
export async function retry(id: string): Promise<void> {
  const { o } = await openKeyed();
  const row = await o.db.get('outbox', id);
  if (!row) return;
  await o.db.put('outbox', { ...row, status: 'waiting', problem: null });
  await publish();
  await syncNow();
}

/** One item as the pages show it (null: not in the outbox, or the store is not open). */
export async function outboxItem(id: string): Promise<OutboxItem | null> {
  return (await outboxItems()).find((item) => item.id === id) ?? null;
}

/** Takes an item out of the outbox for good (the page asked first, or the user saved it himself online). */
export async function discard(id: string): Promise<void> {
  const o = current;
  if (!o) return;
  await o.db.delete('outbox', id);
  await removePhotos(o, id);
  await publish();
}

async function publish(): Promise<void> {
  const o = current;
  if (!o) {
    publishOutbox(null);
    return;
  }
  const rows = await o.db.getAll('outbox');
  const summary: OutboxSummary = { waiting: 0, reportsWaiting: 0, problems: 0, sent: 0, generatedAt: o.state?.generatedAt ?? null, syncing: syncing !== null };
  for (const row of rows) {
    if (row.status === 'waiting') {
      summary.waiting++;
      if (row.kind === 'report') summary.reportsWaiting++;
    } else if (row.status === 'sent') summary.sent++;
    else summary.problems++;
  }
  publishOutbox(summary);
}

// ---------------------------------------------------------------- reading the copy

async function keptChildren(): Promise<{ o: Open; key: CryptoKey; all: OfflineChild[] } | null> {
  const o = current;
  if (!o?.key || !o.state?.generatedAt) return null;
  const rows = await o.db.getAll('children');
  const key = o.key;
  return { o, key, all: await Promise.all(rows.map((r) => open<OfflineChild>(key, r.sealed))) };
}

function served(): void {
  publishServedOffline(current?.state?.generatedAt ?? null);
}

export async function child(id: string): Promise<ChildDetail | null> {
  const o = current;
  if (!o?.key || !o.state?.generatedAt) return null;
  const row = await o.db.get('children', id);
  if (!row) return null;
  served();
  return (await open<OfflineChild>(o.key, row.sealed)).child;
}

export async function childVisits(id: string, page: number, pageSize: number): Promise<VisitPage | null> {
  const o = current;
  if (!o?.key || !o.state?.generatedAt) return null;
  const row = await o.db.get('children', id);
  if (!row) return null;
  const { visits } = await open<OfflineChild>(o.key, row.sealed);
  served();
  return { items: visits.slice((page - 1) * pageSize, page * pageSize), total: visits.length, page, pageSize };
}

interface KeptVillage {
  region: OfflineVillage['region'];
  reports: ReportRow[];
  referrals: ReferralRow[];
  scheduleSettings: ScheduleSettings;
}

async function keptVillages(): Promise<KeptVillage[] | null> {
  const o = current;
  if (!o?.key || !o.state?.generatedAt) return null;
  const key = o.key;
  return Promise.all((await o.db.getAll('villages')).map((v) => open<KeptVillage>(key, v.sealed)));
}

export async function scheduleSettings(): Promise<ScheduleSettings | null> {
  const villages = await keptVillages();
  const first = villages?.[0];
  if (!first) return null;
  served();
  return first.scheduleSettings;
}

function worklistRow(c: OfflineChild, today: string, settings: ScheduleSettings): WorklistRow | null {
  const s = c.child.schedule;
  if (!s || c.child.status !== 'active') return null;
  return {
    childId: c.child.id,
    name: c.child.name,
    region: c.child.region,
    riskLevel: c.child.riskLevel,
    lastVisitDate: s.lastVisitDate,
    nextDue: s.nextDue,
    state: visitState(s.nextDue, today, settings),
    daysOverdue: Math.max(0, daysBetween(s.nextDue, today)),
    agingOutDate: c.child.agingOutDate,
    campaignTaskId: null,
    campaignName: null,
    lettersDue: 0,
    missingFacts: c.child.missingFacts,
  };
}

/** Which kept children a list holds, computed as the server does (worklists.repository.ts), for today. */
function inList(kind: WorklistKind, row: WorklistRow, c: OfflineChild, today: string, settings: ScheduleSettings): boolean {
  switch (kind) {
    case 'overdue':
      return row.nextDue < today;
    case 'due_this_week':
      return row.nextDue >= today && row.nextDue <= addDays(today, settings.dueSoonDays);
    case 'never_visited':
      return row.lastVisitDate === null;
    case 'unseen':
      return (c.child.schedule?.unseenStreak ?? 0) >= WORKLIST_UNSEEN_VISITS;
    case 'aging_out':
      return row.agingOutDate <= addDays(today, WORKLIST_AGING_OUT_DAYS);
    case 'facts_missing':
      return row.missingFacts.length > 0;
    // Campaign tasks and letters are not in the copy: those lists need the signal.
    case 'campaign':
    case 'letters_missing':
      return false;
  }
}

const SORT: Partial<Record<WorklistKind, (r: WorklistRow) => string>> = { aging_out: (r) => r.agingOutDate };

async function lists(): Promise<{ rows: { row: WorklistRow; c: OfflineChild }[]; settings: ScheduleSettings; today: string } | null> {
  const kept = await keptChildren();
  const settings = await scheduleSettings();
  if (!kept || !settings) return null;
  const today = todayChina();
  const rows = kept.all.flatMap((c) => {
    const row = worklistRow(c, today, settings);
    return row ? [{ row, c }] : [];
  });
  return { rows, settings, today };
}

export async function worklist(kind: WorklistKind, page: number, pageSize: number): Promise<WorklistPage | null> {
  const all = await lists();
  if (!all) return null;
  const key = SORT[kind] ?? ((r: WorklistRow) => r.nextDue);
  const items = all.rows
    .filter(({ row, c }) => inList(kind, row, c, all.today, all.settings))
    .map(({ row }) => row)
    .sort((a, b) => key(a).localeCompare(key(b)) || a.childId.localeCompare(b.childId));
  served();
  return { items: items.slice((page - 1) * pageSize, page * pageSize), total: items.length, page, pageSize };
}

export async function worklistCounts(kinds: readonly WorklistKind[]): Promise<WorklistCounts | null> {
  const all = await lists();
  const villages = await keptVillages();
  const first = villages?.[0];
  if (!all || !first) return null;
  const counts = Object.fromEntries(kinds.map((kind) => [kind, all.rows.filter(({ row, c }) => inList(kind, row, c, all.today, all.settings)).length])) as Record<WorklistKind, number>;
  const dueToday = all.rows.filter(({ row }) => row.nextDue === all.today).length;
  served();
  return { region: first.region, path: [], counts, dueToday, regions: [] };
}

/** The open reports and referrals of the kept villages. */
export async function villageRecords(): Promise<{ reports: ReportRow[]; referrals: ReferralRow[] } | null> {
  const villages = await keptVillages();
  if (!villages) return null;
  served();
  return { reports: villages.flatMap((v) => v.reports), referrals: villages.flatMap((v) => v.referrals) };
}

/** The villages a supervisor keeps on the phone (read at the next sync). */
export async function chooseVillages(codes: string[]): Promise<void> {
  const o = current;
  if (!o) return;
  await writeState(o, { villages: codes });
  await syncNow();
}

export function keptVillageCodes(): string[] {
  return current?.state?.villages ?? [];
}

/** The villages whose copy is on the phone, with their names. */
export async function keptVillageRefs(): Promise<{ code: string; name: string }[]> {
  const villages = await keptVillages();
  return (villages ?? []).map((v) => ({ code: v.region.code, name: v.region.name }));
}

// ---------------------------------------------------------------- unsaved forms

/** A form's draft, sealed (undefined: the store cannot seal, the page keeps its draft its own way). */
export async function readDraft(key: string, maxAgeMs: number): Promise<unknown> {
  const { o, key: cryptoKey } = await openKeyed().catch(() => ({ o: null, key: null }));
  if (!o || !cryptoKey) return undefined;
  const row = await o.db.get('drafts', key);
  if (!row) return null;
  if (Date.now() - row.savedAt > maxAgeMs) {
    await o.db.delete('drafts', key);
    return null;
  }
  return open<unknown>(cryptoKey, row.sealed).catch(() => null);
}

const draftWrites = new Map<string, Promise<unknown>>();

/** Writes a draft sealed (false: the store cannot seal); the writes of one form land in the order they were made. */
export function writeDraft(key: string, value: unknown): Promise<boolean> {
  const write = (draftWrites.get(key) ?? Promise.resolve()).then(async () => {
    const { o, key: cryptoKey } = await openKeyed().catch(() => ({ o: null, key: null }));
    if (!o || !cryptoKey) return false;
    await o.db.put('drafts', { key, savedAt: Date.now(), sealed: await seal(cryptoKey, value) });
    return true;
  });
  draftWrites.set(key, write);
  return write;
}

export async function clearDraft(key: string): Promise<void> {
  await (draftWrites.get(key) ?? Promise.resolve());
  await current?.db.delete('drafts', key);
}
