import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasHorizontalOverflow, screenshot, signIn, useBrowser } from './support/browser.js';

async function waitForHomeData(page: Page): Promise<void> {
  await page.locator('.home-page').waitFor();
  await page.locator('.home-page .ant-skeleton').first().waitFor({ state: 'detached' });
}

describe('security headers and the system administrator (issue 11)', () => {
  const browser = useBrowser();

  it('runs and is styled under the Content-Security-Policy, at 1366 and 360 px; an injected inline script is blocked', async () => {
    const page = await browser.freshPage({ width: 1366, height: 768 });
    const response = await page.goto(`${browser.baseURL}/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    await signIn(page, 'county-431202');
    await waitForHomeData(page);
    // Ant Design's CSS-in-JS reached the page: a card has its rounded border and the header its layout.
    const cardRadius = await page.locator('.home-page .ant-card').first().evaluate((el) => getComputedStyle(el).borderTopLeftRadius);
    expect(cardRadius).not.toBe('0px');
    const buttonCursor = await page.locator('.ant-btn').first().evaluate((el) => getComputedStyle(el).cursor);
    expect(buttonCursor).toBe('pointer');
    await screenshot(page, 'home-csp-1366', { fullPage: false });

    await page.setViewportSize({ width: 360, height: 740 });
    await page.reload();
    await waitForHomeData(page);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'home-csp-360');
    expect(browser.takePageErrors()).toEqual([]);

    // The check every spec runs after each test sees a violation: an inline script is refused and reported.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true;';
      document.head.append(script);
    });
    const reported: string[] = [];
    await expect.poll(() => reported.push(...browser.takePageErrors()) && reported.some((e) => e.includes('script-src'))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
    // Chromium's own console line and the page's violation event may arrive apart: both are this injection.
    await page.waitForTimeout(500);
    reported.push(...browser.takePageErrors());
    expect(reported.every((e) => e.startsWith('CSP:'))).toBe(true);
  });

  it("the system administrator's account page offers only what the server allows: system administrators, and disabling others", async () => {
    const page = await browser.freshPage();
    await signIn(page, 'sysadmin');
    await page.goto(`${browser.baseURL}/users?q=director-431202001201`);
    await page.getByTestId('sysadmin-note').waitFor();
    const row = page.getByTestId('users-table').locator('tbody tr.ant-table-row', { hasText: 'director-431202001201' });
    await row.waitFor();
    // A director: only 停用, never 编辑 or 重置密码.
    await expect(row.getByRole('button', { name: '停用' }).count()).resolves.toBe(1);
    await expect(row.getByRole('button', { name: '编辑' }).count()).resolves.toBe(0);
    await expect(row.getByRole('button', { name: '重置密码' }).count()).resolves.toBe(0);
    await screenshot(page, 'users-sysadmin');

    // The create dialog offers one role: system administrator.
    await page.getByTestId('create-user').click();
    const select = page.locator('.ant-select').filter({ has: page.locator('#user-create_role') });
    await select.click();
    const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').filter({ has: page.locator('#user-create_role_list') }).locator('.ant-select-item-option');
    await options.first().waitFor();
    await expect(options.allTextContents()).resolves.toEqual(['系统管理员']);
    await screenshot(page, 'users-sysadmin-create', { fullPage: false });
  });
});
