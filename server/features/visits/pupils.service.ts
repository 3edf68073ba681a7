/**
 * School contacts (学校联络人): the pupils of their school who are in the
 * register, and their vacation home visits (寒暑假家访). A school contact never
 * reads the child file itself: only what a visit needs.
 */
import { ageOn } from '../../../domain/children/age.js';
import type { ChildProfile } from '../../../domain/children/schema.js';
import type { PupilFacets, PupilHome, PupilQuery, PupilSummary, RecordedVisit, VisitCorrection, VisitInput, VisitRecord } from '../../../domain/visits/schema.js';
import { currentVacation, type VacationWindow } from '../../../domain/visits/vacation.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import { AUTHOR_CORRECTION_MS } from './visit-record.js';
import { countPupils, listOwnVacationVisitsSince, listPupilGroups, listPupils, type PupilRow } from './visits.repository.js';
import { correctVisit, getOwnVisit, recordVisit } from './visits.service.js';

function presentPupil(row: PupilRow, today: string, correctable: PupilSummary['correctableVisit']): PupilSummary {
  const profile = JSON.parse(row.profile) as Pick<ChildProfile, 'schooling'>;
  // 班级 is asked since issue 12: older files have none.
  return {
    id: row.id,
    name: row.name,
    sex: row.sex as PupilSummary['sex'],
    age: ageOn(row.birth_date, today),
    region: { code: row.region_code, name: row.region_name, level: 'village' },
    schoolStatus: row.school_status as PupilSummary['schoolStatus'],
    grade: profile.schooling.grade,
    className: profile.schooling.className ?? null,
    lastVacationVisitDate: row.last_vacation_visit,
    visitedThisVacation: row.visited_this_vacation,
    correctableVisit: correctable,
  };
}

/** The vacation the school's visits count for today (China time). */
export function vacationNow(deps: Pick<Deps, 'clock'>): VacationWindow {
  return currentVacation(localToday(deps.clock));
}

export async function listPupilsOfSchool(deps: Deps, ctx: RequestContext, query: PupilQuery) {
  requirePermission(ctx.actor, 'pupil.read');
  const schoolOrgId = ctx.actor.organisationId;
  if (!schoolOrgId) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
  const { rows, total } = await listPupils(deps.db, deps.dialect, {
    schoolOrgId,
    region: ctx.actor.scopeRegion,
    q: query.q,
    grade: query.grade,
    className: query.class,
    vacation: vacationNow(deps),
    notVisited: query.notVisited === 'true',
    page: query.page,
    pageSize: query.pageSize,
  });
  const today = localToday(deps.clock);
  // His own visits he may still correct (修改), the newest per pupil.
  const since = new Date(deps.clock.now().getTime() - AUTHOR_CORRECTION_MS).toISOString();
  const recent = await listOwnVacationVisitsSince(deps.db, { childIds: rows.map((r) => r.id), visitorId: ctx.actor.id, since });
  const correctable = new Map<string, PupilSummary['correctableVisit']>();
  for (const v of recent) if (!correctable.has(v.child_id)) correctable.set(v.child_id, { id: v.id, visitDate: v.visit_date });
  return { items: rows.map((r) => presentPupil(r, today, correctable.get(r.id) ?? null)), total, page: query.page, pageSize: query.pageSize };
}

// Grades in school order; anything else after them, as text with numbers compared as numbers.
const GRADE_ORDER = ['学前班', '一年级', '二年级', '三年级', '四年级', '五年级', '六年级', '七年级', '八年级', '九年级', '初一', '初二', '初三', '高一', '高二', '高三'];
const collator = new Intl.Collator('zh-CN', { numeric: true });
function compareGrades(a: string, b: string): number {
  const ia = GRADE_ORDER.indexOf(a);
  const ib = GRADE_ORDER.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? GRADE_ORDER.length : ia) - (ib < 0 ? GRADE_ORDER.length : ib) || collator.compare(a, b);
  return collator.compare(a, b);
}

/** What the pupils page's filters offer: the current vacation, the grades of the school's pupils, and the classes (of one grade when given). */
export async function getPupilFacets(deps: Deps, ctx: RequestContext, query: { grade?: string | undefined }): Promise<PupilFacets> {
  requirePermission(ctx.actor, 'pupil.read');
  const vacation = vacationNow(deps);
  const schoolOrgId = ctx.actor.organisationId;
  if (!schoolOrgId) return { vacation, grades: [], classes: [] };
  const groups = await listPupilGroups(deps.db, deps.dialect, { schoolOrgId, region: ctx.actor.scopeRegion, vacation });
  const grades = [...new Set(groups.flatMap((g) => (g.grade ? [g.grade] : [])))].sort(compareGrades);
  const classes = [...new Set(groups.filter((g) => !query.grade || g.grade === query.grade).flatMap((g) => (g.className ? [g.className] : [])))].sort(collator.compare);
  return { vacation, grades, classes };
}

/** The school contact's home: how many pupils, and how many still without a visit this vacation. */
export async function countPupilsOfSchool(deps: Deps, ctx: RequestContext): Promise<PupilHome> {
  requirePermission(ctx.actor, 'pupil.read');
  const vacation = vacationNow(deps);
  const schoolOrgId = ctx.actor.organisationId;
  if (!schoolOrgId) return { vacation, pupils: 0, notVisited: 0 };
  const counts = await countPupils(deps.db, deps.dialect, { schoolOrgId, region: ctx.actor.scopeRegion, vacation });
  return { vacation, pupils: counts.total, notVisited: counts.notVisited };
}

/** One of his own vacation visits, to correct it; anyone else's answers 404. */
export function getPupilVisit(deps: Deps, ctx: RequestContext, id: string): Promise<VisitRecord> {
  return getOwnVisit(deps, ctx, id, 'school');
}

/** A vacation home visit of one of the school's pupils; counts for the child's schedule like any visit. */
export function recordPupilVisit(deps: Deps, ctx: RequestContext, childId: string, input: VisitInput): Promise<{ visit: RecordedVisit; created: boolean }> {
  return recordVisit(deps, ctx, childId, input, 'school');
}

/** The teacher's own correction, within 24 hours of recording. */
export function correctPupilVisit(deps: Deps, ctx: RequestContext, id: string, input: VisitCorrection): Promise<RecordedVisit> {
  return correctVisit(deps, ctx, id, input, 'school');
}
