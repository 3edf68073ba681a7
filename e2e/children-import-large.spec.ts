/**
 * A large roster import in the browser (issue 13): the bar moves through the
 * writing (rows checked and rows written), and meanwhile the children list
 * answers in another tab — the import runs beside the server, not inside it.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS } from '../server/features/children-import/import-columns.js';
import { api, screenshot, signIn, useBrowser } from './support/browser.js';

const COUNTY = '431202';
const ROWS = 30_000;
const SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙'];
const GIVEN = '澜沣溯沅洺涟淇湘渝滢瀚灏霁霏霈霖';

/** `ROWS` children without ID numbers (so none repeats a demo file's), compound surnames the demo never uses, spread over `villages`. */
async function largeRoster(villages: string[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('儿童信息');
  ws.addRow(IMPORT_COLUMNS.map((c) => c.header));
  for (let i = 0; i < ROWS; i++) {
    const birth = new Date(Date.UTC(2010, 0, 1) + (i % 4000) * 86_400_000).toISOString().slice(0, 10);
    const name = SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / 8) % GIVEN.length]! + GIVEN[Math.floor(i / 128) % GIVEN.length]!;
    ws.addRow(
      IMPORT_COLUMNS.map((c) => {
        if (c.field === 'name') return name;
        if (c.field === 'birthDate') return birth;
        if (c.field === 'idNumber' || c.field === 'notes') return null;
        if (c.field === 'regionCode') return villages[i % villages.length]!;
        return c.example ?? null;
      }),
    );
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('a large roster import', () => {
  const browser = useBrowser();

  it('shows the progress moving through the writing while the children list keeps answering in another tab', async () => {
    const page = await browser.freshPage();
    await signIn(page, `county-${COUNTY}`);
    const townships = (await api(page, 'GET', `/api/regions?parent=${COUNTY}000000`)).json as { items: { code: string }[] };
    const villages: string[] = [];
    for (const t of townships.items.slice(0, 4)) villages.push(...((await api(page, 'GET', `/api/regions?parent=${t.code}`)).json as { items: { code: string }[] }).items.map((v) => v.code));
    expect(villages.length).toBeGreaterThan(10);
    const file = await largeRoster(villages);

    await page.goto(`${browser.baseURL}/children/import`);
    await page.getByTestId('import-upload').locator('input[type="file"]').setInputFiles({ name: '全县花名册.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await page.getByTestId('import-check').click();
    await expect.poll(() => page.getByTestId('import-valid').locator('.ant-statistic-content-value').textContent(), { timeout: 180_000 }).toBe(ROWS.toLocaleString('en'));

    // The admin keeps working in a second tab: the children list, opened while the import writes.
    const other = await page.context().newPage();

    await page.getByTestId('import-commit').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '导 入' }).or(page.locator('.ant-popconfirm').getByRole('button', { name: '导入' })).click();
    const progress = page.getByTestId('import-progress').last();
    const written = new Set<number>();
    let listAnsweredWhileWriting = false;
    let shot = false;
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      if ((await page.getByTestId('import-imported').count()) > 0) break;
      const text = (await progress.textContent().catch(() => '')) ?? '';
      const m = /已写入 ([\d,]+) 行/.exec(text);
      const n = m ? Number(m[1]!.replaceAll(',', '')) : 0;
      if (n > 0 && n < ROWS) {
        written.add(n);
        if (!shot) {
          await screenshot(page, 'children-import-writing-county', { fullPage: false });
          shot = true;
        }
        if (!listAnsweredWhileWriting) {
          const t0 = Date.now();
          await other.goto(`${browser.baseURL}/children`);
          await other.getByTestId('children-table').locator('tr.ant-table-row').first().waitFor({ timeout: 30_000 });
          // Answered while rows were still being written: the bar had not reached the end yet.
          const after = (await progress.textContent().catch(() => '')) ?? '';
          const still = /已写入 ([\d,]+) 行/.exec(after);
          listAnsweredWhileWriting = still !== null && Number(still[1]!.replaceAll(',', '')) < ROWS;
          console.log(`children list shown in ${Date.now() - t0} ms while the import wrote (${after})`);
        }
      }
      await page.waitForTimeout(150);
    }
    await expect.poll(() => page.getByTestId('import-imported').textContent(), { timeout: 60_000 }).toBe(`已导入 ${ROWS} 名儿童`);
    expect(written.size, `written counts seen: ${[...written].join(', ')}`).toBeGreaterThanOrEqual(2);
    expect(listAnsweredWhileWriting).toBe(true);
  }, 600_000);
});
