import { describe, expect, it } from 'vitest';
import { fetchMe, hasHorizontalOverflow, useBrowser, screenshot, signIn } from './support/browser.js';

const DIRECTOR = 'director-431202001201';

describe('village child director', () => {
  const browser = useBrowser();

  it('sees his village as the scope and no administration menus', async () => {
    const page = await browser.freshPage();
    await signIn(page, DIRECTOR);
    const me = await fetchMe(page);
    const village = me.scope.path.at(-1);
    expect(village?.code).toBe('431202001201');

    const breadcrumb = await page.getByTestId('scope-breadcrumb').first().textContent();
    expect(breadcrumb).toContain('鹤城区');
    for (const region of me.scope.path.filter((r) => r.level !== 'province')) expect(breadcrumb).toContain(region.name);

    const menu = (await page.getByTestId('nav-menu').textContent()) ?? '';
    expect(menu).toContain('首页');
    expect(menu).not.toContain('账号管理');
    expect(menu).not.toContain('审计日志');
    expect(menu).not.toContain('人员覆盖');

    // The home page names the village and promises no numbers it does not have.
    await expect(page.locator('.home-region-name').textContent()).resolves.toBe(village?.name);
    await screenshot(page, 'home-director-desktop');

    // The server refuses what the menu hides, and the page says so.
    await page.goto(`${browser.baseURL}/users`);
    await page.getByText('您的角色无权访问此页面').waitFor();
  });

  it('uses the home and account pages on a 360 px phone without horizontal scrolling', async () => {
    const page = await browser.freshPage({ width: 360, height: 740 });
    await signIn(page, DIRECTOR);
    await page.locator('.home-region-name').waitFor();
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await expect(page.getByTestId('scope-breadcrumb').first().textContent()).resolves.toContain('鹤城区');
    await screenshot(page, 'home-director-360');

    // The side menu lives in a drawer on a phone.
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-menu').getByText('我的账号').click();
    await page.locator('#currentPassword').waitFor();
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'account-director-360');
  });
});
