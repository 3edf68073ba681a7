/**
 * Idempotency by client-made ids (issue 15 point 3): the phone's outbox sends a
 * record with an id it made (UUIDv7) and sends it again when it never saw the
 * answer. The stored record keeps a keyed hash of what was sent; a resend with
 * the same content is answered with the stored record, the same id with other
 * content is refused (REPLAY_MISMATCH) — never a second record, never a
 * silent overwrite. Keyed (HMAC), because a report's body names its reporter.
 */
import { AppError } from './errors.js';
import type { FieldCrypto } from './crypto.js';

/** The same value for the same content: keys sorted, absent and null alike, the client id left out. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

export function inputHash(crypto: FieldCrypto, kind: string, input: Record<string, unknown>): string {
  const { id: _clientId, ...content } = input;
  return crypto.keyedHash(`${kind}:${JSON.stringify(canonical(content))}`);
}

/** A resend of a stored record: refused when it carries other content than the first sending (rows from before hashes were kept pass). */
export function requireSameInput(stored: string | null | undefined, sent: string): void {
  if (stored && stored !== sent) throw new AppError('REPLAY_MISMATCH', { field: 'id' });
}
