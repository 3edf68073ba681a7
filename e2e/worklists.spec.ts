import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ChildDetail, ChildPage } from '../domain/children/schema.js';
import { WorklistCounts, WorklistPage } from '../domain/visits/schema.js';
import { api, fetchMe, hasHorizontalOverflow, screenshot, signIn, useBrowser } from './support/browser.js';
import { chinaDay, overdueNewChildren, quietVisit, recordVisit } from './support/children.js';

const DIRECTOR = 'director-431202001201';
const VILLAGE = '431202001201';
const SUPERVISOR = 'supervisor-431202001000';
const COUNTY = 'county-431202';
const CITY = 'city-431200';
const PHONE = { width: 360, height: 740 };

/** The village's on-time rate as the supervisor's table shows it ("43%" → 43). */
async function villageRate(page: Page, villageName: string): Promise<number> {
  const row = page.getByTestId('worklist-regions').locator('tr', { hasText: villageName }).first();
  const text = (await row.getByTestId('worklist-rate').first().textContent()) ?? '';
  return Number(text.replace('%', ''));
}

async function settle(page: Page): Promise<void> {
  await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
  await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' });
  // The loading veil fades out (0.3 s): let it go before a screenshot.
  await page.waitForTimeout(400);
}

describe('work lists (工作清单)', () => {
  const browser = useBrowser();
  /** Two files made overdue by a visit long ago, and one due later that gets an on-time visit. */
  const child = { overdue: [] as { id: string; name: string }[], onTime: { id: '', name: '' } };
  let villageName = '';
  /** The village's on-time rate (0–1) before the director's two visits. */
  let rateBefore = 0;

  it('a supervisor sees each village with its director and their on-time rate', async () => {
    // Set-up through the API as the director: two overdue children (the demo's own, or made so by a
    // visit long ago to a child never visited), and one not overdue that will get an on-time visit.
    let page = await browser.freshPage();
    await signIn(page, DIRECTOR);
    villageName = (await fetchMe(page)).scope.path.at(-1)!.name;
    const list = async (kind: string) => WorklistPage.parse((await api(page, 'GET', `/api/worklists?kind=${kind}&pageSize=200`)).json).items;
    child.overdue = (await list('overdue')).slice(0, 2).map((r) => ({ id: r.childId, name: r.name }));
    for (const row of await list('never_visited')) {
      if (child.overdue.length === 2) break;
      if (child.overdue.some((c) => c.id === row.childId)) continue;
      // A visit 200 days ago: due long since, whatever the child's interval (refused for a younger child).
      const res = await api(page, 'POST', `/api/children/${row.childId}/visits`, quietVisit(chinaDay(-200)));
      if (res.status === 201) child.overdue.push({ id: row.childId, name: row.name });
    }
    // Other browser tests of the same server may have visited the village's overdue children already: then
    // new files are registered and approved (through the API), each with a visit long ago.
    if (child.overdue.length < 2) {
      const made = await overdueNewChildren(browser, 2 - child.overdue.length);
      page = made.page;
      child.overdue.push(...made.children);
    }
    expect(child.overdue).toHaveLength(2);
    const active = ChildPage.parse((await api(page, 'GET', '/api/children?status=active&pageSize=100&sort=name')).json).items;
    const onTime = active.find((c) => c.visitState !== null && c.visitState !== 'overdue' && !child.overdue.some((o) => o.id === c.id))!;
    child.onTime = { id: onTime.id, name: onTime.name };

    const supervisor = await browser.freshPage();
    await signIn(supervisor, SUPERVISOR);
    await supervisor.getByTestId('home-worklist').waitFor();
    await supervisor.getByTestId('home-worklist-link').click();
    await supervisor.getByTestId('worklist-regions').waitFor();
    const row = supervisor.getByTestId('worklist-regions').locator('tr', { hasText: villageName }).first();
    await row.waitFor();
    const counts = WorklistCounts.parse((await api(supervisor, 'GET', '/api/worklists/counts')).json);
    const village = counts.regions.find((r) => r.region.code === VILLAGE)!;
    expect(village.overdue).toBeGreaterThanOrEqual(2);
    await expect(row.getByTestId('worklist-region-overdue').textContent()).resolves.toContain(String(village.overdue));
    // The director of the village is named with his own rate; with overdue children the rate is below 100%.
    await expect(row.getByTestId('worklist-director').count()).resolves.toBe(1);
    rateBefore = village.onTimeRate!;
    expect(rateBefore).toBeLessThan(1);
    expect(await villageRate(supervisor, villageName)).toBe(Math.round(rateBefore * 100));
    await settle(supervisor);
    await screenshot(supervisor, 'worklist-supervisor');

    // Clicking the village narrows the lists to it.
    await row.click();
    await supervisor.waitForURL(`**/worklist?region=${VILLAGE}`);
    await supervisor.getByTestId('worklist-breadcrumb').getByText(villageName).waitFor();
    await expect.poll(async () => (await supervisor.getByTestId('worklist-table').textContent()) ?? '').toContain(child.overdue[0]!.name);
  });

  it('a director on a 360 px phone finds his overdue children first, records a visit from the list, and the child leaves it', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    // The home page opens with the work list.
    const tile = page.getByTestId('home-worklist-overdue');
    await tile.waitFor();
    await expect.poll(async () => Number((await tile.locator('.ant-statistic-content-value').textContent()) ?? '0')).toBeGreaterThanOrEqual(2);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await settle(page);
    await screenshot(page, 'worklist-home-director-360', { fullPage: false });

    await tile.click();
    await page.waitForURL('**/worklist');
    const card = (name: string) => page.getByTestId('worklist-row').filter({ hasText: name });
    for (const c of child.overdue) await card(c.name).first().waitFor();
    await expect(card(child.overdue[0]!.name).getByTestId('worklist-overdue-days').textContent()).resolves.toMatch(/^逾期 \d+ 天$/);
    await expect(page.getByTestId('worklist-count-overdue').textContent()).resolves.toMatch(/^\d+$/);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await settle(page);
    await screenshot(page, 'worklist-director-360', { fullPage: false });

    // The card opens the child; its button the visit form.
    await card(child.overdue[0]!.name).getByTestId('worklist-child-link').click();
    await page.waitForURL(`**/children/${child.overdue[0]!.id}`);
    await page.goBack();
    await card(child.overdue[0]!.name).getByTestId('worklist-record').click();
    await page.waitForURL(`**/children/${child.overdue[0]!.id}/visits/new`);
    await page.getByTestId('visit-form').waitFor();
    await page.getByTestId('visit-all-fine').click();
    await page.getByTestId('visit-submit').click();
    await page.getByText('走访记录已保存').waitFor();
    await page.waitForURL(`**/children/${child.overdue[0]!.id}`);

    // Back on the list the child is gone; the other is still there.
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-menu').getByText('工作清单', { exact: true }).click();
    await card(child.overdue[1]!.name).first().waitFor();
    await expect.poll(() => card(child.overdue[0]!.name).count()).toBe(0);

    await recordVisit(page, child.onTime.id, chinaDay());
    // A list with nothing in it says so.
    const counts = WorklistCounts.parse((await api(page, 'GET', '/api/worklists/counts')).json).counts;
    const emptyKind = (['campaign', 'aging_out', 'unseen', 'due_this_week'] as const).find((k) => counts[k] === 0);
    if (emptyKind) {
      await page.getByTestId(`worklist-tab-${emptyKind}`).click();
      await page.getByTestId('worklist-empty').waitFor();
      await expect(page.getByTestId(`worklist-count-${emptyKind}`).textContent()).resolves.toBe('0');
    }
  });

  it('the supervisor sees the village’s on-time rate rise after an on-time visit', async () => {
    const page = await browser.freshPage();
    await signIn(page, SUPERVISOR);
    await page.goto(`${browser.baseURL}/worklist`);
    await page.getByTestId('worklist-regions').locator('tr', { hasText: villageName }).first().waitFor();
    // One late visit (the overdue child, no longer overdue: the rate is unmoved by it) and one on time: the rate rises.
    const rate = async () => WorklistCounts.parse((await api(page, 'GET', '/api/worklists/counts')).json).regions.find((r) => r.region.code === VILLAGE)!.onTimeRate!;
    const after = await rate();
    expect(after).toBeGreaterThan(rateBefore);
    await expect.poll(() => villageRate(page, villageName)).toBe(Math.round(after * 100));
    await settle(page);
    await screenshot(page, 'worklist-supervisor-after');
  });

  it('a county office sees its townships worst first, each with a bar', async () => {
    const page = await browser.freshPage();
    await signIn(page, COUNTY);
    await page.goto(`${browser.baseURL}/worklist`);
    const table = page.getByTestId('worklist-regions');
    await table.locator('.ant-progress').first().waitFor();
    const counts = WorklistCounts.parse((await api(page, 'GET', '/api/worklists/counts')).json);
    expect(counts.regions.every((r) => r.region.level === 'township')).toBe(true);
    const overdue = counts.regions.map((r) => r.overdue);
    expect(overdue).toEqual([...overdue].sort((a, b) => b - a));
    await expect(table.locator('.ant-table-row').first().textContent()).resolves.toContain(counts.regions[0]!.region.name);
    await settle(page);
    await screenshot(page, 'worklist-county');
  });

  it('a city office sees its counties worst first, and picks one to list its children', async () => {
    const page = await browser.freshPage();
    await signIn(page, CITY);
    await page.goto(`${browser.baseURL}/worklist`);
    const table = page.getByTestId('worklist-regions');
    await table.locator('.ant-progress').first().waitFor();
    // No names for a whole city, and no on-time rates for its counties.
    await page.getByTestId('worklist-pick-region').waitFor();
    await expect(table.getByTestId('worklist-rate').count()).resolves.toBe(0);
    const counts = WorklistCounts.parse((await api(page, 'GET', '/api/worklists/counts')).json);
    expect(counts.regions.every((r) => r.region.level === 'county' && r.onTimeRate === null)).toBe(true);
    await settle(page);
    await screenshot(page, 'worklist-city');

    await table.locator('.ant-table-row').first().click();
    await page.waitForURL(`**/worklist?region=${counts.regions[0]!.region.code}`);
    await page.getByTestId('worklist-table').locator('.ant-table-row').first().waitFor();
  });

  it('a child due today reads 今天到期 on the work list, the home tile, the children list and the child page alike', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    // A child last visited before one interval ago, visited (through the API) exactly one interval ago, is due today.
    const active = ChildPage.parse((await api(page, 'GET', '/api/children?status=active&pageSize=100&sort=name')).json).items;
    let dueToday: { id: string; name: string } | null = null;
    for (const row of active) {
      const detail = ChildDetail.parse((await api(page, 'GET', `/api/children/${row.id}`)).json);
      const visitDate = chinaDay(-detail.schedule!.intervalDays);
      if (detail.schedule!.lastVisitDate !== null && detail.schedule!.lastVisitDate >= visitDate) continue;
      const res = await api(page, 'POST', `/api/children/${row.id}/visits`, quietVisit(visitDate));
      if (res.status !== 201) continue;
      const after = ChildDetail.parse((await api(page, 'GET', `/api/children/${row.id}`)).json);
      // The visit may have changed the interval (a factor cleared): try the next child then.
      if (after.schedule!.nextDue !== chinaDay()) continue;
      dueToday = { id: row.id, name: row.name };
      break;
    }
    expect(dueToday).not.toBeNull();
    const child = dueToday!;

    await page.goto(`${browser.baseURL}/`);
    await expect.poll(async () => (await page.getByTestId('home-worklist-due-today').textContent()) ?? '').toMatch(/^其中今天到期 \d+$/);
    await page.goto(`${browser.baseURL}/worklist?tab=due_this_week`);
    const card = page.getByTestId('worklist-row').filter({ hasText: child.name }).first();
    await card.waitFor();
    await expect(card.getByTestId('worklist-due').textContent()).resolves.toBe('今天到期');
    await settle(page);
    await screenshot(page, 'worklist-due-today-360', { fullPage: false });
    // The 缺少关键信息 list (files with a parent away and no date of leaving): none in the demo village.
    await page.getByTestId('worklist-tab-facts_missing').click();
    await page.getByTestId('worklist-empty').getByText('没有缺少关键信息的档案').waitFor();
    await expect(page.getByTestId('worklist-count-facts_missing').textContent()).resolves.toBe('0');
    await expect(page.getByTestId('home-worklist-facts_missing').count()).resolves.toBe(0);

    await page.goto(`${browser.baseURL}/children?q=${encodeURIComponent(child.name)}`);
    const row = page.getByTestId('child-row').filter({ hasText: child.name }).first();
    await expect(row.getByTestId('visit-state').textContent()).resolves.toBe('今天到期');

    await page.goto(`${browser.baseURL}/children/${child.id}`);
    const tag = page.getByTestId('schedule-card').getByTestId('visit-state');
    await expect(tag.textContent()).resolves.toBe('今天到期');
    await expect(tag.getAttribute('data-state')).resolves.toBe('due_soon');
    await expect(page.locator('body').textContent()).resolves.not.toContain('即将到期');
    expect(await hasHorizontalOverflow(page)).toBe(false);

    // At 1366 px the children list shows the due date with the same words.
    const wide = await browser.freshPage();
    await signIn(wide, DIRECTOR);
    await wide.goto(`${browser.baseURL}/children?q=${encodeURIComponent(child.name)}`);
    const cell = wide.locator('.ant-table-row', { hasText: child.name }).first();
    await expect(cell.getByTestId('visit-state').textContent()).resolves.toBe('今天到期');
    await settle(wide);
    await screenshot(wide, 'children-list-due-today');
  });
});
