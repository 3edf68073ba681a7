/**
 * Protection of minors' personal data at rest (PIPL): ID and phone numbers are
 * stored encrypted (AES-256-GCM) and found by a keyed hash (HMAC-SHA256), never
 * in clear. The audit chain is keyed too (HMAC-SHA256), so that writing the
 * database is not enough to rewrite it. Every key derives (HKDF, one info
 * string each) from one 32-byte master key kept outside the database, read
 * from SHOUHU_SECRET_KEY or from `<data dir>/secret.key`, created on the first
 * start of an empty database. Losing the key makes the encrypted fields
 * unreadable: back it up apart from the database.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface FieldCrypto {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  /** Deterministic keyed hash, for exact-match lookups (duplicate ID numbers). */
  keyedHash(plain: string): string;
  /** HMAC of an audit row (hex): only a holder of the master key can extend or rewrite the chain. */
  auditMac(material: string): string;
  /** Identifies the master key without revealing it: stored in the database, it lets a start refuse another key. */
  keyCheck(): string;
}

const VERSION = 'v1';
/** The master key a FieldCrypto was made from, kept out of sight (not enumerable, never serialised) for a worker thread's own FieldCrypto. */
const MASTER_KEY = Symbol('master key');
const IV_BYTES = 12;
/** IVs drawn from the CSPRNG a few hundred at a time: one call per 12 bytes cost more than the encryption (measured in the roster import). */
const IV_POOL_BYTES = IV_BYTES * 512;

/** Fresh random 12-byte GCM nonces; each handed out once (copied out of the pool, which is refilled when used up). */
function ivSource(): () => Buffer {
  const pool = Buffer.alloc(IV_POOL_BYTES);
  let offset = IV_POOL_BYTES;
  return () => {
    if (offset === IV_POOL_BYTES) {
      randomFillSync(pool);
      offset = 0;
    }
    const iv = Buffer.from(pool.subarray(offset, offset + IV_BYTES));
    offset += IV_BYTES;
    return iv;
  };
}

export function createFieldCrypto(masterKey: Buffer): FieldCrypto {
  if (masterKey.length !== 32) throw new Error('the secret key must be 32 bytes');
  const encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'shouhu field encryption', 32));
  const macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'shouhu keyed hash', 32));
  const auditKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'shouhu audit chain', 32));
  const checkKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'shouhu key check', 32));
  const nextIv = ivSource();
  const crypto: FieldCrypto = {
    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(stored) {
      const [version, payload] = stored.split(':');
      if (version !== VERSION || !payload) throw new Error('unknown ciphertext format');
      const raw = Buffer.from(payload, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    keyedHash(plain) {
      return createHmac('sha256', macKey).update(plain).digest('hex');
    },
    auditMac(material) {
      return createHmac('sha256', auditKey).update(material).digest('hex');
    },
    keyCheck() {
      return createHmac('sha256', checkKey).update('shouhu 守护 key check v1').digest('hex');
    },
  };
  Object.defineProperty(crypto, MASTER_KEY, { value: Buffer.from(masterKey), enumerable: false });
  return crypto;
}

/** The master key of `crypto`, to hand to a worker thread (which makes its own FieldCrypto with createFieldCrypto). */
export function masterKeyOf(crypto: FieldCrypto): Buffer {
  const key = (crypto as unknown as Record<symbol, Buffer | undefined>)[MASTER_KEY];
  if (!key) throw new Error('this FieldCrypto was not made by createFieldCrypto');
  return key;
}

export interface MasterKey {
  key: Buffer;
  /** Where it comes from, for messages: SHOUHU_SECRET_KEY or the key file. */
  source: string;
  /**
   * Present when no key was found: `key` is a fresh one, not yet written. The
   * start writes it (0600) only once the database is known to hold nothing
   * sealed with another key (server/features/keys).
   */
  save?: () => void;
}

/** The master key: SHOUHU_SECRET_KEY (base64), else `secret.key` in the data directory, else a fresh key to save. */
export function loadMasterKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): MasterKey {
  if (env.SHOUHU_SECRET_KEY) {
    const key = Buffer.from(env.SHOUHU_SECRET_KEY, 'base64');
    if (key.length !== 32) throw new Error('SHOUHU_SECRET_KEY must be 32 bytes, base64-encoded');
    return { key, source: 'SHOUHU_SECRET_KEY' };
  }
  const file = path.join(dataDir, 'secret.key');
  if (fs.existsSync(file)) {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return { key, source: file };
  }
  const key = randomBytes(32);
  const save = () => {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // 'wx': never overwrite a key that appeared meanwhile (another process starting on the same directory).
    fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    fs.chmodSync(file, 0o600);
  };
  return { key, source: file, save };
}
