import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { computeCheckCharacter } from '../domain/children/id-number.js';
import { hasHorizontalOverflow, useBrowser, screenshot, signIn } from './support/browser.js';

const DIRECTOR = 'director-431202001201';
const SUPERVISOR = 'supervisor-431202001000';
const COUNTY = 'county-431202';
/** A director of a village of 中方县: the 鹤城区 child is outside his county. */
const OTHER_COUNTY_DIRECTOR = 'director-431221001201';
const PHONE = { width: 360, height: 740 };

// A girl born 2015-03-10 in 鹤城区 (even 17th digit = female), with a valid check character.
// The demo seed holds thousands of children: the name and sequence number are chosen to be rare.
const FIRST17 = '43120220150310988';
const ID_NUMBER = FIRST17 + computeCheckCharacter(FIRST17);
const NAME = '滕雨萱';
const TWIN = '滕雨轩';

/** Picks `option` in the antd Select whose input has id `fieldId`, and waits until it shows as chosen. */
async function pickOption(page: Page, fieldId: string, option: string): Promise<void> {
  const select = page.locator('.ant-select').filter({ has: page.locator(`#${fieldId}`) });
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').filter({ has: page.locator(`#${fieldId}_list`) });
  for (let attempt = 1; ; attempt++) {
    await select.click();
    try {
      await dropdown.locator('.ant-select-item-option', { hasText: option }).first().click({ timeout: 5_000 });
      await select.locator('.ant-select-selection-item', { hasText: option }).waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      // A click while the page still scrolls or the dropdown animates can miss, or close it again: retry.
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Fills the registration form with the same child each time: both parents away, living with a grandparent;
 * the father since 2024, the mother's date unknown ("more than six months, date unknown", chosen on purpose);
 * linked to the township's school (`linkSchool`, where the demo has one).
 * `refusedFirst`: saving with the mother's date blank is tried first, and refused on the field.
 */
async function fillRegistration(page: Page, { linkSchool = true, refusedFirst = false } = {}): Promise<void> {
  await page.locator('#name').fill(NAME);
  await page.locator('#idNumber').fill(ID_NUMBER);
  // The ID number fills in the birth date and sex it encodes.
  await expect.poll(() => page.locator('#birthDate').inputValue()).toBe('2015-03-10');
  await pickOption(page, 'father_status', '外出务工');
  await page.locator('#father_since').fill('2024-01-01');
  await page.locator('#father_since').press('Enter');
  await page.locator('#father_workProvince').fill('广东省');
  await pickOption(page, 'mother_status', '外出务工');
  if (refusedFirst) {
    await page.getByTestId('child-submit').click();
    await page.getByTestId('section-mother').getByText('请填写离家日期（年月即可），或选择“离家超过六个月，具体日期不详”').waitFor();
  }
  await page.getByTestId('mother-since-mode').getByText('离家超过六个月，具体日期不详', { exact: true }).click();
  await page.getByTestId('mother-since-unknown').waitFor();
  await pickOption(page, 'caregiver_kind', '（外）祖父母');
  await page.locator('#caregiver_capacity').getByText('一般').click();
  await page.locator('#caregiver_phone').fill('13900001111');
  await pickOption(page, 'schooling_status', '在校');
  if (!linkSchool) return;
  // Linked to the township's school: its contact then sees her among his pupils.
  await pickOption(page, 'schooling_schoolOrgId', '学校');
  await expect.poll(() => page.locator('#schooling_school').inputValue()).toMatch(/学校$/);
}

/** Waits until the dialog's transitions are over (a spinner's endless turn does not count). */
async function stillness(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.effect?.getComputedTiming().endTime === Infinity));
}

async function openMenuItem(page: Page, label: string): Promise<void> {
  await page.getByTestId('menu-button').click();
  await page.getByTestId('nav-menu').getByText(label, { exact: true }).click();
}

describe('child file (一人一档)', () => {
  const browser = useBrowser();
  let childUrl = '';

  it('a director registers a child on a phone and sees it awaiting review', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    await openMenuItem(page, '儿童档案');
    await page.getByTestId('children-list').waitFor();
    await page.getByTestId('child-row').first().waitFor();
    await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
    // The loading veil fades out (0.3 s): let it go before the screenshot.
    await page.waitForTimeout(500);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'children-list-director-360', { fullPage: false });

    await page.getByTestId('register-child').click();
    await page.getByTestId('child-form').waitFor();
    // A director registers in his own village: no village picker.
    await expect(page.getByTestId('child-village').textContent()).resolves.toBeTruthy();
    await fillRegistration(page, { refusedFirst: true });
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await page.getByTestId('section-mother').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'child-form-mother-date-unknown-director-360', { fullPage: false });
    await screenshot(page, 'child-form-director-360');

    await page.getByTestId('child-submit').click();
    await page.waitForURL((url) => /^\/children\/[^/]+$/.test(url.pathname) && url.pathname !== '/children/new');
    childUrl = new URL(page.url()).pathname;
    await expect(page.getByTestId('child-name').textContent()).resolves.toBe(NAME);
    await expect(page.getByTestId('child-status').first().textContent()).resolves.toBe('待审核');
    // Masked in the page, as in lists: the region and the check character only (the birth date is shown beside it).
    await expect(page.getByTestId('child-id-number').textContent()).resolves.toBe(`431202***********${ID_NUMBER.slice(17)}`);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'child-page-director-360');

    // Counted as left-behind, and the reason says how the mother's absence is known.
    await expect(page.locator('.child-header').textContent()).resolves.toContain('留守');
    await page.getByRole('tab', { name: '类别' }).click();
    const categories = page.getByTestId('child-categories');
    await categories.getByText('父母双方外出务工', { exact: false }).waitFor();
    await categories.getByText(/母亲外出务工，具体日期不详，据 .+ 登记已离家超过六个月/).waitFor();
    await categories.getByText('父亲自 2024-01-01 起外出务工', { exact: false }).waitFor();
    await page.getByRole('tab', { name: '家庭' }).click();
    await page.getByTestId('mother-since-unknown').getByText('离家超过六个月，具体日期不详', { exact: false }).waitFor();
    await page.getByRole('tab', { name: '类别' }).click();
    await screenshot(page, 'child-categories-director-360');
  });

  it('the township supervisor sees it waiting and approves it', async () => {
    const page = await browser.freshPage();
    await signIn(page, SUPERVISOR);
    const pending = page.getByTestId('home-children-pending');
    await expect.poll(async () => Number((await pending.locator('.ant-statistic-content-value').textContent()) ?? 0)).toBeGreaterThanOrEqual(1);

    await page.getByTestId('nav-menu').getByText('待审核', { exact: true }).click();
    // Many registrations wait (demo data), oldest first: search for this one.
    await page.locator('.filter-search input').fill(NAME);
    await page.locator('.filter-search input').press('Enter');
    const row = page.getByTestId('review-table').locator('tr.ant-table-row', { hasText: NAME });
    await row.waitFor();
    await screenshot(page, 'child-review-supervisor');
    await page.getByTestId('nav-menu').getByText('首页', { exact: true }).click();
    await page.getByTestId('home-children').waitFor();
    await screenshot(page, 'home-children-supervisor');
    await page.goBack();
    await row.waitFor();
    await row.getByTestId('child-approve').click();
    // The approval dialog shows what the rules derive, with the reasons: 留守, the mother's date stated unknown.
    const facts = page.getByTestId('approval-facts');
    await expect.poll(async () => (await facts.getByTestId('category-summary-leftBehind').textContent()) ?? '').toContain('属于');
    await facts.getByText(/母亲外出务工，具体日期不详，据 .+ 登记已离家超过六个月/).waitFor();
    await expect(facts.getByTestId('missing-facts').count()).resolves.toBe(0);
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.waitForTimeout(300);
    await screenshot(page, 'child-approve-dialog-supervisor-1366', { fullPage: false });
    // The same dialog on a phone's width.
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300);
    await screenshot(page, 'child-approve-dialog-supervisor-360', { fullPage: false });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('decision-comment').fill('信息核实无误');
    await page.getByTestId('decision-ok').click();
    await row.waitFor({ state: 'detached' });

    await page.getByTestId('nav-menu').getByText('儿童档案', { exact: true }).click();
    const listed = page.getByTestId('children-table').locator('tr.ant-table-row', { hasText: NAME });
    await listed.waitFor();
    await expect(listed.textContent()).resolves.toContain('在册');
    await expect(listed.textContent()).resolves.toContain('留守');
    await screenshot(page, 'children-list-supervisor');

    // The search finds the child by the full ID number.
    await page.locator('.filter-search input').fill(ID_NUMBER);
    await page.locator('.filter-search input').press('Enter');
    await page.waitForURL(/q=/);
    await expect.poll(() => page.getByTestId('children-table').locator('tr.ant-table-row').count()).toBe(1);

    await listed.getByTestId('child-link').click();
    await expect(page.getByTestId('child-status').first().textContent()).resolves.toBe('在册');
    await page.getByTestId('review-comment').getByText('信息核实无误').waitFor();
    await page.getByRole('tab', { name: '家庭' }).click();
    await page.getByText('138****').first().waitFor({ state: 'attached' }).catch(() => undefined);
    await screenshot(page, 'child-family-supervisor');
    await page.getByRole('tab', { name: '变更记录' }).click();
    await page.getByTestId('child-history').getByText('审核通过').waitFor();
    await screenshot(page, 'child-history-supervisor');
  });

  it('the school contact finds the approved pupil the director linked to his school', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, 'school-demo');
    await openMenuItem(page, '我的学生');
    const search = page.locator('input[data-testid="pupils-search"], [data-testid="pupils-search"] input').first();
    await search.fill(NAME);
    await search.press('Enter');
    await page.getByTestId('pupil-row').filter({ hasText: NAME }).waitFor();
    await expect.poll(() => page.getByTestId('pupil-row').count()).toBe(1);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'pupils-linked-by-director-360', { fullPage: false });
  });

  it('warns the director of a duplicate when the same child is registered again', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    await page.goto(`${browser.baseURL}/children/new`);
    await page.getByTestId('child-form').waitFor();
    await fillRegistration(page);
    await page.getByTestId('child-submit').click();

    const modal = page.getByTestId('duplicate-modal');
    await modal.waitFor();
    const candidate = modal.getByTestId('duplicate-candidate').first();
    await expect(candidate.textContent()).resolves.toContain(NAME);
    await expect(candidate.textContent()).resolves.toContain('身份证号相同');
    await expect(candidate.getByTestId('duplicate-open').getAttribute('href')).resolves.toBe(childUrl);
    // One ID number, one file (issue 12 §1): only to open the file, no "not the same child, continue".
    await modal.getByTestId('duplicate-same-id').waitFor();
    await expect(page.getByTestId('duplicate-continue').count()).resolves.toBe(0);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await stillness(page);
    await screenshot(page, 'child-duplicate-director-360', { fullPage: false });
    await page.setViewportSize({ width: 1366, height: 768 });
    await stillness(page);
    await screenshot(page, 'child-duplicate-same-id-director-1366', { fullPage: false });
    await page.setViewportSize(PHONE);

    // Cancel: nothing saved, the form keeps what was typed.
    await page.getByTestId('duplicate-cancel').click();
    await modal.waitFor({ state: 'detached' });
    await expect(page.locator('#name').inputValue()).resolves.toBe(NAME);

    // A twin sister without an ID number: same birth date, a name that sounds the same. Saved with a reason.
    await page.locator('#name').fill(TWIN);
    await page.locator('#idNumber').fill('');
    await page.getByTestId('child-submit').click();
    await modal.waitFor();
    await expect(modal.getByTestId('duplicate-candidate').first().textContent()).resolves.toContain('姓名相近、出生日期相同');
    await page.getByTestId('duplicate-continue').click();
    await page.getByTestId('duplicate-confirm').click();
    await modal.getByText('请说明理由').waitFor();
    await page.getByTestId('duplicate-reason').fill('双胞胎姐妹，已入户核实');
    await page.getByTestId('duplicate-confirm').click();
    await page.waitForURL((url) => /^\/children\/[^/]+$/.test(url.pathname) && url.pathname !== '/children/new' && url.pathname !== childUrl);
    await expect(page.getByTestId('child-name').textContent()).resolves.toBe(TWIN);
    await page.getByRole('tab', { name: '变更记录' }).click();
    await page.getByTestId('child-history').getByText('双胞胎姐妹，已入户核实', { exact: false }).waitFor();
  });

  it('tells a director of another county only that the number has a file elsewhere, and whom to ask', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, OTHER_COUNTY_DIRECTOR);
    await page.goto(`${browser.baseURL}/children/new`);
    await page.getByTestId('child-form').waitFor();
    await fillRegistration(page, { linkSchool: false });
    await page.getByTestId('child-submit').click();

    const modal = page.getByTestId('duplicate-modal');
    await modal.waitFor();
    await expect(modal.getByTestId('duplicate-elsewhere').textContent()).resolves.toContain('中方县民政局核实');
    // Nothing of the 鹤城区 file: no candidate, no name, birth date or place, and no way to register it again.
    await expect(modal.getByTestId('duplicate-candidate').count()).resolves.toBe(0);
    const said = (await modal.textContent()) ?? '';
    for (const secret of [NAME, '2015-03-10', '鹤城区', '431202']) expect(said).not.toContain(secret);
    await expect(page.getByTestId('duplicate-continue').count()).resolves.toBe(0);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    // The dialog zooms in: shoot once it stands still.
    await stillness(page);
    await screenshot(page, 'child-duplicate-elsewhere-director-360', { fullPage: false });
    await page.setViewportSize({ width: 1366, height: 768 });
    await stillness(page);
    await screenshot(page, 'child-duplicate-elsewhere-director-1366', { fullPage: false });

    // He asks for the child to be transferred to his village (issue 12 §1): a note is required.
    await page.getByTestId('duplicate-request-transfer').click();
    await page.getByTestId('duplicate-transfer-send').click();
    await modal.getByText('请写明转入原因').waitFor();
    await page.getByTestId('duplicate-transfer-note').fill('一家人五月搬来本村，孩子在本村小学读书');
    await stillness(page);
    await screenshot(page, 'child-transfer-request-director-1366', { fullPage: false });
    await page.getByTestId('duplicate-transfer-send').click();
    await page.waitForURL((url) => url.pathname === '/worklist');
    const mine = page.getByTestId('transfer-outgoing');
    await mine.getByText('等待对方处理').waitFor();
    // The name shown is the one he typed himself; nothing of the file (birth date, place) is told.
    for (const secret of ['2015-03-10', '鹤城区', '431202', '青西']) expect((await mine.textContent()) ?? '').not.toContain(secret);
    await page.setViewportSize(PHONE);
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'worklist-transfer-outgoing-director-360', { fullPage: false });

    // The owning township's supervisor sees it on his work list, with the file, and declines with a reason.
    const owner = await browser.freshPage(PHONE);
    await signIn(owner, SUPERVISOR);
    await owner.goto(`${browser.baseURL}/worklist`);
    const incoming = owner.getByTestId('transfer-incoming-item').filter({ hasText: '一家人五月搬来本村' });
    await incoming.waitFor();
    await expect(incoming.textContent()).resolves.toContain(NAME);
    await expect(incoming.textContent()).resolves.toContain('中方县');
    expect(await hasHorizontalOverflow(owner)).toBe(false);
    await screenshot(owner, 'worklist-transfer-incoming-supervisor-360', { fullPage: false });
    await owner.setViewportSize({ width: 1366, height: 768 });
    await screenshot(owner, 'worklist-transfer-incoming-supervisor-1366', { fullPage: false });
    await incoming.getByTestId('transfer-decline').click();
    await owner.getByTestId('transfer-decline-confirm').click();
    await owner.getByText('请说明理由（至少 2 个字）').waitFor();
    await owner.getByTestId('transfer-decline-reason').fill('经入户核实，孩子仍在本村生活');
    await owner.getByTestId('transfer-decline-confirm').click();
    await incoming.waitFor({ state: 'detached' });

    // The asker learns the outcome and the reason; still nothing of the file.
    const asker = await browser.freshPage({ width: 1366, height: 768 });
    await signIn(asker, OTHER_COUNTY_DIRECTOR);
    await asker.goto(`${browser.baseURL}/worklist`);
    const outcome = asker.getByTestId('transfer-outgoing');
    await outcome.getByText('未同意').waitFor();
    await outcome.getByText('经入户核实，孩子仍在本村生活', { exact: false }).waitFor();
    await expect(asker.getByTestId('transfer-open-file').count()).resolves.toBe(0);
    await screenshot(asker, 'worklist-transfer-declined-director-1366', { fullPage: false });
  });

  it('reveals the ID number after a confirmation, and the county admin finds it in the audit log', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    await page.goto(`${browser.baseURL}${childUrl}`);

    // An edit reveals nothing: the numbers stay masked, and a PUT leaves out those not changed (the server keeps them).
    const reveals: string[] = [];
    const puts: string[] = [];
    const onRequest = (request: Request) => {
      if (request.url().includes('/reveal')) reveals.push(request.url());
      if (request.method() === 'PUT' && new URL(request.url()).pathname.startsWith('/api/children/')) puts.push(request.postData() ?? '');
    };
    page.on('request', onRequest);
    const masked = `431202***********${ID_NUMBER.slice(17)}`;
    await page.getByTestId('child-edit').click();
    await page.getByTestId('child-form').waitFor();
    await expect(page.locator('#idNumber').inputValue()).resolves.toBe(masked);
    await expect(page.locator('#caregiver_phone').inputValue()).resolves.toBe('139****1111');
    await screenshot(page, 'child-edit-masked-director-360', { fullPage: false });
    // A new number is still checked (GB 11643, against the birth date and sex); "不修改" goes back to the stored one.
    await page.getByTestId('idNumber-change').click();
    await page.locator('#idNumber').fill(FIRST17 + (computeCheckCharacter(FIRST17) === '0' ? '1' : '0'));
    await page.getByText('身份证号校验码错误，请核对').waitFor();
    expect(await hasHorizontalOverflow(page)).toBe(false);
    await screenshot(page, 'child-edit-director-360', { fullPage: false });
    await page.getByTestId('idNumber-keep').click();
    await expect(page.locator('#idNumber').inputValue()).resolves.toBe(masked);
    await pickOption(page, 'schooling_status', '辍学');
    await page.getByTestId('child-submit').click();
    await page.waitForURL((url) => url.pathname === childUrl);
    page.off('request', onRequest);
    expect(reveals).toEqual([]);
    expect(puts).toHaveLength(1);
    const sent = JSON.parse(puts[0]!) as { idNumber?: unknown; caregiver: { phone?: unknown }; schooling: { status: string } };
    expect(sent.schooling.status).toBe('dropped_out');
    expect('idNumber' in sent).toBe(false);
    expect('phone' in sent.caregiver).toBe(false);
    await expect(page.getByTestId('child-id-number').textContent()).resolves.toBe(masked);
    await page.getByRole('tab', { name: '变更记录' }).click();
    const edit = page.getByTestId('child-history').locator('.child-history-entry').first();
    await expect.poll(() => edit.textContent()).toContain('就学状态');
    await expect(edit.textContent()).resolves.toContain('在校 → 辍学');
    await screenshot(page, 'child-history-director-360');

    await page.getByRole('tab', { name: '基本信息' }).click();
    await page.getByTestId('child-id-number-reveal').click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.getByText('审计日志', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: '显示' }).click();
    await expect(page.getByTestId('child-id-number-value').textContent()).resolves.toBe(ID_NUMBER);

    const admin = await browser.freshPage();
    await signIn(admin, COUNTY);
    await admin.goto(`${browser.baseURL}/audit?action=child.reveal`);
    const row = admin.getByTestId('audit-table').locator('tr.ant-table-row', { hasText: DIRECTOR });
    await row.first().waitFor();
    // The action and which number, in words (issue 12 point 12: the ledger).
    const text = (await row.first().textContent()) ?? '';
    expect(text).toContain('查看身份证号或电话');
    expect(text).toContain('号码：儿童身份证号');
    await screenshot(admin, 'audit-child-reveal-county');
  });
});
