/**
 * Roster import and export (花名册导入导出, issue 3 item 7).
 *
 * Import: an upload is checked for what it is (an .xlsx within the size
 * limits) and queued as a job that runs beside the server (import-runner.ts:
 * a worker thread with its own database connection, and a builder thread
 * that reads and checks the rows while earlier chunks are written). Every row
 * passes the registration form's rules, duplicates are looked for within the
 * file and among open files; a dry run reports; a commit writes all rows in
 * one transaction — or none when any row has an error — as active files,
 * each with a history row, plus one audit row for the import.
 *
 * Formula cells are refused (never evaluated, their cached result not trusted).
 */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { chinaDateTime } from '../../../domain/china-time.js';
import { ageOn } from '../../../domain/children/age.js';
import type { ChildExportQuery, ImportJobStatus } from '../../../domain/children/import.js';
import type { ChildProfile, ParentRecord } from '../../../domain/children/schema.js';
import type { Locale } from '../../../domain/locale.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import { AppError, notFound } from '../../core/errors.js';
import { auditRead } from '../audit/audit.service.js';
import { openProfile } from '../children/child-file.js';
import type { ChildWithRegion } from '../children/children.repository.js';
import { childFilterOf } from '../children/children.service.js';
import { countFilteredChildren, listFilteredChildrenPage, listRegionNamesForExport, listVillagesInScope, type ExportCursor } from './children-import.repository.js';
import { CAPACITY_LABELS, CAREGIVER_LABELS, HEALTH_LABELS, IMPORT_COLUMNS, PARENT_STATUS_LABELS, SCHOOL_LABELS, SEX_LABELS, labelOf } from './import-columns.js';
import type { ImportJob, ImportJobs } from './import-jobs.js';
import { runImportJob } from './import-runner.js';
import { DATA_SHEET, IMPORT_READ, fileError, xlsxProblem } from './import-rows.js';
import { safeRow } from './spreadsheet-safe.js';
import { XlsxError, checkXlsx, columnLetter } from './xlsx-reader.js';

export { MAX_IMPORT_BYTES, MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS, similarNamesWithPinyin } from './import-rows.js';
const HELP_SHEET = '填写说明';

const today = (deps: Deps) => localToday(deps.clock);
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---------------------------------------------------------------- template

/** The roster template: the data sheet with one example row, and a sheet of allowed values. */
export async function buildImportTemplate(deps: Deps, ctx: RequestContext): Promise<Buffer> {
  requirePermission(ctx.actor, 'child.import');
  const villages = await listVillagesInScope(deps.db, ctx.actor.scopeRegion);
  const exampleVillage = villages.map((v) => v.code).sort()[0] ?? '';
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Shouhu 守护';
  const ws = wb.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  ws.columns = IMPORT_COLUMNS.map((c) => ({ header: c.header, key: c.field, width: c.width }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  IMPORT_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    cell.note = `${c.required ? '必填。' : ''}${c.help}`;
    const letter = columnLetter(i);
    // ID numbers and codes as text: a number cell loses the last digits of an 18-digit ID.
    // …and a month of leaving as text too: Excel would turn 2024-03 into the first of March.
    if (c.type.kind === 'id' || c.type.kind === 'code' || c.type.kind === 'since') ws.getColumn(i + 1).numFmt = '@';
    if (c.type.kind === 'date') ws.getColumn(i + 1).numFmt = 'yyyy-mm-dd';
    if (c.type.kind === 'choice' || c.type.kind === 'bool') {
      const words = c.type.kind === 'bool' ? ['是', '否'] : Object.values(c.type.labels).map((l) => l[0]);
      // One list validation per column range (the exceljs typings omit `dataValidations`).
      (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${letter}2:${letter}20001`, { type: 'list', allowBlank: true, formulae: [`"${words.join(',')}"`], showErrorMessage: false });
    }
  });
  ws.addRow(safeRow(IMPORT_COLUMNS.map((c) => (c.field === 'regionCode' ? exampleVillage : c.example ?? null))));
  ws.getRow(2).font = { color: { argb: 'FF7F7F7F' }, italic: true };

  const help = wb.addWorksheet(HELP_SHEET);
  help.columns = [
    { header: '列', key: 'header', width: 18 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '允许的取值 / 说明', key: 'help', width: 90 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of IMPORT_COLUMNS) help.addRow(safeRow([c.header, c.required ? '必填' : '', c.help]));
  help.addRow(safeRow([]));
  for (const line of [
    '1. 每行一名儿童；第 2 行为示例（姓名以“（示例）”开头的行不会导入），可删除。',
    '2. 日期填写为 2015-03-10 或 2015/3/10；身份证号请以文本格式填写。',
    '3. 不接受公式单元格：如由公式生成，请复制后“选择性粘贴—数值”。',
    '4. 先“检查”（不写入），无错误后再“导入”；任一行有错误时整批不导入。',
    '5. 与已有档案身份证号相同、或同村同名同出生日期的行视为重复，不予导入；姓名相近且出生日期相同的行仅提示。',
    '6. 导入的档案直接为“在册”状态，并计入操作日志。',
  ]) {
    help.addRow(safeRow([line])).getCell(1).alignment = { wrapText: false };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------- import

/** Refuses what is not an .xlsx before any work is queued. */
export function assertXlsxUpload(fileName: string, buffer: Buffer): void {
  const zip = buffer.length >= 4 && buffer.readUInt32LE(0) === 0x04034b50;
  if (!/\.xlsx$/i.test(fileName) || !zip) throw new AppError('VALIDATION', { field: 'file', reason: 'xlsx_only' });
}

/**
 * Refuses at once, before a job is queued, a workbook whose zip directory or
 * declared sheet size passes the limits (a spreadsheet bomb costs a few KB of
 * inflating here); what only reading the data can tell is refused by the job.
 */
function assertWithinLimits(locale: Locale, buffer: Buffer): void {
  try {
    checkXlsx(buffer, IMPORT_READ);
  } catch (err) {
    if (!(err instanceof XlsxError)) throw err;
    const { reason, params } = xlsxProblem(err);
    throw fileError(locale, reason, params);
  }
}

/** Queues the import of an uploaded roster as a job beside the server (import-runner.ts); the page polls it. */
export function startImport(deps: Deps, jobs: ImportJobs, ctx: RequestContext, file: { fileName: string; buffer: Buffer; dryRun: boolean; locale: Locale }): { jobId: string } {
  requirePermission(ctx.actor, 'child.import');
  assertXlsxUpload(file.fileName, file.buffer);
  assertWithinLimits(file.locale, file.buffer);
  const job = jobs.create(ctx.actor.id, file.locale, file.fileName, file.dryRun);
  jobs.track(runImportJob(deps, jobs.threads, job, ctx, file.buffer));
  return { jobId: job.id };
}

/**
 * The bar moves with the rows: reading the workbook 0–5 %; then a dry run
 * with the rows checked, a commit with the rows checked (to 40 %) and
 * written (the other 55 %), the two going on at once.
 */
export function presentJob(job: ImportJob): ImportJobStatus {
  const share = (n: number) => (job.total > 0 ? n / job.total : 0);
  const running = job.dryRun ? 5 + 95 * share(job.checked) : 5 + 40 * share(job.checked) + 55 * share(job.written);
  return {
    jobId: job.id,
    fileName: job.fileName,
    dryRun: job.dryRun,
    state: job.state,
    phase: job.phase,
    processed: job.phase === 'writing' ? job.written : job.checked,
    checked: job.checked,
    written: job.written,
    total: job.total,
    percent: job.state === 'running' ? Math.min(99, Math.floor(job.phase === 'reading' ? 0 : running)) : 100,
    result: job.result,
    error: job.error,
  };
}

export function getImportJob(jobs: ImportJobs, ctx: RequestContext, jobId: string): ImportJobStatus {
  requirePermission(ctx.actor, 'child.import');
  const job = jobs.find(jobId, ctx.actor.id);
  if (!job) throw notFound();
  return presentJob(job);
}

/** Row-by-row report of a finished job: errors first, then warnings. */
export async function buildErrorReport(jobs: ImportJobs, ctx: RequestContext, jobId: string): Promise<{ fileName: string; body: Buffer }> {
  requirePermission(ctx.actor, 'child.import');
  const job = jobs.find(jobId, ctx.actor.id);
  if (!job || job.state === 'running') throw notFound();
  const en = job.locale === 'en-US';
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(en ? 'Problems' : '问题清单', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: en ? 'Row' : '行号', key: 'row', width: 8 },
    { header: en ? 'Column' : '列', key: 'letter', width: 6 },
    { header: en ? 'Column name' : '列名', key: 'column', width: 18 },
    { header: en ? 'Level' : '级别', key: 'level', width: 8 },
    { header: en ? 'Problem' : '问题', key: 'message', width: 80 },
  ];
  ws.getRow(1).font = { bold: true };
  // Messages quote what the file held (a name, a value): each cell through safeRow, in the columns' order.
  if (job.error) ws.addRow(safeRow([null, null, null, en ? 'error' : '错误', job.error.message]));
  for (const e of job.issues.errors) ws.addRow(safeRow([e.row, e.columnLetter, e.column, en ? 'error' : '错误', e.message]));
  for (const w of job.issues.warnings) ws.addRow(safeRow([w.row, w.columnLetter, w.column, en ? 'warning' : '提示', w.message]));
  const base = job.fileName.replace(/\.xlsx$/i, '');
  return { fileName: `${base}-${en ? 'problems' : '问题清单'}.xlsx`, body: Buffer.from(await wb.xlsx.writeBuffer()) };
}

// ---------------------------------------------------------------- export

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

/** An export with full ID and phone numbers: asked for on purpose, with the reason recorded in its audit row. */
export interface FullNumbers {
  reason: string;
}

/**
 * The filtered list in scope as xlsx, streamed page by page (keyset pages of
 * 500, yielding between pages, so a large export never holds the server for
 * long). By default ID numbers are masked and no phone or parent's ID number
 * is exported. With `full` (a user who may reveal numbers, giving a reason)
 * the child's ID number and the phones of the parents and caregiver are
 * written in clear. The export is audited before the first byte leaves —
 * filters and count, and for full numbers the reason: one row, never a number.
 */
export async function exportChildren(
  deps: Deps,
  ctx: RequestContext,
  query: ChildExportQuery,
  locale: Locale,
  full: FullNumbers | null = null,
): Promise<{ fileName: string; stream: Readable; count: number }> {
  requirePermission(ctx.actor, 'child.export');
  requirePermission(ctx.actor, 'child.read');
  if (full) requirePermission(ctx.actor, 'child.reveal');
  const filter = childFilterOf(deps, ctx, query);
  const count = await countFilteredChildren(deps.db, filter);
  const { q, ...rest } = query;
  await auditRead(deps, ctx, {
    action: full ? 'child.export.full' : 'child.export',
    regionCode: query.region ?? ctx.actor.scopeRegion,
    // Search words may be a child's name or ID number: only that there was one is recorded.
    details: { filters: { ...rest, ...(q ? { q: '(search)' } : {}) }, count, ...(full ? { fullNumbers: true, reason: full.reason } : {}) },
  });
  const names = new Map((await listRegionNamesForExport(deps.db, ctx.actor.scopeRegion)).map((r) => [r.code, r.name]));
  const day = today(deps);
  const en = locale === 'en-US';
  const columns = full ? fullNumberColumns((c) => (c.id_cipher ? deps.crypto.decrypt(c.id_cipher) : null)) : EXPORT_COLUMNS;
  // Masked: the profile's numbers stay sealed (none is written). Full: opened, row by row.
  const profileOf = full ? (row: ChildWithRegion) => openProfile(row.profile, deps.crypto) : (row: ChildWithRegion) => JSON.parse(row.profile) as ChildProfile;
  const stream = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(en ? 'Children' : '儿童名单', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: en ? c.en : c.zh, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  const write = async () => {
    let cursor: ExportCursor = null;
    for (;;) {
      const rows = await listFilteredChildrenPage(deps.db, filter, cursor, EXPORT_PAGE);
      for (const row of rows) {
        const profile = profileOf(row);
        ws.addRow(safeRow(columns.map((c) => c.value(row, profile, { locale, day, names })))).commit();
      }
      if (rows.length < EXPORT_PAGE) break;
      const last = rows[rows.length - 1]!;
      cursor = { value: String(last[filter.sort.column]), id: last.id };
      await yieldToEventLoop();
    }
    ws.commit();
    await wb.commit();
  };
  write().catch((err: unknown) => stream.destroy(err instanceof Error ? err : new Error(String(err))));
  const stamp = day.replaceAll('-', '');
  const suffix = full ? (en ? '-full-numbers' : '-含完整号码') : '';
  return { fileName: en ? `children-${stamp}${suffix}.xlsx` : `儿童名单-${stamp}${suffix}.xlsx`, stream, count };
}
