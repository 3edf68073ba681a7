/**
 * The facts about a child from which categories are derived (一人一档, DESIGN §3).
 * The server's zod schema produces exactly this shape; the rules in this folder
 * only read it.
 */
export type Sex = 'male' | 'female';

export type ParentStatus =
  | 'at_home'
  | 'working_away'
  | 'deceased'
  | 'missing' /* 宣告失踪 */
  | 'imprisoned' /* 服刑在押 / 羁押 */
  | 'compulsory_rehab' /* 强制隔离戒毒 */
  | 'lost_contact' /* 失联 */
  | 'seriously_ill' /* 重病 */
  | 'disabled' /* 重残 or any disability with type+grade */
  | 'unknown';

export type DisabilityType = 'physical' | 'visual' | 'hearing' | 'speech' | 'intellectual' | 'mental' | 'multiple';

export interface Disability {
  type: DisabilityType;
  grade: 1 | 2 | 3 | 4;
}

export interface ParentFacts {
  status: ParentStatus;
  /** When the status began: left to work, lost contact, imprisoned, rehab. 'YYYY-MM-DD', or 'YYYY-MM' when only the month is known. */
  since?: string | null;
  /**
   * Working away, the date unknown: recorded explicitly as "more than six
   * months, date unknown" (离家超过六个月，具体日期不详), by `sinceStatedBy`.
   */
  sinceUnknown?: boolean | null;
  sinceStatedBy?: string | null;
  /** Expected end of imprisonment / rehab. */
  until?: string | null;
  /** Default true when working_away. */
  workAwayCrossesCounty?: boolean | null;
  disability?: Disability | null;
}

export interface ChildFacts {
  birthDate: string;
  sex: Sex;
  hukouType: 'rural' | 'urban' | 'none'; // 'none' = 无户籍
  father: ParentFacts;
  mother: ParentFacts;
  health: { status: 'healthy' | 'seriously_ill' | 'disabled'; disability?: Disability | null };
  support: { dibao: boolean /* 低保 */; tekun: boolean /* 特困 */; temporaryRelief: boolean; orphanAllowance: boolean };
  guardianship: { abuse: boolean; abandonment: boolean; improperCare: boolean };
  temporaryDistress: boolean; // e.g. disaster, accident, sudden loss — set by a worker
  caregiver: {
    kind: 'parent' | 'grandparent' | 'relative' | 'entrusted' | 'institution' | 'alone';
    capacity: 'good' | 'fair' | 'poor';
  };
  schoolStatus: 'in_school' | 'dropped_out' | 'not_in_school' | 'preschool';
}

export interface CategorySettings {
  /** Months a parent must have been working away (default 6). */
  leftBehindMinAbsenceMonths: number;
  /** A left-behind child is under this age (16, 国发〔2016〕13号 “不满十六周岁”). */
  leftBehindMaxAge: number;
  /** Months of restriction / lost contact for 事实无人抚养 (6, 民发〔2019〕62号). */
  unsupportedMinMonths: number;
}

/** What "more than six months, date unknown" proves: an absence of six months, no more. */
export const STATED_ABSENCE_MONTHS = 6;

export const DEFAULT_CATEGORY_SETTINGS: CategorySettings = Object.freeze({
  leftBehindMinAbsenceMonths: 6,
  leftBehindMaxAge: 16,
  unsupportedMinMonths: 6,
});
