import { afterEach, describe, expect, it } from 'vitest';
import { formatDateTime } from './format.js';

describe('formatDateTime', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('shows an instant in China time whatever the browser’s time zone', () => {
    for (const tz of ['UTC', 'America/New_York', 'Asia/Shanghai']) {
      process.env.TZ = tz;
      expect(formatDateTime('2026-11-29T16:30:00.000Z'), tz).toBe('2026-11-30 00:30');
      expect(formatDateTime('2026-11-29T02:00:00.000Z'), tz).toBe('2026-11-29 10:00');
    }
  });

  it('shows the fallback for no time', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime(undefined, '从未')).toBe('从未');
  });
});
