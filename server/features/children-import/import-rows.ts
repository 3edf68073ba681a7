/**
 * What a roster row is, without the database: the messages of a problem in
 * the user's language, which file column holds which field, one row checked
 * as the registration form checks it, and the duplicates within the file
 * (looked for row by row, so that a file is checked chunk by chunk while
 * earlier chunks are written). Used by the import's builder thread
 * (import-builder.ts) and its writer (import-writer.ts).
 */
import { FIELD_LABELS, VALIDATION_REASONS, errorMessage } from '../../../domain/errors.js';
import type { ImportIssue } from '../../../domain/children/import.js';
import { ChildInput } from '../../../domain/children/schema.js';
import { spellName, type NameSpelling } from '../../../domain/children/name-search.js';
import type { Locale } from '../../../domain/locale.js';
import { regionLevel } from '../../../domain/regions.js';
import { isInScope } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
import { normaliseChild, type NormalisedChild } from '../children/child-file.js';
import { COLUMN_BY_FIELD, EXAMPLE_MARK, HEADER_LOOKUP, IMPORT_COLUMNS, normaliseHeader, parseCell, type ImportColumn } from './import-columns.js';
import { DEFAULT_XLSX_LIMITS, XlsxError, columnLetter, type ReadOptions, type XlsxRow, type XlsxSheet } from './xlsx-reader.js';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;
/** The template's width and room for a few columns of the user's own (notes, old numbers). */
export const MAX_IMPORT_COLUMNS = IMPORT_COLUMNS.length + 40;
export const DATA_SHEET = '儿童信息';
/** What a roster may be (issue 11 point 7, spreadsheet bombs): its rows with the header, its columns; sizes and ratios as the reader's defaults. */
export const IMPORT_READ: ReadOptions = { sheetName: DATA_SHEET, maxRows: MAX_IMPORT_ROWS + 1, maxColumns: MAX_IMPORT_COLUMNS };

// ---------------------------------------------------------------- messages

function fill(text: string, params: Record<string, string> = {}): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? `{${k}}`);
}

export function reasonText(locale: Locale, reason: string, params?: Record<string, string>): string {
  return fill(VALIDATION_REASONS[locale][reason] ?? reason, params);
}

export function columnLabel(locale: Locale, field: string, column: ImportColumn | undefined): string {
  if (column) return locale === 'en-US' ? column.en : column.header;
  return FIELD_LABELS[locale][field] ?? field;
}

/** '身份证号：身份证号校验码错误' — the same wording as the registration form's errors. */
export function issueMessage(locale: Locale, field: string, reason: string, params?: Record<string, string>): string {
  return errorMessage(locale, 'VALIDATION', { field: columnLabel(locale, field, COLUMN_BY_FIELD.get(field)), reason: reasonText(locale, reason, params) });
}

/** Why a workbook cannot be read, as a reason of VALIDATION_REASONS with its parameters. */
export function xlsxProblem(err: XlsxError): { reason: string; params: Record<string, string> } {
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
export function fileError(locale: Locale, reason: string, params: Record<string, string>): AppError {
  return new AppError('VALIDATION', { field: 'file', params: { field: columnLabel(locale, 'file', undefined), reason: reasonText(locale, reason, params) } });
}


// ---------------------------------------------------------------- the file

export class FileProblem extends Error {
  constructor(
    readonly reason: string,
    readonly params: Record<string, string> = {},
  ) {
    super(reason);
  }
}

export interface ValidRow {
  row: number;
  child: NormalisedChild;
  regionCode: string;
  spelling: NameSpelling;
}

export type MappedColumns = Map<string, { index: number; column: ImportColumn; header: string }>;

/** Which file column holds which field. */
export function mapHeaders(sheet: XlsxSheet): { headerRow: number; columns: MappedColumns } {
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


export type IssueFn = (level: 'error' | 'warning', row: number, field: string, reason: string, params?: Record<string, string>) => void;

/** Issues as the report lists them: the file's own column (header and letter) of the field at fault. */
export function issueMaker(locale: Locale, columns: MappedColumns, sink: { error(issue: ImportIssue): void; warning(issue: ImportIssue): void }): IssueFn {
  const fieldColumn = (field: string) => columns.get(field) ?? columns.get(IMPORT_COLUMNS.find((c) => c.field.startsWith(`${field}.`))?.field ?? '');
  return (level, row, field, reason, params) => {
    const at = fieldColumn(field);
    const entry: ImportIssue = {
      row,
      column: at?.header ?? '',
      columnLetter: at ? columnLetter(at.index) : '',
      field,
      message: issueMessage(locale, field, reason, params),
    };
    if (level === 'error') sink.error(entry);
    else sink.warning(entry);
  };
}

/** The sheet's data rows: neither the header, nor the template's example row, nor a row blank in every known column. */
export function dataRowsOf(sheet: XlsxSheet, columns: MappedColumns): XlsxRow[] {
  const indexes = [...columns.values()].map((c) => c.index);
  const nameIndex = columns.get('name')?.index;
  return sheet.rows.slice(1).filter((r) => {
    const name = nameIndex === undefined ? undefined : r.cells[nameIndex];
    if (name?.t === 'text' && EXAMPLE_MARK.test(name.v.trim())) return false;
    return indexes.some((index) => {
      const c = r.cells[index];
      return c !== undefined && !(c.t === 'text' && c.v.trim() === '');
    });
  });
}

// ---------------------------------------------------------------- one row

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
 * Checks rows one by one as the registration form would (`ChildInput`,
 * `normaliseChild`, a village in the importer's scope). Problems go to
 * `issue`; a row without any comes back as a ValidRow.
 */
export class RowChecker {
  private readonly readers: ColumnReader[];
  /** Rosters repeat names (and every row of a family its surname): each name's spellings are worked out once. */
  private readonly spellingOf = new Map<string, NameSpelling>();

  constructor(
    columns: MappedColumns,
    private readonly date1904: boolean,
    private readonly ctx: { actor: Actor; locale: Locale; day: string; villages: ReadonlySet<string> },
    private readonly issue: IssueFn,
  ) {
    this.readers = [...columns.values()].map(({ index, column }) => ({ index, column, keys: column.field.split('.'), seen: column.type.kind === 'list' ? null : new Map() }));
  }

  check({ row, cells }: XlsxRow): ValidRow | null {
    const { issue } = this;
    const { actor, locale, day, villages } = this.ctx;
    const input: Record<string, unknown> = { father: {}, mother: {}, caregiver: {}, schooling: {}, health: {}, support: {}, guardianship: {} };
    let badFields: Set<string> | null = null;
    for (const { index, column, keys, seen } of this.readers) {
      const cell = cells[index];
      if (cell === undefined) continue; // blank: the schema's default or "required"
      let parsed = seen && cell.t === 'text' ? seen.get(cell.v) : undefined;
      if (parsed === undefined) {
        parsed = parseCell(column, cell, this.date1904);
        if (seen && cell.t === 'text') seen.set(cell.v, parsed);
      }
      if ('problem' in parsed) {
        (badFields ??= new Set()).add(column.field);
        issue('error', row, column.field, parsed.problem.reason, parsed.problem.params);
      } else if (parsed.value !== undefined) setKeys(input, keys, parsed.value);
    }
    const result = ChildInput.safeParse(input);
    if (!result.success) {
      const reported = new Set<string>();
      for (const zi of result.error.issues) {
        const field = zi.path.join('.');
        if (badFields?.has(field) || reported.has(field)) continue;
        reported.add(field);
        const value = zi.path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), input);
        const reason =
          value === undefined ? 'required' : zi.code === 'invalid_value' ? 'invalid_value' : zi.message === 'region_code' ? 'region_code' : zi.code === 'custom' && VALIDATION_REASONS[locale][zi.message] ? zi.message : zi.code;
        issue('error', row, field, reason);
      }
      return null;
    }
    if (badFields) return null;
    const data = result.data;
    let ok = true;
    if (!villages.has(data.regionCode)) {
      const notVillage = isInScope(actor, data.regionCode) && regionLevel(data.regionCode) !== 'village';
      // Unknown and out-of-scope codes get the same answer: a village outside scope "does not exist".
      issue('error', row, 'regionCode', notVillage ? 'not_village' : 'not_found');
      ok = false;
    }
    let child: NormalisedChild;
    try {
      child = normaliseChild(data, day, { recorder: actor.displayName });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION') throw err;
      issue('error', row, err.details.field ?? '', err.details.reason ?? 'invalid_format');
      return null;
    }
    if (!ok) return null;
    let spelling = this.spellingOf.get(child.name);
    if (spelling === undefined) this.spellingOf.set(child.name, (spelling = spellName(child.name)));
    return { row, child, regionCode: data.regionCode, spelling };
  }
}

// ---------------------------------------------------------------- duplicates within the file

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

/** What the duplicates within the file are looked for by: the ID number (or its keyed hash: the same number gives the same hash), name, birth date, village. */
export interface FileRow {
  row: number;
  idKey: string | null;
  name: string;
  pinyin: string;
  birthDate: string;
  regionCode: string;
}

/**
 * Duplicates within the file, row after row: the same ID number, or the same
 * name + birth date + village, as an earlier row is an error; a similar name
 * and the same birth date a warning.
 */
export class FileDuplicates {
  private readonly byId = new Map<string, number>();
  private readonly byKey = new Map<string, number>();
  private readonly byBirth = new Map<string, FileRow[]>();

  constructor(private readonly issue: IssueFn) {}

  /** True when `r` repeats an earlier row (an error was reported). */
  check(r: FileRow): boolean {
    const { idKey, name, birthDate } = r;
    const firstWithId = idKey ? this.byId.get(idKey) : undefined;
    const key = `${name}\u0000${birthDate}\u0000${r.regionCode}`;
    const firstWithKey = this.byKey.get(key);
    let duplicate = false;
    if (firstWithId !== undefined) {
      this.issue('error', r.row, 'idNumber', 'duplicate_id_in_file', { row: String(firstWithId) });
      duplicate = true;
    } else if (firstWithKey !== undefined) {
      this.issue('error', r.row, 'name', 'duplicate_child_in_file', { row: String(firstWithKey) });
      duplicate = true;
    } else {
      // Twins are born the same day: a warning to check, never an error. Bounded so that a file of one birth date stays linear.
      const sameDay = this.byBirth.get(birthDate);
      if (sameDay) {
        const end = Math.min(50, sameDay.length);
        for (let i = 0; i < end; i++) {
          const o = sameDay[i]!;
          if (similarNamesWithPinyin(name, r.pinyin, o.name, o.pinyin)) {
            this.issue('warning', r.row, 'name', 'similar_in_file', { row: String(o.row) });
            break;
          }
        }
      }
    }
    if (idKey && firstWithId === undefined) this.byId.set(idKey, r.row);
    if (firstWithKey === undefined) this.byKey.set(key, r.row);
    const list = this.byBirth.get(birthDate);
    if (list) list.push(r);
    else this.byBirth.set(birthDate, [r]);
    return duplicate;
  }
}
