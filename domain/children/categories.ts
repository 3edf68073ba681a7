/**
 * Derived categories of a child (DESIGN §3): left-behind (留守), de-facto
 * unsupported (事实无人抚养) and in distress (困境). Each result carries
 * machine reason codes that the UI translates; when a category holds, the
 * reasons are the conditions that held, otherwise the conditions that failed.
 */
import { ageOn } from './age.js';
import { completedMonthsBetween, sinceDate } from './dates.js';
import {
  DEFAULT_CATEGORY_SETTINGS,
  STATED_ABSENCE_MONTHS,
  type CategorySettings,
  type ChildFacts,
  type Disability,
  type ParentFacts,
  type ParentStatus,
} from './facts.js';

export type DistressKind =
  | 'orphan'
  | 'unsupported'
  | 'own_disability'
  | 'own_serious_illness'
  | 'family_poverty'
  | 'guardianship'
  | 'temporary';

export interface CategoryReason {
  code: string;
  params?: Record<string, string | number>;
}

export interface DerivedCategories {
  leftBehind: { value: boolean; reasons: CategoryReason[] };
  unsupported: { value: boolean; reasons: CategoryReason[] }; // 事实无人抚养
  distress: { value: boolean; kinds: DistressKind[]; reasons: CategoryReason[] }; // 困境
}

export type ParentRole = 'father' | 'mother';

/** 民法典 art. 17: 18 and over is an adult; 困境儿童 and 事实无人抚养儿童 are 儿童, i.e. under 18. */
export const CHILD_MAX_AGE = 18;

/** 民发〔2019〕62号: 重残 = grade 1–2 of any type, or grade 3–4 mental / intellectual (多重 3–4 is not listed, so not 重残). */
export function isSevereDisability(disability: Disability): boolean {
  if (disability.grade <= 2) return true;
  return disability.type === 'intellectual' || disability.type === 'mental';
}

/** A recorded 'disabled' status without type and grade is the status label itself, 重残 (facts.ts: “重残 or any disability with type+grade”). */
function parentSeverelyDisabled(parent: ParentFacts): boolean {
  return parent.status === 'disabled' && (!parent.disability || isSevereDisability(parent.disability));
}

/** 民发〔2019〕62号: 死亡 (incl. declared dead) or 人民法院宣告失踪; both parents so = orphan (孤儿). */
export function isDeadOrMissing(parent: ParentFacts): boolean {
  return parent.status === 'deceased' || parent.status === 'missing';
}

/**
 * 无监护能力 of the parent left at home (国发〔2016〕13号; 2016 摸底排查: “因重病、重残等原因丧失监护能力”),
 * extended to a parent who is dead, declared missing, in custody, in compulsory rehab or out of contact,
 * who cannot exercise guardianship at all. No minimum duration applies on this side; disability counts only when 重残.
 */
export function lacksGuardianshipCapacity(parent: ParentFacts): boolean {
  switch (parent.status) {
    case 'deceased':
    case 'missing':
    case 'imprisoned':
    case 'compulsory_rehab':
    case 'lost_contact':
    case 'seriously_ill':
      return true;
    case 'disabled':
      return parentSeverelyDisabled(parent);
    case 'at_home':
    case 'working_away':
    case 'unknown':
      return false;
  }
}

const PARENT_ROLES = ['father', 'mother'] as const;

function other(role: ParentRole): ParentRole {
  return role === 'father' ? 'mother' : 'father';
}

// ---------------------------------------------------------------------------
// Left-behind (留守)

/** Away long enough: for how many months (known from a date, or the six stated), and the reason that says which. */
type Absence = { away: true; months: number; known: boolean; reason: CategoryReason } | { away: false; reason: CategoryReason | null };

/**
 * Whether a parent counts as working away on `asOf` (外出务工, threshold and county line are settings, DESIGN §3).
 * Months are completed calendar months from `since` (a month alone counts from its last day; see addMonths for
 * month ends). Without a date, the explicit "more than six months, date unknown" counts six months; with
 * neither, the absence is a missing fact (facts-missing.ts): not counted, and the file says so.
 */
function assessAbsence(parent: ParentFacts, role: ParentRole, asOf: string, minMonths: number): Absence {
  if (parent.status !== 'working_away') return { away: false, reason: null };
  // Working away inside the county does not separate the child from the parent (setting: “across a county line”).
  if (parent.workAwayCrossesCounty === false) return { away: false, reason: { code: 'parent_works_within_county', params: { parent: role } } };
  if (parent.since) {
    const months = completedMonthsBetween(sinceDate(parent.since), asOf);
    if (months < minMonths) {
      return { away: false, reason: { code: 'parent_away_too_short', params: { parent: role, months: Math.max(months, 0), required: minMonths } } };
    }
    return { away: true, months, known: true, reason: { code: 'parent_away_since', params: { parent: role, since: parent.since, months } } };
  }
  if (parent.sinceUnknown) {
    const by: Record<string, string> = parent.sinceStatedBy ? { by: parent.sinceStatedBy } : {};
    if (STATED_ABSENCE_MONTHS < minMonths) {
      return { away: false, reason: { code: 'parent_away_date_unknown_too_short', params: { parent: role, required: minMonths, ...by } } };
    }
    return { away: true, months: STATED_ABSENCE_MONTHS, known: false, reason: { code: 'parent_away_date_unknown', params: { parent: role, ...by } } };
  }
  return { away: false, reason: { code: 'parent_away_since_unknown', params: { parent: role } } };
}

function deriveLeftBehind(facts: ChildFacts, age: number, asOf: string, settings: CategorySettings): DerivedCategories['leftBehind'] {
  const held: CategoryReason[] = [];
  const failed: CategoryReason[] = [];

  // 国发〔2016〕13号: 不满十六周岁 — on the 16th birthday the child is no longer left-behind.
  if (age < settings.leftBehindMaxAge) held.push({ code: 'under_age', params: { age, maxAge: settings.leftBehindMaxAge } });
  else failed.push({ code: 'over_age', params: { age, maxAge: settings.leftBehindMaxAge } });

  // 2016 摸底排查 (民政部 教育部 公安部): 农村户籍未成年人 — 'urban' and 'none' (无户籍) are not rural hukou.
  if (facts.hukouType === 'rural') held.push({ code: 'rural_hukou' });
  else failed.push({ code: 'not_rural_hukou', params: { hukouType: facts.hukouType } });

  const absence: Record<ParentRole, Absence> = {
    father: assessAbsence(facts.father, 'father', asOf, settings.leftBehindMinAbsenceMonths),
    mother: assessAbsence(facts.mother, 'mother', asOf, settings.leftBehindMinAbsenceMonths),
  };
  const away: { role: ParentRole; months: number; known: boolean; reason: CategoryReason }[] = [];
  for (const role of PARENT_ROLES) {
    const a = absence[role];
    if (a.away) away.push({ role, months: a.months, known: a.known, reason: a.reason });
    else if (a.reason) failed.push(a.reason);
  }

  const [first, second] = away;
  if (first && second) {
    // Each parent's absence, as a date or as stated, then the rule.
    held.push(first.reason, second.reason);
    // 国发〔2016〕13号: 父母双方外出务工; months = the shorter of the two absences, when both dates are known.
    held.push(first.known && second.known ? { code: 'both_parents_away', params: { months: Math.min(first.months, second.months) } } : { code: 'both_parents_away' });
  } else if (first) {
    // 国发〔2016〕13号: 一方外出务工另一方无监护能力.
    const otherRole = other(first.role);
    const otherParent = facts[otherRole];
    if (lacksGuardianshipCapacity(otherParent)) {
      held.push(first.reason, {
        code: 'one_parent_away_other_without_capacity',
        params: { parent: first.role, ...(first.known ? { months: first.months } : {}), otherParent: otherRole, otherStatus: otherParent.status },
      });
    } else {
      failed.push({ code: 'other_parent_has_capacity', params: { parent: otherRole, status: otherParent.status } });
    }
  } else if (!failed.some((r) => r.code.startsWith('parent_'))) {
    failed.push({ code: 'no_parent_away' });
  }

  return failed.length === 0 ? { value: true, reasons: held } : { value: false, reasons: failed };
}

// ---------------------------------------------------------------------------
// De-facto unsupported (事实无人抚养)

type Inability = { unable: boolean; reason: CategoryReason | null };

/**
 * 民发〔2019〕62号: 服刑在押、强制隔离戒毒或被执行其他限制人身自由的措施 “期限在6个月以上”
 * (以上 includes the number, 民法典 art. 1259). The term is measured since → until when both are known;
 * with no `until`, the restriction already served (since → asOf) — having served the minimum proves the term;
 * with no `since`, the remaining part (asOf → until). With neither, the term is unproven (conservative).
 */
function restrictionMonths(parent: ParentFacts, asOf: string): { months: number; basis: 'term' | 'served' | 'remaining' } | null {
  if (parent.since && parent.until) return { months: completedMonthsBetween(sinceDate(parent.since), parent.until), basis: 'term' };
  if (parent.since) return { months: completedMonthsBetween(sinceDate(parent.since), asOf), basis: 'served' };
  if (parent.until) return { months: completedMonthsBetween(asOf, parent.until), basis: 'remaining' };
  return null;
}

/** Whether a parent is in the set S of 民发〔2019〕62号 (重残、重病、服刑在押、强制隔离戒毒、失联). */
function assessInability(parent: ParentFacts, role: ParentRole, asOf: string, minMonths: number): Inability {
  const status: ParentStatus = parent.status;
  switch (status) {
    case 'disabled': {
      const d = parent.disability;
      if (!parentSeverelyDisabled(parent)) {
        return { unable: false, reason: { code: 'parent_disability_not_severe', params: { parent: role, type: d?.type ?? '', grade: d?.grade ?? 0 } } };
      }
      return { unable: true, reason: { code: 'parent_severely_disabled', params: d ? { parent: role, type: d.type, grade: d.grade } : { parent: role } } };
    }
    case 'seriously_ill':
      // 重病 is recognised locally (当地大病、重病认定办法); the worker's status is taken as that recognition.
      return { unable: true, reason: { code: 'parent_seriously_ill', params: { parent: role } } };
    case 'imprisoned':
    case 'compulsory_rehab': {
      const measured = restrictionMonths(parent, asOf);
      if (measured === null) return { unable: false, reason: { code: 'parent_restriction_term_unknown', params: { parent: role, status } } };
      if (measured.months < minMonths) {
        return {
          unable: false,
          reason: { code: 'parent_restriction_too_short', params: { parent: role, status, months: Math.max(measured.months, 0), required: minMonths, basis: measured.basis } },
        };
      }
      return { unable: true, reason: { code: 'parent_restricted', params: { parent: role, status, months: measured.months, basis: measured.basis } } };
    }
    case 'lost_contact': {
      // 民发〔2019〕62号: 失联 = 失去联系且未履行监护抚养责任6个月以上, counted from `since` to asOf; unknown `since` is unproven.
      if (!parent.since) return { unable: false, reason: { code: 'parent_lost_contact_since_unknown', params: { parent: role } } };
      const months = completedMonthsBetween(sinceDate(parent.since), asOf);
      if (months < minMonths) {
        return { unable: false, reason: { code: 'parent_lost_contact_too_short', params: { parent: role, months: Math.max(months, 0), required: minMonths } } };
      }
      return { unable: true, reason: { code: 'parent_lost_contact', params: { parent: role, months } } };
    }
    case 'deceased':
    case 'missing':
    case 'at_home':
    case 'working_away':
    case 'unknown':
      return { unable: false, reason: null };
  }
}

function deriveUnsupported(facts: ChildFacts, age: number, asOf: string, settings: CategorySettings): DerivedCategories['unsupported'] {
  const failed: CategoryReason[] = [];
  if (age >= CHILD_MAX_AGE) failed.push({ code: 'over_age', params: { age, maxAge: CHILD_MAX_AGE } });

  const { father, mother } = facts;
  const inability: Record<ParentRole, Inability> = {
    father: assessInability(father, 'father', asOf, settings.unsupportedMinMonths),
    mother: assessInability(mother, 'mother', asOf, settings.unsupportedMinMonths),
  };

  let held: CategoryReason[] | null = null;
  if (isDeadOrMissing(father) && isDeadOrMissing(mother)) {
    // 民发〔2019〕62号 covers 父母一方死亡或失踪; both dead or missing is an orphan (孤儿), a separate category.
    failed.push({ code: 'orphan_not_unsupported' });
  } else if (inability.father.unable && inability.mother.unable) {
    // 民发〔2019〕62号: 父母双方均符合 … 情形之一.
    held = [{ code: 'both_parents_unable', params: { fatherStatus: father.status, motherStatus: mother.status } }];
  } else {
    // 民发〔2019〕62号: 父母一方死亡或失踪，另一方符合 … 情形之一.
    for (const role of PARENT_ROLES) {
      const otherRole = other(role);
      if (isDeadOrMissing(facts[role]) && inability[otherRole].unable) {
        held = [{ code: 'one_parent_dead_or_missing_other_unable', params: { parent: role, status: facts[role].status, otherParent: otherRole, otherStatus: facts[otherRole].status } }];
      }
    }
  }

  if (held === null) {
    for (const role of PARENT_ROLES) {
      const { unable, reason } = inability[role];
      if (unable || isDeadOrMissing(facts[role])) continue;
      failed.push(reason ?? { code: 'parent_not_unable', params: { parent: role, status: facts[role].status } });
    }
    if (failed.length === 0) failed.push({ code: 'parents_not_qualifying' });
    return { value: false, reasons: failed };
  }
  if (failed.length > 0) return { value: false, reasons: failed };
  for (const role of PARENT_ROLES) {
    const reason = inability[role].reason;
    if (inability[role].unable && reason) held.push(reason);
  }
  return { value: true, reasons: held };
}

// ---------------------------------------------------------------------------
// In distress (困境)

function deriveDistress(facts: ChildFacts, age: number, unsupported: boolean): DerivedCategories['distress'] {
  // 国发〔2016〕36号 concerns 儿童 (under 18).
  if (age >= CHILD_MAX_AGE) return { value: false, kinds: [], reasons: [{ code: 'over_age', params: { age, maxAge: CHILD_MAX_AGE } }] };

  const kinds: DistressKind[] = [];
  const reasons: CategoryReason[] = [];
  const { father, mother, health, support, guardianship } = facts;

  // 孤儿: 父母双方死亡或被人民法院宣告失踪 (民发〔2019〕62号 terms; orphans are 困境儿童 under 国发〔2016〕36号).
  if (isDeadOrMissing(father) && isDeadOrMissing(mother)) {
    kinds.push('orphan');
    reasons.push({ code: 'orphan', params: { fatherStatus: father.status, motherStatus: mother.status } });
  }
  // 民发〔2019〕62号: 事实无人抚养儿童 are 困境儿童 guaranteed on a par with orphans.
  if (unsupported) {
    kinds.push('unsupported');
    reasons.push({ code: 'unsupported' });
  }
  // 国发〔2016〕36号: 因自身残疾导致康复、照料、护理和社会融入等困难 — any type and grade.
  if (health.status === 'disabled') {
    kinds.push('own_disability');
    reasons.push(health.disability ? { code: 'own_disability', params: { type: health.disability.type, grade: health.disability.grade } } : { code: 'own_disability' });
  }
  // 国发〔2016〕36号 (医疗保障 for 重病儿童); listed as a distress ground in DESIGN §3.
  if (health.status === 'seriously_ill') {
    kinds.push('own_serious_illness');
    reasons.push({ code: 'own_serious_illness' });
  }
  // 国发〔2016〕36号: 因家庭贫困导致生活、就医、就学等困难 — evidenced by 低保 or 特困 (temporary relief alone is not).
  if (support.dibao || support.tekun) {
    kinds.push('family_poverty');
    if (support.dibao) reasons.push({ code: 'family_poverty', params: { support: 'dibao' } });
    if (support.tekun) reasons.push({ code: 'family_poverty', params: { support: 'tekun' } });
  }
  // 国发〔2016〕36号: 因家庭监护缺失或监护不当遭受虐待、遗弃 … — the worker's findings, not the caregiver kind.
  if (guardianship.abuse || guardianship.abandonment || guardianship.improperCare) {
    kinds.push('guardianship');
    if (guardianship.abuse) reasons.push({ code: 'guardianship', params: { issue: 'abuse' } });
    if (guardianship.abandonment) reasons.push({ code: 'guardianship', params: { issue: 'abandonment' } });
    if (guardianship.improperCare) reasons.push({ code: 'guardianship', params: { issue: 'improper_care' } });
  }
  // DESIGN §3: temporary distress (disaster, accident, sudden loss), set by a worker.
  if (facts.temporaryDistress) {
    kinds.push('temporary');
    reasons.push({ code: 'temporary' });
  }

  if (kinds.length === 0) return { value: false, kinds, reasons: [{ code: 'no_distress_condition' }] };
  return { value: true, kinds, reasons };
}

/** Derives the three categories as of `asOf` ('YYYY-MM-DD'). A child not yet born on `asOf` is in none. */
export function deriveCategories(facts: ChildFacts, asOf: string, settings: CategorySettings = DEFAULT_CATEGORY_SETTINGS): DerivedCategories {
  const age = ageOn(facts.birthDate, asOf);
  if (age < 0 || facts.birthDate > asOf) {
    const notBorn: CategoryReason[] = [{ code: 'not_born', params: { birthDate: facts.birthDate } }];
    return {
      leftBehind: { value: false, reasons: notBorn },
      unsupported: { value: false, reasons: notBorn },
      distress: { value: false, kinds: [], reasons: notBorn },
    };
  }
  const unsupported = deriveUnsupported(facts, age, asOf, settings);
  return {
    leftBehind: deriveLeftBehind(facts, age, asOf, settings),
    unsupported,
    distress: deriveDistress(facts, age, unsupported.value),
  };
}
