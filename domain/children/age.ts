/**
 * Age in completed years (周岁). A birthday is reached on the anniversary date
 * itself (civil reckoning; the criminal-law rule “从周岁生日的第二天起算”,
 * 法释〔2006〕1号 art. 2, is not applied to welfare categories).
 */
import { formatIsoDate, isLeapYear, requireIsoDate } from './dates.js';

/**
 * Completed years on `onDate` (negative before birth).
 * Someone born on 29 Feb turns a year older on 1 Mar in common years: 28 Feb is
 * still before the birthday (the same rule as addYears).
 */
export function ageOn(birthDate: string, onDate: string): number {
  const birth = requireIsoDate(birthDate);
  const on = requireIsoDate(onDate);
  const beforeBirthday = on.month < birth.month || (on.month === birth.month && on.day < birth.day);
  return on.year - birth.year - (beforeBirthday ? 1 : 0);
}

/** The anniversary `years` later (or earlier); 29 Feb becomes 1 Mar in a common year. */
export function addYears(date: string, years: number): string {
  const { year, month, day } = requireIsoDate(date);
  const target = year + years;
  if (month === 2 && day === 29 && !isLeapYear(target)) return formatIsoDate({ year: target, month: 3, day: 1 });
  return formatIsoDate({ year: target, month, day });
}

/** The first day on which the child is `years` old. */
export function dateWhenAge(birthDate: string, years: number): string {
  return addYears(birthDate, years);
}
