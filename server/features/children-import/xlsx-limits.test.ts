/**
 * Spreadsheet bombs (issue 11 point 7): a 0.99 MB xlsx inflating to 1.3 GB
 * stalled the server 6 s, three at once 11.5 s and 3.1 GB. Each file here is
 * refused quickly, costing little memory, with a message naming the file; two
 * imports run at once, server-wide, and a third is told to try again.
 *
 * Memory is the process's peak resident size (each test file runs in a
 * process of its own), so the bombs come first, before anything large is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { buildRoster, multipart, rosterRow, upload, waitForJob } from './import-test-files.js';
import { MAX_RUNNING_IMPORTS } from './import-jobs.js';
import { MAX_IMPORT_COLUMNS } from './children-import.service.js';
import { XlsxError, checkXlsx, readXlsxSheet } from './xlsx-reader.js';
import { part, spreadsheetBomb, wideOrLongSheet, workbookParts, zipOf } from './xlsx-test-zips.js';
import { hanDigits } from '../children/children.test-data.js';

const MB = 1024 * 1024;
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const problemOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof XlsxError) return err.reason;
    throw err;
  }
  return null;
};

describe(`spreadsheet limits (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let county: Session;

  beforeAll(async () => {
    // One builder thread: each builder holds the file it reads (the memory bounds below are one file's).
    t = await createTestApp({ importBuilders: 1 });
    county = await signIn(t, 'county-431202');
    // The import's threads start with the first import (a second or more): started here, so that the timings below are the files' own.
    const warm = await upload(county, await buildRoster([rosterRow({ 姓名: '预热', 身份证号: null })]), { dryRun: true });
    await waitForJob(county, warm.jobId!);
  });
  afterAll(() => t.close());

  /** Uploads and, when a job starts, waits for it: the time it all took and the refusal's message. */
  async function refusal(file: Buffer, session = county): Promise<{ ms: number; status: number; message: string; field: string | undefined }> {
    const started = performance.now();
    const up = await upload(session, file, { dryRun: true });
    if (up.status !== 202) {
      const { error } = JSON.parse(up.body) as { error: { message: string; field?: string } };
      return { ms: performance.now() - started, status: up.status, message: error.message, field: error.field };
    }
    const job = await waitForJob(session, up.jobId!);
    expect(job.state, JSON.stringify(job)).toBe('failed');
    return { ms: performance.now() - started, status: 202, message: job.error!.message, field: undefined };
  }

  it('refuses a bomb of 500 MB in a 0.5 MB file at upload, from the zip directory alone', async () => {
    const bomb = spreadsheetBomb(250);
    expect(bomb.length).toBeLessThan(MB);
    const peak = peakRssMb();
    const r = await refusal(bomb);
    expect(r).toMatchObject({ status: 400, field: 'file', message: '文件：解压后超过 256 MB，不是正常的花名册，不予读取' });
    expect(r.ms).toBeLessThan(1000);
    expect(peakRssMb() - peak).toBeLessThan(64);
    // In English for an English-speaking user.
    const { body, headers } = multipart('bomb.xlsx', bomb);
    const en = await county.request('POST', '/api/children/import?dryRun=true', body, { ...headers, 'accept-language': 'en-US' });
    expect(JSON.parse(en.body)).toMatchObject({ error: { code: 'VALIDATION', field: 'file', message: 'File: inflates to more than 256 MB: not a normal roster, not read' } });
  });

  it('stops inflating a bomb whose directory lies about its sizes as soon as the real bytes pass them', async () => {
    const bomb = spreadsheetBomb(250, { lie: true });
    expect(bomb.length).toBeLessThan(MB);
    const peak = peakRssMb();
    const r = await refusal(bomb);
    expect(r.message).toBe('文件：解压后超过 256 MB，不是正常的花名册，不予读取');
    expect(r.ms).toBeLessThan(1000);
    expect(peakRssMb() - peak).toBeLessThan(64);
  });

  it('refuses 2,000 columns: at upload when the sheet states its size, while reading when it does not', async () => {
    for (const dimension of [true, false]) {
      const r = await refusal(wideOrLongSheet(5, 2000, { dimension }));
      expect(r.status, `dimension ${dimension}`).toBe(dimension ? 400 : 202);
      expect(r.message).toBe(`文件：列数超过上限 ${MAX_IMPORT_COLUMNS}，请删去多余的列`);
      expect(r.ms).toBeLessThan(1000);
    }
  });

  it('refuses 200,000 rows: at upload when the sheet states its size, while reading when it does not', async () => {
    for (const dimension of [true, false]) {
      const file = wideOrLongSheet(200_000, 3, { dimension });
      const peak = peakRssMb();
      const r = await refusal(file);
      expect(r.status, `dimension ${dimension}`).toBe(dimension ? 400 : 202);
      expect(r.message).toBe('文件：行数超过上限 100000');
      // ~40 ms and ~400 ms here (the second reads 100,001 rows before refusing).
      expect(r.ms).toBeLessThan(dimension ? 500 : 2000);
      expect(peakRssMb() - peak).toBeLessThan(128);
    }
  });

  it('checks every limit of the zip directory and of the data, each alone', () => {
    const sheet = (xml: string) => part('xl/worksheets/sheet1.xml', `<worksheet><sheetData>${xml}</sheetData></worksheet>`);
    const ok = zipOf([...workbookParts(), sheet('<row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>2</v></c></row><row r="2"><c r="A2"><v>3</v></c></row>')]);
    expect(readXlsxSheet(ok).rows.map((r) => r.cells.length)).toEqual([3, 1]);
    expect(problemOf(() => readXlsxSheet(ok, { maxColumns: 3, maxRows: 2 }))).toBeNull();
    expect(problemOf(() => readXlsxSheet(ok, { maxColumns: 2 }))).toBe('too_many_columns');
    expect(problemOf(() => readXlsxSheet(ok, { maxRows: 1 }))).toBe('too_many_rows');
    const size = ok.length; // small parts: inflated bytes in all are a few KB
    expect(problemOf(() => checkXlsx(ok, { maxTotalBytes: 1000 }))).toBe('inflated_too_large');
    expect(problemOf(() => checkXlsx(ok, { maxEntryBytes: 200 }))).toBe('inflated_too_large');
    expect(problemOf(() => checkXlsx(ok, { maxEntries: 4 }))).toBe('inflated_too_large');
    expect(problemOf(() => checkXlsx(ok, { maxEntries: 5, maxTotalBytes: size * 10 }))).toBeNull();

    // The ratio is judged on parts past 1 MB: a real 2 MB sheet of one repeated cell is refused, a small one is not.
    const repeated = part('xl/worksheets/sheet1.xml', `<worksheet><sheetData>${'<row><c><v>1</v></c></row>'.repeat(80_000)}</sheetData></worksheet>`);
    expect(repeated.size).toBeGreaterThan(MB);
    expect(problemOf(() => checkXlsx(zipOf([...workbookParts(), repeated])))).toBe('compression_ratio');
    expect(problemOf(() => checkXlsx(zipOf([...workbookParts(), repeated]), { maxRatio: 10_000 }))).toBeNull();

    // A directory that states fewer bytes than the part holds: refused as soon as inflating passes them.
    const lying = { ...sheet('<row><c><v>1</v></c></row>'.repeat(1000)), declaredSize: 100 };
    expect(problemOf(() => readXlsxSheet(zipOf([...workbookParts(), lying])))).toBe('inflated_too_large');
    // Zip64 markers and unknown methods are not what a spreadsheet program writes for a roster.
    expect(problemOf(() => checkXlsx(zipOf([...workbookParts(), { ...sheet(''), declaredSize: 0xffffffff }])))).toBe('not_xlsx');
  });

  it(`runs ${MAX_RUNNING_IMPORTS} imports at once server-wide and tells a third user to try again`, async () => {
    const users = await Promise.all(['city-431200', 'county-431202', 'supervisor-431202001000'].map((u) => signIn(t, u)));
    const rows = Array.from({ length: 4000 }, (_, i) => rosterRow({ 姓名: `并发${hanDigits(i)}`, 身份证号: null }));
    const file = await buildRoster(rows);
    const ups = await Promise.all(users.map((u) => upload(u, file, { dryRun: true })));
    expect(ups.map((u) => u.status).sort()).toEqual([202, 202, 503]);
    const refused = ups.find((u) => u.status === 503)!;
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'IMPORTS_BUSY', message: '服务器正在处理其他导入（同时最多 2 个），请稍等一两分钟后再上传' } });
    for (const [i, up] of ups.entries()) if (up.jobId) expect((await waitForJob(users[i]!, up.jobId)).state).toBe('done');
    // Once they are done, the third user's upload is taken.
    const third = users[ups.indexOf(refused)]!;
    const again = await upload(third, file, { dryRun: true });
    expect(again.status, again.body).toBe(202);
    expect((await waitForJob(third, again.jobId!)).state).toBe('done');
  }, 60_000);
});
