/**
 * The stored row of a child file built from its facts: categories, schedule,
 * letters, missing facts and the name's spellings all worked out at once
 * (registration, edit, import, demo seed).
 */
import { missingFacts, missingFactsColumn } from '../../../domain/children/facts-missing.js';
import type { CategorySettings } from '../../../domain/children/facts.js';
import { maskIdNumber } from '../../../domain/children/id-number.js';
import { type NameSpelling, spellName } from '../../../domain/children/name-search.js';
import type { ChildCategories } from '../../../domain/children/schema.js';
import { lettersDue, lettersNeeded, type SignedLetter } from '../../../domain/letters/rules.js';
import { computeSchedule, type ScheduleInputs } from '../../../domain/visits/child-schedule.js';
import type { ObservedFactors, RiskOverride } from '../../../domain/visits/risk.js';
import type { ScheduleSettings } from '../../../domain/visits/schedule.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import type { ChildRow, ChildTable } from '../../db/schema.js';
import { agingOutOf, factsOf, type NormalisedChild, sealProfile } from './child-file.js';

/** What a stored file's schedule depends on beyond its facts (carried over when the file is rebuilt). */
export function visitsMetaOf(row: ChildRow): NonNullable<Parameters<typeof buildChildRow>[5]['visits']> {
  return {
    observed: JSON.parse(row.risk_observed) as ObservedFactors,
    override: row.risk_override ? (JSON.parse(row.risk_override) as RiskOverride) : null,
    lastVisitDate: row.last_visit_date,
    openedOn: localToday({ now: () => new Date(row.created_at) }),
    lastSeenDate: row.last_seen_date,
    unseenStreak: row.unseen_streak,
  };
}

export function buildChildRow(
  c: NormalisedChild,
  regionCode: string,
  categories: ChildCategories,
  settings: CategorySettings,
  crypto: Deps['crypto'],
  meta: {
    id: string;
    status: string;
    actorId: string | null;
    now: string;
    /** The name's spellings when the caller has them already (an import spells each distinct name once). */
    spelling?: NameSpelling;
    /** What the schedule depends on beyond the file (kept from the stored row on an edit); a new file has none. */
    visits?: Pick<ScheduleInputs, 'observed' | 'override' | 'lastVisitDate' | 'openedOn'> & { lastSeenDate: string | null; unseenStreak: number };
    schedule?: ScheduleSettings;
    /** The guardianship letters signed so far (an edit may change the carer they were signed for); a new file has none. */
    signedLetters?: readonly SignedLetter[];
  },
): ChildTable {
  const today = localToday({ now: () => new Date(meta.now) });
  const visits = meta.visits ?? { observed: {}, override: null, lastVisitDate: null, openedOn: today, lastSeenDate: null, unseenStreak: 0 };
  const schedule = computeSchedule({ facts: factsOf(c), ...visits }, today, meta.schedule);
  const spelling = meta.spelling ?? spellName(c.name);
  return {
    id: meta.id,
    region_code: regionCode,
    county_code: regionCode.slice(0, 6),
    name: c.name,
    name_pinyin: spelling.pinyin,
    name_initials: spelling.initials,
    name_syllables: spelling.syllables,
    sex: c.sex,
    birth_date: c.birthDate,
    id_hash: c.idNumber ? crypto.keyedHash(c.idNumber) : null,
    id_cipher: c.idNumber ? crypto.encrypt(c.idNumber) : null,
    id_masked: c.idNumber ? maskIdNumber(c.idNumber) : null,
    status: meta.status,
    left_behind: categories.leftBehind.value ? 1 : 0,
    distress: categories.distress.value ? 1 : 0,
    unsupported: categories.unsupported.value ? 1 : 0,
    risk_level: schedule.risk.level,
    school_status: c.profile.schooling.status,
    aging_out_date: agingOutOf(c.birthDate, categories, settings),
    profile: JSON.stringify(sealProfile(c.profile, crypto)),
    categories: JSON.stringify(categories),
    review_comment: null,
    close_reason: null,
    close_note: null,
    closed_at: null,
    version: 1,
    created_by: meta.actorId,
    created_at: meta.now,
    updated_at: meta.now,
    risk_factors: JSON.stringify(schedule.risk.factors),
    risk_observed: JSON.stringify(visits.observed),
    risk_override: visits.override ? JSON.stringify(visits.override) : null,
    last_visit_date: visits.lastVisitDate,
    last_seen_date: visits.lastSeenDate,
    unseen_streak: visits.unseenStreak,
    next_visit_due: schedule.nextDue,
    school_org_id: c.profile.schooling.schoolOrgId ?? null,
    letters_needed: lettersNeeded(c.profile.caregiver).length,
    letters_due: lettersDue(c.profile.caregiver, meta.signedLetters ?? []),
    missing_facts: missingFactsColumn(missingFacts(factsOf(c))),
  };
}
