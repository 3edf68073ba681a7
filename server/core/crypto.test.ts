import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFieldCrypto } from './crypto.js';

describe('field encryption', () => {
  const crypto = createFieldCrypto(randomBytes(32));

  it('reads back what it sealed, and never seals the same number the same way twice', () => {
    const id = '43120220130210201X';
    const sealed = Array.from({ length: 2000 }, () => crypto.encrypt(id)); // several refills of the nonce pool
    expect(new Set(sealed).size).toBe(sealed.length);
    const nonces = sealed.map((s) => Buffer.from(s.slice(3), 'base64').subarray(0, 12).toString('hex'));
    expect(new Set(nonces).size).toBe(nonces.length);
    for (const s of sealed.slice(0, 50)) expect(crypto.decrypt(s)).toBe(id);
    expect(sealed.some((s) => s.includes(id))).toBe(false);
  });

  it('refuses a tampered value and another key', () => {
    const sealed = crypto.encrypt('13800138000');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => crypto.decrypt(`v1:${raw.toString('base64')}`)).toThrow();
    expect(() => createFieldCrypto(randomBytes(32)).decrypt(sealed)).toThrow();
  });

  it('hashes the same number the same way, keyed', () => {
    expect(crypto.keyedHash('13800138000')).toBe(crypto.keyedHash('13800138000'));
    expect(createFieldCrypto(randomBytes(32)).keyedHash('13800138000')).not.toBe(crypto.keyedHash('13800138000'));
  });
});
