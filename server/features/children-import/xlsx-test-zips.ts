/**
 * Test helpers: workbooks written byte by byte, for what no spreadsheet
 * program would save — a sheet of hundreds of MB compressed under 1 MB, a
 * directory that lies about sizes, 2,000 columns, 200,000 rows.
 *
 * A part is a list of deflate segments, each compressed alone and ended with a
 * full flush (byte-aligned, no reference to earlier bytes), so one segment may
 * be repeated any number of times: a 300 MB sheet is built from one 1 MB block
 * compressed once, and never held in memory.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** Deflate segments, concatenated (the final empty block is added). */
  segments: Buffer[];
  /** Inflated size and CRC-32 of the whole part. */
  size: number;
  crc: number;
  /** What the central directory states instead of `size` (a lying directory). */
  declaredSize?: number;
}

const segment = (data: Buffer) => deflateRawSync(data, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
const FINAL_BLOCK = deflateRawSync(Buffer.alloc(0));

/** A small part, compressed as one segment. */
export function part(name: string, text: string): ZipPart {
  const data = Buffer.from(text, 'utf8');
  return { name, segments: [segment(data)], size: data.length, crc: crc32(data) };
}

/** `head`, then `unit` `times` times, then `tail` — `unit` compressed once, however large the part. */
export function repeatedPart(name: string, head: string, unit: string, times: number, tail: string): ZipPart {
  const [h, u, t] = [head, unit, tail].map((s) => Buffer.from(s, 'utf8')) as [Buffer, Buffer, Buffer];
  let crc = crc32(h);
  for (let i = 0; i < times; i++) crc = crc32(u, crc);
  crc = crc32(t, crc);
  const unitSegment = segment(u);
  return { name, segments: [segment(h), ...Array.from({ length: times }, () => unitSegment), segment(t)], size: h.length + u.length * times + t.length, crc };
}

/** A zip of the parts (deflate, no data descriptors), as a spreadsheet program writes one. */
export function zipOf(parts: ZipPart[]): Buffer {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const compressedSize = p.segments.reduce((n, s) => n + s.length, FINAL_BLOCK.length);
    const size = p.declaredSize ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc, 14);
    local.writeUInt32LE(compressedSize, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    out.push(local, name, ...p.segments, FINAL_BLOCK);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(p.crc, 16);
    entry.writeUInt32LE(compressedSize, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += 30 + name.length + compressedSize;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, directory, end]);
}

const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';

/** The parts around a sheet: a workbook whose one sheet is 儿童信息. */
export function workbookParts(): ZipPart[] {
  return [
    part(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    part('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    part(
      'xl/workbook.xml',
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="儿童信息" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    part('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
  ];
}

const MB = 1024 * 1024;

/**
 * A spreadsheet bomb: a sheet of `sheetMb` MB of repeated inline-string cells
 * and shared strings of as many MB, the whole file well under 1 MB. With
 * `lie`, the directory declares every part 1 MB (a ratio that looks ordinary).
 */
export function spreadsheetBomb(sheetMb: number, options: { lie?: boolean } = {}): Buffer {
  // Long runs of one character: deflate's best case (~1,000 to 1), as in a real bomb.
  const cell = `<c t="inlineStr"><is><t>${'王'.repeat(10_000)}</t></is></c>`;
  const row = `<row>${cell.repeat(3)}</row>`;
  const unit = row.repeat(Math.floor(MB / Buffer.byteLength(row)));
  const sheet = repeatedPart('xl/worksheets/sheet1.xml', `${SHEET_HEAD}<sheetData>`, unit, Math.ceil((sheetMb * MB) / Buffer.byteLength(unit)), '</sheetData></worksheet>');
  const item = `<si><t>${'外'.repeat(10_000)}</t></si>`;
  const strings = repeatedPart(
    'xl/sharedStrings.xml',
    '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    item.repeat(Math.floor(MB / Buffer.byteLength(item))),
    sheetMb,
    '</sst>',
  );
  const parts = [...workbookParts(), sheet, strings];
  if (options.lie) for (const p of [sheet, strings]) p.declaredSize = MB;
  return zipOf(parts);
}

/**
 * A plain sheet of `rows` rows × `columns` columns of small numbers (row 1 the
 * template's first headers, so that it reads as a roster), with or without a
 * `<dimension>` stating its size.
 */
export function wideOrLongSheet(rows: number, columns: number, options: { dimension: boolean }): Buffer {
  const letter = (index: number) => {
    let s = '';
    for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    return s;
  };
  const header = ['姓名', '性别', '出生日期'];
  const head = `${SHEET_HEAD}${options.dimension ? `<dimension ref="A1:${letter(columns - 1)}${rows}"/>` : ''}<sheetData>`;
  const cells = (r: number) => Array.from({ length: columns }, (_, c) => (r === 1 && c < header.length ? `<c t="inlineStr"><is><t>${header[c]}</t></is></c>` : `<c><v>${c}</v></c>`)).join('');
  const body: string[] = [];
  for (let r = 1; r <= rows; r++) body.push(`<row r="${r}">${cells(r)}</row>`);
  return zipOf([...workbookParts(), part('xl/worksheets/sheet1.xml', `${head}${body.join('')}</sheetData></worksheet>`)]);
}
