import { describe, expect, it } from 'vitest';
import { hasHorizontalOverflow, useBrowser, screenshot, signIn } from './support/browser.js';

describe('township child supervisor on a phone', () => {
  const browser = useBrowser();

  it('reads the coverage of his villages and the accounts list, without managing accounts', async () => {
    const page = await browser.freshPage({ width: 360, height: 740 });
    await signIn(page, 'supervisor-431202001000');
    await expect(page.getByTestId('scope-breadcrumb').first().textContent()).resolves.toContain('青西街道');
    await page.locator('.home-stat-card').first().waitFor();
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'home-supervisor-360');

    await page.getByTestId('menu-button').click();
    const menu = page.getByTestId('nav-menu');
    await expect(menu.textContent()).resolves.toContain('人员覆盖');
    await expect(menu.textContent()).resolves.not.toContain('审计日志');
    await menu.getByText('人员覆盖').click();

    // One row per village of the township; the wide table scrolls inside its card, not the page.
    const rows = page.getByTestId('coverage-table').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    await expect(rows.first().textContent()).resolves.toContain('村（社区）');
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'coverage-supervisor-360');

    await page.goto(`${browser.baseURL}/users`);
    await page.getByTestId('users-table').getByTestId('record-row').first().waitFor();
    expect(await page.getByTestId('create-user').count()).toBe(0);
    expect(await page.getByRole('button', { name: '停用' }).count()).toBe(0);
  });
});
