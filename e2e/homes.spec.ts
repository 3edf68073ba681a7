import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { InboxSummary } from '../domain/referrals/schema.js';
import { PupilHome } from '../domain/visits/schema.js';
import { api, hasHorizontalOverflow, screenshot, signIn, useBrowser } from './support/browser.js';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1366, height: 900 };

async function settle(page: Page): Promise<void> {
  await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
}

/** The menu's entries at desktop width (the phone's drawer holds the same). */
async function menuEntries(page: Page): Promise<string[]> {
  return (await page.getByTestId('nav-menu').locator('.ant-menu-item').allTextContents()).map((text) => text.trim());
}

/**
 * Each role's home starts with what waits for it (issue 12 point 11): walked
 * at phone width for every demo account, and at desktop width for those whose
 * home changed.
 */
describe("each role's home", () => {
  const browser = useBrowser();

  /** The card each role's home opens with, and what must not be there. */
  const HOMES: { user: string; first: string; staffing: boolean }[] = [
    { user: 'director-431202001201', first: 'home-worklist', staffing: true },
    { user: 'supervisor-431202001000', first: 'home-worklist', staffing: true },
    { user: 'county-431202', first: 'home-worklist', staffing: true },
    { user: 'city-431200', first: 'home-worklist', staffing: true },
    { user: 'agency-police', first: 'home-police', staffing: false },
    { user: 'agency-counselling', first: 'home-inbox', staffing: false },
    { user: 'school-demo', first: 'home-pupils', staffing: false },
    { user: 'volunteer-demo', first: 'home-volunteer', staffing: false },
  ];

  it('opens with its own work at 360 px for every role, without sideways scrolling', async () => {
    for (const home of HOMES) {
      const page = await browser.freshPage(PHONE);
      await signIn(page, home.user);
      await page.getByTestId(home.first).waitFor();
      await settle(page);
      // The first card under the greeting is the role's work.
      const firstCard = await page.locator('.home-page > .ant-card, .home-page > .late-reports-card').first().getAttribute('data-testid');
      expect([home.first, 'late-reports'], home.user).toContain(firstCard);
      // The city's staffing figures are for those who run the network.
      expect(await page.locator('.home-region-card').count(), home.user).toBe(home.staffing ? 1 : 0);
      if (!home.staffing) expect(await page.locator('.home-stat-card').count(), home.user).toBe(0);
      expect(await page.getByText('将在下一版本提供').count(), home.user).toBe(0);
      expect(await hasHorizontalOverflow(page), home.user).toBe(false);
      await screenshot(page, `home-${home.user}-360`);
    }
  });

  it("shows an agency its organisation's referrals with the inbox's figures, one tap from the inbox", async () => {
    for (const viewport of [PHONE, DESKTOP]) {
      const page = await browser.freshPage(viewport);
      await signIn(page, 'agency-counselling');
      await page.getByTestId('home-inbox').waitFor();
      await settle(page);
      const figures = InboxSummary.parse((await api(page, 'GET', '/api/home/inbox')).json);
      for (const key of ['toAccept', 'overdue', 'accepted', 'inService'] as const) {
        expect(await page.getByTestId(`home-inbox-${key}`).locator('.ant-statistic-content-value').textContent(), key).toBe(String(figures[key]));
      }
      await screenshot(page, `home-agency-${viewport.width}`);
      if (viewport === DESKTOP) {
        expect(await menuEntries(page)).toEqual(['首页', '转介收件箱', '我的账号']);
        await page.getByTestId('home-inbox-link').click();
        await page.waitForURL('**/inbox');
      }
    }
  });

  it('shows a school contact how many pupils still wait for a visit this vacation, one tap from that list', async () => {
    for (const viewport of [PHONE, DESKTOP]) {
      const page = await browser.freshPage(viewport);
      await signIn(page, 'school-demo');
      await page.getByTestId('home-pupils').waitFor();
      await settle(page);
      const figures = PupilHome.parse((await api(page, 'GET', '/api/home/pupils')).json);
      expect(figures.pupils).toBeGreaterThan(0);
      expect(await page.getByTestId('home-pupils-notVisited').locator('.ant-statistic-content-value').textContent()).toBe(String(figures.notVisited));
      expect(await page.getByTestId('home-pupils-pupils').locator('.ant-statistic-content-value').textContent()).toBe(String(figures.pupils));
      expect(await page.getByTestId('home-pupils').getByTestId('vacation-label').textContent()).toContain(figures.vacation.from);
      await screenshot(page, `home-school-${viewport.width}`);
      if (viewport === DESKTOP) {
        expect(await menuEntries(page)).toEqual(['首页', '我的学生', '我的账号']);
        await page.getByTestId('home-pupils-notVisited').click();
        await page.waitForURL(/\/pupils\?notVisited=true/);
        await page.getByTestId('pupils-total').filter({ hasText: `共 ${figures.notVisited} 名学生` }).waitFor();
      }
    }
  });

  it('tells a volunteer what he will see and whom to contact, with no menu entry that leads nowhere', async () => {
    for (const viewport of [PHONE, DESKTOP]) {
      const page = await browser.freshPage(viewport);
      await signIn(page, 'volunteer-demo');
      const card = page.getByTestId('home-volunteer');
      await card.waitFor();
      const text = (await card.textContent()) ?? '';
      expect(text).toContain('结对');
      expect(text).toContain('怀化市青年志愿者协会');
      expect(text).toContain('儿童督导员');
      await settle(page);
      await screenshot(page, `home-volunteer-${viewport.width}`);
      if (viewport === DESKTOP) expect(await menuEntries(page)).toEqual(['首页', '我的账号']);
    }
  });
});
