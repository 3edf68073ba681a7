/**
 * Issue 11 §2: no combination of what is shown or stored in plain rebuilds an
 * ID number that only the audited reveal may give. A child's birth date is
 * shown everywhere; so no answer and no plain column may hold the number's
 * sequence digits (positions 15–17) beside it, and the number itself is
 * nowhere in the database — not in a column, not in the file's bytes.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCheckCharacter, maskIdNumber } from '../../../domain/children/id-number.js';
import type { ChildDetail, DuplicateCheckResult } from '../../../domain/children/schema.js';
import { createTestApp, dialectUnderTest, dumpTables, signIn, type Session, type TestApp } from '../../test/harness.js';
import { buildRoster, rosterRow, upload, waitForJob } from '../children-import/import-test-files.js';
import { readXlsxSheet } from '../children-import/xlsx-reader.js';
import { childInput } from './children.test-data.js';

const VILLAGE = '431202001201';
const BIRTH = '2015-03-10';

/**
 * A number whose check character is X, so that "sequence + check" (what the
 * old mask showed) is a string no id, timestamp or hash of the answers can
 * hold by chance (UUIDs and hashes are lower-case hex).
 */
function numberEndingInX(first14: string, sex: 'male' | 'female'): string {
  for (let seq = 101; seq < 1000; seq++) {
    if (seq % 2 !== (sex === 'male' ? 1 : 0)) continue;
    const first17 = first14 + String(seq);
    if (computeCheckCharacter(first17) === 'X') return `${first17}X`;
  }
  throw new Error('no sequence gives X');
}

const CHILD_ID = numberEndingInX(`431202${BIRTH.replaceAll('-', '')}`, 'male');
const FATHER_ID = numberEndingInX('43120219850101', 'male');
const MOTHER_ID = numberEndingInX('43120219870202', 'female');
const NUMBERS = [CHILD_ID, FATHER_ID, MOTHER_ID];
const NAME = '龙沐辰';

/** Everything of `text` that rebuilds (or nearly) one of the numbers: its failures, labelled. */
function rebuilds(text: string): string[] {
  const found: string[] = [];
  for (const id of NUMBERS) {
    const seq = id.slice(14, 17);
    if (text.includes(id)) found.push(`the full number ${id}`);
    if (text.includes(id.slice(0, 17))) found.push(`the first 17 characters of ${id}`);
    if (text.includes(id.slice(14))) found.push(`the sequence and check character ${id.slice(14)}`);
    if (text.includes(id.slice(6, 17))) found.push(`birth date and sequence ${id.slice(6, 17)}`);
    // The sequence digits beside a mask's stars or the check character: a mask that shows them.
    if (new RegExp(`[*X]${seq}|${seq}[*X]`).test(text)) found.push(`the sequence ${seq} beside a mask`);
  }
  // Any 18-character mask at all must hide birth date and sequence (positions 7–17).
  for (const token of text.match(/[\dXx*]{18}/g) ?? []) {
    if (token.includes('*') && token.slice(6, 17) !== '*'.repeat(11)) found.push(`a mask that shows its middle: ${token}`);
  }
  return found;
}

/** The readable text of an xlsx answer (every cell of the first sheet). */
const xlsxText = (bytes: Buffer) => JSON.stringify(readXlsxSheet(bytes).rows);
/** Sealed values (AES-GCM ciphertext, `v1:<base64>`) are no plain column: taken out before looking at digits. */
const withoutCiphertext = (text: string) => text.replace(/v1:[A-Za-z0-9+/=]+/g, 'v1:…');

describe(`a masked number never rebuilds the full one (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let supervisor: Session;
  let county: Session;
  let child: ChildDetail;
  const answers: { label: string; text: string }[] = [];
  const keep = (label: string, text: string) => answers.push({ label, text });

  beforeAll(async () => {
    t = await createTestApp({}, { onDisk: true });
    director = await signIn(t, `director-${VILLAGE}`);
    supervisor = await signIn(t, 'supervisor-431202001000');
    county = await signIn(t, 'county-431202');
    const input = childInput({ name: NAME, idNumber: CHILD_ID, birthDate: BIRTH });
    const registered = await director.request('POST', '/api/children', { ...input, father: { ...input.father, idNumber: FATHER_ID } });
    expect(registered.status, registered.body).toBe(201);
    keep('registration', registered.body);
    child = registered.json() as ChildDetail;
    const approved = await supervisor.request('POST', `/api/children/${child.id}/approve`, {});
    expect(approved.status, approved.body).toBe(200);
    // An edit puts the mother's number into the history, masked.
    const { regionCode: _r, ...rest } = input;
    const edited = await director.request('PUT', `/api/children/${child.id}`, { ...rest, version: (approved.json() as ChildDetail).version, mother: { ...rest.mother, idNumber: MOTHER_ID } });
    expect(edited.status, edited.body).toBe(200);
    keep('edit', edited.body);
  });
  afterAll(() => t.close());

  it('shows the region and the check character only, beside the birth date', async () => {
    const page = await director.request('GET', `/api/children/${child.id}`);
    keep('child page', page.body);
    const detail = page.json() as ChildDetail;
    expect(detail.birthDate).toBe(BIRTH);
    expect(detail.idNumberMasked).toBe(`431202${'*'.repeat(11)}X`);
    expect(detail.idNumberMasked).toBe(maskIdNumber(CHILD_ID));
    expect(detail.father.idNumber).toBe(maskIdNumber(FATHER_ID));
    expect(detail.mother.idNumber).toBe(maskIdNumber(MOTHER_ID));
  });

  it('gives nothing that rebuilds a number in any answer: list, page, history, timeline, duplicates, letter, export, import report', async () => {
    for (const [label, url] of [
      ['list', '/api/children?pageSize=200'],
      ['search by the number', `/api/children?q=${CHILD_ID}`],
      ['history', `/api/children/${child.id}/history`],
      ['timeline', `/api/children/${child.id}/timeline`],
      ['letter to print', `/api/children/${child.id}/letters/guardian/document`],
    ] as const) {
      const res = await director.request('GET', url);
      expect(res.status, `${label}: ${res.body.slice(0, 200)}`).toBe(200);
      keep(label, res.body);
    }
    const listed = (await director.request('GET', `/api/children?q=${CHILD_ID}`)).json() as { items: { idNumberMasked: string | null }[] };
    expect(listed.items.map((i) => i.idNumberMasked)).toEqual([maskIdNumber(CHILD_ID)]);

    const check = await supervisor.request('POST', '/api/children/duplicates', { name: NAME, birthDate: BIRTH, idNumber: CHILD_ID, regionCode: VILLAGE });
    expect((check.json() as DuplicateCheckResult).candidates[0]?.idNumberMasked).toBe(maskIdNumber(CHILD_ID));
    keep('duplicate check', check.body);
    const again = await director.request('POST', '/api/children', childInput({ name: NAME, idNumber: CHILD_ID, birthDate: BIRTH }));
    expect(again.status).toBe(409);
    keep('registration 409', again.body);

    const exported = await t.app.inject({ method: 'GET', url: '/api/children/export', headers: { cookie: county.cookie } });
    expect(exported.statusCode).toBe(200);
    const sheet = xlsxText(exported.rawPayload);
    expect(sheet).toContain(NAME);
    expect(sheet).toContain(maskIdNumber(CHILD_ID));
    keep('export', sheet);

    const dry = await upload(supervisor, await buildRoster([rosterRow({ 姓名: NAME, 性别: '男', 出生日期: BIRTH, 身份证号: CHILD_ID, '村（社区）代码': VILLAGE })]), { dryRun: true });
    const job = await waitForJob(supervisor, dry.jobId!);
    expect(job.result?.errorCount).toBe(1);
    keep('import dry run', JSON.stringify(job));
    const report = await t.app.inject({ method: 'GET', url: `/api/children/import/${dry.jobId}/errors.xlsx`, headers: { cookie: supervisor.cookie } });
    keep('import error report', xlsxText(report.rawPayload));

    // The birth date is shown beside the mask in these; none of them holds what would complete it.
    expect(answers.filter((a) => a.text.includes(BIRTH)).map((a) => a.label)).toEqual(expect.arrayContaining(['child page', 'list', 'history', 'letter to print', 'duplicate check', 'export']));
    for (const { label, text } of answers) expect(rebuilds(text), label).toEqual([]);
  });

  it('keeps nothing in a plain column that rebuilds a number, and no number in the database at all', async () => {
    const dump = await dumpTables(t);
    for (const [table, text] of dump) {
      for (const id of NUMBERS) expect(text, `${table} holds ${id}`).not.toContain(id);
      expect(rebuilds(withoutCiphertext(text)), `plain columns of ${table}`).toEqual([]);
    }
    expect(dump.get('children')).toContain(maskIdNumber(CHILD_ID));

    if (t.handle.file) {
      // The bytes on disk: the database file and its write-ahead log, free pages included.
      const bytes = Buffer.concat([t.handle.file, `${t.handle.file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
      expect(bytes.includes(Buffer.from(NAME)), 'the file read is the one written').toBe(true);
      for (const id of NUMBERS) expect(bytes.includes(Buffer.from(id)), `the database file holds ${id}`).toBe(false);
      for (const id of NUMBERS) expect(bytes.includes(Buffer.from(id.slice(14))), `the database file holds ${id.slice(14)}`).toBe(false);
    }
  });

  it('gives the full number only in the audited reveal', async () => {
    const before = await t.deps.db.selectFrom('audit_log').select('seq').where('action', '=', 'child.reveal').execute();
    const reveal = await director.request('POST', `/api/children/${child.id}/reveal`, { field: 'idNumber' });
    expect(reveal.json()).toEqual({ field: 'idNumber', value: CHILD_ID });
    const after = await t.deps.db.selectFrom('audit_log').select(['seq', 'target_id', 'details']).where('action', '=', 'child.reveal').execute();
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)).toMatchObject({ target_id: child.id, details: JSON.stringify({ field: 'idNumber' }) });
  });
});
