/**
 * Roster import and export (花名册导入导出, issue 3 item 7).
 *
 * Import: every row passes the registration form's rules (`ChildInput`,
 * `normaliseChild`, village in scope), then duplicates are looked for within
 * the file and among open files (keyed ID hash; name + birth date + village;
 * similar name + birth date as a warning). A dry run reports; a commit writes
 * all rows in one transaction — or none when any row has an error — as active
 * files, each with a history row, plus one audit row for the import. A commit
 * of the very file its user's dry run just checked does not read and validate
 * it again (PreparedFile); the database checks are always made again.
 *
 * Formula cells are refused (never evaluated, their cached result not trusted).
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { ImportIssue, ImportJobStatus, ImportResult } from '../../../domain/children/import.js';
import { ChildInput } from '../../../domain/children/schema.js';
import { FIELD_LABELS, VALIDATION_REASONS, errorMessage } from '../../../domain/errors.js';
import type { Locale } from '../../../domain/locale.js';
import { regionLevel } from '../../../domain/regions.js';
import { isInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import { AppError, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit/audit.service.js';
import { spellName, type NameSpelling } from '../../../domain/children/name-search.js';
import { NO_OVERRIDES, categoriesOf, factsOf, normaliseChild, type NormalisedChild } from '../children/child-file.js';
import { auditDuplicateCheck, buildChildRow, categorySettings, civilAffairsContact, scheduleSettings } from '../children/children.service.js';
import type { RegionRef } from '../../../domain/api.js';
import {
  findOpenChildrenByBirthDate,
  findOpenChildrenByIdHash,
  rowWriter,
  listVillagesInScope,
  type SameDayChild,
} from './children-import.repository.js';
import {
  COLUMN_BY_FIELD,
  EXAMPLE_MARK,
  HEADER_LOOKUP,
  IMPORT_COLUMNS,
  normaliseHeader,
  parseCell,
  type ImportColumn,
} from './import-columns.js';
import type { ImportJob, ImportJobs } from './import-jobs.js';
import { safeRow } from './spreadsheet-safe.js';
import { DEFAULT_XLSX_LIMITS, XlsxError, checkXlsx, columnLetter, readXlsxSheet, type ReadOptions, type XlsxSheet } from './xlsx-reader.js';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;
/** The template's width and room for a few columns of the user's own (notes, old numbers). */
export const MAX_IMPORT_COLUMNS = IMPORT_COLUMNS.length + 40;
const LISTED_ISSUES = 1000;
const DATA_SHEET = '儿童信息';
/** What a roster may be (issue 11 point 7, spreadsheet bombs): its rows with the header, its columns; sizes and ratios as the reader's defaults. */
const IMPORT_READ: ReadOptions = { sheetName: DATA_SHEET, maxRows: MAX_IMPORT_ROWS + 1, maxColumns: MAX_IMPORT_COLUMNS };
const HELP_SHEET = '填写说明';
/** Rows validated between two yields to the event loop (progress polls and other requests get their turn). */
const SLICE = 1000;
/** SQLite page cache while an import writes, in KiB (as `pragma cache_size` takes it: negative). */
const IMPORT_PAGE_CACHE_KIB = -512 * 1024;

const today = (deps: Deps) => localToday(deps.clock);
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---------------------------------------------------------------- messages

function fill(text: string, params: Record<string, string> = {}): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? `{${k}}`);
}

function reasonText(locale: Locale, reason: string, params?: Record<string, string>): string {
  return fill(VALIDATION_REASONS[locale][reason] ?? reason, params);
}

function columnLabel(locale: Locale, field: string, column: ImportColumn | undefined): string {
  if (column) return locale === 'en-US' ? column.en : column.header;
  return FIELD_LABELS[locale][field] ?? field;
}

/** '身份证号：身份证号校验码错误' — the same wording as the registration form's errors. */
function issueMessage(locale: Locale, field: string, reason: string, params?: Record<string, string>): string {
  return errorMessage(locale, 'VALIDATION', { field: columnLabel(locale, field, COLUMN_BY_FIELD.get(field)), reason: reasonText(locale, reason, params) });
}

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

/** Why a workbook cannot be read, as a reason of VALIDATION_REASONS with its parameters. */
function xlsxProblem(err: XlsxError): { reason: string; params: Record<string, string> } {
  switch (err.reason) {
    case 'not_xlsx':
      return { reason: 'xlsx_only', params: {} };
    case 'inflated_too_large':
      return { reason: 'xlsx_inflated_too_large', params: { max: String(DEFAULT_XLSX_LIMITS.maxTotalBytes / 1024 / 1024) } };
    case 'compression_ratio':
      return { reason: 'xlsx_compression_ratio', params: { max: String(DEFAULT_XLSX_LIMITS.maxRatio) } };
    case 'too_many_rows':
      return { reason: 'too_many_rows', params: { max: String(MAX_IMPORT_ROWS) } };
    case 'too_many_columns':
      return { reason: 'too_many_columns', params: { max: String(MAX_IMPORT_COLUMNS) } };
  }
}

/** The file field at fault, in the user's language (the reason's parameters filled in). */
function fileError(locale: Locale, reason: string, params: Record<string, string>): AppError {
  return new AppError('VALIDATION', { field: 'file', params: { field: columnLabel(locale, 'file', undefined), reason: reasonText(locale, reason, params) } });
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

export function startImport(deps: Deps, jobs: ImportJobs, ctx: RequestContext, file: { fileName: string; buffer: Buffer; dryRun: boolean; locale: Locale }): { jobId: string } {
  requirePermission(ctx.actor, 'child.import');
  assertXlsxUpload(file.fileName, file.buffer);
  assertWithinLimits(file.locale, file.buffer);
  const job = jobs.create(ctx.actor.id, file.locale, file.fileName, file.dryRun);
  jobs.track(
    runImport(deps, ctx, jobs, job, file.buffer).catch((err: unknown) => {
      job.state = 'failed';
      job.phase = 'finished';
      job.finishedAt = Date.now();
      if (err instanceof AppError) {
        job.error = { code: err.code, message: errorMessage(job.locale, err.code, err.details.params ?? {}) };
      } else {
        console.error('import job failed', err);
        job.error = { code: 'INTERNAL', message: errorMessage(job.locale, 'INTERNAL') };
      }
    }),
  );
  return { jobId: job.id };
}

class FileProblem extends Error {
  constructor(
    readonly reason: string,
    readonly params: Record<string, string> = {},
  ) {
    super(reason);
  }
}

interface ValidRow {
  row: number;
  child: NormalisedChild;
  regionCode: string;
  spelling: NameSpelling;
}

interface Collected {
  errors: ImportIssue[];
  warnings: ImportIssue[];
  rowsWithErrors: Set<number>;
}

type MappedColumns = Map<string, { index: number; column: ImportColumn; header: string }>;

/** Which file column holds which field. */
function mapHeaders(sheet: XlsxSheet): { headerRow: number; columns: MappedColumns } {
  const first = sheet.rows[0];
  if (!first) throw new FileProblem('no_rows');
  const columns: MappedColumns = new Map();
  first.cells.forEach((cell, index) => {
    if (!cell || cell.t !== 'text') return;
    const column = HEADER_LOOKUP.get(normaliseHeader(cell.v));
    if (column && !columns.has(column.field)) columns.set(column.field, { index, column, header: cell.v.trim() });
  });
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !columns.has(c.field)).map((c) => c.header);
  if (missing.length > 0) throw new FileProblem('missing_columns', { columns: missing.join('、') });
  return { headerRow: first.row, columns };
}

/**
 * What a dry run without row errors established about a file, kept briefly
 * for its owner: committing the same bytes right after (the page's "导入"
 * after "检查") then skips reading and validating it again. Everything that
 * depends on the database (duplicates, the villages still existing) is
 * checked again by the commit, in its transaction.
 */
interface PreparedFile {
  rows: number;
  columns: MappedColumns;
  valid: ValidRow[];
  /** Warnings of the checks within the file (a file kept here has no errors). */
  warnings: ImportIssue[];
  /** Keyed hashes of the file's ID numbers. */
  hashes: Map<string, string>;
}

/** Same bytes, same user, scope, language and day: the same validation. */
function preparedKey(ctx: RequestContext, locale: Locale, day: string, buffer: Buffer): string {
  return [createHash('sha256').update(buffer).digest('hex'), ctx.actor.id, ctx.actor.scopeRegion, locale, day].join('|');
}

/** A file read and checked row by row (no database involved but the villages in scope). */
interface CheckedFile {
  rows: number;
  columns: MappedColumns;
  valid: ValidRow[];
  duplicatesInFile: Set<number>;
}

async function runImport(deps: Deps, ctx: RequestContext, jobs: ImportJobs, job: ImportJob, buffer: Buffer): Promise<void> {
  const started = Date.now();
  await yieldToEventLoop(); // the 202 leaves before the file is read
  const locale = job.locale;
  const day = today(deps);
  const key = preparedKey(ctx, locale, day, buffer);
  const collected: Collected = { errors: [], warnings: [], rowsWithErrors: new Set() };
  let columns: MappedColumns = new Map();
  const fieldColumn = (field: string) => columns.get(field) ?? columns.get(IMPORT_COLUMNS.find((c) => c.field.startsWith(`${field}.`))?.field ?? '');
  const issue: IssueFn = (level, row, field, reason, params) => {
    const at = fieldColumn(field);
    const entry: ImportIssue = {
      row,
      column: at?.header ?? '',
      columnLetter: at ? columnLetter(at.index) : '',
      field,
      message: issueMessage(locale, field, reason, params),
    };
    if (level === 'error') {
      collected.errors.push(entry);
      collected.rowsWithErrors.add(row);
    } else collected.warnings.push(entry);
  };

  const villages = new Map((await listVillagesInScope(deps.db, ctx.actor.scopeRegion)).map((v) => [v.code, v.name]));
  const prepared = job.dryRun ? undefined : jobs.takePrepared<PreparedFile>(ctx.actor.id, key);
  let checked: CheckedFile;
  let hashes: Map<string, string>;
  if (prepared && prepared.valid.every((r) => villages.has(r.regionCode))) {
    columns = prepared.columns;
    job.total = prepared.rows;
    job.phase = 'validating';
    job.processed = prepared.rows;
    collected.warnings.push(...prepared.warnings);
    checked = { rows: prepared.rows, columns, valid: prepared.valid, duplicatesInFile: new Set() };
    hashes = prepared.hashes;
    job.phase = 'checking';
    await yieldToEventLoop();
  } else {
    checked = await checkFile(ctx, job, buffer, day, villages, issue, (mapped) => (columns = mapped));
    hashes = new Map();
  }
  const { valid, duplicatesInFile } = checked;
  const hashOf = (idNumber: string) => {
    let hash = hashes.get(idNumber);
    if (hash === undefined) hashes.set(idNumber, (hash = deps.crypto.keyedHash(idNumber)));
    return hash;
  };
  const contact = await civilAffairsContact(deps.db, ctx.actor.scopeRegion);
  const checkDatabase = (db: Db) => findDuplicatesInDatabase(db, ctx, contact, villages, valid, issue, duplicatesInFile, hashOf);
  const auditCheck = (found: { inScope: number; outOfScope: number }) => auditDuplicateCheck(deps, ctx, 'import', found, { jobId: job.id, dryRun: job.dryRun });

  let imported = 0;
  if (job.dryRun) {
    const fileIssues = { errors: collected.errors.length, warnings: collected.warnings.slice() };
    await auditCheck(await checkDatabase(deps.db));
    // A file without errors of its own is kept for its commit; the database is checked again then anyway.
    if (fileIssues.errors === 0) jobs.keepPrepared<PreparedFile>(ctx.actor.id, key, { rows: checked.rows, columns, valid, warnings: fileIssues.warnings, hashes });
  } else {
    const refused = new Error('import refused: rows with errors'); // rolls the transaction back
    let found: { inScope: number; outOfScope: number } | undefined;
    try {
      await inTransaction(deps.db, async (trx) => {
        // Checked again inside the transaction that writes, so that no duplicate slips in meanwhile.
        found = await checkDatabase(trx);
        if (collected.errors.length > 0) throw refused;
        job.phase = 'writing';
        job.processed = 0;
        imported = await writeRows(trx, deps, ctx, job, valid, day, hashOf);
        await audit(trx, deps, ctx, { action: 'child.import', targetType: 'import', targetId: job.id, details: { count: imported, fileName: job.fileName } });
      });
    } catch (err) {
      if (err !== refused) throw err;
    }
    if (found) await auditCheck(found);
  }

  const byRow = (a: ImportIssue, b: ImportIssue) => a.row - b.row;
  collected.errors.sort(byRow);
  collected.warnings.sort(byRow);
  job.issues = { errors: collected.errors, warnings: collected.warnings };
  const result: ImportResult = {
    fileName: job.fileName,
    dryRun: job.dryRun,
    rows: checked.rows,
    valid: checked.rows - collected.rowsWithErrors.size,
    invalid: collected.rowsWithErrors.size,
    errorCount: collected.errors.length,
    warningCount: collected.warnings.length,
    errors: collected.errors.slice(0, LISTED_ISSUES),
    warnings: collected.warnings.slice(0, LISTED_ISSUES),
    imported,
    committed: imported > 0,
    elapsedMs: Date.now() - started,
  };
  job.result = result;
  job.state = 'done';
  job.phase = 'finished';
  job.processed = job.total;
  job.finishedAt = Date.now();
}

/** Path keys of each mapped column, split once; what its cells read as, by cell. */
interface ColumnReader {
  index: number;
  column: ImportColumn;
  keys: string[];
  /**
   * Text cells by their text: a roster repeats a few words per column (男,
   * 在校, 否, dates, village codes…), each parsed once. Lists are left out:
   * each row gets an array of its own.
   */
  seen: Map<string, ReturnType<typeof parseCell>> | null;
}

/** Sets `value` at `keys` (a dotted path, split), creating objects on the way — `setPath` without splitting per cell. */
function setKeys(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  const last = keys.length - 1;
  for (let i = 0; i < last; i++) {
    const key = keys[i]!;
    const next = node[key];
    if (next === undefined || next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[last]!] = value;
}

/**
 * Reads the sheet, validates every row as the registration form would, and
 * looks for duplicates within the file. Row problems go to `issue`; a file
 * that cannot be read at all throws.
 */
async function checkFile(
  ctx: RequestContext,
  job: ImportJob,
  buffer: Buffer,
  day: string,
  villages: Map<string, string>,
  issue: IssueFn,
  mapped: (columns: MappedColumns) => void,
): Promise<CheckedFile> {
  const locale = job.locale;
  let sheet: XlsxSheet;
  let columns: MappedColumns;
  try {
    sheet = readXlsxSheet(buffer, IMPORT_READ);
    columns = mapHeaders(sheet).columns;
  } catch (err) {
    if (err instanceof XlsxError) {
      const { reason, params } = xlsxProblem(err);
      throw fileError(locale, reason, params);
    }
    if (err instanceof FileProblem) throw fileError(locale, err.reason, err.params);
    throw err;
  }
  mapped(columns);

  const readers: ColumnReader[] = [...columns.values()].map(({ index, column }) => ({ index, column, keys: column.field.split('.'), seen: column.type.kind === 'list' ? null : new Map() }));
  const nameIndex = columns.get('name')?.index;
  const dataRows = sheet.rows.slice(1).filter((r) => {
    const name = nameIndex === undefined ? undefined : r.cells[nameIndex];
    if (name?.t === 'text' && EXAMPLE_MARK.test(name.v.trim())) return false;
    return readers.some(({ index }) => {
      const c = r.cells[index];
      return c !== undefined && !(c.t === 'text' && c.v.trim() === '');
    });
  });
  if (dataRows.length === 0) throw new AppError('VALIDATION', { params: { field: columnLabel(locale, 'file', undefined), reason: reasonText(locale, 'no_rows') } });

  job.total = dataRows.length;
  job.phase = 'validating';
  const valid: ValidRow[] = [];
  // Rosters repeat names (and every row of a family its surname): each name's spellings are worked out once.
  const spellingOf = new Map<string, NameSpelling>();

  for (let i = 0; i < dataRows.length; i++) {
    if (i > 0 && i % SLICE === 0) {
      job.processed = i;
      await yieldToEventLoop();
    }
    const { row, cells } = dataRows[i]!;
    const input: Record<string, unknown> = { father: {}, mother: {}, caregiver: {}, schooling: {}, health: {}, support: {}, guardianship: {} };
    let badFields: Set<string> | null = null;
    for (const { index, column, keys, seen } of readers) {
      const cell = cells[index];
      if (cell === undefined) continue; // blank: the schema's default or "required"
      let parsed = seen && cell.t === 'text' ? seen.get(cell.v) : undefined;
      if (parsed === undefined) {
        parsed = parseCell(column, cell, sheet.date1904);
        if (seen && cell.t === 'text') seen.set(cell.v, parsed);
      }
      if ('problem' in parsed) {
        (badFields ??= new Set()).add(column.field);
        issue('error', row, column.field, parsed.problem.reason, parsed.problem.params);
      } else if (parsed.value !== undefined) setKeys(input, keys, parsed.value);
    }
    const result = ChildInput.safeParse(input);
    if (!result.success) {
      const seen = new Set<string>();
      for (const zi of result.error.issues) {
        const field = zi.path.join('.');
        if (badFields?.has(field) || seen.has(field)) continue;
        seen.add(field);
        const value = zi.path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), input);
        const reason =
          value === undefined ? 'required' : zi.code === 'invalid_value' ? 'invalid_value' : zi.message === 'region_code' ? 'region_code' : zi.code === 'custom' && VALIDATION_REASONS[locale][zi.message] ? zi.message : zi.code;
        issue('error', row, field, reason);
      }
      continue;
    }
    if (badFields) continue;
    const data = result.data;
    let ok = true;
    if (!villages.has(data.regionCode)) {
      const notVillage = isInScope(ctx.actor, data.regionCode) && regionLevel(data.regionCode) !== 'village';
      // Unknown and out-of-scope codes get the same answer: a village outside scope "does not exist".
      issue('error', row, 'regionCode', notVillage ? 'not_village' : 'not_found');
      ok = false;
    }
    let child: NormalisedChild;
    try {
      child = normaliseChild(data, day, { recorder: ctx.actor.displayName });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION') throw err;
      issue('error', row, err.details.field ?? '', err.details.reason ?? 'invalid_format');
      continue;
    }
    if (ok) {
      let spelling = spellingOf.get(child.name);
      if (spelling === undefined) spellingOf.set(child.name, (spelling = spellName(child.name)));
      valid.push({ row, child, regionCode: data.regionCode, spelling });
    }
  }
  job.processed = dataRows.length;

  job.phase = 'checking';
  await yieldToEventLoop();
  const duplicatesInFile = findDuplicatesInFile(valid, issue);
  return { rows: dataRows.length, columns, valid, duplicatesInFile };
}

type IssueFn = (level: 'error' | 'warning', row: number, field: string, reason: string, params?: Record<string, string>) => void;

/**
 * Levenshtein distance ≤ 1 (UTF-16 code units, as `fastest-levenshtein`'s
 * `distance`), in one pass without building the matrix: equal, one
 * substitution, or one insertion / deletion.
 */
function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let differences = 0;
    for (let i = 0; i < la; i++) if (a.charCodeAt(i) !== b.charCodeAt(i) && ++differences > 1) return false;
    return true;
  }
  if (la - lb !== 1 && lb - la !== 1) return false;
  const [long, short] = la > lb ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && long.charCodeAt(i) === short.charCodeAt(i)) i++;
  for (let j = i; j < short.length; j++) if (long.charCodeAt(j + 1) !== short.charCodeAt(j)) return false;
  return true;
}

/**
 * `similarNames(a, b, { a: pa, b: pb })` of children/child-file.ts, for the
 * import's millions of comparisons: the same answer (same name or sound, or
 * one character apart), with the distance test above instead of a full
 * edit distance. children-import.test.ts checks that both agree.
 */
export function similarNamesWithPinyin(a: string, pa: string, b: string, pb: string): boolean {
  if (a === b || pa === pb) return true;
  return Math.min(a.length, b.length) >= 2 && (withinOneEdit(a, b) || withinOneEdit(pa, pb));
}

/** Same ID number, or same name + birth date + village, as an earlier row: an error. Similar name + same birth date: a warning. */
function findDuplicatesInFile(rows: ValidRow[], issue: IssueFn): Set<number> {
  const byId = new Map<string, number>();
  const byKey = new Map<string, number>();
  const byBirth = new Map<string, ValidRow[]>();
  const duplicates = new Set<number>();
  for (const r of rows) {
    const { idNumber, name, birthDate } = r.child;
    const firstWithId = idNumber ? byId.get(idNumber) : undefined;
    const key = `${name}\u0000${birthDate}\u0000${r.regionCode}`;
    const firstWithKey = byKey.get(key);
    if (firstWithId !== undefined) {
      issue('error', r.row, 'idNumber', 'duplicate_id_in_file', { row: String(firstWithId) });
      duplicates.add(r.row);
    } else if (firstWithKey !== undefined) {
      issue('error', r.row, 'name', 'duplicate_child_in_file', { row: String(firstWithKey) });
      duplicates.add(r.row);
    } else {
      // Twins are born the same day: a warning to check, never an error. Bounded so that a file of one birth date stays linear.
      const sameDay = byBirth.get(birthDate);
      if (sameDay) {
        const end = Math.min(50, sameDay.length);
        for (let i = 0; i < end; i++) {
          const o = sameDay[i]!;
          if (similarNamesWithPinyin(name, r.spelling.pinyin, o.child.name, o.spelling.pinyin)) {
            issue('warning', r.row, 'name', 'similar_in_file', { row: String(o.row) });
            break;
          }
        }
      }
    }
    if (idNumber && firstWithId === undefined) byId.set(idNumber, r.row);
    if (firstWithKey === undefined) byKey.set(key, r.row);
    const list = byBirth.get(birthDate);
    if (list) list.push(r);
    else byBirth.set(birthDate, [r]);
  }
  return duplicates;
}

/**
 * Rows that repeat an open file: the same ID number, or the same name, birth
 * date and village (errors); a similar name and the same birth date (a
 * warning). A file in the importer's scope is named by its village. Of a file
 * outside it only a same ID number is told, as "exists outside your area, ask
 * your civil-affairs office" (issue 11 §3); a similar name there is not told.
 * Returns how many rows matched in and out of scope, for the audit row.
 */
async function findDuplicatesInDatabase(
  db: Db,
  ctx: RequestContext,
  contact: RegionRef,
  villages: Map<string, string>,
  rows: ValidRow[],
  issue: IssueFn,
  alreadyDuplicate: Set<number>,
  hashOf: (idNumber: string) => string,
): Promise<{ inScope: number; outOfScope: number }> {
  const inScope = (c: { region_code: string }) => isInScope(ctx.actor, c.region_code);
  const village = (c: { region_code: string }) => villages.get(c.region_code) ?? c.region_code;
  const hashes: string[] = [];
  for (const r of rows) if (r.child.idNumber) hashes.push(hashOf(r.child.idNumber));
  const byHash = new Map((await findOpenChildrenByIdHash(db, hashes)).map((c) => [c.id_hash!, c]));
  const byBirth = new Map<string, SameDayChild[]>();
  for (const c of await findOpenChildrenByBirthDate(db, rows.map((r) => r.child.birthDate))) {
    if (!inScope(c)) continue;
    const list = byBirth.get(c.birth_date);
    if (list) list.push(c);
    else byBirth.set(c.birth_date, [c]);
  }
  const found = { inScope: 0, outOfScope: 0 };
  for (const r of rows) {
    if (alreadyDuplicate.has(r.row)) continue;
    const sameId = r.child.idNumber ? byHash.get(hashOf(r.child.idNumber)) : undefined;
    if (sameId && inScope(sameId)) {
      found.inScope++;
      issue('error', r.row, 'idNumber', 'duplicate_id_existing', { where: village(sameId) });
      continue;
    }
    if (sameId) {
      found.outOfScope++;
      issue('error', r.row, 'idNumber', 'duplicate_id_elsewhere', { region: contact.name });
      continue;
    }
    const sameDay = byBirth.get(r.child.birthDate);
    if (!sameDay) continue;
    const { name } = r.child;
    const exact = sameDay.find((c) => c.name === name && c.region_code === r.regionCode);
    if (exact) {
      found.inScope++;
      issue('error', r.row, 'name', 'duplicate_child_existing', { where: village(exact) });
      continue;
    }
    const similar = sameDay.find((c) => similarNamesWithPinyin(name, r.spelling.pinyin, c.name, c.name_pinyin));
    if (similar) {
      found.inScope++;
      issue('warning', r.row, 'name', 'similar_existing', { name: similar.name, where: village(similar) });
    }
  }
  return found;
}

async function writeRows(trx: Db, deps: Deps, ctx: RequestContext, job: ImportJob, rows: ValidRow[], day: string, hashOf: (idNumber: string) => string): Promise<number> {
  const settings = await categorySettings(trx);
  // The first visit is due as for a file registered by hand: the stored visit settings, not the defaults.
  const schedule = await scheduleSettings(trx);
  const now = deps.clock.now().toISOString();
  // The ID numbers' keyed hashes were worked out for the duplicate check: not again for the rows.
  const crypto = { ...deps.crypto, keyedHash: hashOf };
  const children = rowWriter(trx, deps.dialect, 'children');
  const changes = rowWriter(trx, deps.dialect, 'child_changes');
  const BATCH = 1000;
  return withLargePageCache(trx, deps, async () => {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const id = newId();
      const categories = categoriesOf(factsOf(r.child), day, settings, NO_OVERRIDES);
      await children.add(buildChildRow(r.child, r.regionCode, categories, settings, crypto, { id, status: 'active', actorId: ctx.actor.id, now, spelling: r.spelling, schedule }));
      await changes.add({
        id: newId(),
        child_id: id,
        region_code: r.regionCode,
        at: now,
        actor_id: ctx.actor.id,
        actor_name: ctx.actor.displayName,
        action: 'import',
        comment: job.fileName,
        // The imported values are the file itself (named in the comment); history records the event.
        changes: '[]',
      });
      if ((i + 1) % BATCH === 0 || i + 1 === rows.length) {
        // Each child before its history row (the foreign key is checked at once on PostgreSQL).
        await children.flush();
        await changes.flush();
        job.processed = i + 1;
      }
    }
    return rows.length;
  });
}

/**
 * SQLite: a large page cache for the writing transaction. Each child adds an
 * entry at a random place in most of the children table's dozen indexes
 * (name, pinyin, birth date, ID hash, aging-out date, visit due…); with the
 * connection's cache of a few MB, tens of thousands of such inserts evict and
 * re-read the same pages all the time (measured: 50,000 rows into a
 * 100,000-child file insert in about half the time with 512 MB than with
 * 16 MB). The memory is taken only as pages are read; set back afterwards.
 */
async function withLargePageCache<T>(trx: Db, deps: Deps, work: () => Promise<T>): Promise<T> {
  if (deps.dialect !== 'sqlite') return work();
  const before = (await sql<{ cache_size: number }>`pragma cache_size`.execute(trx)).rows[0]?.cache_size ?? -2000;
  await sql.raw(`pragma cache_size = ${IMPORT_PAGE_CACHE_KIB}`).execute(trx);
  try {
    return await work();
  } finally {
    await sql.raw(`pragma cache_size = ${Number(before)}`).execute(trx);
  }
}

const PHASE_WEIGHT = { reading: [0, 5], validating: [5, 60], checking: [60, 70], writing: [70, 100], finished: [100, 100] } as const;

export function presentJob(job: ImportJob): ImportJobStatus {
  const [from, to] = PHASE_WEIGHT[job.phase];
  const share = job.total > 0 ? job.processed / job.total : 0;
  const span = job.dryRun && job.phase === 'checking' ? [60, 100] : [from, to];
  return {
    jobId: job.id,
    fileName: job.fileName,
    dryRun: job.dryRun,
    state: job.state,
    phase: job.phase,
    processed: job.processed,
    total: job.total,
    percent: job.state === 'running' ? Math.min(99, Math.floor(span[0]! + (span[1]! - span[0]!) * (job.phase === 'checking' ? 0 : share))) : 100,
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
