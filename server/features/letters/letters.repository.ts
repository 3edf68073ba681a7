/** Guardianship letters: the signed papers of a child, and the counters on the child's file. */
import type { SignedLetter, LetterKind } from '../../../domain/letters/rules.js';
import type { Db } from '../../db/database.js';
import type { GuardianshipLetterRow, GuardianshipLetterTable } from '../../db/schema.js';

/** Every letter of a child, newest signing first. */
export function listLetters(db: Db, childId: string): Promise<GuardianshipLetterRow[]> {
  return db.selectFrom('guardianship_letters').selectAll().where('child_id', '=', childId).orderBy('signed_on', 'desc').orderBy('recorded_at', 'desc').execute();
}

/** What the letter rules need of a child's letters. */
export async function findSignedLetters(db: Db, childId: string): Promise<SignedLetter[]> {
  const rows = await db.selectFrom('guardianship_letters').select(['kind', 'carer_key']).where('child_id', '=', childId).execute();
  return rows.map((r) => ({ kind: r.kind as LetterKind, carerKey: r.carer_key }));
}

export function findLetter(db: Db, id: string): Promise<GuardianshipLetterRow | undefined> {
  return db.selectFrom('guardianship_letters').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertLetter(db: Db, row: GuardianshipLetterTable): Promise<void> {
  await db.insertInto('guardianship_letters').values(row).execute();
}

export async function setLetterScan(db: Db, id: string, fileId: string): Promise<void> {
  await db.updateTable('guardianship_letters').set({ scan_file_id: fileId }).where('id', '=', id).execute();
}

/** Stores the recomputed counter; the file's version is untouched (signing a letter is not an edit of the file). */
export async function setLettersDue(db: Db, childId: string, due: number): Promise<void> {
  await db.updateTable('children').set({ letters_due: due }).where('id', '=', childId).execute();
}

/** Names of the active staff of one role posted at exactly this region (a village's directors, a township's supervisors). */
/** The active staff of a role at a region, with their work phones: the letter's contacts. */
export async function listStaffContacts(db: Db, role: 'director' | 'supervisor', regionCode: string): Promise<{ name: string; phone: string | null }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['display_name', 'phone'])
    .where('role', '=', role)
    .where('region_code', '=', regionCode)
    .where('disabled', '=', 0)
    .orderBy('display_name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ name: r.display_name, phone: r.phone }));
}
