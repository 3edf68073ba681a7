/**
 * A small, fast and defensive reader of one worksheet of an .xlsx file.
 *
 * Why not exceljs for reading: on this machine exceljs takes 7–11 s for a
 * 50,000 × 30 sheet, which alone breaks the 5,000 rows/s import target, and it
 * inflates whatever a zip claims (no guard against zip bombs). This reader
 * inflates only the parts it needs and scans the XML with indexOf and regular
 * expressions (about ten times faster).
 *
 * Spreadsheet bombs (issue 11 point 7: 0.99 MB inflating to 1.3 GB stalled the
 * server): before anything is inflated, the zip's central directory is read and
 * the file refused when its entries, declared inflated sizes (each and in
 * total) or compression ratios pass the limits, and when the sheet's
 * `<dimension>` (read from the first few KB of the sheet) has more rows or
 * columns than allowed. Declared sizes can lie, so inflating stops as soon as
 * a part's real bytes pass its declared size, and the scan stops at the first
 * row or column past the limits.
 *
 * Formulas are never evaluated: a formula cell is reported as `{ t: 'formula' }`
 * (its cached result is ignored), and the importer refuses it.
 */
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';

export type XlsxCell =
  | { t: 'text'; v: string }
  | { t: 'number'; v: number; date: boolean }
  | { t: 'bool'; v: boolean }
  | { t: 'error'; v: string }
  | { t: 'formula' };

export interface XlsxRow {
  /** 1-based row number as Excel shows it. */
  row: number;
  /** Sparse, 0-based by column (A = 0). */
  cells: (XlsxCell | undefined)[];
}

export interface XlsxSheet {
  name: string;
  /** Workbook uses the 1904 date system (old Mac Excel). */
  date1904: boolean;
  rows: XlsxRow[];
}

export type XlsxProblem =
  /** Not a zip, not a workbook, or a zip feature no spreadsheet program writes (Zip64, encryption, odd methods). */
  | 'not_xlsx'
  /** The entries inflate to more than `maxEntryBytes` each or `maxTotalBytes` together, or inflate past their declared size. */
  | 'inflated_too_large'
  /** An entry inflates more than `maxRatio` times its compressed size. */
  | 'compression_ratio'
  | 'too_many_rows'
  | 'too_many_columns';

export class XlsxError extends Error {
  constructor(readonly reason: XlsxProblem) {
    super(reason);
    this.name = 'XlsxError';
  }
}

export interface XlsxLimits {
  /** Sum of the inflated sizes of every entry of the zip (as declared, and as inflated). */
  maxTotalBytes: number;
  /** Inflated size of any one entry. */
  maxEntryBytes: number;
  /** Inflated ÷ compressed size, for entries inflating to more than RATIO_FLOOR_BYTES. */
  maxRatio: number;
  /** Entries in the zip (a workbook has about ten). */
  maxEntries: number;
  /** Rows with a cell, counting the header; also the last row of the sheet's dimension. */
  maxRows: number;
  /** Columns (A = 1); also the last column of the sheet's dimension. */
  maxColumns: number;
}

/**
 * Defaults for any reader of an uploaded or generated workbook: well above
 * what a roster of 100,000 rows needs (its sheet ~90 MB at a ratio of ~7, its
 * shared strings ~13 MB), well below what stalls the server. Excel's own
 * sheet limits are 1,048,576 rows × 16,384 columns.
 */
export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  maxTotalBytes: 256 * 1024 * 1024,
  maxEntryBytes: 192 * 1024 * 1024,
  maxRatio: 100,
  maxEntries: 1000,
  maxRows: 1_048_576,
  maxColumns: 16_384,
};

/** Small entries (an empty part, a repeated style) may compress far better than any sheet: the ratio is judged above this size. */
const RATIO_FLOOR_BYTES = 1024 * 1024;

export interface ReadOptions extends Partial<XlsxLimits> {
  /** Prefer this sheet when present; otherwise the first sheet. */
  sheetName?: string;
}

interface ZipEntry {
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  flags: number;
}

/** The central directory, checked against the limits before a byte is inflated. */
function readZipDirectory(buf: Buffer, limits: XlsxLimits): Map<string, ZipEntry> {
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) throw new XlsxError('not_xlsx');
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new XlsxError('not_xlsx');
  const count = buf.readUInt16LE(eocd + 10);
  if (count > limits.maxEntries) throw new XlsxError('inflated_too_large');
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, ZipEntry>();
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new XlsxError('not_xlsx');
    const nameLength = buf.readUInt16LE(p + 28);
    const entry: ZipEntry = {
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    };
    // Zip64 markers, encryption: not something a spreadsheet program writes for a roster.
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.localOffset === 0xffffffff || (entry.flags & 1) !== 0) throw new XlsxError('not_xlsx');
    if (entry.method !== 0 && entry.method !== 8) throw new XlsxError('not_xlsx');
    if (entry.method === 0 && entry.size !== entry.compressedSize) throw new XlsxError('not_xlsx');
    total += entry.size;
    if (entry.size > limits.maxEntryBytes || total > limits.maxTotalBytes) throw new XlsxError('inflated_too_large');
    if (entry.size > RATIO_FLOOR_BYTES && entry.size > limits.maxRatio * entry.compressedSize) throw new XlsxError('compression_ratio');
    entries.set(buf.toString('utf8', p + 46, p + 46 + nameLength), entry);
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

/** The compressed bytes of an entry (its local header checked). */
function compressedData(buf: Buffer, e: ZipEntry): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== 0x04034b50) throw new XlsxError('not_xlsx');
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw new XlsxError('not_xlsx');
  return buf.subarray(start, start + e.compressedSize);
}

/**
 * One part, inflated. The directory's sizes were checked against the limits;
 * inflating stops as soon as the output passes the declared size (a lying
 * directory is refused as too large, having cost at most that many bytes).
 */
function readZipPart(buf: Buffer, entries: Map<string, ZipEntry>, name: string): string | null {
  const e = entries.get(name);
  if (!e) return null;
  const data = compressedData(buf, e);
  if (e.method === 0) return data.toString('utf8');
  if (e.size === 0) return '';
  let raw: Buffer;
  try {
    // One output buffer of the declared size (no chunk list to join).
    raw = inflateRawSync(data, { maxOutputLength: e.size, chunkSize: Math.max(64 * 1024, e.size) });
  } catch (err) {
    throw new XlsxError(err instanceof RangeError ? 'inflated_too_large' : 'not_xlsx');
  }
  return raw.toString('utf8');
}

/** Compressed bytes looked at for the sheet's `<dimension>`: at most ~1,000 times as many inflated. */
const HEAD_COMPRESSED_BYTES = 4 * 1024;
const HEAD_INFLATED_BYTES = 64 * 1024;

/**
 * The first few KB of a part, inflated without reading the rest (a sync
 * flush at the end accepts the cut-off stream). Empty when they cannot be read
 * that way: the full read decides then.
 */
function readZipPartHead(buf: Buffer, e: ZipEntry): string {
  const data = compressedData(buf, e);
  if (e.method === 0) return data.toString('utf8', 0, Math.min(data.length, HEAD_INFLATED_BYTES));
  try {
    const head = inflateRawSync(data.subarray(0, HEAD_COMPRESSED_BYTES), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    return head.toString('utf8', 0, Math.min(head.length, HEAD_INFLATED_BYTES));
  } catch {
    return '';
  }
}

/** Last row and column (1-based) of `<dimension ref="A1:BH50001"/>`, when the sheet states one before its data. */
function declaredDimension(head: string): { rows: number; columns: number } | null {
  const dataAt = head.indexOf('<sheetData');
  const m = /<dimension\b[^>]*?\sref="([^"]*)"/.exec(dataAt < 0 ? head : head.slice(0, dataAt));
  if (!m) return null;
  const last = m[1]!.split(':').pop()!;
  const cell = /^\$?([A-Z]+)\$?(\d+)$/.exec(last.trim());
  return cell ? { rows: Number(cell[2]), columns: columnNumber(cell[1]!) } : null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
export function decodeXml(s: string): string {
  if (!s.includes('&') && !s.includes('_x')) return s;
  return s
    .replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
      e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e]!,
    )
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))); // OOXML escapes of control characters
}

/** All `<t>` texts of a string item, without phonetic runs (`<rPh>`). */
function textOf(xml: string): string {
  const body = xml.includes('<rPh') ? xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : xml;
  let out = '';
  for (const m of body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) out += m[1];
  return decodeXml(out);
}

function sharedStrings(xml: string | null): string[] {
  if (!xml) return [];
  return Array.from(xml.matchAll(/<si(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/si>)/g), (m) => (m[1] ? textOf(m[1]) : ''));
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** For each cell style index: does its number format show a date? */
function dateStyles(xml: string | null): boolean[] {
  if (!xml) return [];
  const custom = new Map<number, boolean>();
  for (const m of xml.matchAll(/<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"/g)) {
    const code = decodeXml(m[2]!).replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
    custom.set(Number(m[1]), /[yd]/i.test(code));
  }
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? '';
  return Array.from(xfs.matchAll(/<xf\b([^>]*?)\/?>/g), (m) => {
    const id = Number(/numFmtId="(\d+)"/.exec(m[1]!)?.[1] ?? 0);
    return custom.get(id) ?? BUILTIN_DATE_FORMATS.has(id);
  });
}

/** 'AB' → 27 (1-based). */
function columnNumber(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n;
}

/** 0 → 'A', 27 → 'AB'. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function attr(attrs: string, name: string): string | undefined {
  const i = attrs.indexOf(` ${name}="`);
  if (i < 0) return undefined;
  const start = i + name.length + 3;
  return attrs.slice(start, attrs.indexOf('"', start));
}

/** Whitespace, '>' or '/': where a tag name ends (`<c` must not match `<col`). */
function endsName(code: number): boolean {
  return code === 32 || code === 62 || code === 47 || code === 9 || code === 10 || code === 13;
}

/**
 * `attr` for a tag's attributes as cut from the XML (they start with the
 * whitespace after the tag name), without building a new string per lookup:
 * `key` is `name="`. Called for every cell of the sheet.
 */
function tagAttr(attrs: string, key: string): string | undefined {
  for (let i = attrs.indexOf(key); i >= 0; i = attrs.indexOf(key, i + 1)) {
    const before = i === 0 ? 32 : attrs.charCodeAt(i - 1);
    if (before === 32 || before === 9 || before === 10 || before === 13) {
      const start = i + key.length;
      return attrs.slice(start, attrs.indexOf('"', start));
    }
  }
  return undefined;
}

function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = `xl/${target}`.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.') out.push(part);
  }
  return out.join('/');
}

function limitsOf(options: ReadOptions): XlsxLimits {
  const limits = { ...DEFAULT_XLSX_LIMITS };
  for (const key of Object.keys(limits) as (keyof XlsxLimits)[]) {
    const value = options[key];
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

interface OpenedWorkbook {
  entries: Map<string, ZipEntry>;
  workbook: string;
  sheetName: string;
  sheetPath: string;
}

/** The directory checked, the workbook read, the sheet found and its declared dimension checked: nothing large inflated yet. */
function openWorkbook(buf: Buffer, options: ReadOptions, limits: XlsxLimits): OpenedWorkbook {
  const entries = readZipDirectory(buf, limits);
  const workbook = readZipPart(buf, entries, 'xl/workbook.xml');
  const rels = readZipPart(buf, entries, 'xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) throw new XlsxError('not_xlsx');
  const sheets = Array.from(workbook.matchAll(/<sheet\b([^>]*?)\/?>/g), (m) => ({
    name: decodeXml(attr(` ${m[1]!}`, 'name') ?? ''),
    rid: / r:id="([^"]*)"/.exec(` ${m[1]!}`)?.[1] ?? /\bid="([^"]*)"/.exec(m[1]!)?.[1] ?? '',
  }));
  const sheet = sheets.find((s) => s.name === options.sheetName) ?? sheets[0];
  if (!sheet) throw new XlsxError('not_xlsx');
  const rel = Array.from(rels.matchAll(/<Relationship\b([^>]*?)\/?>/g))
    .map((m) => ` ${m[1]!}`)
    .find((a) => attr(a, 'Id') === sheet.rid);
  const target = rel ? attr(rel, 'Target') : undefined;
  if (!target) throw new XlsxError('not_xlsx');
  const sheetPath = resolveTarget(target);
  const sheetEntry = entries.get(sheetPath);
  if (!sheetEntry) throw new XlsxError('not_xlsx');
  const dimension = declaredDimension(readZipPartHead(buf, sheetEntry));
  if (dimension && dimension.rows > limits.maxRows) throw new XlsxError('too_many_rows');
  if (dimension && dimension.columns > limits.maxColumns) throw new XlsxError('too_many_columns');
  return { entries, workbook, sheetName: sheet.name, sheetPath };
}

/**
 * Checks a workbook against the limits without reading its data: the zip's
 * directory (entries, declared inflated sizes, ratios) and the chosen sheet's
 * declared dimension. Cheap (a few KB inflated): made when the file arrives,
 * so that a bomb is refused before any work is queued. `readXlsxSheet` makes
 * the same checks, and those only the data can answer.
 */
export function checkXlsx(buf: Buffer, options: ReadOptions = {}): void {
  openWorkbook(buf, options, limitsOf(options));
}

/** Every XML part of a workbook as text, by name (within the default limits): for tests that look at what was written. */
export function readXlsxParts(buf: Buffer): Map<string, string> {
  const limits = limitsOf({});
  const entries = readZipDirectory(buf, limits);
  const parts = new Map<string, string>();
  for (const name of entries.keys()) if (name.endsWith('.xml') || name.endsWith('.rels')) parts.set(name, readZipPart(buf, entries, name) ?? '');
  return parts;
}

export function readXlsxSheet(buf: Buffer, options: ReadOptions = {}): XlsxSheet {
  const limits = limitsOf(options);
  const { entries, workbook, sheetName, sheetPath } = openWorkbook(buf, options, limits);
  const sheetXml = readZipPart(buf, entries, sheetPath);
  if (sheetXml === null) throw new XlsxError('not_xlsx');
  const strings = sharedStrings(readZipPart(buf, entries, 'xl/sharedStrings.xml'));
  const isDate = dateStyles(readZipPart(buf, entries, 'xl/styles.xml'));
  const date1904 = /<workbookPr\b[^>]*\bdate1904="(1|true)"/.test(workbook);

  const rows: XlsxRow[] = [];
  const { maxRows, maxColumns } = limits;
  // The same shared string gives the same (never modified) cell object: most cells of a roster repeat a few words.
  const stringCells: (XlsxCell | undefined)[] = [];
  const xml = sheetXml;
  // A scan with indexOf rather than regular expressions (a 50,000-row sheet is ~65 MB of XML); it reads
  // what `<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)` and `<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)` would match.
  let nextRow = 1;
  for (let p = xml.indexOf('<row'); p >= 0; p = xml.indexOf('<row', p)) {
    if (!endsName(xml.charCodeAt(p + 4))) {
      p += 4;
      continue;
    }
    const tagEnd = xml.indexOf('>', p);
    if (tagEnd < 0) break;
    const r = tagAttr(xml.slice(p + 4, tagEnd), 'r="');
    const rowNumber = r ? Number(r) : nextRow;
    nextRow = rowNumber + 1;
    if (xml.charCodeAt(tagEnd - 1) === 47) {
      p = tagEnd + 1; // <row …/>
      continue;
    }
    const rowEnd = xml.indexOf('</row>', tagEnd);
    if (rowEnd < 0) break;
    p = rowEnd + 6;
    const cells: (XlsxCell | undefined)[] = [];
    let nextCol = 0;
    for (let q = xml.indexOf('<c', tagEnd); q >= 0 && q < rowEnd; q = xml.indexOf('<c', q)) {
      if (!endsName(xml.charCodeAt(q + 2))) {
        q += 2;
        continue;
      }
      const cStart = q + 2;
      const cTagEnd = xml.indexOf('>', q);
      if (cTagEnd < 0 || cTagEnd > rowEnd) break;
      const attrs = xml.slice(cStart, cTagEnd);
      const ref = tagAttr(attrs, 'r="');
      const col = ref ? columnNumber(ref) - 1 : nextCol;
      if (col >= maxColumns) throw new XlsxError('too_many_columns');
      nextCol = col + 1;
      if (xml.charCodeAt(cTagEnd - 1) === 47) {
        q = cTagEnd + 1; // <c …/>: empty
        continue;
      }
      const cEnd = xml.indexOf('</c>', cTagEnd);
      if (cEnd < 0 || cEnd > rowEnd) break;
      q = cEnd + 4;
      const innerStart = cTagEnd + 1;
      if (cEnd === innerStart) continue;
      // Nearly always the body is exactly <v>…</v>; anything else is cut out and looked at as a whole.
      const plain = xml.startsWith('<v>', innerStart) && xml.startsWith('</v>', cEnd - 4) && xml.indexOf('<', innerStart + 3) === cEnd - 4;
      const inner = plain ? '' : xml.slice(innerStart, cEnd);
      if (!plain && inner.includes('<f')) {
        cells[col] = { t: 'formula' };
        continue;
      }
      const type = tagAttr(attrs, 't="') ?? 'n';
      if (type === 'inlineStr') {
        cells[col] = { t: 'text', v: textOf(inner) };
        continue;
      }
      const v = plain ? xml.slice(innerStart + 3, cEnd - 4) : /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
      if (v === undefined) continue;
      switch (type) {
        case 's': {
          const i = Number(v);
          cells[col] = Number.isInteger(i) && i >= 0 ? (stringCells[i] ??= { t: 'text', v: strings[i] ?? '' }) : { t: 'text', v: '' };
          break;
        }
        case 'str':
        case 'd':
          cells[col] = { t: 'text', v: decodeXml(v) };
          break;
        case 'b':
          cells[col] = { t: 'bool', v: v === '1' };
          break;
        case 'e':
          cells[col] = { t: 'error', v: decodeXml(v) };
          break;
        default: {
          const s = tagAttr(attrs, 's="');
          cells[col] = { t: 'number', v: Number(v), date: s !== undefined && isDate[Number(s)] === true };
        }
      }
    }
    if (cells.length === 0) continue;
    if (rows.length >= maxRows) throw new XlsxError('too_many_rows');
    rows.push({ row: rowNumber, cells });
  }
  return { name: sheetName, date1904, rows };
}

/** A date cell's serial number as an ISO date (the time of day is dropped). */
export function serialToIsoDate(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null;
  // 1900 system: day 0 is 1899-12-30 once Excel's phantom 1900-02-29 (serial 60) is accounted for.
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return new Date(epoch + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10);
}
