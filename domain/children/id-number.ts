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

/** Keeps the first `head` and last `tail` characters, stars for the rest. */
function keepEnds(value: string, head: number, tail: number): string {
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(value.length - tail);
}

/** The stars of an 18-character number: birth date (8), sequence (3) — everything between region and check character. */
const ID_HIDDEN = 11;

/**
 * What lists, pages, history, exports and letters show of an ID number
 * (DESIGN §3: a mask never rebuilds the number with the birth date beside
 * it). An 18-character number keeps only its 6-digit region of registration
 * and its check character: '43120220150101123X' → '431202***********X'. The
 * birth date is shown anyway, but the three sequence digits stay hidden, so
 * with the birth date and sex some 45 numbers remain possible, never one.
 * Any other length (an old 15-digit number, a passport) keeps at most its
 * first 2 and last 1 characters, and never more than a third of them.
 *
 * Masking a mask gives the same mask (the kept positions are a subset of any
 * earlier rule's), which lets migration 0016 rewrite stored masks without the key.
 */
export function maskIdNumber(id: string): string {
  if (id.length === 18) return id.slice(0, 6) + '*'.repeat(ID_HIDDEN) + id.slice(17).toUpperCase();
  const shown = Math.floor(id.length / 3);
  const tail = Math.min(1, shown);
  return keepEnds(id, Math.min(2, shown - tail), tail);
}

/**
 * '13812345678' → '138****5678' (mobile: network prefix and last four kept,
 * the four digits in the middle hidden). Any other length hides at least four
 * characters in the middle and keeps at most 2 at each end; 4 or fewer: all stars.
 */
export function maskPhone(phone: string): string {
  if (phone.length === 11) return keepEnds(phone, 3, 4);
  if (phone.length <= 4) return '*'.repeat(phone.length);
  const shown = phone.length - 4;
  const head = Math.min(2, Math.floor(shown / 2));
  return keepEnds(phone, head, Math.min(2, shown - head));
}
