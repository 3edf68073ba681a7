/**
 * Every record list on a 360 px phone (手机上的列表): each row is a card with
 * its key facts, no column is off-screen, the page does not scroll sideways,
 * and a row's actions are within reach of a thumb.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChildPage } from '../domain/children/schema.js';
import { api, hasHorizontalOverflow, screenshot, signIn, useBrowser } from './support/browser.js';

const PHONE = { width: 360, height: 740 };
const DIRECTOR = 'director-431202001201';
const SUPERVISOR = 'supervisor-431202001000';
const COUNTY = 'county-431202';
const COUNSELLING = 'agency-counselling';

/** Waits for the list's cards and checks the phone shape: cards, not a table, nothing wider than the screen. */
async function cardsOf(page: Page, testId: string) {
  const list = page.getByTestId(testId);
  await list.getByTestId('record-row').first().waitFor();
  await expect(list.locator('table').count()).resolves.toBe(0);
  expect(await hasHorizontalOverflow(page)).toBe(false);
  return list;
}

/** Every button of a card lies within the screen's width (none cut off at the right). */
async function buttonsWithinScreen(card: ReturnType<Page['getByTestId']>): Promise<string[]> {
  const labels: string[] = [];
  for (const button of await card.locator('button').all()) {
    const box = await button.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    labels.push(((await button.textContent()) ?? '').replace(/\s+/g, ''));
  }
  return labels;
}

describe('lists on a 360 px phone', () => {
  const browser = useBrowser();
  /** The children this spec reports, refers and places, by name. */
  const child = { reported: '', referred: '', placed: '' };

  beforeAll(async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    const children = ChildPage.parse((await api(page, 'GET', '/api/children?status=active&pageSize=40&sort=-name')).json).items;
    const [reported, referred, placed] = [children[0]!, children[1]!, children[2]!];
    const discoveredAt = new Date(Date.now() - 30 * 60_000).toISOString();
    expect((await api(page, 'POST', `/api/children/${reported.id}/reports`, { triggers: ['abandoned_or_neglected'], discoveredAt, reporterName: '李主任' })).status).toBe(201);
    const targets = (await api(page, 'GET', `/api/children/${referred.id}/referral-organisations`)).json as { items: { id: string; kind: string }[] };
    const counselling = targets.items.find((o) => o.kind === 'counselling');
    expect(counselling).toBeDefined();
    const referral = await api(page, 'POST', `/api/children/${referred.id}/referrals`, { toOrganisationId: counselling!.id, reason: '孩子情绪低落，请做心理辅导', urgency: 'urgent', shareContacts: false });
    expect(referral.status).toBe(201);
    await page.context().clearCookies();
    await page.goto(`${browser.baseURL}/sign-in`);
    await signIn(page, COUNTY);
    const order = await api(page, 'POST', `/api/children/${placed.id}/orders`, { kind: 'temporary_guardianship', startedOn: new Date().toISOString().slice(0, 10), placement: 'relative', placementName: '外婆家', ground: 'guardian_missing' });
    expect(order.status).toBe(201);
    Object.assign(child, { reported: reported.name, referred: referred.name, placed: placed.name });
  });

  it('reports (强制报告): a card per report with its police state; a filter and its reset live in the address', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    await page.goto(`${browser.baseURL}/reports`);
    const list = await cardsOf(page, 'reports-table');
    const card = list.getByTestId('record-row').filter({ hasText: child.reported }).first();
    await expect(card.textContent()).resolves.toContain('报告情形被遗弃或长期处于无人照料状态');
    await expect(card.locator('[data-state="open"]').textContent()).resolves.toBe('处理中');
    await screenshot(page, 'lists-phone-reports-360', { fullPage: false });

    await page.getByTestId('reports-status').click();
    await page.locator('.ant-select-item-option', { hasText: '已结案' }).click();
    await page.waitForURL(/status=closed/);
    await expect.poll(() => list.getByTestId('record-row').filter({ hasText: child.reported }).count()).toBe(0);
    await page.getByTestId('filters-reset').click();
    await expect.poll(() => new URL(page.url()).search).toBe('');
    await list.getByTestId('record-row').filter({ hasText: child.reported }).first().click();
    await page.waitForURL(/\/reports\/[^/]+$/);
  });

  it('referrals (转介): a card per referral with its state and urgency beside the name', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    await page.goto(`${browser.baseURL}/referrals`);
    const list = await cardsOf(page, 'referrals-table');
    const card = list.getByTestId('record-row').filter({ hasText: child.referred }).first();
    await expect(card.locator('.record-card-head').textContent()).resolves.toMatch(/紧急.*已发送|已发送.*紧急/);
    await expect(card.textContent()).resolves.toContain('接收机构');
    await screenshot(page, 'lists-phone-referrals-360', { fullPage: false });
  });

  it('the inbox (转介收件箱): the agency sees the referral as a card, one tap from the record and its actions', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, COUNSELLING);
    await page.goto(`${browser.baseURL}/inbox`);
    const list = await cardsOf(page, 'inbox-table');
    const card = list.getByTestId('record-row').filter({ hasText: child.referred }).first();
    await expect(card.locator('[data-state="sent"]').count()).resolves.toBe(1);
    await screenshot(page, 'lists-phone-inbox-360', { fullPage: false });
    await card.click();
    await page.waitForURL(/\/inbox\/[^/]+$/);
    await page.getByTestId('inbox-accept').waitFor();
    expect(await buttonsWithinScreen(page.locator('.inbox-actions'))).toContain('接收');
  });

  it('orders (法律与国家监护): a card per order with its kind and state', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, COUNTY);
    await page.goto(`${browser.baseURL}/orders`);
    const list = await cardsOf(page, 'orders-table');
    const card = list.getByTestId('record-row').filter({ hasText: child.placed }).first();
    await expect(card.textContent()).resolves.toContain('临时监护');
    await card.getByTestId('order-state').waitFor();
    await screenshot(page, 'lists-phone-orders-360', { fullPage: false });
  });

  it('review (待审核): 审核通过 and 退回 are on the screen under each registration', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, SUPERVISOR);
    await page.goto(`${browser.baseURL}/children/review`);
    const list = await cardsOf(page, 'review-table');
    const card = list.getByTestId('record-row').first();
    const buttons = await buttonsWithinScreen(card);
    expect(buttons).toEqual(expect.arrayContaining(['审核通过', '退回']));
    await screenshot(page, 'lists-phone-review-360', { fullPage: false });
    await card.getByTestId('child-return').click();
    await page.locator('.ant-modal').getByText('退回', { exact: false }).first().waitFor();
    await page.getByRole('button', { name: '取 消' }).or(page.getByRole('button', { name: '取消' })).first().click();
  });

  it('accounts (账号管理): a card per account with its role, and edit, disable and reset at hand', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, COUNTY);
    await page.goto(`${browser.baseURL}/users?q=${DIRECTOR}`);
    const list = await cardsOf(page, 'users-table');
    const card = list.getByTestId('record-row').filter({ hasText: DIRECTOR }).first();
    await expect(card.textContent()).resolves.toContain('儿童主任');
    expect(await buttonsWithinScreen(card)).toEqual(expect.arrayContaining(['编辑', '停用', '重置密码']));
    await screenshot(page, 'lists-phone-users-360', { fullPage: false });
  });

  it('organisations (机构管理): a card per organisation with its kind and region', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, COUNTY);
    await page.goto(`${browser.baseURL}/organisations`);
    const list = await cardsOf(page, 'organisations-table');
    const card = list.getByTestId('record-row').first();
    await expect(card.textContent()).resolves.toMatch(/类型.+区划/);
    await screenshot(page, 'lists-phone-organisations-360', { fullPage: false });
  });
});
