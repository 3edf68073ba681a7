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
import ExcelJS from 'exceljs';
import type { ImportJobStatus } from '../../../domain/children/import.js';
import type { Locale } from '../../../domain/locale.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError, notFound } from '../../core/errors.js';
import { listVillagesInScope } from './children-import.repository.js';
import { IMPORT_COLUMNS } from './import-columns.js';
import type { ImportJob, ImportJobs } from './import-jobs.js';
import { runImportJob } from './import-runner.js';
import { DATA_SHEET, IMPORT_READ, fileError, xlsxProblem } from './import-rows.js';
import { safeRow } from './spreadsheet-safe.js';
import { XlsxError, checkXlsx, columnLetter } from './xlsx-reader.js';

export { MAX_IMPORT_BYTES, MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS, similarNamesWithPinyin } from './import-rows.js';
const HELP_SHEET = '填写说明';


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

// The export's columns and writer live in children-export.ts (shared with the export worker).
export { exportChildren, type FullNumbers } from './children-export.js';
