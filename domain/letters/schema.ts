/** The API contract of guardianship letters (监护人责任书 / 委托监护责任书): signing, the child's letters, the printed document. */
import { z } from 'zod';
import { RegionRef } from '../api.js';
import { FileRef, IsoDate } from '../children/schema.js';
import { LETTER_KINDS, LETTER_STATES } from './rules.js';
import { optionalPersonName, personName } from '../person-name.js';

const text = (max: number) => z.string().trim().max(max);

/** Who signed for the parents' side: the father, the mother, or another legal guardian. */
export const SIGNER_RELATIONS = ['father', 'mother', 'guardian'] as const;

/** The paper letter was signed: record it (the scan follows as its own upload). */
export const LetterSignInput = z.object({
  kind: z.enum(LETTER_KINDS),
  signedOn: IsoDate,
  guardianName: personName(50),
  guardianRelation: z.enum(SIGNER_RELATIONS),
  /** Entrusted letter: the carer (受托人) who signed; must be the carer the file records. */
  carerName: optionalPersonName(50),
  note: text(500).nullish(),
});
export type LetterSignInput = z.infer<typeof LetterSignInput>;

export const LetterRecord = z.object({
  id: z.string(),
  kind: z.enum(LETTER_KINDS),
  signedOn: z.string(),
  guardianName: z.string(),
  guardianRelation: z.enum(SIGNER_RELATIONS),
  /** The carer the letter was signed for (a snapshot of the file at signing). */
  carer: z.object({ kind: z.string(), name: z.string().nullable(), relation: z.string().nullable() }),
  /** Still signed for the carer the file records now. */
  current: z.boolean(),
  scan: FileRef.nullable(),
  note: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export type LetterRecord = z.infer<typeof LetterRecord>;

export const NeededLetter = z.object({
  kind: z.enum(LETTER_KINDS),
  state: z.enum(LETTER_STATES),
  /** The latest signed letter of this kind, current or not. */
  latest: LetterRecord.nullable(),
});
export type NeededLetter = z.infer<typeof NeededLetter>;

export const ChildLetters = z.object({
  childId: z.string(),
  needed: z.array(NeededLetter),
  /** Every letter signed for this child, newest first. */
  history: z.array(LetterRecord),
  can: z.object({ record: z.boolean() }),
});
export type ChildLetters = z.infer<typeof ChildLetters>;

const Person = z.object({ name: z.string().nullable(), phone: z.string().nullable() });
const StaffContact = z.object({ name: z.string(), phone: z.string().nullable() });
export type StaffContact = z.infer<typeof StaffContact>;

/** Everything the printed letter shows, filled from the file (phones in clear: printing is audited). */
export const LetterDocument = z.object({
  kind: z.enum(LETTER_KINDS),
  /** A reference printed on the form, so a signed paper can be matched to its file. */
  reference: z.string(),
  printedOn: z.string(),
  path: z.array(RegionRef),
  child: z.object({
    name: z.string(),
    sex: z.string(),
    birthDate: z.string(),
    idNumberMasked: z.string().nullable(),
    address: z.string().nullable(),
    school: z.string().nullable(),
    grade: z.string().nullable(),
    className: z.string().nullable(),
  }),
  father: Person.extend({ status: z.string(), workPlace: z.string().nullable() }),
  mother: Person.extend({ status: z.string(), workPlace: z.string().nullable() }),
  carer: Person.extend({ kind: z.string(), relation: z.string().nullable(), age: z.number().int().nullable() }),
  /** The village's child director(s) (儿童主任) and the township's supervisor(s), named as contacts with their work phones (null: none on record, a blank to fill by hand). */
  directors: z.array(StaffContact),
  supervisors: z.array(StaffContact),
  duties: z.array(z.object({ article: z.number().int(), text: z.string() })),
  entrustedDuties: z.array(z.object({ article: z.number().int(), text: z.string() })),
});
export type LetterDocument = z.infer<typeof LetterDocument>;
