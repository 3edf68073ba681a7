/**
 * A person's name must look like a name (issue 12 point 2): on the form, in
 * the API and on import, for the child, the parents, the carer and the other
 * people a file or an action names. A name like `=HYPERLINK(…)`, `+SUM(1,1)`,
 * digits or `@` is refused with a message naming the field — both because it
 * is not a name and because it would be a formula in someone's spreadsheet.
 *
 * What passes:
 *  - Chinese characters, including the rare ones of the CJK extensions and the
 *    compatibility block (the Unicode Han script: 𠀀, 𪚥, 䶮 …);
 *  - Latin letters, accented ones too (precomposed or with combining marks);
 *  - between parts only: the middle dot `·` of transliterated and minority
 *    names (阿依古丽·买买提), a space, a hyphen or an apostrophe (Anna-Maria,
 *    O'Brien: names of children with a foreign-born parent are written so in
 *    their papers; neither sign can begin a name, so neither can make a
 *    formula).
 * The look-alikes of the middle dot that input methods type (• ・ ･ ∙ ⋅ ‧, and
 * a full stop between Chinese characters) become `·`; full-width and
 * non-breaking spaces become spaces; runs of spaces one space; spaces around a
 * `·` are dropped. Names in other scripts (Tibetan, Uyghur, Mongolian, Yi) are
 * recorded in their Chinese form, as the household register writes them.
 */
import { z } from 'zod';

export const MIDDLE_DOT = '·';

/** Characters typed for the middle dot: bullet, katakana middle dots, operators, hyphenation point, Greek ano teleia, runic and word-separator dots. */
const DOT_LOOKALIKES = /[\u2022\u2027\u2219\u22C5\u30FB\uFF65\u0387\u16EB\u2E31\uFE52]/g;
/** A full stop between two Chinese characters is a middle dot typed on a Latin keyboard (阿依古丽.买买提). */
const HAN_STOP_HAN = /(\p{Script=Han})\s*[.\uFF0E\u3002]\s*(?=\p{Script=Han})/gu;
const HYPHENS = /[\u2010\u2011\uFF0D]/g;
const APOSTROPHES = /[\u2019\u02BC\uFF07]/g;
const SPACES = /[\s\u3000\u00A0]+/g;

const LETTER = String.raw`(?:\p{Script=Han}|(?=\p{L})\p{Script=Latin})\p{M}*`;
const WORD = `(?:${LETTER})+`;
const NAME = new RegExp(String.raw`^${WORD}(?:[ ·'\-]${WORD})*$`, 'u');

/** The name as it is stored: Unicode NFC, look-alikes of `·`, `-` and `'` replaced, spaces tidied. */
export function normalisePersonName(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(DOT_LOOKALIKES, MIDDLE_DOT)
    .replace(HAN_STOP_HAN, `$1${MIDDLE_DOT}`)
    .replace(HYPHENS, '-')
    .replace(APOSTROPHES, "'")
    .replace(SPACES, ' ')
    .trim()
    .replace(/ ?([·'-]) ?/g, '$1');
}

/** Whether the text, once normalised, is a person's name by the rules above. */
export function isPersonName(raw: string): boolean {
  return NAME.test(normalisePersonName(raw));
}

/** The reason of the validation error (VALIDATION_REASONS). */
export const PERSON_NAME_REASON = 'person_name';

/** A required name (at most `max` characters). */
export const personName = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => isPersonName(value), { message: PERSON_NAME_REASON });

/** An optional name: null, absent or blank (stored as none), or a name. */
export const optionalPersonName = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((value) => value === '' || isPersonName(value), { message: PERSON_NAME_REASON })
    .nullish();
