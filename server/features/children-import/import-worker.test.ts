/**
 * The roster import beside the server (issue 13 point 1): it runs in threads
 * of its own, the server keeps answering while it writes, and a failure
 * inside it — a bad row found late, a thread dying — leaves nothing written.
 * On disk, so that SQLite runs the import on a connection of its own as a
 * server does (PostgreSQL always does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJobStatus } from '../../../domain/children/import.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { hanDigits } from '../children/children.test-data.js';
import { buildRoster, rosterRow, testId, upload, waitForJob, type RosterRow } from './import-test-files.js';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢唐向舒田龙';
const GIVEN = '建国华明丽芳军平伟英红霞勇敏静强艳娟辉涛琴春秀玲兰桂志海燕文雨欣怡梓涵宇轩浩然子墨';

/** `n` distinct children spread over `villages`, each with an ID number unless every tenth. */
function roster(n: number, villages: string[], seed: number): RosterRow[] {
  return Array.from({ length: n }, (_, i) => {
    const day = new Date(Date.UTC(2009, 0, 1) + ((i + seed * 7) % 5000) * 86_400_000).toISOString().slice(0, 10);
    const sex = i % 2 === 0 ? 'male' : 'female';
    return rosterRow({
      姓名: SURNAMES[(i + seed) % SURNAMES.length]! + GIVEN[Math.floor(i / 31) % GIVEN.length]! + GIVEN[Math.floor(i / 7) % GIVEN.length]!,
      性别: sex === 'male' ? '男' : '女',
      出生日期: day,
      身份证号: i % 10 === 0 ? null : testId(day, seed * 10 + Math.floor(i / 5000), sex),
      '村（社区）代码': villages[i % villages.length]!,
    });
  });
}

describe(`the roster import beside the server (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let city: Session;
  let villages: string[];
  const count = async (table: 'children' | 'child_changes' | 'audit_log') => Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const importAudits = async () => (await t.deps.db.selectFrom('audit_log').select('seq').where('action', '=', 'child.import').execute()).length;

  /** Polls the job until it ends, keeping every status seen. */
  async function follow(jobId: string): Promise<ImportJobStatus[]> {
    const seen: ImportJobStatus[] = [];
    for (;;) {
      const job = (await city.request('GET', `/api/children/import/${jobId}`)).json() as ImportJobStatus;
      seen.push(job);
      if (job.state !== 'running') return seen;
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  async function withFaults<T>(faults: object, work: () => Promise<T>): Promise<T> {
    process.env.SHOUHU_IMPORT_FAULTS = JSON.stringify(faults);
    try {
      return await work();
    } finally {
      delete process.env.SHOUHU_IMPORT_FAULTS;
    }
  }

  beforeAll(async () => {
    // Two builder threads whatever the machine: a chunk and the next are built by different threads.
    t = await createTestApp({ importBuilders: 2 }, { onDisk: true });
    city = await signIn(t, 'city-431200');
    villages = (await t.deps.db.selectFrom('regions').select('code').where('level', '=', 'village').where('code', 'like', '4312%').orderBy('code').execute()).map((v) => v.code);
  });
  afterAll(() => t.close());

  it('a row with an error late in the file rolls back what was already written, and the report names it', async () => {
    const rows = roster(20_000, villages, 1);
    const bad = 18_500; // row 18,502 of the sheet
    rows[bad] = { ...rows[bad]!, 出生日期: '2015-02-30', 身份证号: null };
    const file = await buildRoster(rows);
    const before = { children: await count('children'), changes: await count('child_changes'), imports: await importAudits() };
    const up = await upload(city, file, { dryRun: false, fileName: '晚错.xlsx' });
    expect(up.status, up.body).toBe(202);
    const seen = await follow(up.jobId!);
    const last = seen.at(-1)!;
    expect(last.state, JSON.stringify(last.error)).toBe('done');
    expect(last.result).toMatchObject({ rows: 20_000, invalid: 1, committed: false, imported: 0 });
    expect(last.result!.errors.map((e) => `${e.row} ${e.message}`)).toEqual(['18502 出生日期：不是真实存在的日期']);
    // The writing had begun before the bad row was read: rows were written, then rolled back.
    expect(Math.max(...seen.map((s) => s.written))).toBeGreaterThan(0);
    expect({ children: await count('children'), changes: await count('child_changes'), imports: await importAudits() }).toEqual(before);
  }, 240_000);

  it('finds a row repeating one several chunks earlier (read by another builder thread), in a dry run and in a commit', async () => {
    const rows = roster(7000, villages, 4);
    // Chunks hold 2,000 rows: rows 101, 2,601 and 4,151 of the file lie in three chunks, built by different threads.
    rows[2600] = { ...rows[2600]!, 身份证号: rows[101]!.身份证号, 出生日期: rows[101]!.出生日期, 性别: rows[101]!.性别 };
    rows[4150] = { ...rows[4150]!, 姓名: rows[50]!.姓名, 出生日期: rows[50]!.出生日期, '村（社区）代码': rows[50]!['村（社区）代码'], 身份证号: null };
    const file = await buildRoster(rows);
    const before = await count('children');
    for (const dryRun of [true, false]) {
      const job = await waitForJob(city, (await upload(city, file, { dryRun })).jobId!);
      expect(job.result, JSON.stringify(job.error)).toMatchObject({ rows: 7000, invalid: 2, committed: false, imported: 0 });
      expect(job.result!.errors.map((e) => `${e.row} ${e.message}`)).toEqual([
        '2602 身份证号：与第 103 行的身份证号相同',
        '4152 姓名：与第 52 行的姓名、出生日期、村（社区）均相同',
      ]);
    }
    expect(await count('children')).toBe(before);
  }, 240_000);

  it('a writer thread that dies mid-write leaves nothing written, and the job says so in the user\'s language', async () => {
    const file = await buildRoster(roster(10_000, villages, 2));
    const before = { children: await count('children'), changes: await count('child_changes') };
    const up = await withFaults({ writerAfterRows: 4000 }, () => upload(city, file, { dryRun: false }));
    expect(up.status, up.body).toBe(202);
    const seen = await follow(up.jobId!);
    const last = seen.at(-1)!;
    expect(last.state).toBe('failed');
    expect(last.error).toEqual({ code: 'IMPORT_INTERRUPTED', message: '导入未完成即中断，未写入任何数据。请重新上传文件' });
    expect({ children: await count('children'), changes: await count('child_changes') }).toEqual(before);

    // The lock died with the thread: the server writes again (a sign-in), and the next import runs on new threads.
    const director = await signIn(t, 'director-431202001201');
    expect(director.cookie).toBeTruthy();
    const small = await buildRoster([rosterRow({ 姓名: `续导${hanDigits(1)}`, 出生日期: '2014-06-01', 性别: '男', 身份证号: testId('2014-06-01', 91) })]);
    const again = await waitForJob(city, (await upload(city, small, { dryRun: false })).jobId!);
    expect(again.result, JSON.stringify([again.error, again.result?.errors])).toMatchObject({ committed: true, imported: 1 });
  }, 240_000);

  it('a builder thread that dies leaves nothing written either', async () => {
    const file = await buildRoster(roster(10_000, villages, 3));
    const before = await count('children');
    const up = await withFaults({ builderAfterRows: 7000 }, () => upload(city, file, { dryRun: false }));
    const last = (await follow(up.jobId!)).at(-1)!;
    expect(last.state).toBe('failed');
    expect(last.error?.code).toBe('IMPORT_INTERRUPTED');
    expect(await count('children')).toBe(before);
    // In English for an English-speaking user.
    const en = await withFaults({ builderAfterRows: 10 }, async () => {
      const { body, headers } = (await import('./import-test-files.js')).multipart('roster.xlsx', file);
      const res = await city.request('POST', '/api/children/import?dryRun=true', body, { ...headers, 'accept-language': 'en-US' });
      return waitForJob(city, (res.json() as { jobId: string }).jobId);
    });
    expect(en.error?.message).toBe('The import stopped before it finished; nothing of it was written. Upload the file again');
  }, 240_000);

  it('the server keeps answering while 50,000 rows are written: sign-in, the children list, a child page, the progress poll', async () => {
    const N = 50_000;
    const file = await buildRoster(roster(N, villages, 4));
    // A child whose page is asked for meanwhile.
    const one = await buildRoster([rosterRow({ 姓名: `页面${hanDigits(7)}`, 出生日期: '2013-09-09', 性别: '女', 身份证号: testId('2013-09-09', 77, 'female') })]);
    expect((await waitForJob(city, (await upload(city, one, { dryRun: false })).jobId!)).result).toMatchObject({ imported: 1 });
    const someChild = (await t.deps.db.selectFrom('children').select('id').where('name', '=', `页面${hanDigits(7)}`).executeTakeFirstOrThrow()).id;
    const before = await count('children');
    // The event loop's longest stall while the import runs: a server that writes in its own thread never stalls for long.
    let lastTick = performance.now();
    let longestStall = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestStall = Math.max(longestStall, now - lastTick);
      lastTick = now;
    }, 10);
    const uploadedAt = performance.now();
    const up = await upload(city, file, { dryRun: false, fileName: '全市花名册.xlsx' });
    expect(up.status, up.body).toBe(202);
    const answered: { what: string; status: number; ms: number; written: number; at: number }[] = [];
    const seen: ImportJobStatus[] = [];
    /** Requests that write (an audited child page, a sign-in) run beside the poll: on SQLite they wait their turn for the write lock. */
    const aside: Promise<void>[] = [];
    const timed = (what: string, written: number, call: () => Promise<number>) =>
      aside.push(
        (async () => {
          const t0 = performance.now();
          const status = await call();
          answered.push({ what, status, ms: performance.now() - t0, written, at: performance.now() });
        })(),
      );
    try {
      for (;;) {
        const job = (await city.request('GET', `/api/children/import/${up.jobId}`)).json() as ImportJobStatus;
        seen.push(job);
        if (job.state !== 'running') break;
        const writing = job.phase === 'writing' && job.written > 0 && job.written < N;
        const t0 = performance.now();
        const list = await city.request('GET', '/api/children?page=1&pageSize=20&category=left_behind');
        answered.push({ what: 'list', status: list.status, ms: performance.now() - t0, written: writing ? job.written : -1, at: performance.now() });
        if (writing && !aside.length) {
          timed('child', job.written, async () => (await city.request('GET', `/api/children/${someChild}`)).status);
          timed('sign-in', job.written, async () => ((await signIn(t, 'county-431202')).cookie ? 200 : 0));
        }
        // As a page polls: app.inject answers without a turn of the event loop, and the import's messages need one.
        await new Promise((r) => setTimeout(r, 20));
      }
      await Promise.all(aside);
    } finally {
      clearInterval(ticker);
    }
    const last = seen.at(-1)!;
    expect(last.state, JSON.stringify(last.error)).toBe('done');
    expect(last.result).toMatchObject({ imported: N, errorCount: 0 });
    expect(await count('children')).toBe(before + N);
    // Progress moved through the writing, not only the checking.
    const writtenSeen = new Set(seen.filter((s) => s.phase === 'writing').map((s) => s.written).filter((w) => w > 0 && w < N));
    expect(writtenSeen.size).toBeGreaterThanOrEqual(3);
    // Lists were answered while rows were being written; every request was answered, 200.
    const duringWrite = answered.filter((a) => a.what === 'list' && a.written > 0);
    expect(duringWrite.length).toBeGreaterThanOrEqual(3);
    expect(answered.map((a) => `${a.what} ${a.status}`).filter((a) => !a.endsWith(' 200'))).toEqual([]);
    expect(answered.filter((a) => a.what !== 'list').map((a) => a.what).sort()).toEqual(['child', 'sign-in']);
    const writes = answered.filter((a) => a.what !== 'list');
    if (dialectUnderTest() === 'postgres') {
      // PostgreSQL: rows are locked, not the database — a sign-in and an audited child page answer while the import writes.
      // (answered more than a second before the job ended, as its own elapsed time tells)
      const endedAt = uploadedAt + last.result!.elapsedMs;
      for (const w of writes) expect(w.at, `${w.what} answered only when the import ended`).toBeLessThan(endedAt - 1000);
    }
    const slowest = Math.max(...duringWrite.map((a) => a.ms));
    console.log(
      `during the import (${dialectUnderTest()}): ${duringWrite.length} lists answered while writing (slowest ${slowest.toFixed(0)} ms); ${writes.map((w) => `${w.what} ${w.ms.toFixed(0)} ms`).join(', ')}; longest event-loop stall ${longestStall.toFixed(0)} ms; import ${last.result!.elapsedMs} ms`,
    );
    // Generous for a shared machine; a server writing in its own thread would stall for the whole write (many seconds).
    expect(longestStall).toBeLessThan(2000);
  }, 300_000);
});
