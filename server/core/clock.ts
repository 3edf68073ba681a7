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
