import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ChildPage } from '../domain/children/schema.js';
import { InboxPage, ReferralOrganisations, ReferralRecord } from '../domain/referrals/schema.js';
import { phoneJpeg } from '../server/features/files/files.test-data.js';
import { scanPdf } from '../server/features/referrals/referrals.test-data.js';
import { api, hasHorizontalOverflow, screenshot, signIn, useBrowser } from './support/browser.js';

const DIRECTOR = 'director-431202001201';
const AGENCY = 'agency-counselling';
const PHONE = { width: 360, height: 740 };

async function settle(page: Page): Promise<void> {
  await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
  await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
}

/** Confirms an inbox action in its modal, with the text it asks for. */
async function act(page: Page, action: 'accept' | 'start' | 'complete', text?: string): Promise<void> {
  await page.getByTestId(`inbox-${action}`).click();
  if (text !== undefined) await page.getByTestId(`inbox-${action}-text`).fill(text);
  await page.getByTestId(`inbox-${action}-ok`).click();
  await page.getByTestId(`inbox-${action}`).waitFor({ state: 'detached' });
}

describe('referrals (转介) and the agency inbox', () => {
  const browser = useBrowser();
  const sent = { id: '', childId: '', childName: '' };

  it('a director on a phone refers a child from its page to the counselling organisation', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    const child = ChildPage.parse((await api(page, 'GET', '/api/children?status=active&pageSize=20&sort=name')).json).items[5]!;
    sent.childId = child.id;
    sent.childName = child.name;
    const choices = ReferralOrganisations.parse((await api(page, 'GET', `/api/children/${child.id}/referral-organisations`)).json).items;
    const counselling = choices.find((o) => o.kind === 'counselling');
    expect(counselling, JSON.stringify(choices)).toBeTruthy();

    await page.goto(`${browser.baseURL}/children/${child.id}`);
    await page.getByTestId('raise-referral').click();
    await page.getByTestId('referral-form').waitFor();
    await page.locator('.referral-form-page .ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: counselling!.name }).first().click();
    await page.getByTestId('referral-reason').fill('走访发现孩子情绪低落、有自伤言语，请做心理评估与辅导');
    await page.locator('.referral-urgency label', { hasText: '紧急' }).first().click();
    expect(await page.locator('.referral-form-page').textContent()).toContain('72 小时');
    await page.getByTestId('referral-share-contacts').click();
    // A scanned school letter goes along with the referral.
    await page.locator('.referral-form-page input[type=file]').setInputFiles({ name: '学校情况说明.pdf', mimeType: 'application/pdf', buffer: scanPdf() });
    await page.locator('.referral-form-page .ant-upload-list-item', { hasText: '学校情况说明.pdf' }).waitFor();
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await settle(page);
    await screenshot(page, 'referral-form-phone');
    await page.getByTestId('referral-submit').click();

    await page.getByTestId('referral-facts').waitFor();
    await settle(page);
    expect(await page.getByTestId('referral-state').textContent()).toBe('已发送');
    await page.getByTestId('referral-attachments').filter({ hasText: '学校情况说明.pdf' }).waitFor();
    // Later, while it is open, a photo of the child's drawing (sent as PNG, kept as JPEG).
    await page.locator('.referral-page input[type=file]').setInputFiles({ name: '绘画.png', mimeType: 'image/png', buffer: await phoneJpeg(800, 600) });
    await page.getByTestId('referral-attachments').filter({ hasText: '绘画.jpg' }).waitFor();
    expect(await page.getByTestId('referral-attachment').count()).toBe(2);
    await settle(page);
    await screenshot(page, 'referral-attachments-director-phone');
    sent.id = page.url().split('/referrals/')[1]!;
    const record = ReferralRecord.parse((await api(page, 'GET', `/api/referrals/${sent.id}`)).json);
    expect(record.organisation.id).toBe(counselling!.id);
    expect(record.urgency).toBe('urgent');
    expect(record.shareContacts).toBe(true);
    expect(await hasHorizontalOverflow(page)).toBe(false);
  });

  it('the counselling user accepts, starts and completes it, and never reaches the child file', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, AGENCY);
    // No child-file entries anywhere for an agency user: the home shortcuts follow the permissions.
    expect(await page.locator('a[href^="/children"]').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('儿童档案');

    await page.goto(`${browser.baseURL}/inbox`);
    const row = page.locator('[data-testid="inbox-table"] [data-testid="record-row"]', { hasText: sent.childName });
    await row.first().waitFor();
    await settle(page);
    await screenshot(page, 'referral-inbox-phone');
    expect(InboxPage.parse((await api(page, 'GET', '/api/inbox/referrals')).json).items.some((r) => r.id === sent.id)).toBe(true);

    await page.goto(`${browser.baseURL}/inbox/${sent.id}`);
    await page.getByTestId('inbox-child').waitFor();
    expect(await page.getByTestId('inbox-child').textContent()).toContain(sent.childName);
    // The referral-scoped view never links to the child file.
    expect(await page.locator('.inbox-referral-page a[href*="/children/"]').count()).toBe(0);
    expect(await page.getByTestId('inbox-state').textContent()).toBe('已发送');
    // The sender's attachments, downloaded through the inbox.
    const attachments = page.getByTestId('inbox-attachments');
    await attachments.filter({ hasText: '学校情况说明.pdf' }).waitFor();
    expect(await attachments.textContent()).toContain('绘画.jpg');
    const download = page.waitForEvent('download');
    await attachments.getByRole('button', { name: /学校情况说明\.pdf/ }).click();
    expect((await download).suggestedFilename()).toBe('学校情况说明.pdf');
    await settle(page);
    await screenshot(page, 'referral-inbox-detail-phone');

    await act(page, 'accept');
    await page.getByTestId('inbox-state').filter({ hasText: '已接收' }).waitFor();
    await act(page, 'start');
    await page.getByTestId('inbox-state').filter({ hasText: '服务中' }).waitFor();
    // Complete without feedback is refused by the form; with it, the service ends.
    await page.getByTestId('inbox-complete').click();
    await page.getByTestId('inbox-complete-ok').click();
    await page.locator('.ant-modal .ant-form-item-explain-error').waitFor();
    await page.getByTestId('inbox-complete-text').fill('已完成 4 次心理辅导，情绪明显好转，建议村主任每月回访');
    await page.getByTestId('inbox-complete-ok').click();
    await page.getByTestId('inbox-state').filter({ hasText: '已完成' }).waitFor();
    await page.getByTestId('inbox-read-only').waitFor();
    expect(await page.getByTestId('inbox-child').count()).toBe(0);
    // With the child view, the attachments are gone.
    expect(await page.getByTestId('inbox-attachments').count()).toBe(0);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await settle(page);
    await screenshot(page, 'referral-inbox-completed-phone');

    // The full child file is out of reach.
    await page.goto(`${browser.baseURL}/children/${sent.childId}`);
    await page.locator('.ant-result-403, .ant-result-404').first().waitFor();
    expect((await api(page, 'GET', `/api/children/${sent.childId}`)).status).toBe(404);

    await page.goto(`${browser.baseURL}/inbox?view=finished`);
    await page.locator('[data-testid="inbox-table"] [data-testid="record-row"]', { hasText: sent.childName }).first().waitFor();
  });

  it('the director sees the referral completed, with the feedback', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    await page.goto(`${browser.baseURL}/referrals?state=completed`);
    await page.locator('[data-testid="referrals-table"] [data-testid="record-row"]', { hasText: sent.childName }).first().waitFor();
    await page.goto(`${browser.baseURL}/referrals/${sent.id}`);
    await page.getByTestId('referral-facts').waitFor();
    expect(await page.getByTestId('referral-state').textContent()).toBe('已完成');
    expect(await page.getByTestId('referral-feedback').textContent()).toContain('4 次心理辅导');
    expect(await page.getByTestId('referral-withdraw').count()).toBe(0);
    await settle(page);
    await screenshot(page, 'referral-completed-director-phone');

    // On the child's timeline: the referral with its state, opening the referral.
    await page.goto(`${browser.baseURL}/children/${sent.childId}?tab=timeline`);
    const item = page.locator('[data-testid="timeline-item"][data-kind="referral"]').first();
    await item.waitFor();
    expect(await item.textContent()).toContain('已完成');
    await item.getByTestId('timeline-open-referral').click();
    await page.getByTestId('referral-facts').waitFor();
  });

  it('a visit with a serious psychological concern offers the referral to the township social-work station, preselected', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    const child = ChildPage.parse((await api(page, 'GET', '/api/children?status=active&pageSize=20&sort=name')).json).items[6]!;
    await page.goto(`${browser.baseURL}/children/${child.id}/visits/new`);
    await page.getByTestId('visit-factor-psych_concern').locator('.ant-radio-button-wrapper', { hasText: '是' }).click();
    await page.getByTestId('visit-all-fine').click();
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('visit-suggestions').waitFor();
    const offer = page.getByTestId('visit-raise-referral');
    expect(await offer.textContent()).toMatch(/^转介到.+/);
    await offer.click();
    await page.getByTestId('referral-form').waitFor();
    expect(page.url()).toContain('visitId=');
    expect(page.url()).toContain('organisationId=');
    const station = new URL(page.url()).searchParams.get('organisationId')!;
    await page.getByTestId('referral-reason').fill('走访发现严重心理问题，请社工站跟进');
    await page.getByTestId('referral-submit').click();
    await page.getByTestId('referral-facts').waitFor();
    const record = ReferralRecord.parse((await api(page, 'GET', `/api/referrals/${page.url().split('/referrals/')[1]!}`)).json);
    expect(record.organisation.id).toBe(station);
    expect(record.organisation.kind).toBe('social_work_station');
    expect(record.visitId).toBeTruthy();
  });

  it('the police organisation declines a referral with a reason; the director withdraws another', async () => {
    // One page at a time (freshPage closes the one before).
    let director = await browser.freshPage(PHONE);
    await signIn(director, DIRECTOR);
    const children = ChildPage.parse((await api(director, 'GET', '/api/children?status=active&pageSize=20&sort=name')).json).items;
    const child = children[7]!;
    const police = ReferralOrganisations.parse((await api(director, 'GET', `/api/children/${child.id}/referral-organisations`)).json).items.find((o) => o.kind === 'police');
    expect(police).toBeTruthy();
    const send = async () => {
      const res = await api(director, 'POST', `/api/children/${child.id}/referrals`, { toOrganisationId: police!.id, reason: '疑似遭受家庭暴力，请公安核查', urgency: 'emergency' });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      return ReferralRecord.parse(res.json).id;
    };
    const declined = await send();
    const withdrawn = await send();

    let agency = await browser.freshPage(PHONE);
    await signIn(agency, 'agency-police');
    await agency.goto(`${browser.baseURL}/inbox/${declined}`);
    await agency.getByTestId('inbox-child').waitFor();
    // Contacts were not shared: none shown.
    expect(await agency.getByTestId('inbox-contacts').count()).toBe(0);
    await agency.getByTestId('inbox-decline').click();
    await agency.getByTestId('inbox-decline-ok').click();
    await agency.locator('.ant-modal .ant-form-item-explain-error').waitFor();
    await agency.getByTestId('inbox-decline-text').fill('不属于本所辖区，请转辖区派出所');
    await agency.getByTestId('inbox-decline-ok').click();
    await agency.getByTestId('inbox-state').filter({ hasText: '已拒绝' }).waitFor();
    expect(await agency.getByTestId('inbox-child').count()).toBe(0);

    director = await browser.freshPage(PHONE);
    await signIn(director, DIRECTOR);
    await director.goto(`${browser.baseURL}/referrals/${declined}`);
    await director.getByTestId('referral-decline-reason').filter({ hasText: '不属于本所辖区' }).waitFor();
    expect(await director.getByTestId('referral-state').textContent()).toBe('已拒绝');
    expect(await director.getByTestId('referral-withdraw').count()).toBe(0);

    await director.goto(`${browser.baseURL}/referrals/${withdrawn}`);
    await director.getByTestId('referral-withdraw').click();
    await director.getByTestId('referral-withdraw-ok').click();
    await director.getByTestId('referral-state').filter({ hasText: '已撤回' }).waitFor();
    expect(await director.getByTestId('referral-withdraw').count()).toBe(0);
    agency = await browser.freshPage(PHONE);
    await signIn(agency, 'agency-police');
    await agency.goto(`${browser.baseURL}/inbox/${withdrawn}`);
    await agency.getByTestId('inbox-read-only').waitFor();
    expect(await agency.getByTestId('inbox-child').count()).toBe(0);
  });
});
