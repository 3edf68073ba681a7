/**
 * The children export as a job (issue 13 point 4): a county administrator
 * exports the county's whole list, sees the progress bar and the rows written,
 * then downloads the file, which holds every child of the list.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readXlsxSheet } from '../server/features/children-import/xlsx-reader.js';
import { api, hasHorizontalOverflow, screenshot, signIn, useBrowser } from './support/browser.js';

describe('children export job', () => {
  const browser = useBrowser();

  it('exports the county list with a progress bar, then downloads the file with every child', async () => {
    const page = await browser.freshPage({ width: 1366, height: 768 });
    await signIn(page, 'county-431202');
    await page.goto(`${browser.baseURL}/children`);
    await page.getByTestId('children-table').locator('tr.ant-table-row').first().waitFor();
    const list = (await api(page, 'GET', '/api/children?pageSize=1')).json as { total: number };
    expect(list.total).toBeGreaterThan(500);

    await page.getByTestId('children-export').click();
    await page.getByTestId('export-modal').waitFor();
    // Everything the dialog shows while the job runs: the bar's value and the rows line.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { exportSeen: string[] }).exportSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="export-progress"] [role="progressbar"]');
        const rows = document.querySelector('[data-testid="export-rows"]');
        if (bar || rows) seen.push(`${bar?.getAttribute('aria-valuenow') ?? ''}|${rows?.textContent ?? ''}`);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.getByTestId('export-confirm').click();
    await page.getByTestId('export-progress').waitFor();
    await screenshot(page, 'children-export-running-county-1366', { fullPage: false });
    await page.locator('[data-testid="export-download"]:not([disabled])').waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { exportSeen: string[] }).exportSeen);
    // The job was seen running (rows written of the total), then finished at 100%.
    expect(seen.some((s) => /正在生成文件：已写入 \d+ \/ \d+ 行|正在开始导出/.test(s)), seen.join('\n')).toBe(true);
    expect(seen.at(-1)).toContain(`文件已生成，共 ${list.total} 行`);
    expect(seen.some((s) => s.startsWith('100|'))).toBe(true);
    await page.waitForFunction(() => document.getAnimations().length === 0);
    await screenshot(page, 'children-export-ready-county-1366', { fullPage: false });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForFunction(() => document.getAnimations().length === 0);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'children-export-ready-county-360', { fullPage: false });

    const downloaded = page.waitForEvent('download');
    await page.getByTestId('export-download').click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/^儿童名单-\d{8}\.xlsx$/);
    const sheet = readXlsxSheet(fs.readFileSync(await download.path()));
    const header = sheet.rows[0]!.cells.map((c) => (c?.t === 'text' ? c.v : ''));
    expect(header).toEqual(expect.arrayContaining(['姓名', '身份证号（脱敏）', '县（市、区）']));
    expect(sheet.rows.length - 1).toBe(list.total);
    const county = header.indexOf('县（市、区）');
    expect(new Set(sheet.rows.slice(1).map((r) => (r.cells[county]?.t === 'text' ? r.cells[county].v : '')))).toEqual(new Set(['鹤城区']));
  });

  it('on a phone: the dialog and its progress fit 360 px', async () => {
    const page = await browser.freshPage({ width: 360, height: 740 });
    await signIn(page, 'county-431202');
    await page.goto(`${browser.baseURL}/children`);
    await page.getByTestId('children-export').click();
    await page.getByTestId('export-modal').waitFor();
    await page.getByTestId('export-confirm').click();
    await page.getByTestId('export-progress').waitFor();
    await screenshot(page, 'children-export-running-county-360', { fullPage: false });
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await page.locator('[data-testid="export-download"]:not([disabled])').waitFor({ timeout: 60_000 });
    await page.getByTestId('export-close').click();
    await page.getByTestId('export-modal').waitFor({ state: 'detached' });
  });
});
