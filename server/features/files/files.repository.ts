import type { Db } from '../../db/database.js';
import type { FileRow, FileTable } from '../../db/schema.js';

export async function insertFile(db: Db, row: FileTable): Promise<void> {
  await db.insertInto('files').values(row).execute();
}

export function findFile(db: Db, id: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The file currently in use for a purpose (the newest not removed), e.g. a child's photo. */
export function findCurrentFile(db: Db, childId: string, purpose: string): Promise<FileRow | undefined> {
  return db
    .selectFrom('files')
    .selectAll()
    .where('child_id', '=', childId)
    .where('purpose', '=', purpose)
    .where('removed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function markFileRemoved(db: Db, id: string, at: string, by: string): Promise<void> {
  await db.updateTable('files').set({ removed_at: at, removed_by: by }).where('id', '=', id).execute();
}
