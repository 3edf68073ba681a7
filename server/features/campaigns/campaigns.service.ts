/**
 * Key verification campaigns (重点核查, DESIGN §4, issue 4 item 4).
 *
 * An admin opens a campaign over a region of his scope; every active child
 * there (in the chosen categories) gets a task in the same transaction.
 * Directors complete tasks by recording a visit of kind key_verification
 * (features/visits writes the completion). A campaign is visible to everyone
 * whose scope overlaps its region, and each viewer counts only the tasks
 * inside his own scope. Closing stores a summary; open tasks stay not done.
 * A task moves with its child (children/child-transfer.ts moveChild): out of the
 * campaign's region it leaves every count and list of the campaign, which
 * shows only how many did (movedAway).
 */
import type { Readable } from 'node:stream';
import { v7 } from 'uuid';
import { randomBytes } from 'node:crypto';
import { can } from '../../../domain/access.js';
import type { RegionRef } from '../../../domain/api.js';
import type { Locale } from '../../../domain/locale.js';
import { ancestorCodes, isWithinRegion, regionLevel, type RegionLevel } from '../../../domain/regions.js';
import type {
  CampaignDetail,
  CampaignInput,
  CampaignProgress,
  CampaignRecord,
  CampaignSummary,
  CampaignTaskDetail,
  CampaignTaskRow,
} from '../../../domain/visits/schema.js';
import { isInScope, requirePermission } from '../../core/access.js';
import type { Actor, RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { audit, auditRead } from '../audit/audit.service.js';
import { findRegion, findRegions } from '../regions/regions.repository.js';
import { writeCampaignWorkbook } from './campaign-export.js';
import {
  countMatchingChildren,
  countTasksByCampaign,
  countTasksBySubregion,
  countTasksMovedAway,
  findCampaignOverlapping,
  findTaskInScope,
  insertCampaign,
  insertTasksForMatchingChildren,
  listCampaigns,
  listProblemAnswers,
  listTasks,
  markCampaignClosed,
  storeCampaignSummary,
  type CampaignCategory,
  type CampaignWithRegion,
  type TaskCounts,
  type TaskListRow,
} from './campaigns.repository.js';

const CATEGORY_SET: readonly CampaignCategory[] = ['left_behind', 'distress', 'unsupported'];
const NO_COUNTS: TaskCounts = { tasks: 0, done: 0, problems: 0 };

type Checklist = CampaignRecord['checklist'];

// ---------------------------------------------------------------- presenters

function presentCampaign(row: CampaignWithRegion, counts: TaskCounts): CampaignRecord {
  return {
    id: row.id,
    name: row.name,
    region: { code: row.region_code, name: row.region_name, level: row.region_level as RegionLevel },
    startDate: row.start_date,
    endDate: row.end_date,
    categories: JSON.parse(row.categories) as string[],
    checklist: JSON.parse(row.checklist) as Checklist,
    status: row.status as CampaignRecord['status'],
    tasks: counts.tasks,
    done: counts.done,
    problems: counts.problems,
    createdAt: row.created_at,
    closedAt: row.closed_at,
  };
}

function presentTask(row: TaskListRow): CampaignTaskRow {
  return {
    id: row.id,
    childId: row.child_id,
    childName: row.child_name,
    region: { code: row.region_code, name: row.village_name, level: 'village' },
    township: row.township_name ?? '',
    status: row.status as CampaignTaskRow['status'],
    problems: row.problems,
    doneAt: row.done_at,
    visitId: row.visit_id,
  };
}

function presentProgress(rows: Awaited<ReturnType<typeof countTasksBySubregion>>): CampaignProgress[] {
  return rows.map((r) => ({ region: { code: r.code, name: r.name, level: r.level as RegionLevel }, tasks: r.tasks, done: r.done, problems: r.problems }));
}

// ---------------------------------------------------------------- scope

/** Of two overlapping regions, the one inside the other. */
function narrower(a: string, b: string): string {
  return isWithinRegion(a, b) ? a : b;
}

/** The part of the campaign this viewer sees: his scope or the campaign's region, whichever lies inside the other. */
function viewRoot(actor: Actor, campaign: CampaignWithRegion): string {
  return narrower(actor.scopeRegion, campaign.region_code);
}

/** Closing (and the stored report) belong to those whose scope holds the whole campaign region. */
function holdsWholeCampaign(actor: Actor, campaign: CampaignWithRegion): boolean {
  return isInScope(actor, campaign.region_code);
}

async function visibleCampaign(db: Db, actor: Actor, id: string): Promise<CampaignWithRegion> {
  const campaign = await findCampaignOverlapping(db, id, actor.scopeRegion);
  if (!campaign) throw notFound();
  return campaign;
}

/** A region filter must lie inside what the viewer sees of the campaign; anything else is "not found". */
function regionWithin(root: string, region: string | undefined): string {
  if (region === undefined) return root;
  if (!isWithinRegion(region, root)) throw notFound();
  return region;
}

// ---------------------------------------------------------------- create

function parseCategories(text: string | undefined): CampaignCategory[] {
  if (!text) return [];
  const parts = [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
  if (parts.some((p) => !(CATEGORY_SET as readonly string[]).includes(p))) throw invalid('categories', 'invalid_value');
  return parts as CampaignCategory[];
}

const isRealDate = (date: string) => !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;

async function campaignRegion(db: Db, actor: Actor, code: string) {
  const region = await findRegion(db, code);
  if (!region || region.valid_to !== null || !isInScope(actor, region.code)) throw invalid('regionCode', 'not_found');
  return region;
}

/** How many tasks a campaign would create: the form shows it before the admin commits. */
export async function previewCampaign(deps: Deps, ctx: RequestContext, query: { regionCode: string; categories?: string | undefined }): Promise<{ children: number }> {
  requirePermission(ctx.actor, 'campaign.manage');
  // A query about a region outside scope finds nothing, like every scoped read.
  const region = await findRegion(deps.db, query.regionCode);
  if (!region || region.valid_to !== null || !isInScope(ctx.actor, region.code)) throw notFound();
  return { children: await countMatchingChildren(deps.db, { regionCode: region.code, categories: parseCategories(query.categories) }) };
}

function validateInput(deps: Deps, input: CampaignInput): void {
  if (!isRealDate(input.startDate)) throw invalid('startDate', 'no_such_date');
  if (!isRealDate(input.endDate)) throw invalid('endDate', 'no_such_date');
  if (input.endDate < input.startDate) throw invalid('endDate', 'end_before_start');
  if (input.endDate < localToday(deps.clock)) throw invalid('endDate', 'past_date');
  const keys = input.checklist.map((item) => item.key);
  if (new Set(keys).size !== keys.length) throw invalid('checklist', 'duplicate_key');
}

/** The first 24 characters of a UUIDv7 with fresh random bits: the millisecond and 26 random bits, shared by one campaign's task ids. */
function taskIdPrefix(): string {
  return v7({ random: randomBytes(16) }).slice(0, 24);
}

export async function createCampaign(deps: Deps, ctx: RequestContext, input: CampaignInput): Promise<CampaignDetail> {
  requirePermission(ctx.actor, 'campaign.manage');
  validateInput(deps, input);
  const categories = CATEGORY_SET.filter((c) => input.categories.includes(c));
  const id = newId();
  await inTransaction(deps.db, async (trx) => {
    const region = await campaignRegion(trx, ctx.actor, input.regionCode);
    await insertCampaign(trx, {
      id,
      name: input.name,
      region_code: region.code,
      start_date: input.startDate,
      end_date: input.endDate,
      categories: JSON.stringify(categories),
      checklist: JSON.stringify(input.checklist),
      status: 'open',
      created_by: ctx.actor.id,
      created_at: deps.clock.now().toISOString(),
      closed_by: null,
      closed_at: null,
      summary: null,
    });
    const tasks = await insertTasksForMatchingChildren(trx, deps.dialect, { campaignId: id, idPrefix: taskIdPrefix(), regionCode: region.code, categories });
    await audit(trx, deps, ctx, {
      action: 'campaign.create',
      targetType: 'campaign',
      targetId: id,
      regionCode: region.code,
      details: { name: input.name, startDate: input.startDate, endDate: input.endDate, categories, checklist: input.checklist.map((i) => i.key), tasks },
    });
  });
  return getCampaign(deps, ctx, id, {});
}

// ---------------------------------------------------------------- read

export async function listCampaignsInScope(deps: Deps, ctx: RequestContext, query: { status?: 'open' | 'closed' | undefined; page: number; pageSize: number }) {
  requirePermission(ctx.actor, 'campaign.read');
  const { rows, total } = await listCampaigns(deps.db, { scopeRegion: ctx.actor.scopeRegion, ...query });
  // Every viewer counts the tasks inside his scope: the director his village's, the county admin his county's.
  const counts = await countTasksByCampaign(
    deps.db,
    rows.map((r) => r.id),
    ctx.actor.scopeRegion,
  );
  return { items: rows.map((r) => presentCampaign(r, counts.get(r.id) ?? NO_COUNTS)), total, page: query.page, pageSize: query.pageSize };
}

async function regionRefs(db: Db, codes: string[]): Promise<RegionRef[]> {
  const rows = await findRegions(db, codes);
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return codes.map((code) => {
    const r = byCode.get(code);
    return { code, name: r?.name ?? code, level: (r?.level as RegionLevel | undefined) ?? regionLevel(code) };
  });
}

export async function getCampaign(deps: Deps, ctx: RequestContext, id: string, query: { region?: string | undefined }): Promise<CampaignDetail> {
  requirePermission(ctx.actor, 'campaign.read');
  const campaign = await visibleCampaign(deps.db, ctx.actor, id);
  const root = viewRoot(ctx.actor, campaign);
  const progressRegion = regionWithin(root, query.region);
  const whole = holdsWholeCampaign(ctx.actor, campaign);
  const [counts, progress, path, movedAway] = await Promise.all([
    countTasksByCampaign(deps.db, [id], root),
    countTasksBySubregion(deps.db, id, progressRegion),
    regionRefs(
      deps.db,
      ancestorCodes(progressRegion).filter((code) => isWithinRegion(code, root)),
    ),
    whole ? countTasksMovedAway(deps.db, id, campaign.region_code) : null,
  ]);
  return {
    ...presentCampaign(campaign, counts.get(id) ?? NO_COUNTS),
    progress: presentProgress(progress),
    progressRegion: path[path.length - 1]!,
    progressPath: path,
    createdBy: campaign.creator_name,
    summary: whole && campaign.summary ? (JSON.parse(campaign.summary) as CampaignSummary) : null,
    movedAway,
    canClose: campaign.status === 'open' && whole && can(ctx.actor.role, 'campaign.manage'),
  };
}

export async function listCampaignTasks(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  query: { status?: 'open' | 'done' | undefined; region?: string | undefined; page: number; pageSize: number },
) {
  requirePermission(ctx.actor, 'campaign.read');
  const campaign = await visibleCampaign(deps.db, ctx.actor, id);
  const region = regionWithin(viewRoot(ctx.actor, campaign), query.region);
  const { rows, total } = await listTasks(deps.db, { campaignId: id, region, status: query.status, page: query.page, pageSize: query.pageSize });
  return { items: rows.map(presentTask), total, page: query.page, pageSize: query.pageSize };
}

/** One task with its campaign's checklist, for the visit form that completes it; scoped by the task's village. */
export async function getCampaignTask(deps: Deps, ctx: RequestContext, taskId: string): Promise<CampaignTaskDetail> {
  requirePermission(ctx.actor, 'campaign.read');
  const task = await findTaskInScope(deps.db, taskId, ctx.actor.scopeRegion);
  // A task whose child moved out of the campaign's region went with the child, but the campaign is not the new village's.
  if (!task || !isWithinRegion(task.region_code, task.campaign_region)) throw notFound();
  return {
    id: task.id,
    campaignId: task.campaign_id,
    campaignName: task.campaign_name,
    campaignStatus: task.campaign_status as CampaignTaskDetail['campaignStatus'],
    startDate: task.start_date,
    endDate: task.end_date,
    checklist: JSON.parse(task.checklist) as Checklist,
    childId: task.child_id,
    childName: task.child_name,
    status: task.status as CampaignTaskDetail['status'],
    visitId: task.visit_id,
  };
}

// ---------------------------------------------------------------- close

/** Per checklist item, how many of the given answers ({ [key]: { ok, note } }) said "not ok". */
function countItemProblems(checklist: Checklist, answers: (string | null)[]): CampaignSummary['items'] {
  const counts = new Map(checklist.map((item) => [item.key, 0]));
  for (const text of answers) {
    if (!text) continue;
    const parsed = JSON.parse(text) as Record<string, { ok?: boolean } | undefined>;
    for (const [key, answer] of Object.entries(parsed)) {
      if (answer?.ok === false && counts.has(key)) counts.set(key, counts.get(key)! + 1);
    }
  }
  return checklist.map((item) => ({ key: item.key, label: item.label, problems: counts.get(item.key) ?? 0 }));
}

/** Totals, per checklist item and per sub-region of `root`, as they stand. */
export async function summarise(db: Db, campaign: CampaignWithRegion, root: string): Promise<Omit<CampaignSummary, 'closedAt' | 'closedBy'>> {
  const checklist = JSON.parse(campaign.checklist) as Checklist;
  const [regions, answers] = await Promise.all([countTasksBySubregion(db, campaign.id, root), listProblemAnswers(db, campaign.id, root)]);
  const tasks = regions.reduce((n, r) => n + r.tasks, 0);
  const done = regions.reduce((n, r) => n + r.done, 0);
  return {
    tasks,
    done,
    notDone: tasks - done,
    problems: regions.reduce((n, r) => n + r.problems, 0),
    items: countItemProblems(checklist, answers),
    regions: presentProgress(regions),
  };
}

export async function closeCampaign(deps: Deps, ctx: RequestContext, id: string): Promise<CampaignDetail> {
  requirePermission(ctx.actor, 'campaign.manage');
  const campaign = await visibleCampaign(deps.db, ctx.actor, id);
  // A county admin sees a city-wide campaign but does not close it for the other counties.
  if (!holdsWholeCampaign(ctx.actor, campaign)) throw new AppError('FORBIDDEN');
  if (campaign.status !== 'open') throw new AppError('CAMPAIGN_CLOSED');
  await inTransaction(deps.db, async (trx) => {
    const closedAt = deps.clock.now().toISOString();
    // Closed first, then counted: a completion arriving meanwhile either made it in or finds the campaign closed.
    if (!(await markCampaignClosed(trx, deps.dialect, id, { closedBy: ctx.actor.id, closedAt }))) throw new AppError('CAMPAIGN_CLOSED');
    const summary: CampaignSummary = { closedAt, closedBy: ctx.actor.displayName, ...(await summarise(trx, campaign, campaign.region_code)) };
    await storeCampaignSummary(trx, id, JSON.stringify(summary));
    await audit(trx, deps, ctx, {
      action: 'campaign.close',
      targetType: 'campaign',
      targetId: id,
      regionCode: campaign.region_code,
      details: { name: campaign.name, tasks: summary.tasks, done: summary.done, notDone: summary.notDone, problems: summary.problems },
    });
  });
  return getCampaign(deps, ctx, id, {});
}

// ---------------------------------------------------------------- export

/** The summary and the task list of what the viewer sees of the campaign, as xlsx (names of children: audited). */
export async function exportCampaign(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  query: { region?: string | undefined },
  locale: Locale,
): Promise<{ fileName: string; stream: Readable; count: number }> {
  requirePermission(ctx.actor, 'campaign.read');
  requirePermission(ctx.actor, 'child.export');
  const campaign = await visibleCampaign(deps.db, ctx.actor, id);
  const region = regionWithin(viewRoot(ctx.actor, campaign), query.region);
  const summary = await summarise(deps.db, campaign, region);
  const [regionRef] = await regionRefs(deps.db, [region]);
  await auditRead(deps, ctx, {
    action: 'campaign.export',
    targetType: 'campaign',
    targetId: id,
    regionCode: region,
    details: { name: campaign.name, tasks: summary.tasks },
  });
  const stream = writeCampaignWorkbook(deps.db, { campaign, region: regionRef!, summary, locale, today: localToday(deps.clock) });
  const stamp = localToday(deps.clock).replaceAll('-', '');
  const fileName = locale === 'en-US' ? `campaign-${stamp}.xlsx` : `重点核查-${campaign.name.replace(/[\\/:*?"<>|\s]+/g, '_')}-${stamp}.xlsx`;
  return { fileName, stream, count: summary.tasks };
}
