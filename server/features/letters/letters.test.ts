import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import type { ChildLetters, LetterDocument, LetterSignInput } from '../../../domain/letters/schema.js';
import type { ChildTimeline, WorklistCounts, WorklistPage } from '../../../domain/visits/schema.js';
import { multipart } from '../children-import/import-test-files.js';
import { childInput, hanDigits } from '../children/children.test-data.js';
import { phoneJpeg } from '../files/files.test-data.js';
import * as migration from '../../db/migrations/0012-create-letters.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';

const VILLAGE = '431202001201';

describe(`guardianship letters (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let supervisor: Session;
  let outsider: Session;
  let seq = 0;

  async function activeChild(overrides: Parameters<typeof childInput>[0] = {}): Promise<ChildDetail> {
    seq++;
    const res = await supervisor.request('POST', '/api/children', childInput({ name: `责任${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}${hanDigits(seq)}`, idNumber: null, birthDate: `2015-04-${String(seq).padStart(2, '0')}`, ...overrides }));
    expect(res.status, res.body).toBe(201);
    return res.json() as ChildDetail;
  }
  const letters = async (s: Session, id: string) => (await s.request('GET', `/api/children/${id}/letters`)).json() as ChildLetters;
  const sign = (s: Session, id: string, input: Partial<LetterSignInput> = {}) =>
    s.request('POST', `/api/children/${id}/letters`, { kind: 'guardian', signedOn: '2026-11-20', guardianName: '王大军', guardianRelation: 'father', ...input });
  const missingCount = async () => ((await director.request('GET', `/api/worklists/counts?region=${VILLAGE}`)).json() as WorklistCounts).counts.letters_missing;
  const rows = async (table: 'guardianship_letters' | 'audit_log') => Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, `director-${VILLAGE}`);
    supervisor = await signIn(t, 'supervisor-431202001000');
    outsider = await signIn(t, OUTSIDE.director);
  });
  afterAll(() => t.close());

  it('a child cared for by a grandparent needs both letters; signing them takes the child off the letters work list', async () => {
    const before = await missingCount();
    const child = await activeChild();
    expect(await missingCount()).toBe(before + 1);
    const listed = (await director.request('GET', `/api/worklists?kind=letters_missing&region=${VILLAGE}&pageSize=200`)).json() as WorklistPage;
    expect(listed.items.find((i) => i.childId === child.id)?.lettersDue).toBe(2);
    expect(((await director.request('GET', `/api/children?letters=missing&pageSize=200`)).json() as { items: { id: string }[] }).items.map((c) => c.id)).toContain(child.id);
    const fresh = await letters(director, child.id);
    expect(fresh.needed).toEqual([
      { kind: 'guardian', state: 'missing', latest: null },
      { kind: 'entrusted', state: 'missing', latest: null },
    ]);
    expect(fresh.can.record).toBe(true);

    const first = await sign(director, child.id);
    expect(first.status, first.body).toBe(201);
    expect((first.json() as ChildLetters).needed.map((n) => n.state)).toEqual(['signed', 'missing']);
    expect(await missingCount()).toBe(before + 1);

    const second = await sign(director, child.id, { kind: 'entrusted', carerName: ' 王奶奶 ', guardianName: '李小红', guardianRelation: 'mother' });
    expect(second.status, second.body).toBe(201);
    const done = second.json() as ChildLetters;
    expect(done.needed.map((n) => n.state)).toEqual(['signed', 'signed']);
    expect(done.needed[1]!.latest).toMatchObject({ kind: 'entrusted', guardianName: '李小红', carer: { kind: 'grandparent', name: '王奶奶' }, current: true });
    expect(done.needed[1]!.latest?.recordedBy).toBeTruthy();
    expect(await missingCount()).toBe(before);

    const list = (await director.request('GET', `/api/worklists?kind=letters_missing&region=${VILLAGE}&pageSize=200`)).json() as WorklistPage;
    expect(list.items.map((i) => i.childId)).not.toContain(child.id);
    // The children list filters on it too (and so does its export).
    const ids = async (letters: string) => ((await director.request('GET', `/api/children?letters=${letters}&pageSize=200`)).json() as { items: { id: string }[] }).items.map((c) => c.id);
    expect(await ids('signed')).toContain(child.id);
    expect(await ids('missing')).not.toContain(child.id);
    expect((await director.request('GET', '/api/children?letters=some')).status).toBe(400);
  });

  it('a child cared for by a parent needs only the guardian letter; the entrusted one is refused naming the field', async () => {
    const child = await activeChild({ caregiver: { kind: 'parent', capacity: 'good', name: '李小红', relation: '母亲', phone: null } });
    expect((await letters(director, child.id)).needed.map((n) => n.kind)).toEqual(['guardian']);
    const list = (await director.request('GET', `/api/worklists?kind=letters_missing&region=${VILLAGE}&pageSize=200`)).json() as WorklistPage;
    expect(list.items.find((i) => i.childId === child.id)?.lettersDue).toBe(1);

    const [letterRows, auditRows] = [await rows('guardianship_letters'), await rows('audit_log')];
    const refused = await sign(director, child.id, { kind: 'entrusted', carerName: '李小红' });
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'kind' } });
    expect(await rows('guardianship_letters')).toBe(letterRows);
    expect(await rows('audit_log')).toBe(auditRows);
  });

  it('refuses a signing date in the future or before birth, a carer other than the file’s, and a child living alone — nothing written', async () => {
    const child = await activeChild();
    const alone = await activeChild({ caregiver: { kind: 'alone', capacity: 'poor', name: null, phone: null } });
    const letterRows = await rows('guardianship_letters');
    const cases: [string, Partial<LetterSignInput>, string][] = [
      [child.id, { signedOn: '2026-12-01' }, 'signedOn'],
      [child.id, { signedOn: '2015-01-01' }, 'signedOn'],
      [child.id, { kind: 'entrusted', carerName: '张三' }, 'carerName'],
      [child.id, { kind: 'entrusted' }, 'carerName'],
      [alone.id, { kind: 'entrusted', carerName: '' }, 'kind'],
      [child.id, { guardianName: '' }, 'guardianName'],
    ];
    for (const [id, input, field] of cases) {
      const res = await sign(director, id, input);
      expect(res.status, `${JSON.stringify(input)} ${res.body}`).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'VALIDATION', field } });
    }
    expect(await rows('guardianship_letters')).toBe(letterRows);
    // The message names the field in the user's language.
    const zh = await sign(director, child.id, { signedOn: '2026-12-01' });
    expect((zh.json() as { error: { message: string } }).error.message).toContain('签署日期');
  });

  it('a change of carer on the file turns signed letters into letters to renew, and signing again covers the child', async () => {
    const child = await activeChild();
    expect((await sign(director, child.id)).status).toBe(201);
    expect((await sign(director, child.id, { kind: 'entrusted', carerName: '王奶奶' })).status).toBe(201);
    const before = await missingCount();

    const current = (await director.request('GET', `/api/children/${child.id}`)).json() as ChildDetail;
    const edit = await director.request('PUT', `/api/children/${child.id}`, {
      ...childInput({ name: current.name, idNumber: null, birthDate: current.birthDate }),
      regionCode: undefined,
      caregiver: { kind: 'relative', capacity: 'good', name: '王姑姑', relation: '姑姑', phone: null },
      version: current.version,
    });
    expect(edit.status, edit.body).toBe(200);
    const stale = await letters(director, child.id);
    expect(stale.needed.map((n) => n.state)).toEqual(['renewal', 'renewal']);
    expect(stale.needed[1]!.latest).toMatchObject({ carer: { name: '王奶奶' }, current: false });
    expect(await missingCount()).toBe(before + 1);

    expect((await sign(director, child.id, { kind: 'entrusted', carerName: '王奶奶' })).json()).toMatchObject({ error: { field: 'carerName' } });
    expect((await sign(director, child.id, { kind: 'entrusted', carerName: '王姑姑', signedOn: '2026-11-28' })).status).toBe(201);
    const renewed = (await sign(director, child.id, { signedOn: '2026-11-28' })).json() as ChildLetters;
    expect(renewed.needed.map((n) => n.state)).toEqual(['signed', 'signed']);
    expect(renewed.history).toHaveLength(4);
    expect(renewed.history.filter((l) => l.current)).toHaveLength(2);
    expect(await missingCount()).toBe(before);
  });

  it('the printable letter is filled from the file with phones in clear, and printing is audited', async () => {
    const child = await activeChild();
    const audits = await rows('audit_log');
    const res = await director.request('GET', `/api/children/${child.id}/letters/entrusted/document`);
    expect(res.status, res.body).toBe(200);
    const doc = res.json() as LetterDocument;
    expect(doc).toMatchObject({ kind: 'entrusted', child: { name: child.name, birthDate: child.birthDate }, carer: { name: '王奶奶', phone: '13900001111' }, printedOn: '2026-11-29' });
    expect(doc.path.map((r) => r.level)).toEqual(['province', 'city', 'county', 'township', 'village']);
    expect(doc.duties.map((d) => d.article)).toEqual([15, 16, 17, 18, 19, 20, 21]);
    expect(doc.entrustedDuties.length).toBeGreaterThan(0);
    const me = (await director.request('GET', '/api/me')).json() as { user: { displayName: string } };
    expect(doc.directors.map((d) => d.name)).toContain(me.user.displayName);
    expect(await rows('audit_log')).toBe(audits + 1);
    const row = await t.deps.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(row.action).toBe('letter.print');
    expect(row.details ?? '').not.toContain('13900001111');

    const parentCared = await activeChild({ caregiver: { kind: 'parent', capacity: 'good', name: '李小红', relation: '母亲', phone: null } });
    expect((await director.request('GET', `/api/children/${parentCared.id}/letters/entrusted/document`)).status).toBe(400);
    expect((await director.request('GET', `/api/children/${parentCared.id}/letters/other/document`)).status).toBe(400);
  });

  it('the letter names the director and the supervisor with their work phones, set on the account page or by an administrator', async () => {
    const child = await activeChild();
    const document = async () => (await director.request('GET', `/api/children/${child.id}/letters/guardian/document`)).json() as LetterDocument;
    const me = (await director.request('GET', '/api/me')).json() as { user: { id: string; displayName: string; phone: string | null } };
    const supervisorMe = (await supervisor.request('GET', '/api/me')).json() as { user: { id: string; displayName: string } };
    // None on record yet: the names with a blank for the number.
    const before = await document();
    expect(before.directors).toContainEqual({ name: me.user.displayName, phone: null });
    expect(before.supervisors).toContainEqual({ name: supervisorMe.user.displayName, phone: null });

    // The director's own number, from the account page: checked, stored in one form, audited without anything else.
    const refused = await director.request('PATCH', '/api/me/phone', { phone: '=HYPERLINK("x")' });
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'phone' } });
    expect((refused.json() as { error: { message: string } }).error.message).toContain('0745-2712345');
    const audits = await rows('audit_log');
    const set = await director.request('PATCH', '/api/me/phone', { phone: '138 7451 2345' });
    expect(set.status, set.body).toBe(200);
    expect((set.json() as { user: { phone: string } }).user.phone).toBe('13874512345');
    expect(await rows('audit_log')).toBe(audits + 1);
    const row = await t.deps.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ action: 'user.phone', target_id: me.user.id });
    // The same number again changes nothing and writes nothing.
    expect((await director.request('PATCH', '/api/me/phone', { phone: '13874512345' })).status).toBe(200);
    expect(await rows('audit_log')).toBe(audits + 1);

    // The supervisor's, by the county's administrator.
    const county = await signIn(t, 'county-431202');
    const badAdmin = await county.request('PATCH', `/api/users/${supervisorMe.user.id}`, { phone: '12345' });
    expect(badAdmin.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'phone' } });
    const admin = await county.request('PATCH', `/api/users/${supervisorMe.user.id}`, { phone: '（0745）2712345' });
    expect(admin.status, admin.body).toBe(200);
    expect((admin.json() as { phone: string }).phone).toBe('0745-2712345');

    const after = await document();
    expect(after.directors).toContainEqual({ name: me.user.displayName, phone: '13874512345' });
    expect(after.supervisors).toContainEqual({ name: supervisorMe.user.displayName, phone: '0745-2712345' });

    // Cleared again: the letter goes back to a blank.
    expect((await director.request('PATCH', '/api/me/phone', { phone: '' })).json()).toMatchObject({ user: { phone: null } });
    expect((await document()).directors).toContainEqual({ name: me.user.displayName, phone: null });
  });

  it('a scan of the signed paper is checked like a photo and served through the child’s scope', async () => {
    const child = await activeChild();
    const signed = (await sign(director, child.id)).json() as ChildLetters;
    const letterId = signed.history[0]!.id;

    const bad = multipart('scan.pdf', Buffer.from('%PDF-1.4 not an image'));
    const refused = await director.request('POST', `/api/letters/${letterId}/scan`, bad.body, bad.headers);
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({ error: { field: 'scan' } });

    const good = multipart('scan.jpg', await phoneJpeg(200, 280));
    const res = await director.request('POST', `/api/letters/${letterId}/scan`, good.body, good.headers);
    expect(res.status, res.body).toBe(200);
    const scan = (res.json() as ChildLetters).history[0]!.scan;
    expect(scan?.url).toMatch(/^\/api\/files\//);
    expect((await director.request('GET', scan!.url)).status).toBe(200);
    expect((await outsider.request('GET', scan!.url)).status).toBe(404);
  });

  it('signing shows on the child’s timeline', async () => {
    const child = await activeChild();
    await sign(director, child.id);
    const timeline = (await director.request('GET', `/api/children/${child.id}/timeline`)).json() as ChildTimeline;
    expect(timeline.items.find((i) => i.kind === 'letter')).toMatchObject({ title: '签订监护人责任书', details: { kind: 'guardian', current: true } });
  });

  it('out of scope everything is 404, and nothing is written', async () => {
    const child = await activeChild();
    const signed = (await sign(director, child.id)).json() as ChildLetters;
    const letterRows = await rows('guardianship_letters');
    expect((await outsider.request('GET', `/api/children/${child.id}/letters`)).status).toBe(404);
    expect((await sign(outsider, child.id)).status).toBe(404);
    expect((await outsider.request('GET', `/api/children/${child.id}/letters/guardian/document`)).status).toBe(404);
    const scan = multipart('scan.jpg', await phoneJpeg());
    expect((await outsider.request('POST', `/api/letters/${signed.history[0]!.id}/scan`, scan.body, scan.headers)).status).toBe(404);
    expect(await rows('guardianship_letters')).toBe(letterRows);
  });

  it('a closed file takes no more letters, prints none and no scan; a closed child leaves the coverage counts', async () => {
    const child = await activeChild();
    const signed = (await sign(director, child.id)).json() as ChildLetters;
    const before = await missingCount();
    const closed = await supervisor.request('POST', `/api/children/${child.id}/close`, { reason: 'moved_away' });
    expect(closed.status, closed.body).toBe(200);
    expect(await missingCount()).toBe(before - 1);
    const missingList = ((await director.request('GET', '/api/children?letters=missing&pageSize=200')).json() as { items: { id: string }[] }).items.map((c) => c.id);
    expect(missingList).not.toContain(child.id);
    expect((await letters(director, child.id)).can.record).toBe(false);
    expect((await sign(director, child.id, { kind: 'entrusted', carerName: '王奶奶' })).json()).toMatchObject({ error: { field: 'kind' } });
    expect((await director.request('GET', `/api/children/${child.id}/letters/guardian/document`)).status).toBe(400);
    const scan = multipart('scan.jpg', await phoneJpeg());
    const refused = await director.request('POST', `/api/letters/${signed.history[0]!.id}/scan`, scan.body, scan.headers);
    expect(refused.json()).toMatchObject({ error: { field: 'scan' } });
  });

  it('migration 0012 gives existing files their letter counters from the carer recorded in the file', async () => {
    const grandparent = await activeChild();
    const parent = await activeChild({ caregiver: { kind: 'parent', capacity: 'good', name: '李小红', relation: '母亲', phone: null } });
    const alone = await activeChild({ caregiver: { kind: 'alone', capacity: 'poor', name: null, phone: null } });
    // Undo and redo the migration over these files (the letters signed so far go with the table).
    const untyped = t.deps.db as unknown as Kysely<unknown>;
    await migration.down(untyped);
    await migration.up(untyped);
    const counters = await t.deps.db.selectFrom('children').select(['id', 'letters_needed', 'letters_due']).where('id', 'in', [grandparent.id, parent.id, alone.id]).execute();
    const byId = new Map(counters.map((c) => [c.id, [Number(c.letters_needed), Number(c.letters_due)]]));
    expect(byId.get(grandparent.id)).toEqual([2, 2]);
    expect(byId.get(parent.id)).toEqual([1, 1]);
    expect(byId.get(alone.id)).toEqual([2, 2]);
    expect(await rows('guardianship_letters')).toBe(0);
  });
});
