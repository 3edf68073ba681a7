import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ChildPage } from '../domain/children/schema.js';
import { ReportPage, ReportRecord } from '../domain/reports/schema.js';
import { api, hasHorizontalOverflow, screenshot, signIn, useBrowser } from './support/browser.js';

const DIRECTOR = 'director-431202001201';
const POLICE = 'agency-police';
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1366, height: 900 };

async function settle(page: Page): Promise<void> {
  await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
  await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
}

/** Issue 12 point 10: the police acknowledge receipt, record the case number and the outcome; the director sees them on the trail. */
describe('the police on a mandatory report (公安接警)', () => {
  const browser = useBrowser();
  const late = { id: '', name: '' };
  const fresh = { id: '', name: '' };

  it('their list puts what awaits them first, the late one in red, and speaks to them (360 px and 1366 px)', async () => {
    const page = await browser.freshPage(DESKTOP);
    await signIn(page, DIRECTOR);
    const children = ChildPage.parse((await api(page, 'GET', '/api/children?status=active&pageSize=40&sort=name')).json).items;
    const raise = async (child: { id: string; name: string }, discoveredAt: string) => {
      const res = await api(page, 'POST', `/api/children/${child.id}/reports`, { triggers: ['abandoned_or_neglected'], discoveredAt, reporterName: '李主任' });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      return ReportRecord.parse(res.json).id;
    };
    Object.assign(late, { id: await raise(children.at(-1)!, new Date(Date.now() - 2 * 3_600_000).toISOString()), name: children.at(-1)!.name });
    Object.assign(fresh, { id: await raise(children.at(-2)!, new Date(Date.now() - 10 * 60_000).toISOString()), name: children.at(-2)!.name });

    const police = await browser.freshPage(DESKTOP);
    await signIn(police, POLICE);
    // Their home starts with what waits for them: reports to acknowledge, the late ones apart (issue 12 point 11).
    const tile = (key: string) => police.getByTestId(`home-police-${key}`).locator('.ant-statistic-content-value');
    await expect.poll(async () => Number((await tile('awaiting').textContent()) ?? '0')).toBeGreaterThanOrEqual(2);
    expect(Number(await tile('late').textContent())).toBeGreaterThanOrEqual(1);
    await settle(police);
    await screenshot(police, 'police-home-1366');
    await police.getByTestId('home-police-link').click();
    await police.waitForURL('**/reports?awaiting=true');
    await police.goto(`${browser.baseURL}/reports`);
    const row = (name: string) => police.locator('[data-testid="reports-table"] [data-testid="record-row"]', { hasText: name });
    await row(late.name).first().waitFor();
    expect(await row(late.name).getByTestId('police-late-tag').textContent()).toBe('超过 1 小时未确认接警');
    expect(await row(fresh.name).getByTestId('police-awaiting-tag').textContent()).toBe('待确认接警');
    expect(await row(late.name).first().getAttribute('class')).toContain('report-row-late');
    // Nothing said to a director: no "call the police" hints, no "police not told" column.
    const text = (await police.locator('.reports-page').textContent()) ?? '';
    expect(text).not.toContain('尚未报警');
    expect(text).not.toContain('请立即报警');
    // The queue: every report awaiting them before every acknowledged one.
    const queue = ReportPage.parse((await api(police, 'GET', '/api/reports?sort=police_queue&pageSize=200')).json).items;
    const firstDone = queue.findIndex((r) => !r.awaitingPolice);
    expect(firstDone === -1 || queue.slice(firstDone).every((r) => !r.awaitingPolice)).toBe(true);
    expect(queue.findIndex((r) => r.id === late.id)).toBeLessThan(queue.findIndex((r) => r.id === fresh.id));
    await settle(police);
    await screenshot(police, 'police-reports-1366');

    await police.setViewportSize(PHONE);
    await police.reload();
    await row(late.name).first().waitFor();
    await settle(police);
    expect(await hasHorizontalOverflow(police)).toBe(false);
    await screenshot(police, 'police-reports-phone');
  });

  it('the police acknowledge receipt, record the case number and the outcome on a phone', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, POLICE);
    await page.goto(`${browser.baseURL}/reports/${late.id}`);
    await page.getByTestId('police-alert').waitFor();
    expect(await page.getByTestId('police-alert').textContent()).toContain('公安尚未确认接警');
    expect(await page.getByTestId('report-late-alert').count()).toBe(0);
    expect(await page.locator('.report-page').textContent()).not.toContain('请立即报警');
    expect(await page.getByTestId('case-no-form').count()).toBe(0);
    await settle(page);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'police-report-awaiting-phone');

    await page.getByTestId('acknowledge-submit').click();
    await page.getByTestId('case-no-form').waitFor();
    expect(await page.getByTestId('police-alert').count()).toBe(0);
    expect(await page.getByTestId('report-response').textContent()).toContain('确认接警');

    await page.getByTestId('case-no-input').fill('怀公刑受字〔2026〕0457 号');
    await page.getByTestId('case-no-submit').click();
    await page.getByTestId('report-response').filter({ hasText: '0457' }).waitFor();

    // "Other" needs a note: the form says so before anything is sent.
    await page.getByTestId('outcome-other').click();
    await page.getByTestId('outcome-submit').click();
    await page.locator('[data-testid="outcome-form"] .ant-form-item-explain-error').waitFor();
    await page.getByTestId('outcome-filed').click();
    await page.getByTestId('outcome-note').fill('以涉嫌遗弃罪立案侦查');
    await page.getByTestId('outcome-submit').click();
    await page.getByTestId('report-response').filter({ hasText: '立案侦查' }).waitFor();
    const kinds = await page.getByTestId('report-entry').evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')));
    expect(kinds.slice(0, 3)).toEqual(['outcome', 'case_no', 'received']);
    await settle(page);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'police-report-recorded-phone');

    await page.setViewportSize(DESKTOP);
    await page.reload();
    await page.getByTestId('report-response').filter({ hasText: '立案侦查' }).waitFor();
    await settle(page);
    await screenshot(page, 'police-report-recorded-1366');
  });

  it('the director sees the receipt, the case number and the outcome on the report and its trail', async () => {
    const page = await browser.freshPage(DESKTOP);
    await signIn(page, DIRECTOR);
    await page.goto(`${browser.baseURL}/reports/${late.id}`);
    await page.getByTestId('report-response').filter({ hasText: '0457' }).waitFor();
    const response = (await page.getByTestId('report-response').textContent()) ?? '';
    expect(response).toContain('立案侦查');
    const entries = page.getByTestId('report-entries');
    expect(await entries.textContent()).toContain('公安确认接警');
    expect(await entries.textContent()).toContain('怀公刑受字〔2026〕0457 号');
    expect(await entries.textContent()).toContain('以涉嫌遗弃罪立案侦查');
    await settle(page);
    await screenshot(page, 'police-report-director-1366');
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByTestId('report-response').filter({ hasText: '0457' }).waitFor();
    await settle(page);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'police-report-director-phone');
  });
});
