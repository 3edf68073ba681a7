/**
 * The school vacation a teacher's home visits (寒暑假家访) count for. The
 * platform uses one window for every school of the city, wide enough to hold
 * any school's own dates: the winter vacation from 10 January to the last day
 * of February (28th, or 29th in a leap year), the summer vacation from
 * 1 July to 31 August. During a vacation it is that one; between two it is
 * the one that ended last — the vacation whose visits are still being
 * reported — so "not yet visited this vacation" (本假期未家访) always has a
 * window to look at.
 */
import { daysInMonth, requireIsoDate } from '../children/dates.js';

export const VACATION_SEASONS = ['winter', 'summer'] as const;
export type VacationSeason = (typeof VACATION_SEASONS)[number];

export interface VacationWindow {
  season: VacationSeason;
  /** The calendar year the vacation falls in (the winter vacation of early 2027 is 2027's). */
  year: number;
  /** First and last day, inclusive (YYYY-MM-DD). */
  from: string;
  to: string;
  /** Today is inside the window (not a vacation already over). */
  inProgress: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

function windowOf(season: VacationSeason, year: number, today: string): VacationWindow {
  const from = season === 'winter' ? `${year}-01-10` : `${year}-07-01`;
  const to = season === 'winter' ? `${year}-02-${pad(daysInMonth(year, 2))}` : `${year}-08-31`;
  return { season, year, from, to, inProgress: from <= today && today <= to };
}

/** The vacation in progress on `today` (a YYYY-MM-DD date in China time), or the last one before it. */
export function currentVacation(today: string): VacationWindow {
  const { year, month, day } = requireIsoDate(today);
  if (month === 1 && day < 10) return windowOf('summer', year - 1, today);
  if (month < 7) return windowOf('winter', year, today);
  return windowOf('summer', year, today);
}

/** Whether a visit on `date` counts for that vacation. */
export function isInVacation(window: Pick<VacationWindow, 'from' | 'to'>, date: string): boolean {
  return window.from <= date && date <= window.to;
}
