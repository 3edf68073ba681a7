/**
 * The children export (花名册导出): the filtered list in scope as xlsx. One
 * writer for both ways out: streamed to the answer of the old endpoints (in
 * the server's thread, yielding between pages), and built into a file by an
 * export job in a worker thread with its own connection (export-jobs.ts,
 * export-worker.ts). What the writer needs travels as an ExportPlan: plain
 * data that a worker can be given.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { chinaDateTime } from '../../../domain/china-time.js';
import { ageOn } from '../../../domain/children/age.js';
import type { ChildExportQuery } from '../../../domain/children/import.js';
import type { ChildProfile, ParentRecord } from '../../../domain/children/schema.js';
import type { Locale } from '../../../domain/locale.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { FieldCrypto } from '../../core/crypto.js';
import type { Deps } from '../../core/deps.js';
import type { Db } from '../../db/database.js';
import { auditRead } from '../audit/audit.service.js';
import { openProfile } from '../children/child-file.js';
import type { ChildFilter, ChildWithRegion } from '../children/children.repository.js';
import { childFilterOf } from '../children/child-read.js';
import { countFilteredChildren, listFilteredChildrenPage, listRegionNamesForExport, type ExportCursor } from './children-import.repository.js';
import { CAPACITY_LABELS, CAREGIVER_LABELS, HEALTH_LABELS, PARENT_STATUS_LABELS, SCHOOL_LABELS, SEX_LABELS, labelOf } from './import-columns.js';
import { safeRow } from './spreadsheet-safe.js';

const STATUS_LABELS: Record<string, [string, string]> = {
  pending: ['待审核', 'awaiting approval'],
  returned: ['已退回', 'returned'],
  active: ['在册', 'active'],
  closing: ['待审核销档', 'awaiting closure'],
  closed: ['已销档', 'closed'],
};
const RISK_LABELS: Record<string, [string, string]> = { low: ['低', 'low'], medium: ['中', 'medium'], high: ['高', 'high'], urgent: ['紧急', 'urgent'] };

interface ExportColumn {
  zh: string;
  en: string;
  width: number;
  value: (c: ChildWithRegion, p: ChildProfile, ctx: { locale: Locale; day: string; names: Map<string, string> }) => string | number | null;
}

const yesNo = (v: boolean, locale: Locale) => (v ? (locale === 'en-US' ? 'yes' : '是') : locale === 'en-US' ? 'no' : '否');
const place = (p: ParentRecord) => [p.workProvince, p.workCity].filter(Boolean).join('') || null;

const EXPORT_COLUMNS: ExportColumn[] = [
  { zh: '姓名', en: 'Name', width: 10, value: (c) => c.name },
  { zh: '性别', en: 'Sex', width: 6, value: (c, _p, x) => labelOf(SEX_LABELS, c.sex as 'male', x.locale) },
  { zh: '出生日期', en: 'Birth date', width: 12, value: (c) => c.birth_date },
  { zh: '年龄', en: 'Age', width: 6, value: (c, _p, x) => ageOn(c.birth_date, x.day) },
  { zh: '身份证号（脱敏）', en: 'ID number (masked)', width: 21, value: (c) => c.id_masked },
  { zh: '县（市、区）', en: 'County', width: 14, value: (c, _p, x) => x.names.get(`${c.region_code.slice(0, 6)}000000`) ?? null },
  { zh: '乡镇（街道）', en: 'Township', width: 14, value: (c, _p, x) => x.names.get(`${c.region_code.slice(0, 9)}000`) ?? null },
  { zh: '村（社区）', en: 'Village', width: 14, value: (c) => c.region_name },
  { zh: '村（社区）代码', en: 'Village code', width: 15, value: (c) => c.region_code },
  { zh: '档案状态', en: 'Status', width: 10, value: (c, _p, x) => STATUS_LABELS[c.status]?.[x.locale === 'en-US' ? 1 : 0] ?? c.status },
  { zh: '留守儿童', en: 'Left-behind', width: 8, value: (c, _p, x) => yesNo(c.left_behind === 1, x.locale) },
  { zh: '困境儿童', en: 'In distress', width: 8, value: (c, _p, x) => yesNo(c.distress === 1, x.locale) },
  { zh: '事实无人抚养', en: 'De-facto unsupported', width: 10, value: (c, _p, x) => yesNo(c.unsupported === 1, x.locale) },
  { zh: '风险等级', en: 'Risk', width: 8, value: (c, _p, x) => RISK_LABELS[c.risk_level]?.[x.locale === 'en-US' ? 1 : 0] ?? c.risk_level },
  { zh: '户籍类型', en: 'Household registration', width: 9, value: (_c, p, x) => (p.hukouType === 'none' ? (x.locale === 'en-US' ? 'none' : '无户籍') : p.hukouType === 'rural' ? (x.locale === 'en-US' ? 'rural' : '农村') : x.locale === 'en-US' ? 'urban' : '城镇') },
  { zh: '父亲状态', en: "Father's status", width: 10, value: (_c, p, x) => labelOf(PARENT_STATUS_LABELS, p.father.status, x.locale) },
  { zh: '父亲务工地', en: "Father's place of work", width: 14, value: (_c, p) => place(p.father) },
  { zh: '母亲状态', en: "Mother's status", width: 10, value: (_c, p, x) => labelOf(PARENT_STATUS_LABELS, p.mother.status, x.locale) },
  { zh: '母亲务工地', en: "Mother's place of work", width: 14, value: (_c, p) => place(p.mother) },
  { zh: '监护人类型', en: 'Caregiver', width: 10, value: (_c, p, x) => labelOf(CAREGIVER_LABELS, p.caregiver.kind, x.locale) },
  { zh: '监护能力', en: 'Caregiving capacity', width: 8, value: (_c, p, x) => labelOf(CAPACITY_LABELS, p.caregiver.capacity, x.locale) },
  { zh: '就学状态', en: 'Schooling', width: 8, value: (_c, p, x) => labelOf(SCHOOL_LABELS, p.schooling.status, x.locale) },
  { zh: '学校', en: 'School', width: 16, value: (_c, p) => p.schooling.school },
  { zh: '健康状况', en: 'Health', width: 8, value: (_c, p, x) => labelOf(HEALTH_LABELS, p.health.status, x.locale) },
  { zh: '低保', en: 'Dibao', width: 6, value: (_c, p, x) => yesNo(p.support.dibao, x.locale) },
  { zh: '特困', en: 'Tekun', width: 6, value: (_c, p, x) => yesNo(p.support.tekun, x.locale) },
  { zh: '关爱截止日期', en: 'On the caseload until', width: 12, value: (c) => c.aging_out_date },
  // Stored as a UTC instant; written as the users read it (China time), as every time in a workbook.
  { zh: '更新时间', en: 'Updated', width: 17, value: (c) => chinaDateTime(c.updated_at) },
];

/**
 * The columns of an export with full numbers: the child's ID number in clear
 * instead of its mask, and the phones of the father, the mother and the
 * caregiver. `p` is then the opened profile (numbers decrypted), `id` the
 * child's number.
 */
function fullNumberColumns(idOf: (c: ChildWithRegion) => string | null): ExportColumn[] {
  const phones: ExportColumn[] = [
    { zh: '父亲电话', en: "Father's phone", width: 14, value: (_c, p) => p.father.phone },
    { zh: '母亲电话', en: "Mother's phone", width: 14, value: (_c, p) => p.mother.phone },
    { zh: '监护人电话', en: "Caregiver's phone", width: 14, value: (_c, p) => p.caregiver.phone },
  ];
  return EXPORT_COLUMNS.flatMap((c) => {
    if (c.zh === '身份证号（脱敏）') return [{ zh: '身份证号', en: 'ID number', width: 21, value: (row) => idOf(row) }];
    if (c.zh === '监护能力') return [c, ...phones];
    return [c];
  });
}

const EXPORT_PAGE = 500;
/** The style of every data cell (none): one object, so the workbook writer looks it up once. */
const PLAIN: Partial<ExcelJS.Style> = Object.freeze({});

/** An export with full ID and phone numbers: asked for on purpose, with the reason recorded in its audit row. */
export interface FullNumbers {
  reason: string;
}

/**
 * Everything the writer needs, decided in the request (scope, filters, the
 * day ages are counted on, region names): plain data, so that a worker thread
 * can be handed it. `full` opens the numbers, which then needs the key.
 */
export interface ExportPlan {
  filter: Omit<ChildFilter, 'page' | 'pageSize'>;
  locale: Locale;
  day: string;
  /** Region code → name, for the county and township columns. */
  names: [string, string][];
  full: boolean;
}

/** The actor's rights and the filters (a region outside the scope is not found): the export's filter, or an error. */
export function checkChildrenExport(deps: Deps, ctx: RequestContext, query: ChildExportQuery, full: FullNumbers | null): ExportPlan['filter'] {
  requirePermission(ctx.actor, 'child.export');
  requirePermission(ctx.actor, 'child.read');
  if (full) requirePermission(ctx.actor, 'child.reveal');
  return childFilterOf(deps, ctx, query);
}

/**
 * Checks the actor's rights and the filters (checkChildrenExport), counts the rows and writes the
 * export's audit row — filters and count, and for full numbers the reason: one
 * row, never a number — before anything of the file exists.
 */
export async function prepareChildrenExport(
  deps: Deps,
  ctx: RequestContext,
  query: ChildExportQuery,
  locale: Locale,
  full: FullNumbers | null,
): Promise<{ plan: ExportPlan; count: number; fileName: string }> {
  const filter = checkChildrenExport(deps, ctx, query, full);
  const count = await countFilteredChildren(deps.db, filter);
  const { q, ...rest } = query;
  await auditRead(deps, ctx, {
    action: full ? 'child.export.full' : 'child.export',
    regionCode: query.region ?? ctx.actor.scopeRegion,
    // Search words may be a child's name or ID number: only that there was one is recorded.
    details: { filters: { ...rest, ...(q ? { q: '(search)' } : {}) }, count, ...(full ? { fullNumbers: true, reason: full.reason } : {}) },
  });
  const names = (await listRegionNamesForExport(deps.db, ctx.actor.scopeRegion)).map((r): [string, string] => [r.code, r.name]);
  const day = localToday(deps.clock);
  const en = locale === 'en-US';
  const stamp = day.replaceAll('-', '');
  const suffix = full ? (en ? '-full-numbers' : '-含完整号码') : '';
  const fileName = en ? `children-${stamp}${suffix}.xlsx` : `儿童名单-${stamp}${suffix}.xlsx`;
  return { plan: { filter, locale, day, names, full: full !== null }, count, fileName };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes the workbook of `plan` to `out`, reading keyset pages of 500 on `db`
 * and yielding between pages (on the server's thread, other requests get their
 * turn). `crypto` opens the numbers of a full export; a masked one never
 * needs it. `onPage` hears the rows written so far after every page.
 * Resolves with the number of rows written, once the workbook is complete.
 */
export async function writeChildrenExport(db: Db, crypto: FieldCrypto | null, plan: ExportPlan, out: Writable, onPage?: (written: number) => void): Promise<number> {
  if (plan.full && !crypto) throw new Error('a full-number export needs the key');
  const { filter, locale, day } = plan;
  const names = new Map(plan.names);
  const en = locale === 'en-US';
  const columns = plan.full && crypto ? fullNumberColumns((c) => (c.id_cipher ? crypto.decrypt(c.id_cipher) : null)) : EXPORT_COLUMNS;
  // Masked: the profile's numbers stay sealed (none is written). Full: opened, row by row.
  const profileOf = plan.full && crypto ? (row: ChildWithRegion) => openProfile(row.profile, crypto) : (row: ChildWithRegion) => JSON.parse(row.profile) as ChildProfile;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(en ? 'Children' : '儿童名单', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: en ? c.en : c.zh, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  let written = 0;
  let cursor: ExportCursor = null;
  for (;;) {
    const rows = await listFilteredChildrenPage(db, filter, cursor, EXPORT_PAGE);
    for (const row of rows) {
      const profile = profileOf(row);
      const added = ws.addRow(safeRow(columns.map((c) => c.value(row, profile, { locale, day, names }))));
      // Every data cell gets a style object of its own, and the writer works each one out anew (a third of the
      // time): they are all plain, so one shared object, which it works out once.
      added.eachCell((cell) => {
        cell.style = PLAIN;
      });
      added.commit();
    }
    written += rows.length;
    onPage?.(written);
    if (rows.length < EXPORT_PAGE) break;
    const last = rows[rows.length - 1]!;
    cursor = { value: String(last[filter.sort.column]), id: last.id };
    await yieldToEventLoop();
  }
  ws.commit();
  await wb.commit();
  return written;
}

/** The workbook of `plan` as one file in memory (an export job's result), with its row count. */
export async function buildChildrenExportFile(db: Db, crypto: FieldCrypto | null, plan: ExportPlan, onPage?: (written: number) => void): Promise<{ body: Uint8Array; rows: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  let size = 0;
  out.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const rows = await writeChildrenExport(db, crypto, plan, out, onPage);
  await ended;
  // One ArrayBuffer of exactly the file's size: a worker hands it over (transfers it) without a copy.
  const body = new Uint8Array(new ArrayBuffer(size));
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return { body, rows };
}

/**
 * The filtered list in scope as xlsx, streamed while it is written (the
 * endpoints API clients use; the web app runs an export job instead). By
 * default ID numbers are masked and no phone or parent's ID number is
 * exported. With `full` (a user who may reveal numbers, giving a reason) the
 * child's ID number and the phones of the parents and caregiver are written in
 * clear. Audited before the first byte leaves (prepareChildrenExport).
 */
export async function exportChildren(
  deps: Deps,
  ctx: RequestContext,
  query: ChildExportQuery,
  locale: Locale,
  full: FullNumbers | null = null,
): Promise<{ fileName: string; stream: Readable; count: number }> {
  const { plan, count, fileName } = await prepareChildrenExport(deps, ctx, query, locale, full);
  const stream = new PassThrough();
  writeChildrenExport(deps.db, full ? deps.crypto : null, plan, stream).catch((err: unknown) => stream.destroy(err instanceof Error ? err : new Error(String(err))));
  return { fileName, stream, count };
}
