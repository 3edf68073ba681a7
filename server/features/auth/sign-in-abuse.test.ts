/**
 * Sign-in abuse (issue 11 §5): attempts are throttled per client address and overall, the
 * lockout counts per (account, address) so that nobody can lock every account from one place,
 * and a locked account or an unknown username is answered exactly like a wrong password, in
 * the same time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, UserRecord } from '../../../domain/api.js';
import { DEMO_PASSWORD, createTestApp, dialectUnderTest, signIn, type TestApp } from '../../test/harness.js';

const MINUTE = 60_000;

interface Attempt {
  status: number;
  body: string;
  headers: Record<string, unknown>;
}

async function attempt(t: TestApp, username: string, password: string, remoteAddress: string, headers: Record<string, string> = {}): Promise<Attempt> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress, headers });
  return { status: res.statusCode, body: res.body, headers: res.headers };
}

/** Directors of the villages of 鹤城区, `count` of them from `from` on (each test takes its own). */
async function directors(t: TestApp, from: number, count: number): Promise<string[]> {
  const villages = await t.deps.db.selectFrom('regions').select('code').where('level', '=', 'village').where('code', 'like', '431202%').orderBy('code').execute();
  return villages.slice(from, from + count).map((v) => `director-${v.code}`);
}

const countBy = (statuses: number[]) => statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe(`sign-in limits per address and overall (${dialectUnderTest()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    // The defaults per address (10 a minute); a low overall ceiling so that a test can reach it.
    t = await createTestApp({ loginRatePerAddress: 10, loginRateGlobal: 40 });
  });
  afterAll(() => t.close());

  it('100 wrong sign-ins across 20 accounts from one address: 10 are tried, 90 answered 429 with Retry-After; every account still signs in from elsewhere', async () => {
    const accounts = await directors(t, 0, 20);
    const statuses: number[] = [];
    let throttled: Attempt | null = null;
    for (let i = 0; i < 100; i++) {
      const res = await attempt(t, accounts[i % 20]!, `wrong-guess-${i}`, '203.0.113.10');
      statuses.push(res.status);
      if (res.status === 429) throttled ??= res;
    }
    expect(countBy(statuses)).toEqual({ 401: 10, 429: 90 });
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));

    const seconds = Number(throttled!.headers['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(JSON.parse(throttled!.body)).toEqual({ error: { code: 'TOO_MANY_REQUESTS', message: `请求过于频繁，请在 ${seconds} 秒后再试` } });
    const english = await attempt(t, accounts[0]!, 'wrong-guess-x', '203.0.113.10', { 'accept-language': 'en-US' });
    expect(english.status).toBe(429);
    expect((JSON.parse(english.body) as ErrorBody).error.message).toMatch(/^Too many requests; try again in \d+ seconds$/);

    // Only the 10 attempts that were tried are in the audit log, without the passwords.
    const failed = await t.deps.db.selectFrom('audit_log').selectAll().where('ip', '=', '203.0.113.10').execute();
    expect(failed.map((r) => r.action)).toEqual(Array(10).fill('auth.login_failed'));
    expect(failed.some((r) => r.details?.includes('wrong-guess'))).toBe(false);

    // Nobody is locked out: each owner signs in from his own address (and the 90 refused attempts used none of the overall allowance).
    for (const [i, username] of accounts.entries()) {
      expect((await attempt(t, username, DEMO_PASSWORD, `198.51.100.${i + 1}`)).status, username).toBe(200);
    }
  });

  it('past the overall ceiling, sign-ins from fresh addresses are answered 429 too', async () => {
    const [username] = await directors(t, 20, 1);
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await attempt(t, username!, `wrong-guess-${i}`, `192.0.2.${i + 1}`)).status);
    // At most 40 a minute from everyone together: at least 10 of these 50 are refused, all after the first refusal.
    const first = statuses.indexOf(429);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(statuses.slice(first).every((s) => s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
  });
});

describe(`sign-in lockout per account and address (${dialectUnderTest()})`, () => {
  let t: TestApp;
  // The request limits are lifted here (the harness default): these tests are about the lockout behind them.
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const lockedUsers = async (usernames: string[]) =>
    (await t.deps.db.selectFrom('users').select(['username', 'locked_until']).where('username', 'in', usernames).execute()).filter((u) => u.locked_until).map((u) => u.username);

  it('100 wrong sign-ins across 20 accounts from one address lock that address out of each, and nobody else', async () => {
    const accounts = await directors(t, 0, 20);
    for (let i = 0; i < 100; i++) expect((await attempt(t, accounts[i % 20]!, `wrong-guess-${i}`, '203.0.113.20')).status).toBe(401);
    const locks = await t.deps.db.selectFrom('audit_log').select(['action', 'details']).where('ip', '=', '203.0.113.20').where('action', '=', 'auth.locked').execute();
    expect(locks).toHaveLength(20);
    expect(locks.every((l) => (JSON.parse(l.details!) as { lock: string }).lock === 'address')).toBe(true);
    expect(await lockedUsers(accounts)).toEqual([]);

    // From that address even the right password is refused, exactly as a wrong one …
    const right = await attempt(t, accounts[0]!, DEMO_PASSWORD, '203.0.113.20');
    const wrong = await attempt(t, accounts[0]!, 'wrong-guess-x', '203.0.113.20');
    expect(right.status).toBe(401);
    expect(right.body).toBe(wrong.body);
    expect(right.headers['set-cookie']).toBeUndefined();
    // … while every owner signs in from another one.
    for (const username of accounts) expect((await attempt(t, username, DEMO_PASSWORD, '198.51.100.20')).status, username).toBe(200);
  });

  it('attempts during an address lock count towards nothing: one address cannot lock the account for everyone', async () => {
    const [username] = await directors(t, 20, 1);
    for (let i = 0; i < 55; i++) expect((await attempt(t, username!, `wrong-guess-${i}`, '203.0.113.21')).status).toBe(401);
    expect(await lockedUsers([username!])).toEqual([]);
    expect((await attempt(t, username!, DEMO_PASSWORD, '198.51.100.21')).status).toBe(200);
  });

  it('wrong passwords spread over 10 addresses lock the account for everyone until the lock time has passed; the admin sees it', async () => {
    const [username] = await directors(t, 21, 1);
    for (let a = 1; a <= 10; a++) {
      for (let i = 0; i < 5; i++) expect((await attempt(t, username!, `wrong-guess-${i}`, `203.0.113.${100 + a}`)).status).toBe(401);
    }
    expect(await lockedUsers([username!])).toEqual([username]);
    const lock = await t.deps.db.selectFrom('audit_log').select('details').where('action', '=', 'auth.locked').where('ip', '=', '203.0.113.110').executeTakeFirstOrThrow();
    expect(JSON.parse(lock.details!)).toMatchObject({ lock: 'account', accountFailures: 50 });

    const fresh = await attempt(t, username!, DEMO_PASSWORD, '198.51.100.22');
    expect(fresh.status).toBe(401);
    expect(fresh.body).toBe((await attempt(t, username!, 'wrong-guess-x', '198.51.100.22')).body);
    const admin = await signIn(t, 'county-431202');
    const listed = (await admin.request('GET', `/api/users?q=${username}`)).json() as { items: UserRecord[] };
    expect(listed.items[0]).toMatchObject({ username, locked: true });

    t.clock.advance(15 * MINUTE + 1000);
    expect((await attempt(t, username!, DEMO_PASSWORD, '198.51.100.22')).status).toBe(200);
  });

  it('a locked account, an unknown username and a wrong password get the same status and byte-identical answers', async () => {
    const [open, addressLocked, accountLocked] = await directors(t, 30, 3);
    for (let i = 0; i < 5; i++) await attempt(t, addressLocked!, `wrong-guess-${i}`, '203.0.113.30');
    await t.deps.db.updateTable('users').set({ locked_until: new Date(t.clock.now().getTime() + 10 * MINUTE).toISOString() }).where('username', '=', accountLocked!).execute();

    for (const headers of [{}, { 'accept-language': 'en-US' }] as Record<string, string>[]) {
      const answers = [
        await attempt(t, open!, 'wrong-guess-1', '203.0.113.30', headers),
        await attempt(t, 'director-999999999999', 'wrong-guess-1', '203.0.113.30', headers),
        await attempt(t, addressLocked!, DEMO_PASSWORD, '203.0.113.30', headers),
        await attempt(t, accountLocked!, DEMO_PASSWORD, '203.0.113.30', headers),
      ];
      expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      expect(new Set(answers.map((a) => `${String(a.headers['content-type'])} ${String(a.headers['content-length'])}`)).size).toBe(1);
    }
    expect((JSON.parse((await attempt(t, open!, 'wrong-guess-2', '203.0.113.31')).body) as ErrorBody).error.code).toBe('BAD_CREDENTIALS');
  });

  it('an unknown username and a locked account take as long to answer as a wrong password (medians of 15)', async () => {
    const [known, locked] = await directors(t, 40, 2);
    for (let i = 0; i < 5; i++) await attempt(t, locked!, `wrong-guess-${i}`, '203.0.113.40');
    const times: Record<'known' | 'unknown' | 'locked', number[]> = { known: [], unknown: [], locked: [] };
    const time = async (username: string, address: string) => {
      const start = performance.now();
      const res = await attempt(t, username, 'wrong-guess-t', address);
      expect(res.status).toBe(401);
      return performance.now() - start;
    };
    for (let i = 0; i < 15; i++) {
      // A new address each time for the known account, so that it never locks while measured.
      times.known.push(await time(known!, `192.0.2.${100 + i}`));
      times.unknown.push(await time('director-999999999998', '203.0.113.40'));
      times.locked.push(await time(locked!, '203.0.113.40'));
    }
    const reference = median(times.known);
    // The verification of a password (scrypt) is nearly all of the time: without it, an answer takes a few milliseconds.
    expect(reference).toBeGreaterThan(5);
    for (const kind of ['unknown', 'locked'] as const) {
      const ratio = median(times[kind]) / reference;
      expect(ratio, `${kind}: ${median(times[kind]).toFixed(1)} ms against ${reference.toFixed(1)} ms`).toBeGreaterThan(0.6);
      expect(ratio, `${kind}: ${median(times[kind]).toFixed(1)} ms against ${reference.toFixed(1)} ms`).toBeLessThan(1.6);
    }
  });

  it('records failures and locks in the audit log, with the address and without the password', async () => {
    const [username] = await directors(t, 50, 1);
    for (let i = 0; i < 6; i++) await attempt(t, username!, `secret-guess-${i}`, '203.0.113.50');
    const rows = await t.deps.db.selectFrom('audit_log').select(['action', 'details', 'ip', 'target_type']).where('ip', '=', '203.0.113.50').orderBy('seq').execute();
    expect(rows.map((r) => r.action)).toEqual(['auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.locked', 'auth.login_failed']);
    expect(rows.map((r) => JSON.parse(r.details!) as { reason: string }).map((d) => d.reason)).toEqual([
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'address_locked',
    ]);
    expect(rows.every((r) => r.target_type === 'user' && !r.details!.includes('secret-guess'))).toBe(true);
  });
});
