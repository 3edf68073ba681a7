/**
 * The phone's locked store (issue 15 §5): one IndexedDB database per staff member (through `idb`),
 * whose every record about a child is sealed with AES-GCM under the session's key (POST
 * /api/offline/key). The key is kept as a non-extractable CryptoKey: the page can use it, no
 * script can read its bytes, and it is deleted with the data.
 *
 * What stays readable in the store is only what the outbox needs to order and count its items
 * (ids, kinds, times, states, the server's refusal message): no name, ID number, address or note.
 *
 * Loaded on demand (never on the first page): see bridge.ts.
 */
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';

const DB_PREFIX = 'shouhu-offline-';
const DB_VERSION = 2;

/** Bytes sealed with AES-GCM: a fresh 96-bit IV each time. */
export interface Sealed {
  iv: Uint8Array;
  data: ArrayBuffer;
}

export type OutboxKind = 'visit' | 'report' | 'child-edit';
/** waiting: to send; refused: the server said no (a closed file, a moved child, bad input); conflict: a file edit against a changed file; sent: delivered, kept to show what changed. */
export type OutboxStatus = 'waiting' | 'refused' | 'conflict' | 'sent';

export interface OutboxProblem {
  code: string;
  message: string;
  field: string | null;
  /** CONFLICT: the file's version on the server. */
  currentVersion: number | null;
}

/** An outbox row: the clear part orders and counts; what it says about the child is in `sealed`. */
export interface OutboxRow {
  /** The record's own id (UUIDv7), sent with it: the server's idempotency key. */
  id: string;
  kind: OutboxKind;
  childId: string;
  createdAt: string;
  status: OutboxStatus;
  attempts: number;
  problem: OutboxProblem | null;
  sentAt: string | null;
  sealed: Sealed;
}

export interface PhotoRow {
  /** `local:<uuid>` as the form holds it until the photo is sent. */
  id: string;
  /** The outbox item that will send it (null while the form is open). */
  itemId: string | null;
  createdAt: string;
  /** The server's id once sent: a retry never uploads the same photo twice. */
  uploadedId: string | null;
  sealed: Sealed;
}

export interface VaultState {
  userId: string;
  /** First 16 hex digits of the key's SHA-256: tells a new session's key from the one the data is sealed with. */
  keyFingerprint: string;
  /** The last time the server answered this user (ms): the copy is wiped `maxOfflineDays` after. */
  lastOnlineAt: number;
  maxOfflineDays: number;
  /** When the server read the working set kept here (null: none kept). */
  generatedAt: string | null;
  /** The villages kept (a supervisor's choice; a director's own). */
  villages: string[];
}

interface OfflineSchema extends DBSchema {
  meta: { key: string; value: VaultState | CryptoKey };
  /** One sealed record per child (the file as the child page shows it and its last visits). */
  children: { key: string; value: { id: string; village: string; sealed: Sealed }; indexes: { village: string } };
  /** One sealed record per village: its name, open reports and referrals. */
  villages: { key: string; value: { code: string; sealed: Sealed } };
  outbox: { key: string; value: OutboxRow; indexes: { createdAt: string } };
  photos: { key: string; value: PhotoRow; indexes: { itemId: string } };
  /** Unsaved forms (the visit form's draft), sealed: key → sealed JSON. */
  drafts: { key: string; value: { key: string; savedAt: number; sealed: Sealed } };
}

export type VaultDb = IDBPDatabase<OfflineSchema>;

const dbName = (userId: string) => `${DB_PREFIX}${userId}`;

export async function openVault(userId: string): Promise<VaultDb> {
  const db: VaultDb = await openDB<OfflineSchema>(dbName(userId), DB_VERSION, {
    // Another page (or this one) deletes the store (sign-out) or opens a newer version: this connection gets out of the way.
    blocking() {
      db.close();
    },
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('meta');
        db.createObjectStore('children', { keyPath: 'id' }).createIndex('village', 'village');
        db.createObjectStore('villages', { keyPath: 'code' });
        db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
        db.createObjectStore('photos', { keyPath: 'id' }).createIndex('itemId', 'itemId');
      }
      if (oldVersion < 2) db.createObjectStore('drafts', { keyPath: 'key' });
    },
  });
  return db;
}

/** Deletes a user's whole store (sign-out, the days without signing in). Waits for open connections to close. */
export async function deleteVault(userId: string): Promise<void> {
  await deleteDB(dbName(userId));
}

/** The users with a store on this phone (Chromium and Safari list databases; elsewhere none are found). */
export async function vaultUsers(): Promise<string[]> {
  if (typeof indexedDB.databases !== 'function') return [];
  const all = await indexedDB.databases();
  return all.flatMap((d) => (d.name?.startsWith(DB_PREFIX) ? [d.name.slice(DB_PREFIX.length)] : []));
}

export async function readState(db: VaultDb): Promise<VaultState | null> {
  const state = await db.get('meta', 'state');
  return state && !(state instanceof CryptoKey) ? state : null;
}

export async function readKey(db: VaultDb): Promise<CryptoKey | null> {
  const key = await db.get('meta', 'key');
  return key instanceof CryptoKey ? key : null;
}

// ---------------------------------------------------------------- the key and sealing

function bytesOfBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The server's key as a CryptoKey nobody can export, and its fingerprint. */
export async function importKey(base64: string): Promise<{ key: CryptoKey; fingerprint: string }> {
  const raw = bytesOfBase64(base64);
  const [key, digest] = await Promise.all([crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']), crypto.subtle.digest('SHA-256', raw)]);
  raw.fill(0);
  const fingerprint = [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return { key, fingerprint };
}

export async function sealBytes(key: CryptoKey, bytes: ArrayBuffer): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { iv, data: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes) };
}

export function openBytes(key: CryptoKey, sealed: Sealed): Promise<ArrayBuffer> {
  return crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv as Uint8Array<ArrayBuffer> }, key, sealed.data);
}

export function seal(key: CryptoKey, value: unknown): Promise<Sealed> {
  return sealBytes(key, new TextEncoder().encode(JSON.stringify(value)).buffer);
}

export async function open<T>(key: CryptoKey, sealed: Sealed): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await openBytes(key, sealed))) as T;
}
