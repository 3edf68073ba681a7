import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ChildPage } from '../domain/children/schema.js';
import { ChildTimeline } from '../domain/visits/schema.js';
import { api, hasHorizontalOverflow, signIn, useBrowser } from './support/browser.js';

const DIRECTOR = 'director-431202001201';
const COUNTY = 'county-431202';
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
/** Screenshots of this spec go outside the repository, to be looked at. */
const SHOTS = process.env.ORDERS_SHOTS_DIR ?? '/tmp/orders-shots';

async function settle(page: Page): Promise<void> {
  await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
  await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
}
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

describe('orders and state guardianship (法律与国家监护)', () => {
  const browser = useBrowser();
  const child = { id: '', name: '' };

  it('a director on a phone records a supervision order (督促监护令) and a follow-up check', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    const children = ChildPage.parse((await api(page, 'GET', '/api/children?status=active&pageSize=20&sort=-name')).json).items;
    child.id = children[0]!.id;
    child.name = children[0]!.name;

    await page.goto(`${browser.baseURL}/children/${child.id}`);
    await page.getByTestId('add-order').click();
    await page.getByTestId('add-order-supervision').click();
    await page.getByTestId('order-form').waitFor();
    await page.locator('.order-form-page .ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: '检察院' }).first().click();
    await page.getByTestId('order-no').fill('鹤检督监〔2026〕7号');
    await page.getByTestId('order-addressee-name').fill('李大山');
    await page.getByTestId('order-content').fill('每周与孩子视频通话不少于两次，按月寄生活费');
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await shot(page, 'order-supervision-form-phone');
    await page.getByTestId('order-submit').click();

    await page.getByTestId('order-facts').waitFor();
    await settle(page);
    expect(await page.getByTestId('order-state').textContent()).toBe('已发出');
    expect(await page.getByTestId('order-facts').textContent()).toContain('怀化市人民检察院');
    // A director records checks but does not close orders.
    expect(await page.locator('[data-testid^="order-action-"]').count()).toBe(0);

    await page.getByTestId('entry-text').fill('父亲已按约视频通话，孩子情绪好转');
    await page.getByTestId('entry-submit').click();
    await page.locator('[data-testid="order-entry"][data-type="check"]').waitFor();
    expect(await page.locator('[data-testid="order-entry"][data-type="check"]').textContent()).toContain('已履行');
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await settle(page);
    await shot(page, 'order-supervision-page-phone');
  });

  it('a county admin places the child in temporary guardianship (临时监护) on an art. 92 ground, ends it, and sees both orders on the timeline', async () => {
    const page = await browser.freshPage(DESKTOP);
    await signIn(page, COUNTY);
    await page.goto(`${browser.baseURL}/children/${child.id}/orders/new?kind=temporary_guardianship`);
    await page.getByTestId('order-form').waitFor();
    await page.locator('.order-grounds label', { hasText: '（四）' }).click();
    await page.locator('.ant-radio-button-wrapper', { hasText: '家庭寄养' }).click();
    await page.getByTestId('order-placement-name').fill('张桂兰家庭（寄养家庭）');
    await page.getByTestId('order-assessment').fill('祖母住院，孩子无人照料，经评估需临时监护');
    await shot(page, 'order-guardianship-form');
    await page.getByTestId('order-submit').click();

    await page.getByTestId('order-facts').waitFor();
    await settle(page);
    expect(await page.getByTestId('order-state').textContent()).toBe('进行中');
    expect(await page.getByTestId('order-facts').textContent()).toContain('监护人拒绝或者怠于履行监护职责');

    await page.getByTestId('order-action-end').click();
    await page.locator('.ant-modal .ant-radio-wrapper', { hasText: '交还监护人' }).click();
    await page.getByTestId('transition-note').fill('祖母出院，孩子返回家庭');
    await page.screenshot({ path: path.join(SHOTS, 'order-end-confirm.png') });
    await page.getByTestId('order-action-ok').click();
    await page.getByTestId('order-state').filter({ hasText: '已结束' }).waitFor();
    expect(await page.getByTestId('order-outcome').textContent()).toBe('交还监护人');
    expect(await page.locator('[data-testid^="order-action-"]').count()).toBe(0);
    await settle(page);
    await shot(page, 'order-guardianship-ended');

    // Both on the child's timeline, each with its state and a link.
    await page.goto(`${browser.baseURL}/children/${child.id}?tab=timeline`);
    const orders = page.locator('[data-testid="timeline-item"][data-kind="order"]');
    await orders.nth(1).waitFor();
    const texts = await orders.allTextContents();
    expect(texts.some((t) => t.includes('督促监护令') && t.includes('已发出'))).toBe(true);
    expect(texts.some((t) => t.includes('临时监护') && t.includes('已结束'))).toBe(true);
    await settle(page);
    await shot(page, 'order-timeline');
    const timeline = ChildTimeline.parse((await api(page, 'GET', `/api/children/${child.id}/timeline`)).json);
    expect(timeline.items.filter((i) => i.kind === 'order')).toHaveLength(2);

    // The list of the scope: the supervision order is active, the guardianship is not.
    await page.goto(`${browser.baseURL}/orders?active=true`);
    await page.getByTestId('orders-table').locator('tbody tr', { hasText: child.name }).first().waitFor();
    const rows = await page.getByTestId('orders-table').locator('tbody tr', { hasText: child.name }).allTextContents();
    expect(rows.some((r) => r.includes('督促监护令'))).toBe(true);
    expect(rows.some((r) => r.includes('临时监护'))).toBe(false);
    await settle(page);
    await shot(page, 'orders-list');
    await page.getByTestId('orders-table').locator('tbody tr', { hasText: child.name }).first().click();
    await page.getByTestId('order-facts').waitFor();
    expect(page.url()).toContain('/orders/');
  });
});
