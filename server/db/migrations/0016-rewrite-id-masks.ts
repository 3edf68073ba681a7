import { sql, type Kysely } from 'kysely';

/**
 * Masked ID numbers that give nothing away (issue 11 §2). Until now a mask
 * kept the first 6 and the last 4 characters (`431202********0230`): with the
 * birth date shown beside it, that is the whole number but one check
 * character. The new mask keeps the region and the check character only
 * (`431202***********0`); other lengths keep at most their first 2 and last 1
 * characters, never more than a third.
 *
 * Every stored mask is rewritten: `children.id_masked` and the masked values
 * in the history (`child_changes.changes`: the child's and the parents' ID
 * numbers, and phone numbers, whose mask now hides at least four digits at
 * any length). The new mask keeps a subset of the old one's characters, so it
 * is computed from the stored mask alone, without the key.
 *
 * The rules are written out here rather than imported from domain/: a
 * migration does what it did on the day it was written.
 */

const ID_FIELDS = new Set(['idNumber', 'father.idNumber', 'mother.idNumber']);
const PHONE_FIELDS = new Set(['father.phone', 'mother.phone', 'caregiver.phone']);
const BATCH = 500;

function keepEnds(value: string, head: number, tail: number): string {
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(value.length - tail);
}

function maskId(value: string): string {
  if (value.length === 18) return value.slice(0, 6) + '*'.repeat(11) + value.slice(17).toUpperCase();
  const shown = Math.floor(value.length / 3);
  const tail = Math.min(1, shown);
  return keepEnds(value, Math.min(2, shown - tail), tail);
}

function maskPhone(value: string): string {
  if (value.length === 11) return keepEnds(value, 3, 4);
  if (value.length <= 4) return '*'.repeat(value.length);
  const shown = value.length - 4;
  const head = Math.min(2, Math.floor(shown / 2));
  return keepEnds(value, head, Math.min(2, shown - head));
}

interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

/** The history entry with its masks in the new format; null when nothing changes. */
export function rewriteChanges(stored: string): string | null {
  let changes: unknown;
  try {
    changes = JSON.parse(stored);
  } catch {
    return null;
  }
  if (!Array.isArray(changes)) return null;
  let touched = false;
  const remask = (mask: (v: string) => string, value: unknown) => {
    if (typeof value !== 'string') return value;
    const next = mask(value);
    if (next !== value) touched = true;
    return next;
  };
  const rewritten = (changes as Change[]).map((c) => {
    if (!c || typeof c !== 'object') return c;
    const mask = ID_FIELDS.has(c.field) ? maskId : PHONE_FIELDS.has(c.field) ? maskPhone : null;
    return mask ? { ...c, from: remask(mask, c.from), to: remask(mask, c.to) } : c;
  });
  return touched ? JSON.stringify(rewritten) : null;
}

// Migrations see no application types, so the database is untyped here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Every ID number stored is 18 characters (GB 11643 is checked on entry): one statement for all of them.
  await sql`update children set id_masked = substr(id_masked, 1, 6) || '***********' || substr(id_masked, 18, 1)
            where id_masked is not null and length(id_masked) = 18`.execute(db);
  const others = (await db.selectFrom('children').select(['id', 'id_masked']).where('id_masked', 'is not', null).where(sql`length(id_masked)`, '!=', 18).execute()) as {
    id: string;
    id_masked: string;
  }[];
  for (const row of others) await db.updateTable('children').set({ id_masked: maskId(row.id_masked) }).where('id', '=', row.id).execute();

  // History: only entries holding a star can hold a mask.
  let after = '';
  for (;;) {
    const rows = (await db
      .selectFrom('child_changes')
      .select(['id', 'changes'])
      .where('id', '>', after)
      .where('changes', 'like', '%*%')
      .orderBy('id')
      .limit(BATCH)
      .execute()) as { id: string; changes: string }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const next = rewriteChanges(row.changes);
      if (next !== null) await db.updateTable('child_changes').set({ changes: next }).where('id', '=', row.id).execute();
    }
    after = rows[rows.length - 1]!.id;
  }
}

/** Nothing to undo: the digits the old masks showed cannot be brought back without the key, and showing them was the fault. */
export async function down(): Promise<void> {}
