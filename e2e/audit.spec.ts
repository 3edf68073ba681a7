import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { AuditPage } from '../domain/api.js';
import { ChildPage } from '../domain/children/schema.js';
import { api, hasHorizontalOverflow, screenshot, signIn, useBrowser } from './support/browser.js';

const COUNTY = 'county-431202';

async function settle(page: Page): Promise<void> {
  await page.locator('.ant-spin-blur').first().waitFor({ state: 'detached' });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
}

/**
 * The audit log read as a ledger (issue 12 point 12): actions in words, the
 * child by name and village for those who may see him, details as labelled
 * fields, a grouped action filter and a range of days in the address, xlsx.
 */
describe('the audit ledger (审计日志)', () => {
  const browser = useBrowser();
  const child = { id: '', name: '' };

  it('a county official filters by an action in its group, sees the child by name and village and the details in words, and exports the rows', async () => {
    const page = await browser.freshPage({ width: 1366, height: 900 });
    await signIn(page, COUNTY);
    const found = ChildPage.parse((await api(page, 'GET', '/api/children?status=active&pageSize=1&sort=name')).json).items[0]!;
    child.id = found.id;
    child.name = found.name;
    // Opening the file writes 查看儿童档案.
    expect((await api(page, 'GET', `/api/children/${child.id}`)).status).toBe(200);

    await page.goto(`${browser.baseURL}/audit`);
    await page.getByTestId('audit-table').locator('tr.ant-table-row').first().waitFor();
    await page.getByTestId('audit-action-filter').click();
    const dropdown = page.locator('.ant-select-dropdown:visible');
    // Every action has its words, under its group.
    await dropdown.locator('.ant-select-item-group', { hasText: '儿童档案' }).waitFor();
    await page.keyboard.type('查看儿童档案');
    await dropdown.locator('.ant-select-item-option', { hasText: '查看儿童档案' }).first().click();
    await page.waitForURL(/action=child\.read/);
    await settle(page);

    const row = page.getByTestId('audit-table').locator('tr.ant-table-row', { hasText: child.name }).first();
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('查看儿童档案');
    expect(text).toContain(found.region.name);
    expect(text).not.toContain(child.id);
    await screenshot(page, 'audit-ledger-1366');

    // A reveal's details are labelled fields in words, not JSON.
    expect((await api(page, 'POST', `/api/children/${child.id}/reveal`, { field: 'caregiver.phone' })).status).toBe(200);
    await page.goto(`${browser.baseURL}/audit?action=child.reveal&q=${COUNTY}`);
    const reveal = page.getByTestId('audit-table').locator('tr.ant-table-row', { hasText: child.name }).first();
    await reveal.waitFor();
    expect(await reveal.textContent()).toContain('查看身份证号或电话');
    await reveal.locator('.ant-table-row-expand-icon').click();
    const details = page.getByTestId('audit-details').first();
    await details.waitFor();
    const detailText = (await details.textContent()) ?? '';
    expect(detailText).toContain('号码照料人电话');
    expect(detailText).toContain('儿童档案');
    expect(detailText).not.toContain('{');
    await settle(page);
    await screenshot(page, 'audit-ledger-details-1366', { fullPage: false });

    // Days in the address: today in China time finds the row, the day before does not.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${browser.baseURL}/audit?action=child.read&from=${today}&to=${today}`);
    await page.getByTestId('audit-table').locator('tr.ant-table-row', { hasText: child.name }).first().waitFor();
    expect(await page.locator('.audit-range input').first().inputValue()).toBe(today);
    const before = AuditPage.parse((await api(page, 'GET', `/api/audit?action=child.read&from=${yesterday}&to=${yesterday}&q=${COUNTY}`)).json);
    expect(before.items.some((r) => r.targetId === child.id)).toBe(false);

    // The export: a workbook of the same rows, and a row that says so.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^审计日志-\d{8}\.xlsx$/);
    const file = await download.path();
    expect(fs.readFileSync(file).subarray(0, 2).toString()).toBe('PK');
    const exports = AuditPage.parse((await api(page, 'GET', '/api/audit?action=audit.export')).json);
    expect(exports.items[0]).toMatchObject({ actorUsername: COUNTY, details: { filters: { action: 'child.read', from: today, to: today } } });
  });

  it('shows the system administrator the row without the child (（范围外）), as cards at 360 px', async () => {
    const page = await browser.freshPage({ width: 360, height: 740 });
    await signIn(page, 'sysadmin');
    await page.goto(`${browser.baseURL}/audit?action=child.read&q=${COUNTY}`);
    const card = page.getByTestId('audit-card').first();
    await card.waitFor();
    await settle(page);
    expect(await card.textContent()).toContain('查看儿童档案');
    expect(await card.getByTestId('audit-child-hidden').textContent()).toBe('（范围外）');
    expect(await page.getByText(child.name).count()).toBe(0);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'audit-ledger-360');
    await card.getByText('查看详情').click();
    await card.getByTestId('audit-details').waitFor();
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'audit-ledger-card-details-360', { fullPage: false });
  });
});
