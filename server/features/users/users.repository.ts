import type { Db } from '../../db/database.js';
import type { NewUser, UserRow } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';
import { containsText } from '../../db/search.js';

export type UserWithNames = UserRow & { region_name: string | null; organisation_name: string | null; address_locked_until: string | null };

function withNames(db: Db) {
  return db
    .selectFrom('users')
    .leftJoin('regions', 'regions.code', 'users.region_code')
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
    .selectAll('users')
    .select(['regions.name as region_name', 'organisations.name as organisation_name'])
    .select((eb) =>
      eb
        .selectFrom('login_failures')
        .select((f) => f.fn.max('login_failures.locked_until').as('until'))
        .whereRef('login_failures.user_id', '=', 'users.id')
        .as('address_locked_until'),
    );
}

export function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A user inside a region subtree, or undefined: out-of-scope and missing look the same. */
export function findUserInScope(db: Db, id: string, scopeRegion: string): Promise<UserWithNames | undefined> {
  return withNames(db).where('users.id', '=', id).where(inSubtree('users.region_code', scopeRegion)).executeTakeFirst();
}

export interface UserFilter {
  scopeRegion: string;
  q?: string | undefined;
  role?: string | undefined;
  region?: string | undefined;
  disabled?: boolean | undefined;
  sort: { column: 'username' | 'created_at' | 'last_login_at'; desc: boolean };
  page: number;
  pageSize: number;
}

export async function listUsers(db: Db, f: UserFilter): Promise<{ rows: UserWithNames[]; total: number }> {
  let query = withNames(db).where(inSubtree('users.region_code', f.scopeRegion));
  if (f.region) query = query.where(inSubtree('users.region_code', f.region));
  if (f.role) query = query.where('users.role', '=', f.role);
  if (f.disabled !== undefined) query = query.where('users.disabled', '=', f.disabled ? 1 : 0);
  if (f.q) {
    const q = f.q;
    query = query.where((eb) => eb.or([containsText('users.username', q), containsText('users.display_name', q)]));
  }
  const [rows, count] = await Promise.all([
    query
      // Accounts that never signed in go last either way, on both databases.
      .orderBy(`users.${f.sort.column}`, (ob) => (f.sort.desc ? ob.desc() : ob.asc()).nullsLast())
      .orderBy('users.id')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface NewAccount {
  id: string;
  username: string;
  displayName: string;
  role: string;
  regionCode: string;
  organisationId: string | null;
  passwordHash: string;
  mustChangePassword: boolean;
  now: string;
}

/** A users row with the defaults of a fresh account. */
export function newUserRow(a: NewAccount): NewUser {
  return {
    id: a.id,
    username: a.username,
    display_name: a.displayName,
    role: a.role,
    region_code: a.regionCode,
    organisation_id: a.organisationId,
    password_hash: a.passwordHash,
    must_change_password: a.mustChangePassword ? 1 : 0,
    disabled: 0,
    locale: 'zh-CN',
    failed_logins: 0,
    locked_until: null,
    last_login_at: null,
    created_at: a.now,
    updated_at: a.now,
  };
}

export async function insertUsers(db: Db, users: NewUser[]): Promise<void> {
  for (let i = 0; i < users.length; i += 500) {
    await db.insertInto('users').values(users.slice(i, i + 500)).execute();
  }
}

export async function updateUser(db: Db, id: string, changes: Partial<Omit<UserRow, 'id'>>): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export function countActiveUsers(db: Db, scopeRegion: string): Promise<number> {
  return db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inSubtree('region_code', scopeRegion))
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export async function deleteLoginFailuresOfUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('login_failures').where('user_id', '=', userId).execute();
}

export async function deleteSessionsOfUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}
