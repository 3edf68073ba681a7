/**
 * Aging out (DESIGN §3: “Aging out is automatic and visible ahead of time”):
 * a child stays on the caseload until the highest age of any category it is in.
 */
import { dateWhenAge } from './age.js';
import { CHILD_MAX_AGE } from './categories.js';
import { addDays } from './dates.js';
import { DEFAULT_CATEGORY_SETTINGS, type CategorySettings } from './facts.js';

/** The category flags (derived, or overridden by a worker with a reason). */
export interface CategoryFlags {
  leftBehind: { value: boolean };
  unsupported: { value: boolean };
  distress: { value: boolean };
}

/**
 * 18 when the child is in distress or de-facto unsupported (under 18, 国发〔2016〕36号 / 民发〔2019〕62号),
 * even when also left-behind; 16 when only left-behind (国发〔2016〕13号); null when in no category.
 */
export function agingOutAge(categories: CategoryFlags, settings: CategorySettings = DEFAULT_CATEGORY_SETTINGS): number | null {
  if (categories.distress.value || categories.unsupported.value) return CHILD_MAX_AGE;
  if (categories.leftBehind.value) return settings.leftBehindMaxAge;
  return null;
}

/** The birthday on which the child leaves every category it is in (29 Feb → 1 Mar in common years). */
export function agingOutDate(birthDate: string, categories: CategoryFlags, settings: CategorySettings = DEFAULT_CATEGORY_SETTINGS): string | null {
  const age = agingOutAge(categories, settings);
  return age === null ? null : dateWhenAge(birthDate, age);
}

/**
 * True when the aging-out date falls in [asOf, asOf + days] (today counts, as does the last day);
 * false once it is past, and for a child in no category.
 */
export function agingOutSoon(
  birthDate: string,
  categories: CategoryFlags,
  asOf: string,
  days = 30,
  settings: CategorySettings = DEFAULT_CATEGORY_SETTINGS,
): boolean {
  const date = agingOutDate(birthDate, categories, settings);
  return date !== null && date >= asOf && date <= addDays(asOf, days);
}
