import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { CampaignDetail, CampaignDetailQuery, CampaignInput, CampaignListQuery, CampaignPage, CampaignPreview, CampaignPreviewQuery, CampaignTaskDetail, CampaignTaskPage, CampaignTaskQuery } from '../../../domain/visits/schema.js';
import type { Deps } from '../../core/deps.js';
import { requestLocale, type Api } from '../../core/http.js';
import { routesOf, sendXlsx } from '../../core/route.js';
import { closeCampaign, createCampaign, exportCampaign, getCampaign, getCampaignTask, listCampaignTasks, listCampaignsInScope, previewCampaign } from './campaigns.service.js';

const IdParams = z.object({ id: Id });

export function campaignsRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['campaigns']);
  route.get('/api/campaigns', 'campaign.read', { summary: 'Key verification campaigns (重点核查) overlapping the scope; counts are of the tasks in scope', query: CampaignListQuery, response: CampaignPage }, ({ ctx, query }) => listCampaignsInScope(deps, ctx, query));
  route.get('/api/campaigns/preview', 'campaign.manage', { summary: 'How many active children a campaign over this region and categories would give a task', query: CampaignPreviewQuery, response: CampaignPreview }, ({ ctx, query }) => previewCampaign(deps, ctx, query));
  route.post('/api/campaigns', 'campaign.manage', { summary: 'Open a campaign: a task for every active child of the region (in the categories, if any), in one transaction', body: CampaignInput, response: CampaignDetail, status: 201 }, ({ ctx, body }) => createCampaign(deps, ctx, body));
  route.get('/api/campaigns/:id', 'campaign.read', { summary: 'A campaign with progress per sub-region of the scope (or of ?region=)', params: IdParams, query: CampaignDetailQuery, response: CampaignDetail }, ({ ctx, params, query }) => getCampaign(deps, ctx, params.id, query));
  route.get('/api/campaigns/:id/tasks', 'campaign.read', { summary: 'The tasks of a campaign in scope, in village order', params: IdParams, query: CampaignTaskQuery, response: CampaignTaskPage }, ({ ctx, params, query }) => listCampaignTasks(deps, ctx, params.id, query));
  route.post('/api/campaigns/:id/close', 'campaign.manage', { summary: 'Close a campaign and store its summary; open tasks stay not done', params: IdParams, response: CampaignDetail }, ({ ctx, params }) => closeCampaign(deps, ctx, params.id));
  // The task list names children: the same right as the child export (audited).
  route.get('/api/campaigns/:id/export.xlsx', 'child.export', { summary: 'Summary and task list in scope as xlsx (audited)', params: IdParams, query: CampaignDetailQuery, response: z.unknown() }, async ({ ctx, params, query, req, reply }) => {
    const { fileName, stream, count } = await exportCampaign(deps, ctx, params.id, query, requestLocale(req));
    return sendXlsx(reply, { fileName, body: stream, count });
  });
  route.get('/api/campaign-tasks/:taskId', 'campaign.read', { summary: 'One task with its campaign checklist (the visit form that completes it)', params: z.object({ taskId: Id }), response: CampaignTaskDetail }, ({ ctx, params }) => getCampaignTask(deps, ctx, params.taskId));
}
