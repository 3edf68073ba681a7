import { chinaDate } from '../../domain/china-time.js';

/** Time comes from here so that tests can freeze it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(start: Date | string): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (d) => void (current = new Date(d)),
    advance: (ms) => void (current = new Date(current.getTime() + ms)),
  };
}

export const isoNow = (clock: Clock) => clock.now().toISOString();

/**
 * The calendar date where the users are (China Standard Time, UTC+8, no
 * daylight saving): a visit recorded at 07:00 on the 1st is on the 1st, not on
 * the last day of the month before, as UTC would have it.
 */
export const localToday = (clock: Clock): string => chinaDate(clock.now());
