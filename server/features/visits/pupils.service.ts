/**
 * School contacts (学校联络人): the pupils of their school who are in the
 * register, and their vacation home visits (寒暑假家访). A school contact never
 * reads the child file itself: only what a visit needs.
 */
import { ageOn } from '../../../domain/children/age.js';
import type { ChildProfile } from '../../../domain/children/schema.js';
import type { PupilSummary, RecordedVisit, VisitCorrection, VisitInput, VisitRecord } from '../../../domain/visits/schema.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import { AUTHOR_CORRECTION_MS } from './visit-record.js';
import { listOwnVacationVisitsSince, listPupils, type PupilRow } from './visits.repository.js';
import { correctVisit, getOwnVisit, recordVisit } from './visits.service.js';

function presentPupil(row: PupilRow, today: string, correctable: PupilSummary['correctableVisit']): PupilSummary {
  const profile = JSON.parse(row.profile) as Pick<ChildProfile, 'schooling'>;
  return {
    id: row.id,
    name: row.name,
    sex: row.sex as PupilSummary['sex'],
    age: ageOn(row.birth_date, today),
    region: { code: row.region_code, name: row.region_name, level: 'village' },
    schoolStatus: row.school_status as PupilSummary['schoolStatus'],
    grade: profile.schooling.grade,
    lastVacationVisitDate: row.last_vacation_visit,
    correctableVisit: correctable,
  };
}

export async function listPupilsOfSchool(deps: Deps, ctx: RequestContext, query: { q?: string | undefined; page: number; pageSize: number }) {
  requirePermission(ctx.actor, 'pupil.read');
  const schoolOrgId = ctx.actor.organisationId;
  if (!schoolOrgId) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
  const { rows, total } = await listPupils(deps.db, { schoolOrgId, region: ctx.actor.scopeRegion, q: query.q, page: query.page, pageSize: query.pageSize });
  const today = localToday(deps.clock);
  // His own visits he may still correct (修改), the newest per pupil.
  const since = new Date(deps.clock.now().getTime() - AUTHOR_CORRECTION_MS).toISOString();
  const recent = await listOwnVacationVisitsSince(deps.db, { childIds: rows.map((r) => r.id), visitorId: ctx.actor.id, since });
  const correctable = new Map<string, PupilSummary['correctableVisit']>();
  for (const v of recent) if (!correctable.has(v.child_id)) correctable.set(v.child_id, { id: v.id, visitDate: v.visit_date });
  return { items: rows.map((r) => presentPupil(r, today, correctable.get(r.id) ?? null)), total, page: query.page, pageSize: query.pageSize };
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
