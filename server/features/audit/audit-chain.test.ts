/**
 * Issue 11 §4: an audit chain that input cannot break (lone surrogates, NUL)
 * and that writing the database cannot rewrite (HMAC under a key kept outside
 * it, the head anchored in a file outside it), on both databases.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartupRefusal } from '../../core/errors.js';
import { inTransaction } from '../../db/transaction.js';
import { childInput } from '../children/children.test-data.js';
import { createTestApp, dialectUnderTest, signIn, type TestApp } from '../../test/harness.js';
import { anchorsFileOf, readAnchors } from './audit-anchors.js';
import { legacyAuditHash } from './audit.repository.js';
import { CHAIN_KEYED, anchorAuditHead, audit, keyAuditChain, verifyAuditChain } from './audit.service.js';

const rowsOf = (t: TestApp) => t.deps.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
const headOf = (t: TestApp) => t.deps.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
const count = async (t: TestApp) => (await rowsOf(t)).length;

/** What a log written by a version before the keyed chain looks like: every hash plain SHA-256. */
async function rewriteAsLegacy(t: TestApp, fromSeq = 1): Promise<void> {
  const rows = await rowsOf(t);
  let prev = fromSeq === 1 ? '0'.repeat(64) : rows.find((r) => Number(r.seq) === fromSeq - 1)!.hash;
  for (const row of rows.filter((r) => Number(r.seq) >= fromSeq)) {
    const { hash: _keyed, ...fields } = row;
    const hash = legacyAuditHash({ ...fields, prev_hash: prev });
    await t.deps.db.updateTable('audit_log').set({ prev_hash: prev, hash }).where('seq', '=', row.seq).execute();
    prev = hash;
  }
  await t.deps.db.updateTable('audit_head').set({ last_hash: prev }).execute();
}

async function login(t: TestApp, payload: string, language = 'zh-CN') {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json', 'accept-language': language }, payload });
  return { status: res.statusCode, body: res.json<{ error?: { code: string; field?: string; message: string } }>() };
}

describe(`audit chain input: lone surrogates and NUL (${dialectUnderTest()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses a sign-in whose username holds a lone surrogate (400 naming the field, in the user’s language), and the chain still verifies', async () => {
    const before = await count(t);
    const zh = await login(t, '{"username":"ad\\ud800min","password":"guess-1234"}');
    expect(zh.status).toBe(400);
    expect(zh.body.error).toMatchObject({ code: 'VALIDATION', field: 'username' });
    expect(zh.body.error!.message).toBe('用户名：含有无效字符（不成对的 Unicode 代理项或空字符），请删除后重试');
    const en = await login(t, '{"username":"\\udc00","password":"guess-1234"}', 'en-US');
    expect(en.status).toBe(400);
    expect(en.body.error!.message).toMatch(/^Username: contains an invalid character/);
    // Refused before anything was written — and what was written still verifies.
    expect(await count(t)).toBe(before);
    expect(await verifyAuditChain(t.deps)).toMatchObject({ ok: true, problems: [] });
  });

  it('refuses NUL in a username the same way (PostgreSQL cannot store it: never a 500)', async () => {
    const res = await login(t, '{"username":"a\\u0000b","password":"guess-1234"}');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION', field: 'username' });
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
  });

  it('refuses a child’s name and a nested field with a lone surrogate on another route, writing nothing', async () => {
    const director = await signIn(t, 'director-431202001201');
    const children = async () => Number((await t.deps.db.selectFrom('children').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = { children: await children(), rows: await count(t) };
    const raw = (body: string) =>
      t.app.inject({ method: 'POST', url: '/api/children', headers: { cookie: director.cookie, 'x-csrf-token': director.csrf, 'content-type': 'application/json' }, payload: body });
    const named = await raw(JSON.stringify(childInput({ idNumber: null })).replace('"王小明"', '"王\\ud83d明"'));
    expect(named.statusCode).toBe(400);
    expect(named.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'name' } });
    const nested = await raw(JSON.stringify(childInput({ idNumber: null })).replace('"王奶奶"', '"\\udead"'));
    expect(nested.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'caregiver.name' } });
    // The same file, well formed, is taken: the check refuses only what cannot be stored as sent (a whole pair: a rare character of CJK extension B).
    const fine = await director.request('POST', '/api/children', childInput({ idNumber: null, name: '王小𠀀' }));
    expect(fine.status, fine.body).toBe(201);
    expect(await children()).toBe(before.children + 1);
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
  });

  it('hashes an audit row as it is stored, even when code hands it half a surrogate pair (a name cut by slice)', async () => {
    const cut = `${'甲'.repeat(63)}😀`.slice(0, 64); // ends in a lone high surrogate
    expect(cut.isWellFormed()).toBe(false);
    await inTransaction(t.deps.db, (trx) => audit(trx, t.deps, null, { action: 'auth.login_failed', targetType: 'username', targetId: cut, details: { username: `x\udc00y` } }));
    const last = (await rowsOf(t)).at(-1)!;
    expect(last.target_id).toBe(`${'甲'.repeat(63)}\uFFFD`);
    expect(JSON.parse(last.details!)).toEqual({ username: 'x\uFFFDy' });
    expect(await verifyAuditChain(t.deps)).toMatchObject({ ok: true, problems: [] });
  });
});

describe(`audit chain: keyed and anchored (${dialectUnderTest()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    for (const username of ['director-431202001201', 'county-431202', 'city-431200']) await signIn(t, username);
  });
  afterAll(() => t.close());

  it('a fresh chain is keyed from its first row and verifies', async () => {
    const report = await verifyAuditChain(t.deps);
    expect(report).toMatchObject({ ok: true, problems: [], keyedFrom: 1, anchors: 0 });
    expect(report.rows).toBe(Number((await headOf(t)).last_seq));
    expect(await keyAuditChain(t.deps)).toEqual({ state: 'keyed' });
  });

  it('a row rewritten with every later hash and the head recomputed by plain SHA-256 (the old attack) fails', async () => {
    const saved = { rows: await rowsOf(t), head: await headOf(t) };
    const seq = 3;
    await t.deps.db.updateTable('audit_log').set({ actor_username: 'someone-else' }).where('seq', '=', seq).execute();
    await rewriteAsLegacy(t, seq);
    const report = await verifyAuditChain(t.deps);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatch(/^row 3: content does not match its hash \(changed\): it carries a plain SHA-256/);
    // Even re-chaining the whole log by SHA-256 gives the forger nothing: it is simply not keyed.
    await rewriteAsLegacy(t, 1);
    const whole = await verifyAuditChain(t.deps);
    expect(whole.ok).toBe(false);
    expect(whole.problems[0]).toMatch(/^the chain is not keyed: all \d+ rows carry plain SHA-256 hashes/);

    for (const row of saved.rows) await t.deps.db.updateTable('audit_log').set(row).where('seq', '=', row.seq).execute();
    await t.deps.db.updateTable('audit_head').set(saved.head).execute();
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
  });

  it('anchors the head in a 0600 file outside the database; deleting the last rows after an anchor fails, though the head is made to match', async () => {
    const anchored = await anchorAuditHead(t.deps);
    if (anchored.state !== 'anchored') throw new Error(`not anchored: ${JSON.stringify(anchored)}`);
    const head = await headOf(t);
    expect(anchored.anchor).toMatchObject({ seq: Number(head.last_seq), hash: head.last_hash, at: t.clock.now().toISOString() });
    expect(anchored.file).toBe(anchorsFileOf(t.deps.config.dataDir));
    expect(fs.statSync(anchored.file).mode & 0o777).toBe(0o600);
    expect(readAnchors(t.deps.config.dataDir).anchors).toEqual([anchored.anchor]);
    expect(await verifyAuditChain(t.deps)).toMatchObject({ ok: true, anchors: 1 });

    // More activity, a second anchor: the file grows, both hold.
    await signIn(t, 'supervisor-431202001000');
    const second = await anchorAuditHead(t.deps);
    expect(second.state).toBe('anchored');
    expect(await verifyAuditChain(t.deps)).toMatchObject({ ok: true, anchors: 2 });
    const saved = { rows: await rowsOf(t), head: await headOf(t) };

    // Cut the chain back behind the last anchor and make the head agree: the chain alone looks whole.
    const keep = anchored.anchor.seq - 2;
    const kept = saved.rows.find((r) => Number(r.seq) === keep)!;
    await t.deps.db.deleteFrom('audit_log').where('seq', '>', keep).execute();
    await t.deps.db.updateTable('audit_head').set({ last_seq: keep, last_hash: kept.hash }).execute();
    const report = await verifyAuditChain(t.deps);
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(2);
    expect(report.problems.join('\n')).toMatch(new RegExp(`anchor of .* \\(row ${anchored.anchor.seq}\\): the row is gone`));
    // Nor will it be anchored in that state.
    expect(await anchorAuditHead(t.deps)).toMatchObject({ state: 'refused' });
    expect(readAnchors(t.deps.config.dataDir).anchors).toHaveLength(2);

    // A rewritten anchored row fails too (its hash is not the anchored one).
    await t.deps.db.insertInto('audit_log').values(saved.rows.filter((r) => Number(r.seq) > keep)).execute();
    await t.deps.db.updateTable('audit_head').set(saved.head).execute();
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
    await t.deps.db.updateTable('audit_log').set({ hash: 'f'.repeat(64) }).where('seq', '=', anchored.anchor.seq).execute();
    expect((await verifyAuditChain(t.deps)).problems.join('\n')).toMatch(/no longer has the anchored hash/);
    await t.deps.db.updateTable('audit_log').set({ hash: anchored.anchor.hash }).where('seq', '=', anchored.anchor.seq).execute();
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
  });

  it('an edited anchors file is reported, not trusted', async () => {
    const file = anchorsFileOf(t.deps.config.dataDir);
    const content = fs.readFileSync(file, 'utf8');
    fs.appendFileSync(file, 'not an anchor\n');
    expect((await verifyAuditChain(t.deps)).problems).toEqual([`${file} line 3: not an anchor`]);
    fs.writeFileSync(file, content);
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
  });
});

describe(`audit chain: a log begun before the chain was keyed (${dialectUnderTest()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    for (const username of ['director-431202001201', 'county-431202', 'supervisor-431202001000']) await signIn(t, username);
    await rewriteAsLegacy(t);
  });
  afterAll(() => t.close());

  it('is keyed on the first start when its SHA-256 chain verifies: a keyed row covers the last legacy hash', async () => {
    const legacy = await rowsOf(t);
    expect((await verifyAuditChain(t.deps)).problems[0]).toMatch(/^the chain is not keyed/);
    const keyed = await keyAuditChain(t.deps);
    expect(keyed).toEqual({ state: 'keyed now', legacyRows: legacy.length, accepted: [] });
    const start = (await rowsOf(t)).at(-1)!;
    expect(start).toMatchObject({ seq: legacy.length + 1, action: CHAIN_KEYED, prev_hash: legacy.at(-1)!.hash });
    expect(JSON.parse(start.details!)).toEqual({ legacyRows: legacy.length, legacyHead: legacy.at(-1)!.hash });
    expect(await verifyAuditChain(t.deps)).toMatchObject({ ok: true, problems: [], keyedFrom: legacy.length + 1 });
    // Once.
    expect(await keyAuditChain(t.deps)).toEqual({ state: 'keyed' });
    await signIn(t, 'city-431200');
    expect(await verifyAuditChain(t.deps)).toMatchObject({ ok: true, keyedFrom: legacy.length + 1 });
  });

  it('after keying, rewriting a legacy row and re-chaining the legacy part by SHA-256 fails: the keyed row holds the old end', async () => {
    const saved = { rows: await rowsOf(t), head: await headOf(t) };
    const keyedFrom = (await verifyAuditChain(t.deps)).keyedFrom!;
    let prev = '0'.repeat(64);
    for (const row of saved.rows.filter((r) => Number(r.seq) < keyedFrom)) {
      const { hash: _h, ...fields } = Number(row.seq) === 2 ? { ...row, action: 'auth.logout' } : row;
      const hash = legacyAuditHash({ ...fields, prev_hash: prev });
      await t.deps.db.updateTable('audit_log').set({ action: fields.action, prev_hash: prev, hash }).where('seq', '=', row.seq).execute();
      prev = hash;
    }
    const report = await verifyAuditChain(t.deps);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([`row ${keyedFrom}: link to the previous row is broken`]);
    for (const row of saved.rows) await t.deps.db.updateTable('audit_log').set(row).where('seq', '=', row.seq).execute();
    await t.deps.db.updateTable('audit_head').set(saved.head).execute();
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
  });
});

describe(`audit chain: a broken legacy log is never keyed silently (${dialectUnderTest()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    for (const username of ['director-431202001201', 'county-431202']) await signIn(t, username);
    await rewriteAsLegacy(t);
  });
  afterAll(() => t.close());

  it('refuses to key it, saying which rows and what to do, and changes nothing', async () => {
    await t.deps.db.updateTable('audit_log').set({ details: '{"note":"nothing happened"}' }).where('seq', '=', 2).execute();
    const before = await rowsOf(t);
    const error = await keyAuditChain(t.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupRefusal);
    const message = (error as Error).message;
    expect(message).toMatch(/^The audit log cannot be keyed: its SHA-256 chain \(\d+ rows written before the chain was keyed\) does not verify:/);
    expect(message).toContain('  - row 2: content does not match its hash (changed)');
    expect(message).toContain('npm run cli -- audit-key --accept-broken');
    expect(await rowsOf(t)).toEqual(before);
  });

  it('keys it when the operator accepts the breaks on record; they stay listed, and a new break still fails', async () => {
    const keyed = await keyAuditChain(t.deps, { acceptBroken: true });
    expect(keyed).toMatchObject({ state: 'keyed now', accepted: ['row 2: content does not match its hash (changed)'] });
    const start = (await rowsOf(t)).at(-1)!;
    expect(JSON.parse(start.details!)).toMatchObject({ acceptedProblems: ['row 2: content does not match its hash (changed)'] });
    const report = await verifyAuditChain(t.deps);
    expect(report).toMatchObject({ ok: true, problems: [], accepted: ['row 2: content does not match its hash (changed)'] });

    await t.deps.db.updateTable('audit_log').set({ actor_username: 'someone-else' }).where('seq', '=', 1).execute();
    const later = await verifyAuditChain(t.deps);
    expect(later.ok).toBe(false);
    expect(later.problems).toEqual(['row 1: content does not match its hash (changed)']);
    // The accepted list cannot be forged: the keyed row that holds it would no longer verify.
    const details = JSON.stringify({ ...JSON.parse(start.details!), acceptedProblems: ['row 1: content does not match its hash (changed)', 'row 2: content does not match its hash (changed)'] });
    await t.deps.db.updateTable('audit_log').set({ details }).where('seq', '=', start.seq).execute();
    expect((await verifyAuditChain(t.deps)).problems).toEqual([
      'row 1: content does not match its hash (changed)',
      'row 2: content does not match its hash (changed)',
      `row ${start.seq}: content does not match its hash (changed)`,
    ]);
  });
});

// Its own database: on PostgreSQL the harness holds one test schema at a time (Kysely's migrator looks for its tables in every schema).
describe(`audit chain: a keyed log rewritten by plain SHA-256 is not keyed again (${dialectUnderTest()})`, () => {
  let u: TestApp;
  beforeAll(async () => {
    u = await createTestApp();
  });
  afterAll(() => u.close());

  it('refuses, even with --accept-broken, a SHA-256 log that the anchors file shows was keyed', async () => {
    await signIn(u, 'director-431202001201');
    expect((await anchorAuditHead(u.deps)).state).toBe('anchored');
    await rewriteAsLegacy(u);
    const error = await keyAuditChain(u.deps, { acceptBroken: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupRefusal);
    expect((error as Error).message).toMatch(/no longer has the anchored hash/);
    expect((error as Error).message).toMatch(/Restore the audit_log and audit_head tables from a backup whose chain verifies, and start again\.$/);
    expect((await rowsOf(u)).some((r) => r.action === CHAIN_KEYED)).toBe(false);
  });
});
