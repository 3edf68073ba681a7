import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import {
  CampaignDetail,
  CampaignDetailQuery,
  CampaignInput,
  CampaignListQuery,
  CampaignPage,
  CampaignPreview,
  CampaignPreviewQuery,
  CampaignTaskDetail,
  CampaignTaskPage,
  CampaignTaskQuery,
} from '../../../domain/visits/schema.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, requestLocale, type Api } from '../../core/http.js';
import { closeCampaign, createCampaign, exportCampaign, getCampaign, getCampaignTask, listCampaignTasks, listCampaignsInScope, previewCampaign } from './campaigns.service.js';

const tags = ['campaigns'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) => `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;
const IdParams = z.object({ id: Id });

export function campaignsRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/campaigns',
    { config: { access: 'campaign.read' }, schema: { tags, summary: 'Key verification campaigns (重点核查) overlapping the scope; counts are of the tasks in scope', querystring: CampaignListQuery, response: { 200: CampaignPage } } },
    (req) => listCampaignsInScope(deps, contextOf(req), req.query),
  );
  app.get(
    '/api/campaigns/preview',
    { config: { access: 'campaign.manage' }, schema: { tags, summary: 'How many active children a campaign over this region and categories would give a task', querystring: CampaignPreviewQuery, response: { 200: CampaignPreview } } },
    (req) => previewCampaign(deps, contextOf(req), req.query),
  );
  app.post(
    '/api/campaigns',
    { config: { access: 'campaign.manage' }, schema: { tags, summary: 'Open a campaign: a task for every active child of the region (in the categories, if any), in one transaction', body: CampaignInput, response: { 201: CampaignDetail } } },
    async (req, reply) => reply.status(201).send(await createCampaign(deps, contextOf(req), req.body)),
  );
  app.get(
    '/api/campaigns/:id',
    { config: { access: 'campaign.read' }, schema: { tags, summary: 'A campaign with progress per sub-region of the scope (or of ?region=)', params: IdParams, querystring: CampaignDetailQuery, response: { 200: CampaignDetail } } },
    (req) => getCampaign(deps, contextOf(req), req.params.id, req.query),
  );
  app.get(
    '/api/campaigns/:id/tasks',
    { config: { access: 'campaign.read' }, schema: { tags, summary: 'The tasks of a campaign in scope, in village order', params: IdParams, querystring: CampaignTaskQuery, response: { 200: CampaignTaskPage } } },
    (req) => listCampaignTasks(deps, contextOf(req), req.params.id, req.query),
  );
  app.post(
    '/api/campaigns/:id/close',
    { config: { access: 'campaign.manage' }, schema: { tags, summary: 'Close a campaign and store its summary; open tasks stay not done', params: IdParams, response: { 200: CampaignDetail } } },
    (req) => closeCampaign(deps, contextOf(req), req.params.id),
  );
  // The task list names children: the same right as the child export (audited).
  app.get(
    '/api/campaigns/:id/export.xlsx',
    { config: { access: 'child.export' }, schema: { tags, summary: 'Summary and task list in scope as xlsx (audited)', params: IdParams, querystring: CampaignDetailQuery, response: { 200: z.unknown() } } },
    async (req, reply) => {
      const { fileName, stream, count } = await exportCampaign(deps, contextOf(req), req.params.id, req.query, requestLocale(req));
      return reply.header('content-type', XLSX).header('content-disposition', attachment(fileName)).header('x-total-count', String(count)).send(stream);
    },
  );
  app.get(
    '/api/campaign-tasks/:taskId',
    { config: { access: 'campaign.read' }, schema: { tags, summary: 'One task with its campaign checklist (the visit form that completes it)', params: z.object({ taskId: Id }), response: { 200: CampaignTaskDetail } } },
    (req) => getCampaignTask(deps, contextOf(req), req.params.taskId),
  );
}
