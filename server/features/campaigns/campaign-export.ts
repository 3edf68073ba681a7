/**
 * The campaign workbook: a summary sheet (the campaign, totals, problems per
 * checklist item, progress per sub-region) and the task list, streamed village
 * by village (children by name) so that a city-wide campaign does not sit in memory.
 */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { RegionRef } from '../../../domain/api.js';
import { chinaDateTime } from '../../../domain/china-time.js';
import type { Locale } from '../../../domain/locale.js';
import type { CampaignSummary } from '../../../domain/visits/schema.js';
import type { Db } from '../../db/database.js';
import { safeRow } from '../children-import/spreadsheet-safe.js';
import { listTaskVillages, listVillageTasksForExport, type CampaignWithRegion, type ExportTaskRow } from './campaigns.repository.js';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

type Words = Record<string, readonly [zh: string, en: string]>;
const W = {
  summarySheet: ['核查汇总', 'Summary'],
  taskSheet: ['任务清单', 'Tasks'],
  name: ['核查名称', 'Campaign'],
  region: ['核查范围', 'Region'],
  exportedFor: ['本表范围', 'This export covers'],
  period: ['核查期间', 'Period'],
  categories: ['儿童类别', 'Categories'],
  allActive: ['全部在册儿童', 'All active children'],
  checklist: ['核查项目', 'Checklist'],
  status: ['状态', 'Status'],
  open: ['进行中', 'Open'],
  closed: ['已结束', 'Closed'],
  createdBy: ['发起人', 'Opened by'],
  createdAt: ['发起时间', 'Opened at'],
  closedAt: ['结束时间', 'Closed at'],
  exportedOn: ['导出日期', 'Exported on'],
  totals: ['总体情况', 'Totals'],
  tasks: ['应核查人数', 'Tasks'],
  done: ['已核查', 'Done'],
  notDone: ['未核查', 'Not done'],
  rate: ['完成率', 'Completion'],
  problems: ['发现问题人数', 'Children with problems'],
  items: ['各核查项目发现问题人数', 'Problems per checklist item'],
  item: ['核查项目', 'Item'],
  itemProblems: ['发现问题人数', 'Children'],
  byRegion: ['分区域进度', 'Progress by region'],
  subRegion: ['区域', 'Region'],
  no: ['序号', 'No.'],
  township: ['乡镇（街道）', 'Township'],
  village: ['村（社区）', 'Village'],
  child: ['儿童姓名', 'Child'],
  sex: ['性别', 'Sex'],
  birthDate: ['出生日期', 'Birth date'],
  taskStatus: ['核查状态', 'Status'],
  taskDone: ['已核查', 'Done'],
  taskOpen: ['未核查', 'Not done'],
  visitDate: ['核查日期', 'Visit date'],
  visitor: ['核查人', 'Visitor'],
  problemCount: ['问题项数', 'Problems'],
  problemItems: ['存在问题的项目', 'Items not ok'],
  problemNotes: ['问题说明', 'Notes'],
  male: ['男', 'male'],
  female: ['女', 'female'],
  left_behind: ['留守儿童', 'left-behind'],
  distress: ['困境儿童', 'in distress'],
  unsupported: ['事实无人抚养儿童', 'de-facto unsupported'],
} as const satisfies Words;

export interface CampaignWorkbook {
  campaign: CampaignWithRegion;
  /** The part of the campaign exported: the viewer's scope or the campaign's region, or a region below. */
  region: RegionRef;
  summary: Omit<CampaignSummary, 'closedAt' | 'closedBy'>;
  locale: Locale;
  today: string;
}

const percent = (done: number, tasks: number) => (tasks === 0 ? '—' : `${Math.round((done / tasks) * 1000) / 10}%`);

export function writeCampaignWorkbook(db: Db, w: CampaignWorkbook): Readable {
  const en = w.locale === 'en-US';
  const say = (key: keyof typeof W) => W[key][en ? 1 : 0];
  const checklist = JSON.parse(w.campaign.checklist) as { key: string; label: string }[];
  const labels = new Map(checklist.map((i) => [i.key, i.label]));
  const categories = JSON.parse(w.campaign.categories) as (keyof typeof W)[];

  const stream = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });

  const writeSummary = () => {
    const ws = wb.addWorksheet(say('summarySheet'));
    ws.columns = [{ width: 24 }, { width: 14 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 16 }];
    const bold = (row: ExcelJS.Row) => {
      row.font = { bold: true };
      return row;
    };
    const pair = (key: keyof typeof W, value: string | number) => ws.addRow(safeRow([say(key), value])).commit();
    bold(ws.addRow(safeRow([w.campaign.name]))).commit();
    pair('region', w.campaign.region_name);
    if (w.region.code !== w.campaign.region_code) pair('exportedFor', w.region.name);
    pair('period', `${w.campaign.start_date} ~ ${w.campaign.end_date}`);
    pair('categories', categories.length === 0 ? say('allActive') : categories.map((c) => say(c)).join('、'));
    pair('checklist', checklist.map((i) => i.label).join('；'));
    pair('status', w.campaign.status === 'open' ? say('open') : say('closed'));
    pair('createdBy', w.campaign.creator_name ?? '—');
    pair('createdAt', chinaDateTime(w.campaign.created_at));
    if (w.campaign.closed_at) pair('closedAt', chinaDateTime(w.campaign.closed_at));
    pair('exportedOn', w.today);
    ws.addRow(safeRow([])).commit();
    bold(ws.addRow(safeRow([say('totals')]))).commit();
    bold(ws.addRow(safeRow([say('tasks'), say('done'), say('notDone'), say('rate'), say('problems')]))).commit();
    const s = w.summary;
    ws.addRow(safeRow([s.tasks, s.done, s.notDone, percent(s.done, s.tasks), s.problems])).commit();
    ws.addRow(safeRow([])).commit();
    bold(ws.addRow(safeRow([say('items')]))).commit();
    bold(ws.addRow(safeRow([say('item'), say('itemProblems')]))).commit();
    for (const item of s.items) ws.addRow(safeRow([item.label, item.problems])).commit();
    ws.addRow(safeRow([])).commit();
    bold(ws.addRow(safeRow([say('byRegion')]))).commit();
    bold(ws.addRow(safeRow([say('subRegion'), say('tasks'), say('done'), say('notDone'), say('rate'), say('problems')]))).commit();
    for (const r of s.regions) ws.addRow(safeRow([r.region.name, r.tasks, r.done, r.tasks - r.done, percent(r.done, r.tasks), r.problems])).commit();
    ws.commit();
  };

  const taskRow = (n: number, row: ExportTaskRow) => {
    const answers = row.campaign_answers ? (JSON.parse(row.campaign_answers) as Record<string, { ok?: boolean; note?: string | null } | undefined>) : {};
    const notOk = Object.entries(answers).filter(([, a]) => a?.ok === false);
    const items = notOk.map(([key]) => labels.get(key) ?? key).join('；');
    const notes = notOk
      .filter(([, a]) => a?.note)
      .map(([key, a]) => `${labels.get(key) ?? key}：${a!.note}`)
      .join('；');
    // Empty cells stay empty (null), not empty strings.
    return [
      n,
      row.township_name,
      row.village_name,
      row.child_name,
      row.sex === 'male' ? say('male') : row.sex === 'female' ? say('female') : row.sex,
      row.birth_date,
      row.status === 'done' ? say('taskDone') : say('taskOpen'),
      row.visit_date,
      row.visitor_name,
      row.status === 'done' ? row.problems : null,
      items || null,
      notes || null,
    ];
  };

  const writeTasks = async () => {
    const ws = wb.addWorksheet(say('taskSheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
    const headers = ['no', 'township', 'village', 'child', 'sex', 'birthDate', 'taskStatus', 'visitDate', 'visitor', 'problemCount', 'problemItems', 'problemNotes'] as const;
    const widths = [7, 16, 16, 10, 6, 12, 10, 12, 10, 9, 30, 40];
    ws.columns = headers.map((h, i) => ({ header: say(h), width: widths[i] }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    let n = 0;
    for (const village of await listTaskVillages(db, w.campaign.id, w.region.code)) {
      for (const row of await listVillageTasksForExport(db, w.campaign.id, village)) ws.addRow(safeRow(taskRow(++n, row))).commit();
      // Other requests get their turn between villages.
      await yieldToEventLoop();
    }
    ws.commit();
  };

  const write = async () => {
    writeSummary();
    await writeTasks();
    await wb.commit();
  };
  write().catch((err: unknown) => stream.destroy(err instanceof Error ? err : new Error(String(err))));
  return stream;
}
