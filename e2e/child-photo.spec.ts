import { describe, expect, it } from 'vitest';
import { phoneJpeg } from '../server/features/files/files.test-data.js';
import { screenshot, signIn, useBrowser } from './support/browser.js';

const DIRECTOR = 'director-431202001201';
const PHONE = { width: 360, height: 740 };

describe('child photo', () => {
  const browser = useBrowser();

  it('a director adds a photo to a child file on a phone; it shows on the page and in the history', async () => {
    const page = await browser.freshPage(PHONE);
    await signIn(page, DIRECTOR);
    await page.goto(`${browser.baseURL}/children?status=active`);
    await page.getByTestId('child-row').first().click();
    await page.getByTestId('child-name').waitFor();
    const photo = page.getByTestId('child-photo');
    await photo.waitFor();

    await photo.locator('input[type=file]').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await phoneJpeg(1200, 1600) });
    await page.getByText('照片已保存（已去除拍摄位置信息）').waitFor();
    const img = photo.locator('img.child-photo-image');
    await img.waitFor();
    // The image really loads from the server (a broken one has no natural width).
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await expect(photo.getByTestId('child-photo-upload').textContent()).resolves.toContain('更换照片');
    await screenshot(page, 'child-photo-director-360', { fullPage: false });

    await page.getByRole('tab', { name: '变更记录' }).click();
    await page.locator('.child-history-change', { hasText: '照片' }).first().waitFor();
    await screenshot(page, 'child-photo-history-director-360', { fullPage: false });
  });
});
