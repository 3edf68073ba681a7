/**
 * Calendar arithmetic on ISO dates ('YYYY-MM-DD'), computed in UTC so that no
 * time zone or daylight-saving shift can move a day.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDate {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The date, or null when the text is not a real calendar date in 'YYYY-MM-DD' form. */
export function parseIsoDate(text: string): CalendarDate | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isIsoDate(text: string): boolean {
  return parseIsoDate(text) !== null;
}

/** Parses or throws: the rules take dates that the schema has already validated. */
export function requireIsoDate(text: string): CalendarDate {
  const date = parseIsoDate(text);
  if (!date) throw new RangeError(`Not an ISO calendar date (YYYY-MM-DD): ${JSON.stringify(text)}`);
  return date;
}

export function formatIsoDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function toUtc({ year, month, day }: CalendarDate): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 19xx
  return d;
}

function fromUtc(d: Date): CalendarDate {
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function addDays(date: string, days: number): string {
  const d = toUtc(requireIsoDate(date));
  d.setUTCDate(d.getUTCDate() + days);
  return formatIsoDate(fromUtc(d));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(requireIsoDate(to)).getTime() - toUtc(requireIsoDate(from)).getTime()) / 86_400_000);
}

/**
 * The same day `months` months later; when that month is shorter, its last day
 * (2026-05-31 + 6 months = 2026-11-30, 2026-01-31 + 1 month = 2026-02-28).
 * Always counted from the original date, never chained month by month.
 */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = requireIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return formatIsoDate({ year: targetYear, month: targetMonth, day: Math.min(day, daysInMonth(targetYear, targetMonth)) });
}

/**
 * Completed months from `from` to `to`: the largest n with addMonths(from, n) <= to,
 * so that `completedMonthsBetween(a, b) >= n` exactly when `b >= addMonths(a, n)`.
 * When `to` is before `from`: minus the completed months from `to` to `from`.
 */
export function completedMonthsBetween(from: string, to: string): number {
  if (to < from) return -completedMonthsBetween(to, from);
  const a = requireIsoDate(from);
  const b = requireIsoDate(to);
  let months = (b.year - a.year) * 12 + (b.month - a.month);
  while (months > 0 && addMonths(from, months) > to) months--;
  return months;
}

const ISO_MONTH = /^(\d{4})-(\d{2})$/;

/** 'YYYY-MM' (a month, when the day is not known), or null when not a real month. */
export function parseIsoMonth(text: string): { year: number; month: number } | null {
  const match = ISO_MONTH.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? { year, month } : null;
}

/** A full date or a month: 'YYYY-MM-DD' or 'YYYY-MM'. */
export const isIsoDateOrMonth = (text: string): boolean => isIsoDate(text) || parseIsoMonth(text) !== null;

/**
 * The day a status began, from a date that may be known to the month only
 * ('YYYY-MM', "month and year are enough"): the month's last day, so that a
 * duration counted from it is never longer than the real one.
 */
export function sinceDate(text: string): string {
  const month = parseIsoMonth(text);
  if (!month) return formatIsoDate(requireIsoDate(text));
  return formatIsoDate({ ...month, day: daysInMonth(month.year, month.month) });
}
