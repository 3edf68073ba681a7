import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCheckCharacter, maskIdNumber, maskPhone } from '../../../domain/children/id-number.js';
import type { ChildDetail } from '../../../domain/children/schema.js';
import { childInput } from '../../features/children/children.test-data.js';
import { createTestApp, dialectUnderTest, dumpTables, signIn, type Session, type TestApp } from '../../test/harness.js';
import { newId } from '../../core/ids.js';
import * as migration from './0016-rewrite-id-masks.js';

const idOf = (first17: string) => first17 + computeCheckCharacter(first17);
/** The mask before issue 11: the first 6 and the last 4 characters kept. */
const oldMask = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;
/** Anything that still looks like the old mask: 6 digits, 8 stars, then digits. */
const OLD_FORMAT = /\d{6}\*{8}[\dX]{4}/;

const CHILD_ID = idOf('43120220150310739'); // the child, born 2015-03-10 in 鹤城区
const FATHER_ID = idOf('43122119850101123'); // born in 中方县: another region, so his new mask differs from the child's
const MOTHER_ID = idOf('43010219870202224');
const SHORT_PHONE = '123456'; // old mask 12**56: showed four of six digits

describe(`migration 0016: stored masks rewritten (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let supervisor: Session;
  let child: ChildDetail;

  beforeAll(async () => {
    t = await createTestApp();
    supervisor = await signIn(t, 'supervisor-431202001000');
    const input = childInput({ name: '迁移验证', idNumber: CHILD_ID });
    const res = await supervisor.request('POST', '/api/children', { ...input, father: { ...input.father, idNumber: FATHER_ID } });
    expect(res.status, res.body).toBe(201);
    child = res.json() as ChildDetail;
    // An edit: the mother's ID number and a short carer's phone enter the history, masked.
    const { regionCode: _r, ...rest } = input;
    const edit = await supervisor.request('PUT', `/api/children/${child.id}`, {
      ...rest,
      version: child.version,
      mother: { ...rest.mother, idNumber: MOTHER_ID },
      caregiver: { ...rest.caregiver, phone: SHORT_PHONE },
    });
    expect(edit.status, edit.body).toBe(200);
  });
  afterAll(() => t.close());

  it('leaves no stored value in the old 6 + 4 format, and writes the new mask computed without the key', async () => {
    // Put the database back as the old code wrote it: every mask in the old format.
    const db = t.deps.db;
    await db.updateTable('children').set({ id_masked: oldMask(CHILD_ID) }).where('id', '=', child.id).execute();
    const toOld: [string, string][] = [
      [maskIdNumber(CHILD_ID), oldMask(CHILD_ID)],
      [maskIdNumber(FATHER_ID), oldMask(FATHER_ID)],
      [maskIdNumber(MOTHER_ID), oldMask(MOTHER_ID)],
      [maskPhone(SHORT_PHONE), '12**56'],
    ];
    const history = await db.selectFrom('child_changes').select(['id', 'changes']).where('child_id', '=', child.id).execute();
    for (const row of history) {
      let changes = row.changes;
      for (const [now, old] of toOld) changes = changes.replaceAll(JSON.stringify(now), JSON.stringify(old));
      await db.updateTable('child_changes').set({ changes }).where('id', '=', row.id).execute();
    }
    // A history entry whose stars are no mask: a note typed by a user stays as it was.
    const note = [{ field: 'notes', from: null, to: '***重要***' }, { field: 'idNumber', from: null, to: oldMask(CHILD_ID) }];
    const noteId = newId();
    await db
      .insertInto('child_changes')
      .values({ id: noteId, child_id: child.id, region_code: child.region.code, at: t.clock.now().toISOString(), actor_id: null, actor_name: null, action: 'update', comment: null, changes: JSON.stringify(note) })
      .execute();
    const before = [...(await dumpTables(t)).values()].join('\n');
    expect(before).toMatch(OLD_FORMAT);
    expect(before).toContain('12**56');

    await migration.up(db);

    const dump = await dumpTables(t);
    for (const [table, text] of dump) expect(text, `${table} still holds an old-format mask`).not.toMatch(OLD_FORMAT);
    expect([...dump.values()].join('\n')).not.toContain('12**56');
    const stored = await db.selectFrom('children').select('id_masked').where('id', '=', child.id).executeTakeFirstOrThrow();
    expect(stored.id_masked).toBe(maskIdNumber(CHILD_ID));
    expect(stored.id_masked).toBe(`431202${'*'.repeat(11)}${CHILD_ID.slice(17)}`);

    const changes = (await db.selectFrom('child_changes').select(['id', 'changes']).where('child_id', '=', child.id).execute()).flatMap(
      (r) => JSON.parse(r.changes) as { field: string; from: unknown; to: unknown }[],
    );
    const valuesOf = (field: string) => changes.filter((c) => c.field === field).flatMap((c) => [c.from, c.to]).filter((v) => v !== null);
    expect(new Set(valuesOf('idNumber'))).toEqual(new Set([maskIdNumber(CHILD_ID)]));
    expect(valuesOf('father.idNumber')).toEqual([maskIdNumber(FATHER_ID)]);
    expect(valuesOf('mother.idNumber')).toEqual([maskIdNumber(MOTHER_ID)]);
    expect(valuesOf('caregiver.phone')).toContain(maskPhone(SHORT_PHONE));
    expect(valuesOf('father.phone')).toEqual(['138****5678']); // a mobile's mask is unchanged
    const kept = await db.selectFrom('child_changes').select('changes').where('id', '=', noteId).executeTakeFirstOrThrow();
    expect(JSON.parse(kept.changes)).toEqual([note[0], { field: 'idNumber', from: null, to: maskIdNumber(CHILD_ID) }]);

    // Shown as stored: the history answer carries the new masks only.
    const answer = await supervisor.request('GET', `/api/children/${child.id}/history`);
    expect(answer.body).not.toMatch(OLD_FORMAT);
    expect(answer.body).toContain(maskIdNumber(FATHER_ID));

    // Running it again changes nothing.
    await migration.up(db);
    expect(await dumpTables(t)).toEqual(dump);
  });

  it('rewrites a mask of another length to at most its first 2 and last 1 characters', () => {
    expect(migration.rewriteChanges(JSON.stringify([{ field: 'father.idNumber', from: '43***********23', to: null }]))).toBe(
      JSON.stringify([{ field: 'father.idNumber', from: maskIdNumber('431202150101123'), to: null }]),
    );
    expect(migration.rewriteChanges(JSON.stringify([{ field: 'status', from: 'active', to: 'closed' }]))).toBeNull();
    expect(migration.rewriteChanges('not json')).toBeNull();
  });
});
