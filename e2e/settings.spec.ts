import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CategorySettings } from '../domain/children/facts.js';
import { fetchMe, useBrowser, screenshot, signIn } from './support/browser.js';

const CITY = 'city-431200';
const COUNTY = 'county-431202';
const ABSENCE = '#leftBehindMinAbsenceMonths';

/** Saves the thresholds through the API with the page's session, as another administrator's browser would. */
async function putSettings(page: Page, settings: CategorySettings): Promise<void> {
  const { csrfToken } = await fetchMe(page);
  const status = await page.evaluate(
    async ({ body, token }) => {
      const response = await fetch('/api/settings/categories', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify(body),
      });
      return response.status;
    },
    { body: settings, token: csrfToken },
  );
  expect(status).toBe(200);
}

describe('category thresholds (认定标准) and visit frequency (走访频次)', () => {
  const browser = useBrowser();

  it('the city administrator changes a threshold after a confirmation, and it is still there after a reload', async () => {
    const page = await browser.freshPage();
    await signIn(page, CITY);
    await page.getByTestId('nav-menu').getByText('标准设置', { exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/settings');
    await page.getByTestId('settings-form').waitFor();
    await expect(page.locator(ABSENCE).inputValue()).resolves.toBe('6');
    await expect(page.locator('#leftBehindMaxAge').inputValue()).resolves.toBe('16');
    await expect(page.locator('#unsupportedMinMonths').inputValue()).resolves.toBe('6');
    await screenshot(page, 'settings-city');

    // Nothing changed: nothing to save. An empty field is refused before any request.
    await expect(page.getByTestId('settings-save').isDisabled()).resolves.toBe(true);
    await page.locator(ABSENCE).fill('');
    await page.getByTestId('settings-save').click();
    await page.getByText('请填写父母外出务工时长').waitFor();

    await page.locator(ABSENCE).fill('3');
    await page.getByTestId('settings-save').click();
    const confirm = page.getByTestId('settings-confirm');
    await confirm.waitFor();
    await expect(confirm.textContent()).resolves.toContain('父母外出务工时长：6 个月 → 3 个月');
    await expect(confirm.textContent()).resolves.toContain('重新判定所有未销档的档案');
    await screenshot(page, 'settings-confirm-city', { fullPage: false });
    await page.getByRole('button', { name: '保存并重新判定' }).click();
    await page.getByTestId('settings-confirm').waitFor({ state: 'detached' });
    await page.getByText('已保存，正在后台重新判定档案类别').waitFor();

    await page.reload();
    await page.getByTestId('settings-form').waitFor();
    await expect(page.locator(ABSENCE).inputValue()).resolves.toBe('3');

    // The change is in the audit log under its own name.
    await page.goto(`${browser.baseURL}/audit?action=settings.categories`);
    await page.getByTestId('audit-table').locator('tr.ant-table-row', { hasText: '修改类别认定标准' }).first().waitFor();

    // Back to the defaults, so that the other browser tests see the standard rules.
    await page.goto(`${browser.baseURL}/settings`);
    await page.getByTestId('settings-form').waitFor();
    await page.getByTestId('settings-defaults').click();
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-confirm').textContent()).resolves.toContain('3 个月 → 6 个月');
    await page.getByRole('button', { name: '保存并重新判定' }).click();
    await page.getByTestId('settings-confirm').waitFor({ state: 'detached' });
    await page.getByText('已保存，正在后台重新判定档案类别').waitFor();
    await page.reload();
    await page.getByTestId('settings-form').waitFor();
    await expect(page.locator(ABSENCE).inputValue()).resolves.toBe('6');
  });

  it('does not overwrite a change someone else saved after the page was opened', async () => {
    const page = await browser.freshPage();
    await signIn(page, CITY);
    await page.goto(`${browser.baseURL}/settings`);
    await page.getByTestId('settings-form').waitFor();
    await expect(page.locator('#unsupportedMinMonths').inputValue()).resolves.toBe('6');

    // Another administrator (same API, same session here) saves first.
    await putSettings(page, { leftBehindMinAbsenceMonths: 6, leftBehindMaxAge: 15, unsupportedMinMonths: 6 });

    await page.locator('#unsupportedMinMonths').fill('9');
    await page.getByTestId('settings-save').click();
    await page.getByRole('button', { name: '保存并重新判定' }).click();
    await page.locator('.ant-modal-confirm-title', { hasText: '认定标准已被他人修改' }).waitFor();
    await page.getByRole('button', { name: '确定' }).click();
    // The form now shows what is stored; this page's change was not sent.
    await expect(page.locator('#leftBehindMaxAge').inputValue()).resolves.toBe('15');
    await expect(page.locator('#unsupportedMinMonths').inputValue()).resolves.toBe('6');

    await putSettings(page, { leftBehindMinAbsenceMonths: 6, leftBehindMaxAge: 16, unsupportedMinMonths: 6 });
  });

  it('the city administrator shortens the urgent visit interval, and an interval longer than that of a lower risk is refused', async () => {
    const page = await browser.freshPage();
    await signIn(page, CITY);
    await page.goto(`${browser.baseURL}/settings`);
    const form = page.getByTestId('schedule-form');
    await form.waitFor();
    await expect(page.locator('#urgent').inputValue()).resolves.toBe('7');
    await expect(page.locator('#priorityMaxDays').inputValue()).resolves.toBe('30');
    // A child never visited is due for a first visit 30 days after registration (issue 12 §5).
    await expect(page.locator('#firstVisitDays').inputValue()).resolves.toBe('30');
    await form.getByText('首次走访期限', { exact: true }).waitFor();
    await expect(form.getByTestId('schedule-save').isDisabled()).resolves.toBe(true);
    for (const [viewport, name] of [[{ width: 360, height: 740 }, 'settings-schedule-form-city-360'], [{ width: 1366, height: 900 }, 'settings-schedule-form-city-1366']] as const) {
      await page.setViewportSize(viewport);
      await form.scrollIntoViewIfNeeded();
      await screenshot(page, name, { fullPage: false });
    }

    // Urgent children may not wait longer than high-risk ones (30 days).
    await page.locator('#urgent').fill('40');
    await form.getByTestId('schedule-save').click();
    await form.getByText('风险越高，间隔不能越长').first().waitFor();
    await expect(page.getByTestId('schedule-confirm').count()).resolves.toBe(0);

    await page.locator('#urgent').fill('5');
    await form.getByTestId('schedule-save').click();
    const confirm = page.getByTestId('schedule-confirm');
    await confirm.waitFor();
    await expect(confirm.textContent()).resolves.toContain('紧急风险：7 天 → 5 天');
    await form.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-schedule-confirm-city', { fullPage: false });
    await page.getByRole('button', { name: '保存并重新计算' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText('已保存，正在后台重新计算应访日期').waitFor();
    await page.reload();
    await form.waitFor();
    await expect(page.locator('#urgent').inputValue()).resolves.toBe('5');
    await screenshot(page, 'settings-schedule-city');

    // Back to the defaults for the other browser tests.
    await form.getByTestId('schedule-defaults').click();
    await form.getByTestId('schedule-save').click();
    await expect(page.getByTestId('schedule-confirm').textContent()).resolves.toContain('5 天 → 7 天');
    await page.getByRole('button', { name: '保存并重新计算' }).click();
    await page.getByTestId('schedule-confirm').waitFor({ state: 'detached' });
    await page.reload();
    await form.waitFor();
    await expect(page.locator('#urgent').inputValue()).resolves.toBe('7');
  });

  it('a county administrator has no settings entry, and the page refuses him', async () => {
    const page = await browser.freshPage();
    await signIn(page, COUNTY);
    const menu = page.getByTestId('nav-menu');
    await menu.getByText('审计日志', { exact: true }).waitFor();
    await expect(menu.getByText('标准设置', { exact: true }).count()).resolves.toBe(0);
    await page.goto(`${browser.baseURL}/settings`);
    await page.getByText('您的角色无权访问此页面').waitFor();
    await expect(page.getByTestId('settings-form').count()).resolves.toBe(0);
  });
});
