/**
 * Text that the database stores exactly as it was read. Both databases store
 * UTF-8: a lone UTF-16 surrogate (half of a pair, e.g. "\ud800" in JSON) is
 * written as U+FFFD, so the stored value differs from the one the code held —
 * and from the one an audit row hashed. PostgreSQL refuses NUL in text outright.
 */

export const isStorableText = (text: string): boolean => text.isWellFormed() && !text.includes('\0');

/** The text as it will be stored: lone surrogates (and NUL) become U+FFFD. */
export const storableText = (text: string): string => (isStorableText(text) ? text : text.toWellFormed().replaceAll('\0', '\uFFFD'));

/**
 * The dotted path ('father.name', 'items.2.note') of the first string in a
 * parsed value that is not storable text, '' when the value itself is that
 * string, or null when all is well. An object key that is not storable text
 * is reported at its object's path. Walks with its own stack: a deeply nested
 * body cannot overflow the call stack.
 */
export function findUnstorableText(value: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (!isStorableText(current)) return path;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: join(path, i) });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current as Record<string, unknown>);
      for (const [key] of entries) if (!isStorableText(key)) return path;
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: join(path, entries[i]![0]) });
    }
  }
  return null;
}
