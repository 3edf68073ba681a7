import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../domain/api.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { verifyAuditChain } from './audit.service.js';

type AuditPage = { items: AuditEntry[]; total: number; page: number; pageSize: number };

describe(`audit log (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let sysadmin: Session;
  let county: Session;
  let city: Session;

  beforeAll(async () => {
    t = await createTestApp();
    // Activity in three places: 鹤城区, 中方县 and 长沙 (outside Huaihua).
    for (const username of ['director-431202001201', 'director-431202001202', 'county-431221', OUTSIDE.director, OUTSIDE.countyAdmin]) {
      await signIn(t, username);
      t.clock.advance(1000);
    }
    await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'director-431221101201', password: 'wrong-pass1' } });
    [sysadmin, county, city] = await Promise.all([signIn(t, 'sysadmin'), signIn(t, 'county-431202'), signIn(t, 'city-431200')]);
  });
  afterAll(() => t.close());

  const search = async (s: Session, query: string) => {
    const res = await s.request('GET', `/api/audit?${query}`);
    expect(res.status, `${s.username} /api/audit?${query}: ${res.body}`).toBe(200);
    return res.json() as AuditPage;
  };
  const allPages = async (s: Session, query: string) => {
    const items: AuditEntry[] = [];
    for (let page = 1; ; page++) {
      const res = await search(s, `${query}&pageSize=200&page=${page}`);
      items.push(...res.items);
      if (res.items.length < 200) return { items, total: res.total };
    }
  };

  describe('search', () => {
    it('finds rows by action', async () => {
      const logins = await search(sysadmin, 'action=auth.login&pageSize=200');
      expect(logins.total).toBeGreaterThanOrEqual(8);
      expect(logins.items.every((r) => r.action === 'auth.login')).toBe(true);
      expect(logins.items.map((r) => r.actorUsername)).toEqual(expect.arrayContaining(['director-431202001201', OUTSIDE.director, 'sysadmin']));
      const seeds = await search(sysadmin, 'action=seed.network');
      expect(seeds.total).toBe(1);
      expect(seeds.items[0]!.details).toMatchObject({ regions: 2 + 13 + 232 + 2951 });
      expect((await search(sysadmin, 'action=no.such.action')).total).toBe(0);
    });

    it('finds rows by the username of the actor', async () => {
      const rows = await search(sysadmin, 'q=director-431202001201');
      expect(rows.total).toBeGreaterThan(0);
      expect(rows.items.every((r) => r.actorUsername === 'director-431202001201')).toBe(true);
      expect(rows.items[0]).toMatchObject({ action: 'auth.login', actorRole: 'director', targetType: 'user', regionCode: '431202001201' });
      expect(rows.items[0]!.actorId).toBe(rows.items[0]!.targetId);
    });

    it('finds failed sign-ins by the username that was tried, even when no such account exists', async () => {
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'guess-1234' } });
      const rows = await search(sysadmin, 'q=admin&action=auth.login_failed');
      expect(rows.items.some((r) => r.details?.username === 'admin')).toBe(true);
    });

    it('pages newest first, without gaps or overlaps', async () => {
      const whole = await allPages(sysadmin, 'x=1');
      expect(whole.items).toHaveLength(whole.total);
      const seqs = whole.items.map((r) => r.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      // Nothing is skipped: seq runs from the newest row down to 1.
      expect(seqs.at(-1)).toBe(1);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs[0]! - seqs.at(-1)! + 1).toBe(seqs.length);

      const p1 = await search(sysadmin, 'pageSize=5&page=1');
      const p2 = await search(sysadmin, 'pageSize=5&page=2');
      expect(p1.items).toHaveLength(5);
      expect([...p1.items, ...p2.items].map((r) => r.seq)).toEqual(seqs.slice(0, 10));
      // Times go backwards with seq.
      const times = whole.items.map((r) => r.at);
      expect(times).toEqual([...times].sort().reverse());
    });

    it('filters by time', async () => {
      t.clock.advance(10 * 60_000);
      const earlier = t.clock.now().toISOString();
      t.clock.advance(1000);
      const from = t.clock.now().toISOString();
      await signIn(t, 'director-431202001203');
      const rows = await search(sysadmin, `from=${encodeURIComponent(from)}`);
      expect(rows.items.map((r) => r.action)).toEqual(['auth.login']);
      expect(rows.items[0]!.actorUsername).toBe('director-431202001203');
      expect((await search(sysadmin, `to=${encodeURIComponent(earlier)}&q=director-431202001203`)).total).toBe(0);
      expect((await search(sysadmin, `to=${encodeURIComponent(from)}&q=director-431202001203`)).total).toBe(1);
    });
  });

  describe('scope', () => {
    it('a county admin sees only the rows of his own county', async () => {
      const mine = await allPages(county, 'x=1');
      expect(mine.total).toBeGreaterThan(0);
      expect(mine.items.every((r) => r.regionCode?.startsWith('431202'))).toBe(true);
      const actors = new Set(mine.items.map((r) => r.actorUsername));
      expect(actors.has('director-431202001201')).toBe(true);
      for (const foreign of ['county-431221', OUTSIDE.director, OUTSIDE.countyAdmin, 'sysadmin', 'city-431200']) expect(actors.has(foreign), foreign).toBe(false);
      // Failed sign-ins in another county stay there.
      expect(mine.items.some((r) => r.action === 'auth.login_failed' && r.targetId !== null && r.regionCode === '431221101201')).toBe(false);
      // Searching explicitly for a foreign actor finds nothing.
      expect((await search(county, 'q=county-431221')).total).toBe(0);
      expect((await search(county, `q=${OUTSIDE.director}`)).total).toBe(0);
    });

    it('the city admin sees all of Huaihua but not 长沙; the system administrator sees everything', async () => {
      const cityRows = await allPages(city, 'x=1');
      expect(cityRows.items.every((r) => r.regionCode?.startsWith('4312'))).toBe(true);
      const cityActors = new Set(cityRows.items.map((r) => r.actorUsername));
      expect(cityActors.has('county-431221')).toBe(true);
      expect(cityActors.has('director-431202001201')).toBe(true);
      expect(cityActors.has(OUTSIDE.director)).toBe(false);
      const everything = await search(sysadmin, `q=${OUTSIDE.director}`);
      expect(everything.total).toBeGreaterThan(0);
    });

    it('is closed to directors and supervisors', async () => {
      for (const username of ['director-431202001201', 'supervisor-431202001000']) {
        const s = await signIn(t, username);
        expect((await s.request('GET', '/api/audit')).status, username).toBe(403);
      }
    });
  });

  describe('hash chain', () => {
    const db = () => t.deps.db;
    const rowAt = (seq: number) => db().selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
    const head = async () => Number((await db().selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow()).last_seq);

    it('verifies an untouched log, row for row', async () => {
      const report = await verifyAuditChain(t.deps);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.rows).toBe(await head());
      expect(report.rows).toBeGreaterThan(10);
    });

    it('detects a changed row (details or actor), and is whole again once it is put back', async () => {
      const seq = Math.floor((await head()) / 2);
      const original = await rowAt(seq);
      await db().updateTable('audit_log').set({ details: JSON.stringify({ note: 'nothing happened' }) }).where('seq', '=', seq).execute();
      let report = await verifyAuditChain(t.deps);
      expect(report.ok).toBe(false);
      expect(report.problems.join('\n')).toMatch(new RegExp(`row ${seq}\\b.*changed`));

      await db().updateTable('audit_log').set({ details: original.details }).where('seq', '=', seq).execute();
      expect((await verifyAuditChain(t.deps)).ok).toBe(true);

      await db().updateTable('audit_log').set({ actor_username: 'someone-else', actor_id: null }).where('seq', '=', seq).execute();
      report = await verifyAuditChain(t.deps);
      expect(report.ok).toBe(false);
      expect(report.problems.some((p) => p.includes(`row ${seq}`))).toBe(true);
      await db().updateTable('audit_log').set({ actor_username: original.actor_username, actor_id: original.actor_id }).where('seq', '=', seq).execute();
      expect((await verifyAuditChain(t.deps)).ok).toBe(true);
    });

    it('detects a changed row even when the forger recomputed every later hash and the head by plain SHA-256 (the chain is keyed)', async () => {
      const { legacyAuditHash } = await import('./audit.repository.js');
      const last = await head();
      const seq = Math.floor(last / 3);
      const originals = await db().selectFrom('audit_log').selectAll().where('seq', '>=', seq).orderBy('seq').execute();
      const originalHead = await db().selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
      // The old attack: rewrite a row, then re-chain everything after it so that every SHA-256 link holds.
      let prev = originals[0]!.prev_hash;
      for (const row of originals) {
        const { hash: _old, ...fields } = row;
        const forged = { ...fields, prev_hash: prev, ...(Number(row.seq) === seq ? { action: 'auth.logout' } : {}) };
        prev = legacyAuditHash(forged);
        await db().updateTable('audit_log').set({ action: forged.action, prev_hash: forged.prev_hash, hash: prev }).where('seq', '=', row.seq).execute();
      }
      await db().updateTable('audit_head').set({ last_hash: prev }).execute();
      const report = await verifyAuditChain(t.deps);
      expect(report.ok).toBe(false);
      // Every rewritten row is caught, the changed one first.
      expect(report.problems[0]).toMatch(new RegExp(`^row ${seq}: content does not match its hash \\(changed\\)`));
      expect(report.problems.filter((p) => p.includes('plain SHA-256 where the keyed hash is due'))).toHaveLength(originals.length);

      for (const row of originals) await db().updateTable('audit_log').set({ action: row.action, prev_hash: row.prev_hash, hash: row.hash }).where('seq', '=', row.seq).execute();
      await db().updateTable('audit_head').set({ last_hash: originalHead.last_hash }).execute();
      expect((await verifyAuditChain(t.deps)).ok).toBe(true);
    });

    it('detects a deleted row in the middle', async () => {
      const seq = Math.floor((await head()) / 2) + 1;
      const original = await rowAt(seq);
      await db().deleteFrom('audit_log').where('seq', '=', seq).execute();
      const report = await verifyAuditChain(t.deps);
      expect(report.ok).toBe(false);
      expect(report.problems.join('\n')).toMatch(new RegExp(`row ${seq} missing`));
      await db().insertInto('audit_log').values(original).execute();
      expect((await verifyAuditChain(t.deps)).ok).toBe(true);
    });

    it('detects a deleted last row', async () => {
      const last = await head();
      const original = await rowAt(last);
      await db().deleteFrom('audit_log').where('seq', '=', last).execute();
      const report = await verifyAuditChain(t.deps);
      expect(report.ok).toBe(false);
      expect(report.rows).toBe(last - 1);
      expect(report.problems.join('\n')).toMatch(/head/);
      await db().insertInto('audit_log').values(original).execute();
      expect((await verifyAuditChain(t.deps)).ok).toBe(true);
    });

    it('stays whole after more activity through the API', async () => {
      const target = (await county.request('GET', '/api/users?q=director-431202001204').then((r) => r.json() as { items: { id: string }[] })).items[0]!;
      await county.request('PATCH', `/api/users/${target.id}`, { displayName: '改名' });
      await county.request('GET', `/api/users/${target.id}`);
      await county.request('POST', '/api/auth/logout');
      const report = await verifyAuditChain(t.deps);
      expect(report).toMatchObject({ ok: true, rows: await head() });
      const newest = (await search(sysadmin, 'pageSize=3')).items.map((r) => r.action);
      expect(newest).toEqual(['auth.logout', 'user.read', 'user.update']);
    });
  });
});
