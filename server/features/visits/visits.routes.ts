import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { ChildDetail, FileRef } from '../../../domain/children/schema.js';
import { ChildTimeline, PupilFacets, PupilPage, PupilQuery, RecordedVisit, RiskOverrideInput, ScheduleSettingsSchema, VisitCorrection, VisitInput, VisitListQuery, VisitPage, VisitRecord } from '../../../domain/visits/schema.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid } from '../../core/errors.js';
import type { Api } from '../../core/http.js';
import { logWhenDone, routesOf } from '../../core/route.js';
import { IMAGE_UPLOAD_LIMITS } from '../files/files.routes.js';
import { correctPupilVisit, getPupilFacets, getPupilVisit, listPupilsOfSchool, recordPupilVisit } from './pupils.service.js';
import { getChildTimeline } from './timeline.service.js';
import { correctVisit, getScheduleSettings, getVisit, listVisitsOfChild, overrideRisk, recordVisit, setScheduleSettings, uploadVisitPhoto } from './visits.service.js';

const params = z.object({ id: Id });

/** The photo of a multipart upload (field "file") and the optional field keepLocation, in either order. */
async function readPhotoUpload(req: FastifyRequest): Promise<{ buffer: Buffer; keepLocation: boolean }> {
  let buffer: Buffer | null = null;
  let keepLocation = (req.query as { keepLocation?: string }).keepLocation === 'true';
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || buffer) {
          await part.toBuffer();
          continue;
        }
        buffer = await part.toBuffer();
      } else if (part.fieldname === 'keepLocation') {
        keepLocation = part.value === 'true' || part.value === '1';
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw invalid('file', 'image_too_large');
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw invalid('file', 'file_required');
    throw err;
  }
  if (!buffer) throw invalid('file', 'file_required');
  return { buffer, keepLocation };
}

export function visitsRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['visits']);
  // 201 new; 200 when the client id was already stored (nothing written twice).
  route.post('/api/children/:id/visits', 'visit.record', { summary: 'Record a visit: risk and next due date move in the same transaction. 201 new; 200 when the client id was already stored (nothing written twice)', params, body: VisitInput, response: RecordedVisit, status: 201, alsoStatus: [200] }, async ({ ctx, params, body, reply }) => {
    const { visit, created } = await recordVisit(deps, ctx, params.id, body);
    return reply.status(created ? 201 : 200).send(visit);
  });
  route.get('/api/children/:id/visits', 'child.read', { summary: 'The child’s visits, newest first', params, query: VisitListQuery, response: VisitPage }, ({ ctx, params, query }) => listVisitsOfChild(deps, ctx, params.id, query.page, query.pageSize));
  route.get('/api/visits/:id', 'child.read', { summary: 'One visit, for whoever may read its child', params, response: VisitRecord }, ({ ctx, params }) => getVisit(deps, ctx, params.id));
  route.put('/api/visits/:id', 'visit.record', { summary: 'Correct a visit: its author within 24 hours; later, or someone else’s, a supervisor with a reason. Kept as a revision; 409 on a stale version', params, body: VisitCorrection, response: RecordedVisit }, ({ ctx, params, body }) => correctVisit(deps, ctx, params.id, body));
  route.post('/api/children/:id/risk', 'risk.override', { summary: 'Set the child’s risk level by hand with a reason (level null clears); the due date follows', params, body: RiskOverrideInput, response: ChildDetail }, ({ ctx, params, body }) => overrideRisk(deps, ctx, params.id, body));
  route.get('/api/children/:id/timeline', 'child.read', { summary: 'Visits, risk changes, registration, transfers, closure… newest first', params, response: ChildTimeline }, ({ ctx, params }) => getChildTimeline(deps, ctx, params.id));

  // School contacts (学校联络人): their pupils in the register and vacation home visits; never the child file.
  route.get('/api/pupils', 'pupil.read', { tags: ['pupils'], summary: 'The school’s pupils who are in the register (active files), by name, grade, class and not yet visited this vacation (本假期未家访)', query: PupilQuery, response: PupilPage }, ({ ctx, query }) => listPupilsOfSchool(deps, ctx, query));
  route.get('/api/pupils/facets', 'pupil.read', { tags: ['pupils'], summary: 'The current vacation window and the grades and classes of the school’s pupils, for the filters', query: PupilQuery.pick({ grade: true }), response: PupilFacets }, ({ ctx, query }) => getPupilFacets(deps, ctx, query));
  route.post('/api/pupils/:id/visits', 'pupil.visit', { tags: ['pupils'], summary: 'Record a vacation home visit (kind school_vacation, with dropoutRisk) of one of the school’s pupils; 201 new, 200 when resent', params, body: VisitInput, response: RecordedVisit, status: 201, alsoStatus: [200] }, async ({ ctx, params, body, reply }) => {
    const { visit, created } = await recordPupilVisit(deps, ctx, params.id, body);
    return reply.status(created ? 201 : 200).send(visit);
  });
  route.get('/api/pupils/visits/:id', 'pupil.visit', { tags: ['pupils'], summary: 'One’s own vacation visit (to correct it); anyone else’s answers 404', params, response: VisitRecord }, ({ ctx, params }) => getPupilVisit(deps, ctx, params.id));
  route.put('/api/pupils/visits/:id', 'pupil.visit', { tags: ['pupils'], summary: 'Correct one’s own vacation visit within 24 hours of recording it', params, body: VisitCorrection, response: RecordedVisit }, ({ ctx, params, body }) => correctPupilVisit(deps, ctx, params.id, body));

  route.get('/api/settings/visit-schedule', 'authenticated', { tags: ['settings'], summary: 'Visit intervals per risk level, the priority groups’ maximum, the due-soon window', response: ScheduleSettingsSchema }, () => getScheduleSettings(deps));
  route.put('/api/settings/visit-schedule', 'settings.manage', { tags: ['settings'], summary: 'Change the visit intervals; every open file’s due date is recomputed', body: ScheduleSettingsSchema, response: ScheduleSettingsSchema }, ({ ctx, body, req }) =>
    setScheduleSettings(deps, ctx, body, logWhenDone(req, 'schedules recomputed after a settings change', 'schedule recomputation failed')),
  );

  route.upload(
    '/api/children/:id/visit-photos',
    'visit.record',
    IMAGE_UPLOAD_LIMITS,
    { summary: 'Upload a visit photo before saving the visit (multipart "file": JPEG, PNG or WebP ≤ 10 MB; field or query keepLocation=true keeps the EXIF location)', params, response: FileRef, status: 201 },
    async ({ ctx, params, req }) => {
      const upload = await readPhotoUpload(req);
      return uploadVisitPhoto(deps, ctx, params.id, upload.buffer, upload.keepLocation);
    },
  );
}
