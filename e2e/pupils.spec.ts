import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PupilFacets, PupilPage } from '../domain/visits/schema.js';
import { api, hasHorizontalOverflow, screenshot, signIn, useBrowser } from './support/browser.js';

const SCHOOL = 'school-demo';

async function settle(page: Page): Promise<void> {
  await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(200);
}

async function pick(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

describe('a school contact’s pupils (我的学生): grade, class, not yet visited this vacation', () => {
  const browser = useBrowser();

  it('narrows to the pupils not visited this vacation, then a grade and a class; the filters live in the address', async () => {
    const page = await browser.freshPage({ width: 360, height: 740 });
    await signIn(page, SCHOOL);
    await page.goto(`${browser.baseURL}/pupils`);
    await page.getByTestId('pupil-row').first().waitFor();
    const facets = PupilFacets.parse((await api(page, 'GET', '/api/pupils/facets')).json);
    // The vacation that counts, said on the page.
    const label = (await page.getByTestId('vacation-label').textContent()) ?? '';
    expect(label).toContain(`${facets.vacation.year}年${facets.vacation.season === 'winter' ? '寒假' : '暑假'}`);
    expect(label).toContain(facets.vacation.from);

    await page.getByTestId('pupils-not-visited').getByText('本假期未家访').click();
    await page.waitForURL(/notVisited=true/);
    await settle(page);
    const notVisited = PupilPage.parse((await api(page, 'GET', '/api/pupils?notVisited=true&pageSize=1')).json).total;
    const all = PupilPage.parse((await api(page, 'GET', '/api/pupils?pageSize=1')).json).total;
    expect(notVisited).toBeGreaterThan(0);
    expect(notVisited).toBeLessThan(all);
    expect(await page.getByTestId('pupils-total').textContent()).toBe(`共 ${notVisited} 名学生`);
    for (const tag of await page.getByTestId('pupil-vacation-state').allTextContents()) expect(tag).toBe('本假期未家访');

    const grade = facets.grades[0]!;
    await pick(page, 'pupils-grade', grade);
    await page.waitForURL((url) => url.searchParams.get('grade') === grade);
    await settle(page);
    const classes = PupilFacets.parse((await api(page, 'GET', `/api/pupils/facets?grade=${encodeURIComponent(grade)}`)).json).classes;
    const className = classes[0]!;
    await pick(page, 'pupils-class', className);
    await page.waitForURL((url) => url.searchParams.get('class') === className);
    await settle(page);
    const expected = PupilPage.parse((await api(page, 'GET', `/api/pupils?notVisited=true&grade=${encodeURIComponent(grade)}&class=${encodeURIComponent(className)}&pageSize=200`)).json);
    const rows = page.getByTestId('pupil-row');
    if (expected.total === 0) {
      await page.getByText('没有符合条件的学生').waitFor();
    } else {
      expect(await rows.count()).toBe(Math.min(expected.total, 20));
      for (const text of await rows.allTextContents()) expect(text).toContain(`${grade} ${className}`);
    }
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'pupils-filtered-360');

    // A reload (or a link) shows the same list with the same filters set.
    await page.reload();
    await settle(page);
    expect(await page.getByTestId('pupils-grade').textContent()).toContain(grade);
    expect(await page.getByTestId('pupils-class').textContent()).toContain(className);
    expect(await page.getByTestId('pupils-not-visited').locator('.ant-segmented-item-selected').textContent()).toBe('本假期未家访');
    if (expected.total > 0) expect(await rows.count()).toBe(Math.min(expected.total, 20));

    await page.setViewportSize({ width: 1366, height: 800 });
    await settle(page);
    await screenshot(page, 'pupils-filtered-1366');
  });
});
