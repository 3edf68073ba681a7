/**
 * Children a spec makes for itself on the shared e2e server, so that no other
 * spec's work (a visit, an order, a correction, hundreds of imported files
 * sorted first by name) changes what it reads: new files in the demo village,
 * approved by the township supervisor, each with a quiet visit 200 days ago,
 * so overdue whatever their interval.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ChildDetail } from '../../domain/children/schema.js';
import { childInput, idFor } from '../../server/features/children/children.test-data.js';
import { api, signIn, type useBrowser } from './browser.js';

export const DEMO_DIRECTOR = 'director-431202001201';
export const DEMO_SUPERVISOR = 'supervisor-431202001000';

/** China's calendar day, `offsetDays` from today. */
export const chinaDay = (offsetDays = 0) => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** A quiet visit as the API takes it, on the given date: the child seen, every item fine, no factor stated. */
export function quietVisit(visitDate: string) {
  const fine = { rating: 'fine' as const };
  return {
    visitDate,
    kind: 'home',
    seenInPerson: true,
    present: ['child'],
    checklist: { safety: fine, living_conditions: fine, carer_care: fine, schooling: fine, health: fine, emotional_state: fine, needs: fine },
    factors: {},
    followUps: [],
    photoIds: [],
  };
}

export async function recordVisit(page: Page, childId: string, visitDate: string): Promise<void> {
  const res = await api(page, 'POST', `/api/children/${childId}/visits`, quietVisit(visitDate));
  expect(res.status, JSON.stringify(res.json)).toBe(201);
}

/**
 * `count` new files in the director's village, approved, each visited 200 days ago.
 * The browser holds one page at a time, so this signs in as the director, the supervisor, then the
 * director again, and returns the director's page.
 */
export async function overdueNewChildren(browser: ReturnType<typeof useBrowser>, count: number, viewport?: { width: number; height: number }): Promise<{ page: Page; children: { id: string; name: string }[] }> {
  let page = await browser.freshPage(viewport);
  await signIn(page, DEMO_DIRECTOR);
  const children: { id: string; name: string }[] = [];
  while (children.length < count) {
    const seq = `${String(10 + Math.floor(Math.random() * 90))}${'13579'[Math.floor(Math.random() * 5)]}`; // odd: a boy, as childInput says
    // 24 × 24 given names: specs sharing the server draw many, and a name too like one in the village is refused.
    const pick = (chars: string) => chars[Math.floor(Math.random() * chars.length)]!;
    const name = `欧阳${pick('晨曦朝霞春秋冬夏星月云雨山川江河林森文武明亮')}${pick('岚峰松竹梅兰菊荷涛波海洋宇宙天地光华英杰俊逸')}`;
    const created = await api(page, 'POST', '/api/children', childInput({ name, birthDate: '2016-05-20', idNumber: idFor('2016-05-20', seq) }));
    if (created.status === 409) continue; // the number or a similar name exists: draw again
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    children.push({ id: ChildDetail.parse(created.json).id, name });
  }
  page = await browser.freshPage(viewport);
  await signIn(page, DEMO_SUPERVISOR);
  for (const { id } of children) {
    const approved = await api(page, 'POST', `/api/children/${id}/approve`, { comment: '' });
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
  }
  page = await browser.freshPage(viewport);
  await signIn(page, DEMO_DIRECTOR);
  for (const { id } of children) await recordVisit(page, id, chinaDay(-200));
  return { page, children };
}
