/**
 * Resident identity numbers (公民身份号码, GB 11643-1999): 6-digit address code,
 * 8-digit birth date, 3-digit sequence (odd = male), 1 check character
 * (ISO 7064 MOD 11-2).
 */
import { parseIsoDate } from './dates.js';
import type { Sex } from './facts.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
const EARLIEST_BIRTH_DATE = '1900-01-01';

export type IdNumberProblem = 'format' | 'birth_date' | 'checksum' | 'birth_mismatch' | 'sex_mismatch';

export type IdNumberCheck =
  | { ok: true; normalised: string; birthDate: string; sex: Sex }
  | { ok: false; reason: IdNumberProblem };

export interface IdNumberExpectation {
  /** The birth date on the child's record; the number must agree with it. */
  birthDate?: string;
  /** The sex on the child's record; the number must agree with it. */
  sex?: Sex;
  /** Today (from the caller's clock): a birth date after it is rejected. */
  asOf?: string;
}

/** The check character for the first 17 digits: weighted sum mod 11 → `1 0 X 9 8 7 6 5 4 3 2`. */
export function computeCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('computeCheckCharacter needs exactly 17 digits');
  let sum = 0;
  WEIGHTS.forEach((weight, i) => {
    sum += weight * Number(first17[i]);
  });
  return CHECK_CHARACTERS.charAt(sum % 11);
}

/**
 * Validates a number in the order format → birth date → checksum → agreement
 * with the record, and returns it normalised (lowercase x → X) with the birth
 * date and sex it encodes. The future-date check needs `asOf` (in `expect` or
 * as the third argument); without it only the 1900 lower bound applies.
 */
export function checkIdNumber(id: string, expect?: IdNumberExpectation, asOf?: string): IdNumberCheck {
  if (!/^\d{17}[\dXx]$/.test(id)) return { ok: false, reason: 'format' };
  const normalised = id.toUpperCase();

  const digits = normalised.slice(6, 14);
  const birthDate = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  const today = asOf ?? expect?.asOf;
  if (parseIsoDate(birthDate) === null || birthDate < EARLIEST_BIRTH_DATE || (today !== undefined && birthDate > today)) {
    return { ok: false, reason: 'birth_date' };
  }

  if (computeCheckCharacter(normalised.slice(0, 17)) !== normalised.charAt(17)) return { ok: false, reason: 'checksum' };

  const sex: Sex = Number(normalised.charAt(16)) % 2 === 1 ? 'male' : 'female';
  if (expect?.birthDate !== undefined && expect.birthDate !== birthDate) return { ok: false, reason: 'birth_mismatch' };
  if (expect?.sex !== undefined && expect.sex !== sex) return { ok: false, reason: 'sex_mismatch' };
  return { ok: true, normalised, birthDate, sex };
}

/** Keeps the first `head` and last `tail` characters; too short to keep any safely → all stars. */
function maskMiddle(value: string, head: number, tail: number): string {
  if (value.length <= head + tail) return '*'.repeat(value.length);
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(value.length - tail);
}

/**
 * For lists (DESIGN §3): '43120220150101123X' → '431202********123X' (address
 * code and last four kept). Anything that is not 18 characters keeps only its
 * first 2 and last 2; 4 characters or fewer are masked entirely.
 */
export function maskIdNumber(id: string): string {
  if (id.length === 18) return id.slice(0, 6) + '********' + id.slice(14).toUpperCase();
  return maskMiddle(id, 2, 2);
}

/**
 * '13812345678' → '138****5678' (mobile: network prefix and last four kept).
 * Other lengths keep the first 2 and last 2; 4 characters or fewer are masked entirely.
 */
export function maskPhone(phone: string): string {
  if (phone.length === 11) return phone.slice(0, 3) + '****' + phone.slice(7);
  return maskMiddle(phone, 2, 2);
}
