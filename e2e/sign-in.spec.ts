import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser, screenshot, signIn } from './support/browser.js';

/** The home page has mounted and every card shows its data (each one shows a skeleton until its read answers). */
async function waitForHomeData(page: Page): Promise<void> {
  await page.locator('.home-page').waitFor();
  await page.locator('.home-page .ant-skeleton').first().waitFor({ state: 'detached' });
}

describe('sign-in page', () => {
  const browser = useBrowser();

  it('sends a visitor without a session to the sign-in page, in Chinese by default', async () => {
    const page = await browser.freshPage();
    await page.goto(`${browser.baseURL}/users`);
    await page.waitForURL('**/sign-in');
    await expect(page.locator('button[type="submit"]').textContent()).resolves.toContain('登录');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await screenshot(page, 'sign-in-zh');
  });

  it('shows the error for a wrong password and stays on the sign-in page', async () => {
    const page = await browser.freshPage();
    await page.locator('#username').fill('county-431202');
    await page.locator('#password').fill('wrong-password-1');
    await page.locator('button[type="submit"]').click();
    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    // The password field is cleared for the next attempt.
    await expect(page.locator('#password').inputValue()).resolves.toBe('');
    await screenshot(page, 'sign-in-wrong-password');
  });

  it('switches to English before signing in, and the signed-in app stays in English', async () => {
    const page = await browser.freshPage();
    await page.getByText('English', { exact: true }).click();
    await expect(page.locator('button[type="submit"]').textContent()).resolves.toContain('Sign in');
    await expect(page.getByText('Username', { exact: true }).count()).resolves.toBeGreaterThan(0);

    await page.locator('#username').fill('county-431202');
    await page.locator('#password').fill('not-the-password-1');
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('sign-in-error').waitFor();
    // The server answers in the language the UI asked for.
    await expect(page.getByTestId('sign-in-error').textContent()).resolves.toContain('Wrong username or password');

    await signIn(page, 'county-431202');
    const menu = page.getByTestId('nav-menu');
    await expect(menu.textContent()).resolves.toContain('Staff coverage');
    await expect(menu.textContent()).resolves.toContain('Accounts');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en-US');
    await screenshot(page, 'home-county-en');

    // Back to Chinese from the header switch; the labels follow.
    await page.locator('.app-header').getByText('中文', { exact: true }).click();
    await expect(menu.textContent()).resolves.toContain('人员覆盖');
  });

  it('returns to the sign-in page with the reason from the server when the session ends', async () => {
    const page = await browser.freshPage();
    await signIn(page, 'county-431202');
    // Let the home page's own reads finish first: the session must end on the click below, not on one of them.
    // signIn() returns once the layout shows; the home page is a lazy chunk whose reads start only after it loads
    // (up to a second later on a busy machine), and waitForLoadState('networkidle') cannot wait for them (a page
    // reaches that state once, at its load; later requests of the app do not reset it). Its data on screen can.
    await waitForHomeData(page);
    // The session disappears behind the app's back (expiry, sign-out elsewhere).
    await browser.context.clearCookies();
    await page.getByTestId('nav-menu').getByText('行政区划').click();
    await page.waitForURL('**/sign-in');
    await expect(page.getByTestId('sign-in-notice').textContent()).resolves.toContain('请先登录');
    // Signing in again leads back to the page that was asked for.
    await signIn(page, 'county-431202');
    expect(new URL(page.url()).pathname).toBe('/regions');
  });
});
