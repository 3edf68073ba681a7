import { describe, expect, it } from 'vitest';
import { findUnstorableText, storableText } from './text.js';

describe('storable text', () => {
  it('finds the first string the database would not store as sent, by its path', () => {
    expect(findUnstorableText({ q: 'ok', page: 1, tags: ['a', '😀'] })).toBeNull();
    expect(findUnstorableText('\ud800')).toBe('');
    expect(findUnstorableText({ q: 'a\udfffb' })).toBe('q');
    expect(findUnstorableText({ father: { name: 'x', phone: 'y\0' } })).toBe('father.phone');
    expect(findUnstorableText({ items: [{ note: 'ok' }, { note: '\ud83d' }] })).toBe('items.1.note');
    // A query string parsed into an object without a prototype, and a bad key (reported at its object).
    const query = Object.assign(Object.create(null) as Record<string, unknown>, { q: 'fine', ['k\ud800']: 'v' });
    expect(findUnstorableText(query)).toBe('');
    expect(findUnstorableText({ outer: { ['\udc00']: 1 } })).toBe('outer');
    expect(findUnstorableText(null)).toBeNull();
    expect(findUnstorableText(undefined)).toBeNull();
  });

  it('walks deep nesting without overflowing the stack', () => {
    let deep: unknown = '\ud800';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toBe(Array(200_000).fill('0').join('.'));
  });

  it('turns lone surrogates and NUL into U+FFFD and leaves pairs alone', () => {
    expect(storableText('a\ud800b\0c😀')).toBe('a\uFFFDb\uFFFDc😀');
    expect(storableText('王小明')).toBe('王小明');
  });
});
