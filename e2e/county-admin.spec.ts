import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowser, screenshot, signIn } from './support/browser.js';

/** Picks `option` in the antd Select whose input has id `fieldId`, and waits until it shows as chosen. */
async function pickOption(page: Page, fieldId: string, option: string): Promise<void> {
  const select = page.locator('.ant-select').filter({ has: page.locator(`#${fieldId}`) });
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').filter({ has: page.locator(`#${fieldId}_list`) });
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await dropdown.locator('.ant-select-item-option', { hasText: option }).first().click();
    try {
      await select.locator('.ant-select-selection-item', { hasText: option }).waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      // A click during the dialog's opening animation can miss; try again.
      if (attempt === 3) throw error;
    }
  }
}

describe('county civil-affairs administrator', () => {
  const browser = useBrowser();

  it('sees the county scope, drills into staff coverage and opens the accounts list', async () => {
    const page = await browser.freshPage();
    await signIn(page, 'county-431202');
    const breadcrumb = (await page.getByTestId('scope-breadcrumb').first().textContent()) ?? '';
    expect(breadcrumb).toContain('鹤城区');
    expect(breadcrumb).toContain('怀化市');
    await page.locator('.home-stat-card').first().waitFor();
    await screenshot(page, 'home-county');

    // Coverage: one row per township of 鹤城区, with a totals row.
    await page.getByTestId('nav-menu').getByText('人员覆盖').click();
    const table = page.getByTestId('coverage-table');
    const rows = table.locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(0);
    await expect(rows.first().textContent()).resolves.toContain('乡镇（街道）');
    await expect(table.locator('.coverage-totals').textContent()).resolves.toContain('合计');
    await screenshot(page, 'coverage-county');

    // Drill down into the first township: the URL carries it and the rows become villages.
    const township = (await rows.first().locator('td').first().locator('a').textContent()) ?? '';
    await rows.first().click();
    await page.waitForURL(/region=\d{12}/);
    await page.getByTestId('coverage-breadcrumb').getByText(township.trim()).waitFor();
    await rows.filter({ hasText: '村（社区）' }).first().waitFor();
    expect(await rows.filter({ hasText: '乡镇（街道）' }).count()).toBe(0);
    // And back up through the breadcrumb.
    await page.getByTestId('coverage-breadcrumb').getByText('鹤城区').click();
    await page.waitForURL((url) => !url.searchParams.has('region'));
    await rows.filter({ hasText: '乡镇（街道）' }).first().waitFor();
    expect(await rows.filter({ hasText: '村（社区）' }).count()).toBe(0);

    // Gaps tab: paginated list or an empty state.
    await page.getByRole('tab', { name: '缺岗清单' }).click();
    await page.getByTestId('coverage-gaps-table').waitFor();
    await screenshot(page, 'coverage-gaps-county');

    // Accounts: the server-paginated list of the county's accounts.
    await page.getByTestId('nav-menu').getByText('账号管理').click();
    const userRows = page.getByTestId('users-table').locator('tbody tr.ant-table-row');
    await userRows.first().waitFor();
    expect(await userRows.count()).toBeGreaterThan(0);
    await expect(page.getByTestId('create-user').isVisible()).resolves.toBe(true);
    await screenshot(page, 'users-county');

    // Filters live in the URL.
    await page.locator('.filter-search input').fill('supervisor');
    await page.locator('.filter-search input').press('Enter');
    await page.waitForURL(/q=supervisor/);
    await expect
      .poll(async () => {
        const texts = await userRows.allTextContents();
        return texts.length > 0 && texts.every((text) => text.includes('supervisor-'));
      })
      .toBe(true);
  });

  it('creates an account whose holder must change the temporary password at first sign-in', async () => {
    const page = await browser.freshPage();
    await signIn(page, 'county-431202');
    await page.goto(`${browser.baseURL}/users`);
    await page.getByTestId('create-user').click();
    const username = `e2e-school-${Date.now()}`;
    const dialog = page.locator('.ant-modal').filter({ has: page.locator('#user-create_username') });
    await dialog.locator('#user-create_username').fill(username);
    await dialog.locator('#user-create_displayName').fill('测试联络人');
    await pickOption(page, 'user-create_role', '学校联络人');
    // A school contact belongs to a school: the organisation picker offers the county's schools.
    await pickOption(page, 'user-create_organisationId', '青西学校');
    await dialog.getByRole('button', { name: '新建', exact: true }).click();
    const temporary = page.getByTestId('temporary-password');
    await temporary.waitFor();
    await expect(temporary.textContent()).resolves.toContain('只显示这一次');
    const password = ((await temporary.locator('.temp-password-code').textContent()) ?? '').trim();
    expect(password.length).toBeGreaterThanOrEqual(8);
    await screenshot(page, 'users-temporary-password');
    await page.getByRole('button', { name: '我已记下' }).click();
    await temporary.waitFor({ state: 'detached' });

    // Sign out through the user menu.
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL('**/sign-in');

    // The new account lands on the password page and cannot leave it before changing the password.
    await signIn(page, username, password);
    await page.waitForURL('**/account');
    await page.getByTestId('must-change-password').waitFor();
    await expect(page.getByTestId('scope-breadcrumb').first().textContent()).resolves.toContain('青西学校');
    await page.goto(`${browser.baseURL}/`);
    await page.waitForURL('**/account');
    await page.locator('#currentPassword').fill(password);
    await page.locator('#newPassword').fill('short');
    await page.locator('#confirmPassword').fill('short');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('至少 8 位，且须同时包含字母和数字').first().waitFor();
    await page.locator('#newPassword').fill('river2026north');
    await page.locator('#confirmPassword').fill('river2026north');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('密码已修改').waitFor();
    await page.getByTestId('must-change-password').waitFor({ state: 'detached' });
    await page.getByTestId('nav-menu').getByText('首页').click();
    await page.locator('.home-greeting').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await screenshot(page, 'home-school-contact');
  });

  it('finds a village in the region tree, lists organisations and reads the audit log', async () => {
    const page = await browser.freshPage();
    await signIn(page, 'county-431202');

    await page.getByTestId('nav-menu').getByText('行政区划').click();
    await page.locator('.region-tree').getByText('鹤城区').first().waitFor();
    await page.locator('.region-search input').fill('寨林');
    await page.locator('.ant-select-dropdown .ant-select-item-option', { hasText: '寨林村' }).first().click();
    const detail = page.getByTestId('region-detail');
    await detail.getByText('431202001201').first().waitFor();
    await expect(detail.textContent()).resolves.toContain('青西街道');
    // The tree opened down to the village and selected it.
    await expect(page.locator('.region-tree .ant-tree-node-selected').textContent()).resolves.toContain('寨林村');
    await screenshot(page, 'regions-county');

    await page.getByTestId('nav-menu').getByText('机构管理').click();
    await page.getByTestId('organisations-table').locator('tbody tr.ant-table-row').first().waitFor();
    await screenshot(page, 'organisations-county');

    await page.getByTestId('nav-menu').getByText('审计日志').click();
    const auditRows = page.getByTestId('audit-table').locator('tbody tr.ant-table-row');
    await auditRows.first().waitFor();
    // Newest first: this session's sign-in is on the first page.
    await expect.poll(async () => (await auditRows.allTextContents()).some((text) => text.includes('county-431202'))).toBe(true);
    await auditRows.first().locator('.ant-table-row-expand-icon').click();
    await page.locator('.audit-details').first().waitFor();
    await screenshot(page, 'audit-county');
  });

  it('disables a director after confirming, sees his village among the gaps, and enables him again', async () => {
    const page = await browser.freshPage();
    await signIn(page, 'county-431202');
    const director = 'director-431202002201';
    await page.goto(`${browser.baseURL}/users?q=${director}`);
    const row = page.getByTestId('users-table').locator('tbody tr.ant-table-row', { hasText: director });
    await row.waitFor();

    await row.getByRole('button', { name: '停用' }).click();
    const confirm = page.locator('.ant-popconfirm:not(.ant-popover-hidden)');
    await expect(confirm.textContent()).resolves.toContain('停用后该账号无法登录');
    await confirm.getByRole('button', { name: '确定' }).click();
    await page.getByText('账号已停用').waitFor();
    await row.getByText('已停用').waitFor();

    // The village now lacks a director: the gaps list (from the URL) names it.
    await page.goto(`${browser.baseURL}/coverage?tab=gaps`);
    const gapRow = page.getByTestId('coverage-gaps-table').locator('tbody tr.ant-table-row', { hasText: '431202002201' });
    await gapRow.waitFor();
    await expect(gapRow.textContent()).resolves.toContain('鹤城区');
    await screenshot(page, 'coverage-gaps-one-village');

    await page.goto(`${browser.baseURL}/users?q=${director}`);
    await row.getByRole('button', { name: '启用' }).click();
    await page.locator('.ant-popconfirm:not(.ant-popover-hidden)').getByRole('button', { name: '确定' }).click();
    await page.getByText('账号已启用').waitFor();
    await row.getByText('正常').waitFor();
  });
});
