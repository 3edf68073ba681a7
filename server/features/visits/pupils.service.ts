/**
 * School contacts (学校联络人): the pupils of their school who are in the
 * register, and their vacation home visits (寒暑假家访). A school contact never
 * reads the child file itself: only what a visit needs.
 */
import { ageOn } from '../../../domain/children/age.js';
import type { ChildProfile } from '../../../domain/children/schema.js';
import type { PupilSummary, RecordedVisit, VisitCorrection, VisitInput } from '../../../domain/visits/schema.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import { listPupils, type PupilRow } from './visits.repository.js';
import { correctVisit, recordVisit } from './visits.service.js';

function presentPupil(row: PupilRow, today: string): PupilSummary {
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
  };
}

export async function listPupilsOfSchool(deps: Deps, ctx: RequestContext, query: { q?: string | undefined; page: number; pageSize: number }) {
  requirePermission(ctx.actor, 'pupil.read');
  const schoolOrgId = ctx.actor.organisationId;
  if (!schoolOrgId) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
  const { rows, total } = await listPupils(deps.db, { schoolOrgId, region: ctx.actor.scopeRegion, q: query.q, page: query.page, pageSize: query.pageSize });
  const today = localToday(deps.clock);
  return { items: rows.map((r) => presentPupil(r, today)), total, page: query.page, pageSize: query.pageSize };
}

/** A vacation home visit of one of the school's pupils; counts for the child's schedule like any visit. */
export function recordPupilVisit(deps: Deps, ctx: RequestContext, childId: string, input: VisitInput): Promise<{ visit: RecordedVisit; created: boolean }> {
  return recordVisit(deps, ctx, childId, input, 'school');
}

/** The teacher's own correction, within 24 hours of recording. */
export function correctPupilVisit(deps: Deps, ctx: RequestContext, id: string, input: VisitCorrection): Promise<RecordedVisit> {
  return correctVisit(deps, ctx, id, input, 'school');
}
