import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ChildPage } from '../domain/children/schema.js';
import { InboxReferral, ReferralOrganisations, ReferralRecord } from '../domain/referrals/schema.js';
import { api, hasHorizontalOverflow, screenshot, signIn, useBrowser } from './support/browser.js';

const DIRECTOR = 'director-431202001201';
const AGENCY = 'agency-counselling';
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1366, height: 900 };

async function settle(page: Page): Promise<void> {
  await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
  await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
}

/** Issue 12 point 13: between "started" and "completed" the agency records its work; the director sees it on the referral. */
describe("an agency's work on a referral (服务记录)", () => {
  const browser = useBrowser();
  const sent = { id: '', childName: '' };

  it('the counselling centre records a session and a contact on a phone while serving', async () => {
    const director = await browser.freshPage(DESKTOP);
    await signIn(director, DIRECTOR);
    const child = ChildPage.parse((await api(director, 'GET', '/api/children?status=active&pageSize=40&sort=name')).json).items.at(-3)!;
    const counselling = ReferralOrganisations.parse((await api(director, 'GET', `/api/children/${child.id}/referral-organisations`)).json).items.find((o) => o.kind === 'counselling')!;
    const res = await api(director, 'POST', `/api/children/${child.id}/referrals`, { toOrganisationId: counselling.id, reason: '孩子情绪低落，请做心理辅导', urgency: 'normal', shareContacts: true });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    Object.assign(sent, { id: ReferralRecord.parse(res.json).id, childName: child.name });

    const page = await browser.freshPage(PHONE);
    await signIn(page, AGENCY);
    await page.goto(`${browser.baseURL}/inbox/${sent.id}`);
    await page.getByTestId('inbox-child').waitFor();
    // Nothing to record before the service starts.
    expect(await page.getByTestId('work-form').count()).toBe(0);
    for (const action of ['accept', 'start'] as const) {
      await page.getByTestId(`inbox-${action}`).click();
      await page.getByTestId(`inbox-${action}-ok`).click();
      await page.getByTestId(`inbox-${action}`).waitFor({ state: 'detached' });
    }
    await page.getByTestId('work-form').waitFor();

    // A session: kind, minutes, what happened.
    await page.getByTestId('work-duration').fill('45');
    await page.getByTestId('work-note').fill('第一次个别辅导：孩子愿意画画表达，约定每周一次');
    await page.getByTestId('work-submit').click();
    await page.locator('[data-testid="inbox-trail"] [data-testid="trail-work"][data-kind="session"]').waitFor();
    // A contact with the grandmother at home.
    await page.getByTestId('work-kind-contact').click();
    await page.getByTestId('work-method-home_visit').click();
    await page.getByTestId('work-with-whom').fill('奶奶');
    await page.getByTestId('work-note').fill('入户了解作息，奶奶说孩子晚上睡得好些了');
    await page.getByTestId('work-submit').click();
    await page.locator('[data-testid="inbox-trail"] [data-testid="trail-work"][data-kind="contact"]').waitFor();
    expect(await page.getByTestId('referral-work-totals').textContent()).toBe('服务 1 次，共 45 分钟；联系 1 次');
    const record = InboxReferral.parse((await api(page, 'GET', `/api/inbox/referrals/${sent.id}`)).json);
    expect(record.work.map((w) => [w.kind, w.durationMinutes, w.method, w.withWhom])).toEqual([
      ['session', 45, null, null],
      ['contact', null, 'home_visit', '奶奶'],
    ]);
    await settle(page);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'referral-work-agency-phone');
    await page.setViewportSize(DESKTOP);
    await page.reload();
    await page.getByTestId('work-form').waitFor();
    await settle(page);
    await screenshot(page, 'referral-work-agency-1366');
  });

  it('the director sees the session and the contact on the referral page', async () => {
    const page = await browser.freshPage(DESKTOP);
    await signIn(page, DIRECTOR);
    await page.goto(`${browser.baseURL}/referrals/${sent.id}`);
    const session = page.locator('[data-testid="referral-trail"] [data-testid="trail-work"][data-kind="session"]');
    await session.waitFor();
    expect(await session.textContent()).toContain('个别辅导 · 45 分钟');
    expect(await session.textContent()).toContain('约定每周一次');
    const contact = page.locator('[data-testid="referral-trail"] [data-testid="trail-work"][data-kind="contact"]');
    expect(await contact.textContent()).toContain('入户走访 · 奶奶');
    expect(await page.getByTestId('referral-work-totals').textContent()).toBe('服务 1 次，共 45 分钟；联系 1 次');
    await settle(page);
    await screenshot(page, 'referral-work-director-1366');
    await page.setViewportSize(PHONE);
    await page.reload();
    await session.waitFor();
    await settle(page);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'referral-work-director-phone');
  });
});
