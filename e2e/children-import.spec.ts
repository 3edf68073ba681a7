import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { computeCheckCharacter } from '../domain/children/id-number.js';
import { IMPORT_COLUMNS } from '../server/features/children-import/import-columns.js';
import { hasHorizontalOverflow, useBrowser, screenshot, signIn } from './support/browser.js';

const COUNTY = 'county-431202';
const VILLAGE = '431202001201';

/** A valid ID number: 17 digits and their check character (odd 17th digit = male, as the template's example). */
function idNumber(first17: string): string {
  return first17 + computeCheckCharacter(first17);
}

/** The same ID number with a wrong check character. */
function badIdNumber(first17: string): string {
  const right = computeCheckCharacter(first17);
  return first17 + (right === '1' ? '2' : '1');
}

interface RowInput {
  name: string;
  birthDate: string;
  idNumber: string;
}

/** A roster with the server's own columns, each row the template's example with its own name, birth date and ID number, in `village`. */
async function roster(rows: RowInput[], village = VILLAGE): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('儿童花名册');
  ws.addRow(IMPORT_COLUMNS.map((c) => c.header));
  for (const row of rows) {
    ws.addRow(
      IMPORT_COLUMNS.map((c) => {
        if (c.field === 'name') return row.name;
        if (c.field === 'birthDate') return row.birthDate;
        if (c.field === 'idNumber') return row.idNumber;
        if (c.field === 'regionCode') return village;
        if (c.field === 'notes') return null;
        return c.example ?? null;
      }),
    );
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.getByTestId('import-upload').locator('input[type="file"]').setInputFiles({
    name,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer,
  });
  await page.locator('.ant-upload-list-item', { hasText: name }).waitFor();
}

describe('roster import and export', () => {
  const browser = useBrowser();

  it('checks a roster, lists the bad ID number with its row and column, and downloads the error report', async () => {
    const page = await browser.freshPage();
    await signIn(page, COUNTY);
    await page.getByTestId('nav-menu').getByText('儿童档案', { exact: true }).click();
    await page.getByTestId('children-import').click();
    await page.waitForURL((url) => url.pathname === '/children/import');

    // The template downloads, and the server serves it to this session.
    const templateDownload = page.waitForEvent('download');
    await page.getByTestId('import-template').click();
    expect((await templateDownload).suggestedFilename()).toMatch(/\.xlsx$/);

    const file = await roster([
      { name: '龚沐阳', birthDate: '2016-05-12', idNumber: idNumber('43120220160512971') },
      { name: '龚沐辰', birthDate: '2017-08-23', idNumber: idNumber('43120220170823953') },
      { name: '龚沐川', birthDate: '2014-01-30', idNumber: badIdNumber('43120220140130935') },
    ]);
    await upload(page, '花名册-测试.xlsx', file);
    await page.getByTestId('import-check').click();

    const result = page.getByTestId('import-result');
    await result.waitFor();
    await expect.poll(() => page.getByTestId('import-rows').locator('.ant-statistic-content-value').textContent()).toBe('3');
    await expect(page.getByTestId('import-valid').locator('.ant-statistic-content-value').textContent()).resolves.toBe('2');
    await expect(page.getByTestId('import-invalid').locator('.ant-statistic-content-value').textContent()).resolves.toBe('1');

    // Header = row 1, so the third child is on row 4.
    const error = page.getByTestId('import-errors').locator('tr.ant-table-row', { hasText: '校验' });
    await error.first().waitFor();
    const cells = error.first().locator('td');
    await expect(cells.nth(0).textContent()).resolves.toBe('4');
    await expect(cells.nth(1).textContent()).resolves.toContain('身份证号');
    // A file with an error cannot be imported.
    await expect(page.getByTestId('import-commit').isDisabled()).resolves.toBe(true);

    const report = page.waitForEvent('download');
    await page.getByTestId('import-errors-download').click();
    const downloaded = await report;
    expect(downloaded.suggestedFilename()).toMatch(/\.xlsx$/);
    const reportPath = await downloaded.path();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(reportPath);
    expect(book.worksheets.length).toBeGreaterThan(0);

    await screenshot(page, 'children-import-errors-county');
  });

  it('imports a clean roster after the confirmation and goes back to the list', async () => {
    const page = await browser.freshPage();
    await signIn(page, COUNTY);
    await page.goto(`${browser.baseURL}/children/import`);
    const file = await roster([
      { name: '龚沐阳', birthDate: '2016-05-12', idNumber: idNumber('43120220160512971') },
      { name: '龚沐辰', birthDate: '2017-08-23', idNumber: idNumber('43120220170823953') },
    ]);
    await upload(page, '花名册-正确.xlsx', file);
    await page.getByTestId('import-check').click();
    await expect.poll(() => page.getByTestId('import-valid').locator('.ant-statistic-content-value').textContent()).toBe('2');

    await page.getByTestId('import-commit').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '导 入' }).or(page.locator('.ant-popconfirm').getByRole('button', { name: '导入' })).click();
    await expect.poll(() => page.getByTestId('import-imported').textContent()).toBe('已导入 2 名儿童');
    // A full-page shot of a scrolled page repeats the sticky header: from the top.
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'children-import-done-county');

    await page.getByTestId('import-back').click();
    await page.waitForURL((url) => url.pathname === '/children');
    await page.locator('.filter-search input').fill('龚沐阳');
    await page.locator('.filter-search input').press('Enter');
    await page.getByTestId('children-table').locator('tr.ant-table-row', { hasText: '龚沐阳' }).waitFor();

    // The export holds the filtered list: masked by default.
    await page.getByTestId('children-export').click();
    const dialog = page.getByTestId('export-modal');
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('身份证号脱敏，不含电话号码');
    // The export runs as a job: progress, then the file to download (issue 13 point 4).
    await page.getByTestId('export-confirm').click();
    await page.locator('[data-testid="export-download"]:not([disabled])').waitFor();
    const exported = page.waitForEvent('download');
    await page.getByTestId('export-download').click();
    expect((await exported).suggestedFilename()).toMatch(/^儿童名单-\d{8}\.xlsx$/);
    await page.getByTestId('export-close').click();
    await dialog.waitFor({ state: 'detached' });

    // Full numbers only on purpose: ticked, then a reason, or nothing leaves.
    await page.getByTestId('children-export').click();
    await dialog.waitFor();
    await page.getByTestId('export-full').check();
    await page.getByTestId('export-full-warning').waitFor();
    await page.getByTestId('export-confirm').click();
    await page.getByText('请填写导出完整号码的理由').waitFor();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForFunction(() => document.getAnimations().length === 0);
    await screenshot(page, 'children-export-full-county-1366', { fullPage: false });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForFunction(() => document.getAnimations().length === 0);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'children-export-full-county-360', { fullPage: false });
    await page.getByTestId('export-reason').fill('县民政局年度核对');
    await page.getByTestId('export-confirm').click();
    await page.locator('[data-testid="export-download"]:not([disabled])').waitFor();
    await page.getByTestId('export-once').waitFor();
    const full = page.waitForEvent('download');
    await page.getByTestId('export-download').click();
    expect((await full).suggestedFilename()).toMatch(/^儿童名单-\d{8}-含完整号码\.xlsx$/);
    // Downloaded once: the file is gone from the server, and the dialog closes.
    await dialog.waitFor({ state: 'detached' });
  });

  it('tells another county only that an ID number has a file outside its area, and to ask its own civil-affairs bureau', async () => {
    const page = await browser.freshPage({ width: 360, height: 740 });
    await signIn(page, 'county-431221');
    await page.goto(`${browser.baseURL}/children/import`);
    // 龚沐阳 was imported into 鹤城区 just above.
    const file = await roster([{ name: '龚某', birthDate: '2016-05-12', idNumber: idNumber('43120220160512971') }], '431221001201');
    await upload(page, '花名册-中方县.xlsx', file);
    await page.getByTestId('import-check').click();
    await expect.poll(() => page.getByTestId('import-invalid').locator('.ant-statistic-content-value').textContent()).toBe('1');
    const error = page.getByTestId('import-errors').locator('tr.ant-table-row', { hasText: '辖区外' }).first();
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain('该身份证号在您的辖区外已有档案，请联系中方县民政局核实');
    const shown = (await page.getByTestId('import-result').textContent()) ?? '';
    for (const secret of ['龚沐阳', '鹤城区', '431202']) expect(shown).not.toContain(secret);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    // On a phone the problems table scrolls sideways (the page does not): scrolled to the message for the shot.
    await page.getByTestId('import-errors').locator('.ant-table-content').evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await screenshot(page, 'children-import-elsewhere-county-360');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'children-import-elsewhere-county-1366');
  });
});
