/**
 * Time as the users read it: China Standard Time (Asia/Shanghai, UTC+8, no
 * daylight saving since 1991), whatever the time zone of the server or of the
 * browser. Instants travel as UTC ISO strings; every time written into a
 * workbook or shown on a page goes through these functions, so that 01:30 in
 * Huaihua never reads as 17:30 of the day before.
 */
export const CHINA_OFFSET_MS = 8 * 3_600_000;

const shifted = (instant: string | Date): Date | null => {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return Number.isNaN(ms) ? null : new Date(ms + CHINA_OFFSET_MS);
};

/** The calendar day (YYYY-MM-DD) of an instant in China: 2026-11-28T16:30Z is 2026-11-29. */
export function chinaDate(instant: string | Date): string {
  const d = shifted(instant);
  if (!d) throw new RangeError(`Not an instant: ${String(instant)}`);
  return d.toISOString().slice(0, 10);
}

/** The one written form of an instant: 'YYYY-MM-DD HH:mm', China time. An unreadable value is returned as it is. */
export function chinaDateTime(instant: string | Date): string {
  const d = shifted(instant);
  if (!d) return String(instant);
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** Today in China. */
export function chinaToday(now: Date = new Date()): string {
  return chinaDate(now);
}

/** An instant as a `datetime-local` input's value ('YYYY-MM-DDTHH:mm'), China time. */
export function chinaLocalInput(instant: string | Date = new Date()): string {
  const d = shifted(instant);
  return d ? d.toISOString().slice(0, 16) : '';
}

/** What a `datetime-local` input holds ('YYYY-MM-DDTHH:mm[:ss]', read as China time) as a UTC ISO instant; null when it is not one. */
export function instantFromChinaLocal(local: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return Number.isNaN(ms) ? null : new Date(ms - CHINA_OFFSET_MS).toISOString();
}
