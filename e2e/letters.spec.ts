import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ChildDetail, ChildPage as ChildPageSchema } from '../domain/children/schema.js';
import { ChildLetters } from '../domain/letters/schema.js';
import { WorklistCounts, WorklistPage } from '../domain/visits/schema.js';
import { api, screenshot, signIn, useBrowser, SCREENSHOT_DIR } from './support/browser.js';

const DIRECTOR = 'director-431202001201';
const SUPERVISOR = 'supervisor-431202001000';

async function settle(page: Page): Promise<void> {
  await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
  await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' });
  await page.waitForTimeout(300);
}

/** A child of the director's village cared for by a named relative whose entrusted letter is still to sign. */
async function childMissingEntrusted(page: Page): Promise<{ child: ChildDetail; guardianSigned: boolean }> {
  const list = WorklistPage.parse((await api(page, 'GET', '/api/worklists?kind=letters_missing&pageSize=200')).json);
  for (const row of list.items) {
    const letters = ChildLetters.parse((await api(page, 'GET', `/api/children/${row.childId}/letters`)).json);
    if (letters.needed.length === 2 && letters.needed[1]!.state !== 'signed') {
      const child = ChildDetail.parse((await api(page, 'GET', `/api/children/${row.childId}`)).json);
      if (child.caregiver.name) return { child, guardianSigned: letters.needed[0]!.state === 'signed' };
    }
  }
  throw new Error('the demo village has no child whose entrusted letter is missing');
}

describe('guardianship letters (监护责任书)', () => {
  const browser = useBrowser();

  it('a director opens a child from the letters work list, prints the entrusted letter, records both signings with a scan, and the child leaves the list', async () => {
    const page = await browser.freshPage();
    await signIn(page, DIRECTOR);
    const { child, guardianSigned } = await childMissingEntrusted(page);
    const before = WorklistCounts.parse((await api(page, 'GET', '/api/worklists/counts')).json).counts.letters_missing;

    await page.goto(`${browser.baseURL}/worklist?tab=letters_missing&pageSize=200`);
    await settle(page);
    await page.locator('[data-testid="worklist-child-link"]', { hasText: child.name }).first().waitFor();
    const row = page.locator('tr', { has: page.locator('[data-testid="worklist-child-link"]', { hasText: child.name }) });
    expect(await row.getByTestId('worklist-letters-due').textContent()).toBe(guardianSigned ? '1 份未签或需换签' : '2 份未签或需换签');
    await row.getByTestId('worklist-letters').click();
    await page.getByTestId('letters-card').waitFor();
    expect(await page.getByTestId('letter-guardian').getByTestId('letter-state').textContent()).toBe(guardianSigned ? '已签订' : '未签订');
    expect(await page.getByTestId('letter-entrusted').getByTestId('letter-state').textContent()).not.toBe('已签订');

    // The printable letter: filled from the file, laid out as an A4 form.
    await page.getByTestId('letter-entrusted').getByTestId('letter-print-link').click();
    const sheet = page.getByTestId('letter-sheet');
    await sheet.waitFor();
    const text = (await sheet.textContent()) ?? '';
    expect(text).toContain('委托监护责任书');
    expect(text).toContain(child.name);
    expect(text).toContain(child.caregiver.name!);
    expect(text).toContain('第22条');
    expect(text).toContain('受托照护人（签字）');
    await screenshot(page, 'letter-print-screen', { fullPage: true });
    // In print, only the sheet shows: no menu, no toolbar.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.letter-toolbar').isVisible()).toBe(false);
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await sheet.isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'letter-print-view.png'), fullPage: true });
    // On paper (print media, as the browser prints): the entrusted letter keeps its signatures with its closing clause; the guardian letter holds on one A4 sheet.
    const pages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages(await page.pdf({ format: 'A4' }))).toBeLessThanOrEqual(2);
    await page.goto(`${browser.baseURL}/children/${child.id}/letters/guardian/print`);
    await sheet.waitFor();
    expect(await sheet.textContent()).toContain('监护人责任书');
    expect(pages(await page.pdf({ format: 'A4' }))).toBe(1);
    await page.emulateMedia({ media: 'screen' });

    // Back on the file: record the signing of the entrusted letter (the carer is the file's), then attach its scan.
    await page.goto(`${browser.baseURL}/children/${child.id}`);
    await page.getByTestId('letters-card').waitFor();
    await page.getByTestId('letter-entrusted').getByTestId('letter-sign').click();
    expect(await page.getByTestId('letter-carer-name').inputValue()).toBe(child.caregiver.name);
    await page.getByTestId('letter-guardian-name').fill('王大军');
    await page.getByTestId('letter-sign-submit').click();
    await page.getByTestId('letter-entrusted').getByTestId('letter-state').filter({ hasText: '已签订' }).waitFor();

    const scan = await sharp({ create: { width: 420, height: 600, channels: 3, background: '#f4f1ea' } }).jpeg().toBuffer();
    await page.getByTestId('letter-entrusted').locator('input[type="file"]').setInputFiles({ name: 'letter.jpg', mimeType: 'image/jpeg', buffer: scan });
    await page.getByTestId('letter-entrusted').getByTestId('letter-scan').waitFor();

    // The guardian letter (signed again if it was: a new signing is kept beside the old one).
    // A blank signer is refused on the field, in Chinese, before anything is sent.
    await page.getByTestId('letter-guardian').getByTestId('letter-sign').click();
    await page.getByTestId('letter-guardian-name').fill('');
    await page.getByTestId('letter-sign-submit').click();
    await page.locator('.ant-form-item-explain-error', { hasText: '必填' }).waitFor();
    await page.getByTestId('letter-guardian-name').fill('王大军');
    await page.getByTestId('letter-sign-submit').click();
    await page.getByTestId('letter-guardian').getByTestId('letter-state').filter({ hasText: '已签订' }).waitFor();
    await page.getByTestId('letters-card').getByText('已签齐').waitFor();
    await settle(page);
    await page.getByTestId('letters-card').scrollIntoViewIfNeeded();
    await screenshot(page, 'letter-signed-card');

    const after = WorklistCounts.parse((await api(page, 'GET', '/api/worklists/counts')).json).counts.letters_missing;
    expect(after).toBe(before - 1);
    const list = WorklistPage.parse((await api(page, 'GET', '/api/worklists?kind=letters_missing&pageSize=200')).json);
    expect(list.items.map((i) => i.childId)).not.toContain(child.id);

    // Both signings are on the timeline.
    await page.goto(`${browser.baseURL}/children/${child.id}?tab=timeline`);
    await page.locator('[data-testid="timeline-item"][data-kind="letter"]').nth(1).waitFor();
  });

  it('a director enters his work phone on the account page; the letter names him with it, and reads at 360 px as a page, not a column of single characters', async () => {
    const page = await browser.freshPage({ width: 360, height: 740 });
    await signIn(page, DIRECTOR);
    await page.goto(`${browser.baseURL}/account`);
    const card = page.getByTestId('account-phone');
    await card.locator('input').fill('12345');
    await page.getByTestId('account-phone-save').click();
    await card.locator('.ant-form-item-explain-error', { hasText: '0745-2712345' }).waitFor();
    await card.locator('input').fill('138 7451 2345');
    await page.getByTestId('account-phone-save').click();
    await page.locator('.ant-message', { hasText: '工作电话已保存' }).waitFor();
    expect(await card.locator('input').inputValue()).toBe('13874512345');
    await screenshot(page, 'account-phone-360');

    const child = ChildPageSchema.parse((await api(page, 'GET', '/api/children?status=active&pageSize=1')).json).items[0]!;
    await page.goto(`${browser.baseURL}/children/${child.id}/letters/guardian/print`);
    const sheet = page.getByTestId('letter-sheet');
    await sheet.waitFor();
    expect(await page.getByTestId('letter-contacts').textContent()).toContain('（电话：13874512345）');
    await page.getByTestId('letter-phone-hint').waitFor();
    expect(await page.getByTestId('letter-phone-hint').textContent()).toContain('请在电脑上打印');
    // Readable: every cell of the form's table at least half the screen wide, the paragraphs the width of the sheet, no sideways scroll.
    const widths = await sheet.locator('.letter-table th, .letter-table td').evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().width));
    expect(Math.min(...widths.filter((w, i) => i % 2 === 1))).toBeGreaterThan(180);
    expect(Math.min(...(await sheet.locator('.letter-paragraph').evaluateAll((ps) => ps.map((p) => p.getBoundingClientRect().width))))).toBeGreaterThan(280);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await screenshot(page, 'letter-phone-360');

    // On a computer the A4 form as before, without the phone's note; the number prints.
    await page.setViewportSize({ width: 1366, height: 800 });
    expect(await page.getByTestId('letter-phone-hint').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('letter-contacts').textContent()).toContain('13874512345');
    await page.emulateMedia({ media: 'screen' });
    await screenshot(page, 'letter-1366');
  });

  it('a supervisor sees each village’s letter coverage and the letters tab of the work list', async () => {
    const page = await browser.freshPage();
    await signIn(page, SUPERVISOR);
    await page.goto(`${browser.baseURL}/worklist?tab=letters_missing`);
    await settle(page);
    const rates = page.getByTestId('worklist-letters-rate');
    await rates.first().waitFor();
    expect(await rates.count()).toBeGreaterThan(1);
    for (const rate of await rates.allTextContents()) expect(rate).toMatch(/^\d{1,3}%$/);
    await page.getByTestId('worklist-child-link').first().waitFor();
    await screenshot(page, 'letters-worklist-supervisor', { fullPage: true });

    // The children list filters on letters too: the filter picked from the page narrows the list and lands in the URL.
    await page.goto(`${browser.baseURL}/children`);
    await page.getByTestId('child-link').first().waitFor();
    const all = ChildPageSchema.parse((await api(page, 'GET', '/api/children?pageSize=1')).json).total;
    await page.getByTestId('filter-letters').click();
    await page.locator('.ant-select-item-option', { hasText: '责任书未签齐' }).click();
    await page.waitForURL(/letters=missing/);
    await settle(page);
    const missing = ChildPageSchema.parse((await api(page, 'GET', '/api/children?letters=missing&pageSize=1')).json).total;
    expect(missing).toBeGreaterThan(0);
    expect(missing).toBeLessThan(all);
    await page.locator('.ant-pagination-total-text', { hasText: String(missing) }).waitFor();
  });
});
