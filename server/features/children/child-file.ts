/**
 * Pure helpers of the children feature: normalising input, deriving
 * categories, protecting and presenting personal numbers, diffing for history.
 * No database here.
 */
import { distance } from 'fastest-levenshtein';
import type { RegionRef } from '../../../domain/api.js';
import { ageOn, dateWhenAge } from '../../../domain/children/age.js';
import { agingOutDate } from '../../../domain/children/aging-out.js';
import { deriveCategories } from '../../../domain/children/categories.js';
import { spellName } from '../../../domain/children/name-search.js';
import type { ChildFacts, CategorySettings } from '../../../domain/children/facts.js';
import { isIsoDate, isIsoDateOrMonth } from '../../../domain/children/dates.js';
import { absenceDateMissing, missingFacts } from '../../../domain/children/facts-missing.js';
import { checkIdNumber, maskIdNumber, maskPhone } from '../../../domain/children/id-number.js';
import type {
  ChildCategories,
  ChildDetail,
  ChildInput,
  FileRef,
  ChildProfile,
  ChildSummary,
  ParentInput,
  ParentRecord,
} from '../../../domain/children/schema.js';
import { DEFAULT_SCHEDULE_SETTINGS, visitState, type ScheduleSettings } from '../../../domain/visits/schedule.js';
import type { FieldCrypto } from '../../core/crypto.js';
import { presentSchedule } from '../visits/visit-record.js';
import { AppError } from '../../core/errors.js';
import type { ChildRow } from '../../db/schema.js';
import { normalisePersonName } from '../../../domain/person-name.js';

const orNull = (v: string | null | undefined) => (v === undefined || v === null || v.trim() === '' ? null : v.trim());
/** A person's name as stored (domain/person-name.ts: `·` look-alikes, spaces), or null. */
const nameOrNull = (v: string | null | undefined) => (orNull(v) === null ? null : normalisePersonName(v!));

/** The name's pinyin run together, surnames read as surnames (单 shan): the duplicate check's and the sort's spelling. */
export function namePinyin(name: string): string {
  return spellName(name).pinyin;
}

/**
 * Similar names: the same sound (章伟 / 张伟), or one character apart (李小明 / 李晓明).
 * Callers comparing many names pass the pinyin they already have (e.g. `name_pinyin`).
 */
export function similarNames(a: string, b: string, knownPinyin?: { a: string; b: string }): boolean {
  if (a === b) return true;
  const pa = knownPinyin?.a ?? namePinyin(a);
  const pb = knownPinyin?.b ?? namePinyin(b);
  if (pa === pb) return true;
  return Math.min(a.length, b.length) >= 2 && (distance(a, b) <= 1 || distance(pa, pb) <= 1);
}

function checkedIdNumber(field: string, value: string | null, expect: { birthDate?: string; sex?: 'male' | 'female'; asOf: string }): string | null {
  if (!value) return null;
  const result = checkIdNumber(value, expect, expect.asOf);
  if (!result.ok) throw new AppError('VALIDATION', { field, reason: `id_${result.reason}` });
  return result.normalised;
}

/** Who states what a file records without proof (a parent away "more than six months, date unknown"), and what it said before an edit. */
export interface NormaliseOptions {
  /** The user saving the form or importing the roster. */
  recorder?: string;
  /** The stored file, on an edit: a statement already on it keeps its author. */
  before?: ChildProfile;
}

function parentRecord(role: 'father' | 'mother', p: ParentInput, today: string, options: NormaliseOptions): ParentRecord {
  const since = orNull(p.since);
  if (since) {
    if (!isIsoDateOrMonth(since)) throw new AppError('VALIDATION', { field: `${role}.since`, reason: 'iso_month_or_date' });
    // A month is in the future only after this month; a day after today.
    if ((isIsoDate(since) ? since : `${since}-01`) > today) throw new AppError('VALIDATION', { field: `${role}.since`, reason: 'future_date' });
  }
  if (p.until && !isIsoDate(p.until)) throw new AppError('VALIDATION', { field: `${role}.until`, reason: 'iso_date' });
  // Working away across the county line decides 留守 from the date the parent left: it is asked, or
  // "more than six months, date unknown" is recorded on purpose; a blank is never taken silently.
  const sinceUnknown = p.status === 'working_away' && !since && p.sinceUnknown === true;
  const parent = { status: p.status, since, sinceUnknown, workAwayCrossesCounty: p.workAwayCrossesCounty ?? null };
  if (absenceDateMissing(parent)) throw new AppError('VALIDATION', { field: `${role}.since`, reason: 'away_since_required' });
  const stated = options.before?.[role];
  return {
    name: nameOrNull(p.name),
    idNumber: checkedIdNumber(`${role}.idNumber`, orNull(p.idNumber), { sex: role === 'father' ? 'male' : 'female', asOf: today }),
    phone: orNull(p.phone),
    status: p.status,
    since,
    sinceUnknown,
    sinceStatedBy: sinceUnknown ? (stated?.sinceUnknown ? stated.sinceStatedBy : (options.recorder ?? null)) : null,
    until: p.until ?? null,
    workProvince: orNull(p.workProvince),
    workCity: orNull(p.workCity),
    employer: orNull(p.employer),
    workAwayCrossesCounty: p.workAwayCrossesCounty ?? null,
    disability: p.disability ?? null,
    skills: p.skills,
    wantsLocalWork: p.wantsLocalWork ?? null,
  };
}

export interface NormalisedChild {
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  idNumber: string | null;
  profile: ChildProfile;
}

/** Validates what the form or an import row says of a child; throws a VALIDATION error naming the field. */
export function normaliseChild(input: Omit<ChildInput, 'regionCode'>, today: string, options: NormaliseOptions = {}): NormalisedChild {
  if (input.birthDate > today) throw new AppError('VALIDATION', { field: 'birthDate', reason: 'future_date' });
  if (!isRealDate(input.birthDate)) throw new AppError('VALIDATION', { field: 'birthDate', reason: 'iso_date' });
  if (ageOn(input.birthDate, today) >= 18) throw new AppError('VALIDATION', { field: 'birthDate', reason: 'not_minor' });
  const idNumber = checkedIdNumber('idNumber', orNull(input.idNumber), { birthDate: input.birthDate, sex: input.sex, asOf: today });
  return {
    name: normalisePersonName(input.name),
    sex: input.sex,
    birthDate: input.birthDate,
    idNumber,
    profile: {
      ethnicity: input.ethnicity || '汉族',
      hukouPlace: orNull(input.hukouPlace),
      address: orNull(input.address),
      hukouType: input.hukouType,
      father: parentRecord('father', input.father, today, options),
      mother: parentRecord('mother', input.mother, today, options),
      caregiver: {
        kind: input.caregiver.kind,
        name: nameOrNull(input.caregiver.name),
        relation: orNull(input.caregiver.relation),
        phone: orNull(input.caregiver.phone),
        age: input.caregiver.age ?? null,
        health: input.caregiver.health ?? null,
        capacity: input.caregiver.capacity,
      },
      schooling: {
        status: input.schooling.status,
        school: orNull(input.schooling.school),
        grade: orNull(input.schooling.grade),
        className: orNull(input.schooling.className),
        boarding: input.schooling.boarding,
        schoolOrgId: orNull(input.schooling.schoolOrgId),
      },
      health: {
        status: input.health.status,
        illness: orNull(input.health.illness),
        disability: input.health.disability ?? null,
        certificate: orNull(input.health.certificate),
      },
      support: input.support,
      guardianship: input.guardianship,
      temporaryDistress: input.temporaryDistress,
      notes: orNull(input.notes),
    },
  };
}

export function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

export function factsOf(c: { birthDate: string; sex: 'male' | 'female'; profile: ChildProfile }): ChildFacts {
  const parent = (p: ParentRecord) => ({
    status: p.status,
    since: p.since,
    // Files stored before the statement existed have neither field.
    sinceUnknown: p.sinceUnknown ?? false,
    sinceStatedBy: p.sinceStatedBy ?? null,
    until: p.until,
    workAwayCrossesCounty: p.workAwayCrossesCounty,
    disability: p.disability,
  });
  return {
    birthDate: c.birthDate,
    sex: c.sex,
    hukouType: c.profile.hukouType,
    father: parent(c.profile.father),
    mother: parent(c.profile.mother),
    health: { status: c.profile.health.status, disability: c.profile.health.disability },
    support: c.profile.support,
    guardianship: c.profile.guardianship,
    temporaryDistress: c.profile.temporaryDistress,
    caregiver: { kind: c.profile.caregiver.kind, capacity: c.profile.caregiver.capacity },
    schoolStatus: c.profile.schooling.status,
  };
}

type Overrides = { [K in keyof ChildCategories]: ChildCategories[K]['override'] };

/** Derived categories, with any recorded override applied on top. */
export function categoriesOf(facts: ChildFacts, today: string, settings: CategorySettings, overrides: Overrides): ChildCategories {
  const d = deriveCategories(facts, today, settings);
  const state = <T extends { value: boolean; reasons: { code: string; params?: Record<string, string | number> }[] }>(derived: T, override: Overrides[keyof Overrides]) => ({
    derived: derived.value,
    value: override ? override.value : derived.value,
    reasons: derived.reasons,
    override,
  });
  return {
    leftBehind: state(d.leftBehind, overrides.leftBehind),
    unsupported: state(d.unsupported, overrides.unsupported),
    distress: { ...state(d.distress, overrides.distress), kinds: d.distress.kinds },
  };
}

export const NO_OVERRIDES: Overrides = { leftBehind: null, unsupported: null, distress: null };
export const overridesOf = (c: ChildCategories): Overrides => ({ leftBehind: c.leftBehind.override, unsupported: c.unsupported.override, distress: c.distress.override });

/** The last day on the caseload: the end of its categories, or 18 when in none. */
export function agingOutOf(birthDate: string, categories: ChildCategories, settings: CategorySettings): string {
  return agingOutDate(birthDate, categories, settings) ?? dateWhenAge(birthDate, 18);
}

/** Stored form: personal numbers inside the document are ciphertext. */
export function sealProfile(profile: ChildProfile, crypto: FieldCrypto): ChildProfile {
  const seal = (v: string | null) => (v ? crypto.encrypt(v) : null);
  return {
    ...profile,
    father: { ...profile.father, idNumber: seal(profile.father.idNumber), phone: seal(profile.father.phone) },
    mother: { ...profile.mother, idNumber: seal(profile.mother.idNumber), phone: seal(profile.mother.phone) },
    caregiver: { ...profile.caregiver, phone: seal(profile.caregiver.phone) },
  };
}

export function openProfile(stored: string, crypto: FieldCrypto): ChildProfile {
  const profile = JSON.parse(stored) as ChildProfile;
  const open = (v: string | null) => (v ? crypto.decrypt(v) : null);
  // Files stored before "date unknown" could be recorded have neither field: no statement.
  const parent = (p: ParentRecord): ParentRecord => ({ ...p, idNumber: open(p.idNumber), phone: open(p.phone), sinceUnknown: p.sinceUnknown ?? false, sinceStatedBy: p.sinceStatedBy ?? null });
  return {
    ...profile,
    father: parent(profile.father),
    mother: parent(profile.mother),
    caregiver: { ...profile.caregiver, phone: open(profile.caregiver.phone) },
  };
}

/** As shown on pages and in history: numbers masked. */
export function maskProfile(profile: ChildProfile): ChildProfile {
  const id = (v: string | null) => (v ? maskIdNumber(v) : null);
  const phone = (v: string | null) => (v ? maskPhone(v) : null);
  return {
    ...profile,
    father: { ...profile.father, idNumber: id(profile.father.idNumber), phone: phone(profile.father.phone) },
    mother: { ...profile.mother, idNumber: id(profile.mother.idNumber), phone: phone(profile.mother.phone) },
    caregiver: { ...profile.caregiver, phone: phone(profile.caregiver.phone) },
  };
}

export function presentSummary(row: ChildRow & { region_name: string }, today: string, schedule: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS): ChildSummary {
  const due = row.status === 'closed' ? null : row.next_visit_due;
  return {
    id: row.id,
    name: row.name,
    sex: row.sex as ChildSummary['sex'],
    birthDate: row.birth_date,
    age: ageOn(row.birth_date, today),
    idNumberMasked: row.id_masked,
    region: { code: row.region_code, name: row.region_name, level: 'village' } satisfies RegionRef,
    status: row.status as ChildSummary['status'],
    leftBehind: row.left_behind === 1,
    distress: row.distress === 1,
    unsupported: row.unsupported === 1,
    riskLevel: row.risk_level as ChildSummary['riskLevel'],
    schoolStatus: row.school_status as ChildSummary['schoolStatus'],
    agingOutDate: row.aging_out_date,
    updatedAt: row.updated_at,
    nextVisitDue: due,
    visitState: due ? visitState(due, today, schedule) : null,
  };
}

export function presentDetail(
  row: ChildRow & { region_name: string },
  path: RegionRef[],
  crypto: FieldCrypto,
  today: string,
  photo: FileRef | null,
  schedule: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS,
): ChildDetail {
  const profile = openProfile(row.profile, crypto);
  return {
    ...presentSummary(row, today, schedule),
    ...maskProfile(profile),
    path,
    categories: JSON.parse(row.categories) as ChildCategories,
    missingFacts: missingFacts(factsOf({ birthDate: row.birth_date, sex: row.sex as 'male' | 'female', profile })),
    reviewComment: row.review_comment,
    closeReason: row.close_reason as ChildDetail['closeReason'],
    closeNote: row.close_note,
    version: row.version,
    createdAt: row.created_at,
    photo,
    schedule: presentSchedule(row, factsOf({ birthDate: row.birth_date, sex: row.sex as 'male' | 'female', profile }), today, schedule),
  };
}

type Flat = Record<string, unknown>;
function flatten(value: unknown, prefix = '', out: Flat = {}): Flat {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = Array.isArray(value) ? value.join('、') : value;
  }
  return out;
}

/** Field-by-field differences, old → new, of two views of a file (already masked). */
export function diffFiles(before: unknown, after: unknown): { field: string; from: unknown; to: unknown }[] {
  const a = flatten(before);
  const b = flatten(after);
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return fields.filter((f) => JSON.stringify(a[f] ?? null) !== JSON.stringify(b[f] ?? null)).map((f) => ({ field: f, from: a[f] ?? null, to: b[f] ?? null }));
}

/** The view of a file that history compares: columns and masked document. */
export function historyView(c: { name: string; sex: string; birthDate: string; idNumber: string | null; regionCode: string; profile: ChildProfile }) {
  return {
    name: c.name,
    sex: c.sex,
    birthDate: c.birthDate,
    idNumber: c.idNumber ? maskIdNumber(c.idNumber) : null,
    regionCode: c.regionCode,
    ...maskProfile(c.profile),
  };
}
