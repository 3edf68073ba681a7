import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ChildDetail, ChildPage } from '../domain/children/schema.js';
import { addYears, ageOn } from '../domain/children/age.js';
import { chinaDateOf } from '../domain/reports/rules.js';
import { ReportRecord } from '../domain/reports/schema.js';
import { api, hasHorizontalOverflow, screenshot, signIn, useBrowser } from './support/browser.js';

const DIRECTOR = 'director-431202001201';
const SUPERVISOR = 'supervisor-431202001000';
const PHONE = { width: 360, height: 740 };


async function settle(page: Page): Promise<void> {
  await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
  await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
}

describe('mandatory reports (强制报告)', () => {
  const browser = useBrowser();
  /** The child the late report is about (raised through the API, discovered two hours ago). */
  const late = { id: '', name: '' };

  it('a director on a phone raises a report from the child page, then records the police receipt', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    const children = ChildPage.parse((await api(page, 'GET', '/api/children?status=active&pageSize=20&sort=name')).json).items;
    const child = children[0]!;
    late.id = children[1]!.id;
    late.name = children[1]!.name;

    await page.goto(`${browser.baseURL}/children/${child.id}`);
    await page.getByTestId('raise-report').click();
    await page.getByTestId('report-form').waitFor();
    await page.locator('.report-trigger', { hasText: '多处损伤' }).click();
    await page.locator('.report-trigger', { hasText: '被遗弃' }).click();
    // Discovered now (the default), police not told yet: the form says to call 110 now.
    expect(await page.getByTestId('report-discovered-at').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    await page.getByTestId('report-description').fill('手臂多处淤青，孩子说是被叔叔打的');
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'report-form-phone');
    await page.getByTestId('report-submit').click();

    await page.getByTestId('report-facts').waitFor();
    await settle(page);
    expect(await page.getByTestId('report-status').textContent()).toBe('处理中');
    // A director does not see who reported, even himself.
    expect(await page.getByTestId('report-reporter').textContent()).toContain('保密');
    expect(await page.getByTestId('report-police').textContent()).toContain('尚未报警');

    await page.getByTestId('police-receipt').fill('湘公(怀)受字[2026]1001号');
    await page.getByTestId('police-submit').click();
    await page.getByTestId('report-police').filter({ hasText: '1001号' }).waitFor();
    expect(await page.getByTestId('report-police').textContent()).toContain('拨打 110');
    expect(await page.getByTestId('police-form').count()).toBe(0);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await settle(page);
    await screenshot(page, 'report-police-recorded-phone');

    // The child's risk is now urgent, and the report is on its timeline.
    const detail = ChildDetail.parse((await api(page, 'GET', `/api/children/${child.id}`)).json);
    expect(detail.riskLevel).toBe('urgent');
    await page.goto(`${browser.baseURL}/children/${child.id}?tab=timeline`);
    await page.locator('[data-testid="timeline-item"][data-kind="report"]').first().waitFor();

    // The second child: a report discovered two hours ago, police never told.
    const res = await api(page, 'POST', `/api/children/${late.id}/reports`, {
      triggers: ['abandoned_or_neglected'],
      discoveredAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      reporterName: '李主任',
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(ReportRecord.parse(res.json).late).toBe(true);
  });

  it('the form offers only the triggers that fit the child: no girl trigger for a boy, the under-14 one for a young girl until the discovery is on her 14th birthday', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    const today = chinaDateOf(new Date().toISOString());
    // Page by page: another spec may have imported hundreds of boys into this village (a large roster), all sorted first.
    const children: ReturnType<typeof ChildPage.parse>['items'] = [];
    for (let p = 1; p <= 50; p++) {
      const items = ChildPage.parse((await api(page, 'GET', `/api/children?status=active&pageSize=100&sort=name&page=${p}`)).json).items;
      children.push(...items);
      if (items.length < 100 || children.some((c) => c.sex === 'female' && ageOn(c.birthDate, today) < 14)) break;
    }
    const boy = children.find((c) => c.sex === 'male')!;
    const girl = children.find((c) => c.sex === 'female' && ageOn(c.birthDate, today) < 14)!;
    expect(girl, 'a girl under 14 in the village').toBeTruthy();
    const triggers = () => page.locator('.report-trigger input').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));

    await page.goto(`${browser.baseURL}/children/${boy.id}/reports/new`);
    await page.getByTestId('report-trigger-private_parts_injury').waitFor();
    expect(await triggers()).toEqual([
      'private_parts_injury',
      'injury_malnutrition_abuse',
      'suicide_self_harm_poisoning_beating',
      'abandoned_or_neglected',
      'missing_trafficked',
      'organised_begging',
      'other_serious_harm',
    ]);
    expect(await page.getByText('不满 14 周岁的女孩').count()).toBe(0);
    await settle(page);
    await screenshot(page, 'report-form-boy-triggers');

    await page.goto(`${browser.baseURL}/children/${girl.id}/reports/new`);
    await page.getByTestId('report-trigger-girl_under14_sexual_assault').waitFor();
    expect(await triggers()).toContain('girl_under14_sexual_assault');
    expect(await triggers()).not.toContain('girl_over14_pregnant_by_assault');
    await page.getByTestId('report-trigger-girl_under14_sexual_assault').click();
    await settle(page);
    await screenshot(page, 'report-form-girl-under14-triggers');
    // A discovery on her 14th birthday: the under-14 trigger gives way to the 14-and-over one, and is no longer ticked.
    await page.getByTestId('report-discovered-at').fill(`${addYears(girl.birthDate, 14)}T10:00`);
    await page.getByTestId('report-trigger-girl_over14_pregnant_by_assault').waitFor();
    expect(await triggers()).not.toContain('girl_under14_sexual_assault');
    expect(await page.locator('.report-trigger input:checked').count()).toBe(0);
    await page.getByTestId('report-discovered-at').fill(`${today}T08:00`);
    await page.getByTestId('report-trigger-girl_under14_sexual_assault').waitFor();
    expect(await page.locator('.report-trigger input:checked').count()).toBe(0);
  });

  it('a director records a visit with signs of abuse and is offered the report, linked to the visit', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    const children = ChildPage.parse((await api(page, 'GET', '/api/children?status=active&pageSize=20&sort=name')).json).items;
    const child = children[2]!;
    await page.goto(`${browser.baseURL}/children/${child.id}/visits/new`);
    await page.getByTestId('visit-factor-abuse_signs').locator('.ant-radio-button-wrapper', { hasText: '是' }).click();
    await page.getByTestId('visit-all-fine').click();
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('visit-suggestions').waitFor();
    await page.getByTestId('visit-raise-report').click();
    await page.getByTestId('report-form').waitFor();
    expect(page.url()).toContain('visitId=');
    await page.locator('.report-trigger', { hasText: '多处损伤' }).click();
    await page.locator('.report-yes-no label', { hasText: '已报警' }).click();
    await page.getByTestId('report-receipt').fill('JJ-2026-3');
    await page.getByTestId('report-submit').click();
    await page.getByTestId('report-facts').waitFor();
    await page.getByTestId('report-police').filter({ hasText: 'JJ-2026-3' }).waitFor();
    const id = page.url().split('/reports/')[1]!;
    const report = ReportRecord.parse((await api(page, 'GET', `/api/reports/${id}`)).json);
    expect(report.visitId).toBeTruthy();
    expect(report.police?.receiptNo).toBe('JJ-2026-3');
    expect(report.late).toBe(false);
  });

  it('a report without the police after an hour shows in red on the supervisor’s home, work list and reports list', async () => {
    const page = await browser.freshPage();
    await signIn(page, SUPERVISOR);
    // His home opens with the same red alert as his work list (issue 12 point 16), above the work list card.
    const lateOn = async (where: string) => {
      const card = page.getByTestId('late-reports');
      await card.waitFor();
      const item = card.getByTestId('late-report').filter({ hasText: late.name });
      await item.waitFor();
      const colour = await item.locator('.late-report-link').evaluate((el) => getComputedStyle(el).color);
      expect(colour, where).toBe('rgb(207, 19, 34)');
      return (await card.locator('.late-reports-title').textContent()) ?? '';
    };
    const onHome = await lateOn('home');
    expect(await page.locator('.home-page > *').nth(1).getAttribute('data-testid')).toBe('late-reports');
    await settle(page);
    await screenshot(page, 'report-late-supervisor-home', { fullPage: false });
    for (const width of [360, 1366]) {
      await page.setViewportSize({ width, height: 800 });
      await settle(page);
      expect(await hasHorizontalOverflow(page)).toBe(false);
      await screenshot(page, `report-late-supervisor-home-${width}`, { fullPage: false });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${browser.baseURL}/worklist`);
    // The same figure as the work list's.
    expect(await lateOn('work list')).toBe(onHome);
    await settle(page);
    await screenshot(page, 'report-late-supervisor-worklist', { fullPage: false });

    await page.goto(`${browser.baseURL}/reports?late=true`);
    const row = page.locator('.report-row-late', { hasText: late.name });
    await row.first().waitFor();
    expect(await row.first().getByTestId('report-late-tag').textContent()).toBe('超过 1 小时未报警');
    await settle(page);
    await screenshot(page, 'report-late-list');

    // Opening it: the red alert; the supervisor records the police and it leaves the work list.
    await row.first().locator('a').click();
    await page.getByTestId('report-late-alert').waitFor();
    await page.getByTestId('police-receipt').fill('R-2026-2');
    await page.getByTestId('police-submit').click();
    await page.getByTestId('report-late-alert').waitFor({ state: 'detached' });
    await page.goto(`${browser.baseURL}/worklist`);
    await page.getByTestId('worklist-tabs').waitFor();
    await settle(page);
    expect(await page.getByTestId('late-report').filter({ hasText: late.name }).count()).toBe(0);
  });

  it('the police read the report with who reported it, but not the child’s file', async () => {
    const page = await browser.freshPage();
    await signIn(page, 'agency-police');
    await page.getByTestId('nav-menu').getByText('强制报告', { exact: true }).click();
    const row = page.locator('tr.ant-table-row', { hasText: late.name });
    await row.first().waitFor();
    await row.first().locator('a').click();
    await page.getByTestId('report-facts').waitFor();
    await settle(page);
    expect(await page.getByTestId('report-reporter').textContent()).toContain('李主任');
    // The child's name without a link: the police have no access to the file.
    expect(await page.getByTestId('report-facts').locator('a[href^="/children/"]').count()).toBe(0);
    expect(await page.getByTestId('police-form').count()).toBe(0);
    await screenshot(page, 'report-police-agency');
  });
});
