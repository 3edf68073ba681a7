import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { ChildDetail, FileRef } from '../../../domain/children/schema.js';
import {
  ChildTimeline,
  PupilFacets,
  PupilPage,
  PupilQuery,
  RecordedVisit,
  RiskOverrideInput,
  ScheduleSettingsSchema,
  VisitCorrection,
  VisitInput,
  VisitListQuery,
  VisitPage,
  VisitRecord,
} from '../../../domain/visits/schema.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid } from '../../core/errors.js';
import { contextOf, type Api } from '../../core/http.js';
import { MAX_IMAGE_BYTES } from '../files/files.service.js';
import { correctPupilVisit, getPupilFacets, getPupilVisit, listPupilsOfSchool, recordPupilVisit } from './pupils.service.js';
import { getChildTimeline } from './timeline.service.js';
import { correctVisit, getScheduleSettings, getVisit, listVisitsOfChild, overrideRisk, recordVisit, setScheduleSettings, uploadVisitPhoto } from './visits.service.js';

const params = z.object({ id: Id });
const tags = ['visits'];

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
  app.post(
    '/api/children/:id/visits',
    {
      config: { access: 'visit.record' },
      schema: {
        tags,
        summary: 'Record a visit: risk and next due date move in the same transaction. 201 new; 200 when the client id was already stored (nothing written twice)',
        params,
        body: VisitInput,
        response: { 200: RecordedVisit, 201: RecordedVisit },
      },
    },
    async (req, reply) => {
      const { visit, created } = await recordVisit(deps, contextOf(req), req.params.id, req.body);
      return reply.status(created ? 201 : 200).send(visit);
    },
  );
  app.get(
    '/api/children/:id/visits',
    { config: { access: 'child.read' }, schema: { tags, summary: 'The child’s visits, newest first', params, querystring: VisitListQuery, response: { 200: VisitPage } } },
    (req) => listVisitsOfChild(deps, contextOf(req), req.params.id, req.query.page, req.query.pageSize),
  );
  app.get(
    '/api/visits/:id',
    { config: { access: 'child.read' }, schema: { tags, summary: 'One visit, for whoever may read its child', params, response: { 200: VisitRecord } } },
    (req) => getVisit(deps, contextOf(req), req.params.id),
  );
  app.put(
    '/api/visits/:id',
    {
      config: { access: 'visit.record' },
      schema: {
        tags,
        summary: 'Correct a visit: its author within 24 hours; later, or someone else’s, a supervisor with a reason. Kept as a revision; 409 on a stale version',
        params,
        body: VisitCorrection,
        response: { 200: RecordedVisit },
      },
    },
    (req) => correctVisit(deps, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/children/:id/risk',
    {
      config: { access: 'risk.override' },
      schema: { tags, summary: 'Set the child’s risk level by hand with a reason (level null clears); the due date follows', params, body: RiskOverrideInput, response: { 200: ChildDetail } },
    },
    (req) => overrideRisk(deps, contextOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/children/:id/timeline',
    { config: { access: 'child.read' }, schema: { tags, summary: 'Visits, risk changes, registration, transfers, closure… newest first', params, response: { 200: ChildTimeline } } },
    (req) => getChildTimeline(deps, contextOf(req), req.params.id),
  );

  // School contacts (学校联络人): their pupils in the register and vacation home visits; never the child file.
  app.get(
    '/api/pupils',
    { config: { access: 'pupil.read' }, schema: { tags: ['pupils'], summary: 'The school’s pupils who are in the register (active files), by name, grade, class and not yet visited this vacation (本假期未家访)', querystring: PupilQuery, response: { 200: PupilPage } } },
    (req) => listPupilsOfSchool(deps, contextOf(req), req.query),
  );
  app.get(
    '/api/pupils/facets',
    {
      config: { access: 'pupil.read' },
      schema: {
        tags: ['pupils'],
        summary: 'The current vacation window and the grades and classes of the school’s pupils, for the filters',
        querystring: PupilQuery.pick({ grade: true }),
        response: { 200: PupilFacets },
      },
    },
    (req) => getPupilFacets(deps, contextOf(req), req.query),
  );
  app.post(
    '/api/pupils/:id/visits',
    {
      config: { access: 'pupil.visit' },
      schema: {
        tags: ['pupils'],
        summary: 'Record a vacation home visit (kind school_vacation, with dropoutRisk) of one of the school’s pupils; 201 new, 200 when resent',
        params,
        body: VisitInput,
        response: { 200: RecordedVisit, 201: RecordedVisit },
      },
    },
    async (req, reply) => {
      const { visit, created } = await recordPupilVisit(deps, contextOf(req), req.params.id, req.body);
      return reply.status(created ? 201 : 200).send(visit);
    },
  );
  app.get(
    '/api/pupils/visits/:id',
    {
      config: { access: 'pupil.visit' },
      schema: { tags: ['pupils'], summary: 'One’s own vacation visit (to correct it); anyone else’s answers 404', params, response: { 200: VisitRecord } },
    },
    (req) => getPupilVisit(deps, contextOf(req), req.params.id),
  );
  app.put(
    '/api/pupils/visits/:id',
    {
      config: { access: 'pupil.visit' },
      schema: { tags: ['pupils'], summary: 'Correct one’s own vacation visit within 24 hours of recording it', params, body: VisitCorrection, response: { 200: RecordedVisit } },
    },
    (req) => correctPupilVisit(deps, contextOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/settings/visit-schedule',
    { config: { access: 'authenticated' }, schema: { tags: ['settings'], summary: 'Visit intervals per risk level, the priority groups’ maximum, the due-soon window', response: { 200: ScheduleSettingsSchema } } },
    () => getScheduleSettings(deps),
  );
  app.put(
    '/api/settings/visit-schedule',
    {
      config: { access: 'settings.manage' },
      schema: { tags: ['settings'], summary: 'Change the visit intervals; every open file’s due date is recomputed', body: ScheduleSettingsSchema, response: { 200: ScheduleSettingsSchema } },
    },
    (req) =>
      setScheduleSettings(deps, contextOf(req), req.body, (done) =>
        void done.then((r) => req.log.info({ result: r }, 'schedules recomputed after a settings change')).catch((err: unknown) => req.log.error({ err }, 'schedule recomputation failed')),
      ),
  );

  void app.register(async (scope: FastifyInstance) => {
    await scope.register(fastifyMultipart, { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 2, parts: 3 } });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/children/:id/visit-photos',
      {
        config: { access: 'visit.record' },
        schema: {
          tags,
          summary: 'Upload a visit photo before saving the visit (multipart "file": JPEG, PNG or WebP ≤ 10 MB; field or query keepLocation=true keeps the EXIF location)',
          params,
          response: { 201: FileRef },
        },
      },
      async (req, reply) => {
        const upload = await readPhotoUpload(req);
        return reply.status(201).send(await uploadVisitPhoto(deps, contextOf(req), req.params.id, upload.buffer, upload.keepLocation));
      },
    );
  });
}
