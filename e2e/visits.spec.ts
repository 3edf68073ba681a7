import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ChildPage } from '../domain/children/schema.js';
import { PupilPage, VisitPage, VisitRecord } from '../domain/visits/schema.js';
import { phoneJpeg } from '../server/features/files/files.test-data.js';
import { api, hasHorizontalOverflow, screenshot, signIn, useBrowser } from './support/browser.js';
import { chinaDay, overdueNewChildren } from './support/children.js';

const DIRECTOR = 'director-431202001201';
const SUPERVISOR = 'supervisor-431202001000';
const SCHOOL = 'school-demo';
const PHONE = { width: 360, height: 740 };

async function chooseIn(page: Page, rowTestId: string, option: string): Promise<void> {
  await page.getByTestId(rowTestId).locator('.ant-radio-button-wrapper', { hasText: option }).click();
}

describe('visits (走访)', () => {
  const browser = useBrowser();
  /** The child the director visits, which the supervisor then looks at. */
  let visitedChildId: string | null = null;

  it('a director on a phone records a home visit with a photo of an overdue child; the child is no longer overdue, and the visit shows in the list and on the timeline', async () => {
    // A file of its own: other specs visit, correct and import files of this village (sorted first by name).
    const { page, children } = await overdueNewChildren(browser, 1, PHONE);
    const child = children[0]!;

    await page.goto(`${browser.baseURL}/children/${child.id}`);
    const card = page.getByTestId('schedule-card');
    await card.waitFor();
    await expect.poll(() => card.getByTestId('visit-state').getAttribute('data-state')).toBe('overdue');
    await expect(card.getByTestId('visit-state').textContent()).resolves.toMatch(/^逾期 \d+ 天$/);
    await screenshot(page, 'visit-child-overdue-director-360', { fullPage: false });

    await card.getByTestId('record-visit').click();
    await page.getByTestId('visit-form').waitFor();
    await expect(page.getByTestId('visit-form-title').textContent()).resolves.toBe(`记录走访：${child.name}`);
    // The defaults of a home visit: today, 入户走访, child seen, factors 未核实 — and no checklist item answered:
    // nothing reads 正常 unless somebody says so.
    await expect(page.locator('#visitDate').inputValue()).resolves.toBe(chinaDay());
    await expect(page.getByTestId('visit-kind').locator('.ant-radio-button-wrapper-checked').textContent()).resolves.toBe('入户走访');
    await expect(page.getByTestId('visit-seen').getAttribute('aria-checked')).resolves.toBe('true');
    await expect(page.getByTestId('visit-checklist').locator('.ant-radio-button-wrapper-checked').count()).resolves.toBe(0);
    await expect(page.getByTestId('visit-factors').locator('.ant-radio-button-wrapper-checked', { hasText: '未核实' }).count()).resolves.toBe(6);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'visit-form-empty-director-360', { fullPage: false });

    // A few taps: who was there, one concern with a note, one factor checked.
    await page.getByTestId('visit-present').getByText('（外）祖父母', { exact: true }).click();
    await chooseIn(page, 'visit-check-emotional_state', '关注');
    const note = page.getByTestId('visit-check-emotional_state').locator('textarea');
    await note.fill('想念外出务工的父母，晚上常哭');
    await chooseIn(page, 'visit-factor-living_alone', '否');
    await chooseIn(page, 'visit-factor-psych_concern', '是');
    await page.locator('#notes').fill('与奶奶同住，奶奶身体尚可。孩子成绩中等。');
    await page.getByTestId('visit-follow-ups').getByText('再次走访', { exact: true }).click();
    await page.getByTestId('visit-follow-up-revisit').fill('两周后电话回访');

    await page.getByTestId('visit-photos').locator('input[type=file]').setInputFiles({ name: 'visit.jpg', mimeType: 'image/jpeg', buffer: await phoneJpeg(1200, 1600) });
    const thumb = page.getByTestId('visit-photo').locator('img');
    await thumb.waitFor();
    await expect.poll(() => thumb.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);

    // A reload (a lost tab) keeps what was entered, the photo included, and the items not answered yet stay unanswered.
    await page.reload();
    await page.getByTestId('visit-draft-restored').waitFor();
    await expect(page.locator('#notes').inputValue()).resolves.toBe('与奶奶同住，奶奶身体尚可。孩子成绩中等。');
    await expect(page.getByTestId('visit-check-emotional_state').locator('textarea').inputValue()).resolves.toBe('想念外出务工的父母，晚上常哭');
    await expect(page.getByTestId('visit-photo').count()).resolves.toBe(1);
    await expect(page.getByTestId('visit-checklist').locator('.ant-radio-button-wrapper-checked').count()).resolves.toBe(1);

    // Saving with six items unanswered is refused, naming them; the visit is not sent.
    await page.getByTestId('visit-submit').click();
    await expect.poll(async () => (await page.getByTestId('visit-unanswered').textContent()) ?? '').toBe('逐项查看还有 6 项未作答：人身安全、居住条件、照护情况、就学情况、身体健康、生活需求');
    await expect(page.getByTestId('visit-check-error-safety').textContent()).resolves.toBe('请为“人身安全”选择正常、关注或严重');
    // With a concern chosen, 全部正常 is not offered: the rest is answered item by item.
    await expect(page.getByTestId('visit-all-fine').isDisabled()).resolves.toBe(true);
    expect(VisitPage.parse((await api(page, 'GET', `/api/children/${child.id}/visits`)).json).items.filter((v) => v.visitDate === chinaDay())).toHaveLength(0);
    for (const item of ['safety', 'living_conditions', 'carer_care', 'schooling', 'health', 'needs']) await chooseIn(page, `visit-check-${item}`, '正常');
    await expect(page.getByTestId('visit-check-error-safety').count()).resolves.toBe(0);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'visit-form-filled-director-360');
    // As the phone shows it: the checklist under the thumb, the save button at hand.
    await page.getByTestId('visit-check-emotional_state').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'visit-form-checklist-director-360', { fullPage: false });

    // The first save reaches the server, but its answer is lost on the way back (a weak signal in the hills).
    let lostAnswers = 0;
    await page.route(`**/api/children/${child.id}/visits`, async (route) => {
      if (route.request().method() !== 'POST' || lostAnswers > 0) return route.fallback();
      await route.fetch();
      lostAnswers++;
      await route.abort('connectionreset');
    });
    await page.getByTestId('visit-submit').click();
    // The visit goes to the outbox with its id, which sends it again at once: the server answers with the visit it already has.
    await page.getByTestId('visit-queued').waitFor();
    await page.waitForURL(`**/children/${child.id}`);
    expect(lostAnswers).toBe(1);
    await page.goto(`${browser.baseURL}/outbox`);
    const delivered = page.locator('[data-testid="outbox-item"][data-kind="visit"]').filter({ hasText: child.name });
    await expect.poll(() => delivered.getAttribute('data-status'), { timeout: 30_000 }).toBe('sent');
    // A serious psychological concern: the server suggests a referral, and the delivered item says so.
    await delivered.getByTestId('outbox-item-suggestions').getByText('转介至乡镇（街道）社会工作服务站', { exact: false }).waitFor();
    await screenshot(page, 'visit-suggestion-director-360', { fullPage: false });
    await delivered.getByTestId('outbox-dismiss').click();
    await page.goto(`${browser.baseURL}/children/${child.id}`);
    await page.unrouteAll();
    expect(VisitPage.parse((await api(page, 'GET', `/api/children/${child.id}/visits`)).json).items.filter((v) => v.visitDate === chinaDay())).toHaveLength(1);
    await expect.poll(() => page.getByTestId('schedule-last-visit').textContent()).toBe(chinaDay());
    await expect.poll(() => page.getByTestId('schedule-card').getByTestId('visit-state').getAttribute('data-state')).not.toBe('overdue');
    await screenshot(page, 'visit-child-after-director-360', { fullPage: false });

    // The visits tab lists it; its drawer shows the photo and offers the author's correction.
    await page.getByRole('tab', { name: '走访' }).click();
    const row = page.getByTestId('visit-row').first();
    await expect(row.textContent()).resolves.toContain(chinaDay());
    await expect(row.textContent()).resolves.toContain('情绪心理');
    await row.click();
    const drawer = page.getByTestId('visit-detail');
    await drawer.waitFor();
    const photo = drawer.getByTestId('visit-detail-photos').locator('img').first();
    await expect.poll(() => photo.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await screenshot(page, 'visit-detail-director-360', { fullPage: false });

    // Its author may still correct it today: the same form, filled in, no reason asked.
    await page.getByTestId('visit-correct').click();
    await page.getByTestId('visit-form').waitFor();
    await expect(page.locator('#notes').inputValue()).resolves.toBe('与奶奶同住，奶奶身体尚可。孩子成绩中等。');
    await expect(page.getByTestId('visit-reason').count()).resolves.toBe(0);
    await page.locator('#notes').fill('与奶奶同住，奶奶身体尚可。孩子成绩中等，数学较弱。');
    await page.getByTestId('visit-submit').click();
    await page.getByText('更正已保存').waitFor();
    await page.waitForURL(`**/children/${child.id}?tab=visits`);
    await expect.poll(async () => (await page.getByTestId('visit-row').first().textContent()) ?? '').toContain('已更正');
    visitedChildId = child.id;

    // The timeline holds it, with the older visit and the file's registration.
    await page.getByRole('tab', { name: '时间线' }).click();
    await page.locator('[data-testid="timeline-item"][data-kind="visit"]', { hasText: chinaDay() }).first().waitFor();
    await page.locator('[data-testid="timeline-item"][data-kind="registration"]').first().waitFor();
    await screenshot(page, 'visit-timeline-director-360', { fullPage: false });
  });

  it('a quiet visit saved without touching the checklist is refused with the items named; the 全部正常 tap then saves it, recorded as such', async () => {
    for (const [size, suffix] of [[PHONE, '360'], [{ width: 1366, height: 900 }, '1366']] as const) {
      const page = await browser.freshPage(size);
      await signIn(page, DIRECTOR);
      const children = ChildPage.parse((await api(page, 'GET', '/api/children?status=active&pageSize=20&sort=-name')).json).items;
      const child = children[suffix === '360' ? 0 : 1]!;
      await page.goto(`${browser.baseURL}/children/${child.id}/visits/new`);
      await page.getByTestId('visit-form').waitFor();
      await page.getByTestId('visit-submit').click();
      await expect.poll(async () => (await page.getByTestId('visit-unanswered').textContent()) ?? '').toBe('逐项查看还有 7 项未作答：人身安全、居住条件、照护情况、就学情况、身体健康、情绪心理、生活需求');
      await expect(page.getByTestId('visit-checklist').locator('[role="alert"]').count()).resolves.toBe(7);
      expect(await hasHorizontalOverflow(page)).toBe(false);
      await page.getByTestId('visit-checklist').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await screenshot(page, `visit-form-unanswered-director-${suffix}`, { fullPage: false });
      expect(VisitPage.parse((await api(page, 'GET', `/api/children/${child.id}/visits`)).json).items.filter((v) => v.visitDate === chinaDay() && v.checklistAllFine)).toHaveLength(0);

      // One deliberate tap answers all seven.
      await page.getByTestId('visit-all-fine').click();
      await expect(page.getByTestId('visit-checklist').locator('.ant-radio-button-wrapper-checked', { hasText: '正常' }).count()).resolves.toBe(7);
      await expect(page.getByTestId('visit-checklist').locator('[role="alert"]').count()).resolves.toBe(0);
      await expect(page.getByTestId('visit-checklist-help').textContent()).resolves.toContain('全部正常（一键）');
      expect(await hasHorizontalOverflow(page)).toBe(false);
      await screenshot(page, `visit-form-all-fine-director-${suffix}`, { fullPage: false });
      await page.getByTestId('visit-submit').click();
      await page.getByText('走访记录已保存').waitFor();
      await page.waitForURL(`**/children/${child.id}`);

      // The visit says how its checklist was answered.
      const saved = VisitPage.parse((await api(page, 'GET', `/api/children/${child.id}/visits`)).json).items[0]!;
      expect(saved).toMatchObject({ visitDate: chinaDay(), checklistAllFine: true });
      await page.goto(`${browser.baseURL}/children/${child.id}?tab=visits&visit=${saved.id}`);
      const allFine = page.getByTestId('visit-detail').getByTestId('visit-detail-all-fine');
      await expect(allFine.textContent()).resolves.toBe('全部正常（一键）');
      await screenshot(page, `visit-detail-all-fine-director-${suffix}`, { fullPage: false });
    }
  });

  it('a supervisor sets the risk level of that child by hand, with a reason; its schedule follows', async () => {
    expect(visitedChildId).not.toBeNull();
    const page = await browser.freshPage(PHONE);
    await signIn(page, SUPERVISOR);
    await page.goto(`${browser.baseURL}/children/${visitedChildId}`);
    const card = page.getByTestId('schedule-card');
    await card.waitFor();
    await card.getByTestId('risk-override').click();
    await page.getByTestId('risk-override-level').locator('.ant-radio-button-wrapper', { hasText: '高' }).click();
    await page.locator('#reason').fill('祖母近期住院，孩子暂由邻居照看');
    await screenshot(page, 'visit-risk-override-supervisor-360', { fullPage: false });
    await page.locator('.ant-modal-footer').getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('风险等级已更新').waitFor();
    await page.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });
    await expect.poll(async () => (await card.textContent()) ?? '').toContain('已人工调整为“高”');
    await expect.poll(async () => (await card.textContent()) ?? '').toContain('每 30 天至少走访一次');
    await screenshot(page, 'visit-risk-overridden-supervisor-360', { fullPage: false });

    // Someone else's visit: the supervisor may correct it, with a reason.
    await page.getByRole('tab', { name: '走访' }).click();
    await page.getByTestId('visit-row').first().click();
    await page.getByTestId('visit-correct').click();
    await page.getByTestId('visit-form').waitFor();
    await page.getByTestId('visit-reason').waitFor();
    await page.getByTestId('visit-submit').click();
    await page.getByText('请填写更正原因（至少 2 个字）').waitFor();
    await page.locator('#reason').fill('走访人口头补充：孩子已接受心理辅导');
    await page.getByTestId('visit-submit').click();
    await page.getByText('更正已保存').waitFor();
    await page.waitForURL(`**/children/${visitedChildId}?tab=visits`);
  });

  it('a school contact records a vacation home visit of a pupil, with the dropout risk', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, SCHOOL);
    await page.goto(`${browser.baseURL}/pupils`);
    await page.getByTestId('pupil-row').first().waitFor();
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'pupils-school-360', { fullPage: false });

    const first = PupilPage.parse((await api(page, 'GET', '/api/pupils?pageSize=20')).json).items[0]!;
    await page.getByTestId('pupil-row').first().getByTestId('pupil-visit').click();
    await page.getByTestId('visit-form').waitFor();
    await expect(page.getByTestId('visit-form-title').textContent()).resolves.toBe(`寒暑假家访：${first.name}`);
    await expect(page.getByTestId('visit-kind').locator('.ant-radio-button-wrapper-checked').textContent()).resolves.toBe('寒暑假家访');
    // The teacher's checklist is short, and asks neither risk factors nor photos.
    await expect(page.getByTestId('visit-checklist').locator('[data-testid^="visit-check-"]').count()).resolves.toBe(4);
    await expect(page.getByTestId('visit-factors').count()).resolves.toBe(0);
    await page.getByTestId('visit-dropout').click();
    for (const item of ['emotional_state', 'safety', 'needs']) await chooseIn(page, `visit-check-${item}`, '正常');
    await chooseIn(page, 'visit-check-schooling', '关注');
    await page.getByTestId('visit-check-schooling').locator('textarea').fill('寒假后不想返校，想随父母外出');
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'visit-form-school-360');

    await page.getByTestId('visit-submit').click();
    await page.getByText('走访记录已保存').waitFor();
    await page.waitForURL('**/pupils');
    const visited = page.getByTestId('pupil-row').filter({ hasText: first.name }).first();
    await expect.poll(async () => (await visited.textContent()) ?? '').toContain(`上次家访：${chinaDay()}`);

    // Within 24 hours the teacher corrects his own visit (修改): the form opens with what he saved.
    const edit = visited.getByTestId('pupil-visit-correct');
    await edit.waitFor();
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'pupils-correct-school-360', { fullPage: false });
    await edit.click();
    await page.getByTestId('visit-form').waitFor();
    await expect(page.getByTestId('visit-form-title').textContent()).resolves.toBe(`修改寒暑假家访：${first.name}`);
    await expect(page.getByTestId('visit-checklist').locator('[data-testid^="visit-check-"]').count()).resolves.toBe(4);
    await expect(page.getByTestId('visit-dropout').getAttribute('aria-checked')).resolves.toBe('true');
    const note = page.getByTestId('visit-check-schooling').locator('textarea');
    await expect(note.inputValue()).resolves.toBe('寒假后不想返校，想随父母外出');
    await note.fill('已与家长沟通，开学按时返校');
    await page.getByTestId('visit-dropout').click();
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await page.getByTestId('visit-submit').click();
    await page.getByText('更正已保存').waitFor();
    await page.waitForURL('**/pupils');

    // The change is there: the form opens again with it, and the visit answers only what the teacher was asked.
    const row = PupilPage.parse((await api(page, 'GET', `/api/pupils?pageSize=20&q=${encodeURIComponent(first.name)}`)).json).items.find((p) => p.id === first.id)!;
    const saved = VisitRecord.parse((await api(page, 'GET', `/api/pupils/visits/${row.correctableVisit!.id}`)).json);
    expect(saved).toMatchObject({ version: 2, dropoutRisk: false, corrected: true, checklist: { schooling: { rating: 'concern', note: '已与家长沟通，开学按时返校' } } });
    expect(Object.keys(saved.checklist).sort()).toEqual(['emotional_state', 'needs', 'safety', 'schooling']);
    await page.getByTestId('pupil-row').filter({ hasText: first.name }).first().getByTestId('pupil-visit-correct').click();
    await page.getByTestId('visit-form').waitFor();
    await expect(page.getByTestId('visit-check-schooling').locator('textarea').inputValue()).resolves.toBe('已与家长沟通，开学按时返校');
    await expect(page.getByTestId('visit-dropout').getAttribute('aria-checked')).resolves.toBe('false');

    // Changed meanwhile elsewhere (another tab): saving this page's older version is refused, said so, and the latest is loaded.
    const { id: _id, childId: _c, childName: _n, region: _r, visitor: _v, photos: _p, dueDate: _d, onTime: _o, createdAt: _ca, updatedAt: _u, version, corrected: _co, correction: _cr, campaignTaskId: _t, ...content } = saved;
    const elsewhere = await api(page, 'PUT', `/api/pupils/visits/${saved.id}`, { ...content, notes: '另一处的更正', photoIds: [], version });
    expect(elsewhere.status).toBe(200);
    await page.getByTestId('visit-check-schooling').locator('textarea').fill('这一页上的旧内容');
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('visit-conflict').waitFor();
    await page.locator('.ant-modal-confirm-btns').getByRole('button', { name: '载入最新内容' }).click();
    await expect.poll(() => page.locator('#notes').inputValue()).toBe('另一处的更正');
    await expect(page.getByTestId('visit-check-schooling').locator('textarea').inputValue()).resolves.toBe('已与家长沟通，开学按时返校');
  });
});
