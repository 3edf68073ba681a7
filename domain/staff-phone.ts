/**
 * A staff member's work phone (工作电话): printed on the guardianship letters
 * as the family's contact for the village's child director and the township's
 * supervisor, so it must be a number someone can dial. A mainland mobile
 * (11 digits, 13x–19x) or a landline with its area code (0745-2712345; the
 * area code of Beijing and of the 02x cities has three digits, every other
 * four). Written however the user types it — spaces, full-width digits,
 * +86, brackets round the area code — and stored in one form.
 */

const FULL_WIDTH = /[\uFF10-\uFF19]/g;

/** The stored form of a work phone, or null when it is no dialable mainland number. */
export function normaliseStaffPhone(input: string): string | null {
  let text = input.replace(FULL_WIDTH, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48)).replace(/[\s\u3000]/g, '');
  text = text.replace(/[－—–]/g, '-').replace(/[（(]/g, '').replace(/[）)]/g, '-');
  text = text.replace(/^(\+|00)86-?/, '');
  if (/^1[3-9]\d{9}$/.test(text)) return text;
  const digits = text.replace(/-/g, '');
  // A landline keeps at most one dash, between area code and number.
  if ((text.match(/-/g) ?? []).length > 1 || !/^0\d{9,11}$/.test(digits)) return null;
  const areaLength = /^0[12]/.test(digits) ? 3 : 4;
  const area = digits.slice(0, areaLength);
  const number = digits.slice(areaLength);
  if (text.includes('-') && !text.startsWith(`${area}-`)) return null;
  if (!/^[2-9]\d{6,7}$/.test(number)) return null;
  return `${area}-${number}`;
}
