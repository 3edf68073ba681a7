/**
 * A day without signal (issue 15 §2–5, §7): a director loads his work list online, goes offline,
 * opens three children from the phone's copy, records three visits with photos and one mandatory
 * report, closes the browser and opens it again offline (the outbox still holds four items, the
 * report in red), and while a supervisor raises one child's risk, goes online; the browser is
 * killed while the second item is on its way; opened again, everything arrives once, the work list
 * moves on, and the director sees what changed on the file. The phone's store, read raw, holds no
 * name. Signing out wipes it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ChildDetail } from '../domain/children/schema.js';
import { ReportPage } from '../domain/reports/schema.js';
import { VisitPage, WorklistPage } from '../domain/visits/schema.js';
import { phoneJpeg } from '../server/features/files/files.test-data.js';
import { api, fetchMe, openBrowser, screenshot, signIn, useBrowser } from './support/browser.js';
import { DEMO_DIRECTOR, DEMO_SUPERVISOR, chinaDay, overdueNewChildren } from './support/children.js';

const PHONE = { width: 360, height: 740 };

async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 90_000 });
}

/** Everything the phone's store holds for the user, as text: clear fields as they are, sealed bytes decoded as UTF-8. */
function rawStore(page: Page, userId: string): Promise<{ text: string; stores: Record<string, number> }> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const asText = (value: unknown): unknown => {
      if (value instanceof ArrayBuffer) return decoder.decode(value);
      if (ArrayBuffer.isView(value)) return decoder.decode(value);
      if (value instanceof CryptoKey) return `CryptoKey(extractable=${value.extractable})`;
      if (Array.isArray(value)) return value.map(asText);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asText(v)]));
      return value;
    };
    const stores: Record<string, number> = {};
    const parts: string[] = [];
    for (const store of Array.from(db.objectStoreNames)) {
      const all = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as unknown[]);
        request.onerror = () => reject(request.error ?? new Error('read failed'));
      });
      stores[store] = all.length;
      parts.push(JSON.stringify(asText(all)));
    }
    db.close();
    return { text: parts.join('\n'), stores };
  }, `shouhu-offline-${userId}`);
}

/** Waits for the outbox page or the sign-in form the app sends an ended session to. */
async function signInAgainIfAsked(page: Page): Promise<void> {
  await page.locator('#username, [data-testid="outbox-items"]').first().waitFor({ timeout: 30_000 });
}

const databases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));

describe('a day of visits without signal (issue 15)', () => {
  const browser = useBrowser();

  it('keeps three visits with photos and a report through a closed browser and a kill mid-sync, and delivers each once', async () => {
    const { page: first, children } = await overdueNewChildren(browser, 3, PHONE);
    let page = first;
    const me = await fetchMe(page);
    expect(me.user.username).toBe(DEMO_DIRECTOR);

    // Online: the work list, then the phone's copy of the village is made (the outbox page says so).
    await page.goto(`${browser.baseURL}/worklist`);
    await page.getByTestId('worklist-child-link').first().waitFor();
    await page.reload();
    await controlled(page);
    await page.goto(`${browser.baseURL}/outbox`);
    await expect.poll(() => page.getByTestId('outbox-kept').textContent(), { timeout: 30_000 }).toContain('1 个村');

    // No signal from here on.
    await browser.context.setOffline(true);
    await page.goto(`${browser.baseURL}/worklist`);
    await page.getByTestId('worklist-child-link').first().waitFor();
    await expect(page.getByTestId('offline-notice').textContent()).resolves.toContain('手机上保存的数据');
    await screenshot(page, 'offline-worklist-director-360');

    for (const [i, child] of children.entries()) {
      // The child's page from the copy …
      await page.goto(`${browser.baseURL}/children/${child.id}`);
      await page.getByText(child.name).first().waitFor();
      if (i === 0) await screenshot(page, 'offline-child-director-360');
      // … and a visit with a photo, to the outbox.
      await page.goto(`${browser.baseURL}/children/${child.id}/visits/new`);
      await page.getByTestId('visit-form').waitFor();
      await page.getByTestId('visit-all-fine').click();
      await page.getByTestId('visit-photos').locator('input[type=file]').setInputFiles({ name: `visit-${i}.jpg`, mimeType: 'image/jpeg', buffer: await phoneJpeg(600, 800) });
      await page.getByTestId('visit-photo').waitFor();
      await page.getByTestId('visit-submit').click();
      await page.getByTestId('visit-queued').waitFor();
      await page.waitForURL(`**/children/${child.id}`);
    }

    // A mandatory report without signal: the outbox takes it, and the page says to call 110 now.
    await page.goto(`${browser.baseURL}/children/${children[0]!.id}/reports/new`);
    await page.getByTestId('report-form').waitFor();
    await page.locator('.report-trigger', { hasText: '被遗弃' }).click();
    await page.getByTestId('report-submit').click();
    await expect(page.getByTestId('report-queued').textContent()).resolves.toContain('请立即拨打 110');
    await page.getByRole('button', { name: '我知道了' }).click();
    await page.waitForURL('**/outbox');
    await expect(page.getByTestId('outbox-call-110').textContent()).resolves.toContain('1 份强制报告还没有发送');
    await expect.poll(() => page.getByTestId('outbox-item').count()).toBe(4);
    await expect(page.getByTestId('outbox-button').textContent()).resolves.toBe('4');
    await screenshot(page, 'offline-outbox-director-360');

    // Read raw, the store holds no name: every record about a child is sealed, the key cannot be exported.
    const raw = await rawStore(page, me.user.id);
    expect(raw.stores).toMatchObject({ outbox: 4, photos: 3 });
    expect(raw.stores.children).toBeGreaterThanOrEqual(3);
    for (const child of children) expect(raw.text).not.toContain(child.name);
    expect(raw.text).not.toContain('欧阳');
    expect(raw.text).not.toContain(me.user.displayName);
    expect(raw.text).toContain('CryptoKey(extractable=false)');

    // The browser is closed and opened again, still without signal: the outbox still holds the four items.
    await browser.restart();
    await browser.context.setOffline(true);
    page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    await page.goto(`${browser.baseURL}/outbox`);
    await expect.poll(() => page.getByTestId('outbox-item').count(), { timeout: 30_000 }).toBe(4);
    expect(await page.locator('[data-testid="outbox-item"][data-status="waiting"]').count()).toBe(4);
    await page.getByTestId('outbox-call-110').waitFor();

    // Meanwhile a supervisor raises the second child's risk by hand.
    const office = await openBrowser();
    try {
      const supervisor = await office.freshPage();
      await signIn(supervisor, DEMO_SUPERVISOR);
      const override = await api(supervisor, 'POST', `/api/children/${children[1]!.id}/risk`, { level: 'urgent', reason: '邻居反映孩子近日常独自在家' });
      expect(override.status, JSON.stringify(override.json)).toBe(200);
    } finally {
      await office.close();
    }

    // The signal returns; the browser is killed while the second item is on its way (the server has it, the phone never hears).
    let reached: () => void = () => undefined;
    const secondReached = new Promise<void>((resolve) => (reached = resolve));
    let posts = 0;
    await browser.context.route(/\/api\/children\/[^/]+\/(visits|reports)$/, async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      posts++;
      if (posts !== 2) return route.fallback();
      await route.fetch();
      reached();
      // No answer: the browser dies first.
    });
    await browser.context.setOffline(false);
    // The session cookie does not outlive the browser: back online the app asks to sign in again (the outbox waits, sealed).
    await page.reload();
    await signInAgainIfAsked(page);
    if (new URL(page.url()).pathname === '/sign-in') {
      await signIn(page, DEMO_DIRECTOR);
      await page.goto(`${browser.baseURL}/outbox`);
    }
    await secondReached;
    await browser.restart();

    // Opened again with a signal: signed in again if the session did not survive, the outbox sends the rest.
    page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    await page.goto(`${browser.baseURL}/outbox`);
    await signInAgainIfAsked(page);
    if (new URL(page.url()).pathname === '/sign-in') {
      await signIn(page, DEMO_DIRECTOR);
      await page.goto(`${browser.baseURL}/outbox`);
    }
    await expect.poll(() => page.locator('[data-testid="outbox-item"][data-status="sent"]').count(), { timeout: 60_000 }).toBe(4);
    await expect(page.getByTestId('outbox-call-110').count()).resolves.toBe(0);
    expect(posts).toBe(2);

    // Each arrived once, with its photo; the report once.
    for (const child of children) {
      const visits = VisitPage.parse((await api(page, 'GET', `/api/children/${child.id}/visits`)).json).items.filter((v) => v.visitDate === chinaDay());
      expect(visits, child.name).toHaveLength(1);
      expect(visits[0]!.photos, child.name).toHaveLength(1);
    }
    const reports = ReportPage.parse((await api(page, 'GET', `/api/reports?childId=${children[0]!.id}`)).json);
    expect(reports.total).toBe(1);

    // The supervisor's change is shown on the visit it met.
    const met = page.locator('[data-testid="outbox-item"][data-kind="visit"]').filter({ hasText: children[1]!.name });
    await expect(met.getByTestId('outbox-item-changes').textContent()).resolves.toContain('紧急');
    await screenshot(page, 'offline-outbox-delivered-director-360');

    // The work list has moved on: none of the three is overdue any more.
    const overdue = WorklistPage.parse((await api(page, 'GET', '/api/worklists?kind=overdue&pageSize=200')).json);
    for (const child of children) expect(overdue.items.map((r) => r.childId)).not.toContain(child.id);

    // Signing out wipes the phone's store.
    expect(await databases(page)).toContain(`shouhu-offline-${me.user.id}`);
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    await page.waitForURL('**/sign-in');
    await expect.poll(() => databases(page)).not.toContain(`shouhu-offline-${me.user.id}`);
  }, 300_000);
  it('holds a correction made on a file changed meanwhile until the director decides, refuses a visit of a file closed meanwhile, and sends the rest', async () => {
    const { page, children } = await overdueNewChildren(browser, 3, PHONE);
    const [edited, closed, plain] = children as [(typeof children)[0], (typeof children)[0], (typeof children)[0]];
    await page.goto(`${browser.baseURL}/outbox`);
    await expect.poll(() => page.getByTestId('outbox-kept').textContent(), { timeout: 30_000 }).toContain('1 个村');
    await page.reload();
    await controlled(page);

    await browser.context.setOffline(true);
    // Offline: a correction of one file (its address), a visit each of the two others.
    await page.goto(`${browser.baseURL}/children/${edited.id}/edit`);
    await page.getByTestId('child-form').waitFor();
    await page.locator('#address').fill('村东头第三户，门前有棵老樟树');
    await page.getByTestId('child-submit').click();
    await page.getByTestId('child-edit-queued').waitFor();
    for (const child of [closed, plain]) {
      await page.goto(`${browser.baseURL}/children/${child.id}/visits/new`);
      await page.getByTestId('visit-form').waitFor();
      await page.getByTestId('visit-all-fine').click();
      await page.getByTestId('visit-submit').click();
      await page.getByTestId('visit-queued').waitFor();
    }

    // Meanwhile the supervisor corrects the first file himself and closes the second.
    const office = await openBrowser();
    try {
      const supervisor = await office.freshPage();
      await signIn(supervisor, DEMO_SUPERVISOR);
      await supervisor.goto(`${browser.baseURL}/children/${edited.id}/edit`);
      await supervisor.getByTestId('child-form').waitFor();
      await supervisor.locator('#notes').fill('督导员核实：奶奶腿脚不便');
      await supervisor.getByTestId('child-submit').click();
      await supervisor.waitForURL(`**/children/${edited.id}`);
      const close = await api(supervisor, 'POST', `/api/children/${closed.id}/close`, { reason: 'moved_away', note: '随父母迁往外省' });
      expect(close.status, JSON.stringify(close.json)).toBe(200);
    } finally {
      await office.close();
    }

    // The signal returns: the visit of the open file goes; the other two wait for the director, each saying why.
    await browser.context.setOffline(false);
    await page.goto(`${browser.baseURL}/outbox`);
    const item = (name: string) => page.getByTestId('outbox-item').filter({ hasText: name });
    await expect.poll(() => item(plain.name).getAttribute('data-status'), { timeout: 30_000 }).toBe('sent');
    await expect.poll(() => item(edited.name).getAttribute('data-status')).toBe('conflict');
    await expect.poll(() => item(closed.name).getAttribute('data-status')).toBe('refused');
    await expect(item(edited.name).getByTestId('outbox-item-problem').textContent()).resolves.toContain('已被修改');
    await expect(item(closed.name).getByTestId('outbox-item-problem').textContent()).resolves.toContain('已销档');
    // Nothing was applied blindly: the supervisor's correction stands, the director's address is not in.
    const before = ChildDetail.parse((await api(page, 'GET', `/api/children/${edited.id}`)).json);
    expect(before.notes).toBe('督导员核实：奶奶腿脚不便');
    expect(before.address).not.toBe('村东头第三户，门前有棵老樟树');
    await screenshot(page, 'offline-outbox-conflict-director-360');

    // He checks his correction on the file as it is now: the form holds the supervisor's notes and his own address; saved, both stand.
    await item(edited.name).getByTestId('outbox-apply-mine').click();
    await page.getByTestId('held-correction').waitFor();
    await expect(page.locator('#address').inputValue()).resolves.toBe('村东头第三户，门前有棵老樟树');
    await expect(page.locator('#notes').inputValue()).resolves.toBe('督导员核实：奶奶腿脚不便');
    await screenshot(page, 'offline-held-correction-director-360');
    await page.getByTestId('child-submit').click();
    await page.waitForURL(`**/children/${edited.id}`);
    const after = ChildDetail.parse((await api(page, 'GET', `/api/children/${edited.id}`)).json);
    expect(after.address).toBe('村东头第三户，门前有棵老樟树');
    expect(after.notes).toBe('督导员核实：奶奶腿脚不便');
    await page.goto(`${browser.baseURL}/outbox`);
    await page.getByTestId('outbox-items').waitFor();
    await expect.poll(() => item(edited.name).count()).toBe(0);

    // The refused visit is deleted, after a confirmation; the closed file has no visit of today.
    await item(closed.name).getByTestId('outbox-discard').click();
    await page.getByTestId('outbox-discard-confirm').click();
    await expect.poll(() => item(closed.name).count()).toBe(0);
    const visits = VisitPage.parse((await api(page, 'GET', `/api/children/${closed.id}/visits`)).json).items.filter((v) => v.visitDate === chinaDay());
    expect(visits).toHaveLength(0);

    // Signed out, the phone keeps nothing of his.
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    await page.waitForURL('**/sign-in');
  }, 300_000);
  it('a supervisor chooses a village of his township to keep on the phone, and its work list opens without signal', async () => {
    const { children } = await overdueNewChildren(browser, 1, PHONE);
    const page = await browser.freshPage(PHONE);
    await signIn(page, DEMO_SUPERVISOR);
    await page.goto(`${browser.baseURL}/outbox`);
    await expect(page.getByTestId('outbox-kept').textContent()).resolves.toContain('请在下方选择');
    await page.getByTestId('outbox-villages').locator('.ant-select-selector').click();
    await page.locator('.ant-select-tree-title', { hasText: '寨林村' }).click();
    await page.getByTestId('outbox-villages-save').click();
    await expect.poll(() => page.getByTestId('outbox-kept').textContent(), { timeout: 30_000 }).toContain('1 个村');
    await expect.poll(() => page.getByTestId('outbox-village').textContent()).toBe('寨林村');
    await screenshot(page, 'offline-villages-supervisor-360');
    await page.reload();
    await controlled(page);

    await browser.context.setOffline(true);
    try {
      await page.goto(`${browser.baseURL}/worklist`);
      await expect.poll(() => page.getByTestId('offline-notice').textContent()).toContain('手机上保存的数据');
      const row = page.getByTestId('worklist-child-link').filter({ hasText: children[0]!.name });
      await row.waitFor();
      await row.click();
      await page.waitForURL(`**/children/${children[0]!.id}`);
      await page.getByTestId('schedule-card').waitFor();
      await screenshot(page, 'offline-child-supervisor-360');
    } finally {
      await browser.context.setOffline(false);
    }
  });
  it('an ended session wipes the copy of the children but keeps the unsent visit for the next sign-in; days without the server wipe everything', async () => {
    const { page, children } = await overdueNewChildren(browser, 1, PHONE);
    const me = await fetchMe(page);
    await page.goto(`${browser.baseURL}/outbox`);
    await expect.poll(() => page.getByTestId('outbox-kept').textContent(), { timeout: 30_000 }).toContain('1 个村');
    await page.reload();
    await controlled(page);

    // A visit without signal, then the session ends on the server (here: its cookie is gone).
    await browser.context.setOffline(true);
    await page.goto(`${browser.baseURL}/children/${children[0]!.id}/visits/new`);
    await page.getByTestId('visit-form').waitFor();
    await page.getByTestId('visit-all-fine').click();
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('visit-queued').waitFor();
    await browser.context.clearCookies();
    await browser.context.setOffline(false);
    await page.goto(`${browser.baseURL}/outbox`);
    await page.locator('#username').waitFor();
    // The phone heard that the session ended: no child is left in its store, the own visit is, sealed.
    await expect.poll(async () => (await rawStore(page, me.user.id)).stores.children).toBe(0);
    const after = await rawStore(page, me.user.id);
    expect(after.stores).toMatchObject({ outbox: 1, villages: 0 });
    expect(after.text).not.toContain(children[0]!.name);

    // Signed in again, the visit goes (sealed again under the new session's key) and the copy comes back.
    await signIn(page, DEMO_DIRECTOR);
    await page.goto(`${browser.baseURL}/outbox`);
    await expect.poll(() => page.locator('[data-testid="outbox-item"][data-status="sent"]').count(), { timeout: 30_000 }).toBe(1);
    expect(VisitPage.parse((await api(page, 'GET', `/api/children/${children[0]!.id}/visits`)).json).items.filter((v) => v.visitDate === chinaDay())).toHaveLength(1);
    await expect.poll(async () => (await rawStore(page, me.user.id)).stores.children ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);

    // Fifteen days without the server (the setting says 14): opened again, the phone deletes its store.
    await page.evaluate(async (name) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      });
      const store = db.transaction('meta', 'readwrite').objectStore('meta');
      await new Promise<void>((resolve, reject) => {
        const read = store.get('state');
        read.onsuccess = () => {
          const state = read.result as { lastOnlineAt: number };
          const write = store.put({ ...state, lastOnlineAt: Date.now() - 15 * 86_400_000 }, 'state');
          write.onsuccess = () => resolve();
          write.onerror = () => reject(write.error ?? new Error('write failed'));
        };
        read.onerror = () => reject(read.error ?? new Error('read failed'));
      });
      db.close();
    }, `shouhu-offline-${me.user.id}`);
    await browser.context.setOffline(true);
    try {
      await page.goto(`${browser.baseURL}/worklist`);
      await expect.poll(() => databases(page), { timeout: 30_000 }).not.toContain(`shouhu-offline-${me.user.id}`);
      await expect.poll(() => page.getByTestId('offline-notice').textContent()).toContain('暂无离线数据');
    } finally {
      await browser.context.setOffline(false);
    }
  });
});
