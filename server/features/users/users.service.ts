import type { UserCreateInput, UserListQuery, UserRecord, UserUpdateInput } from '../../../domain/api.js';
import { regionLevel } from '../../../domain/regions.js';
import { AGENCY_KINDS, ROLE_REGION_LEVEL, canDisableRole, canManageRole, isRegionRole, type Role } from '../../../domain/roles.js';
import { assertInScope, isInScope, requirePermission } from '../../core/access.js';
import type { Actor, RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { generateTemporaryPassword, hashPassword } from '../../core/passwords.js';
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { UserRow } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { audit, auditRead } from '../audit/audit.service.js';
import { findOrganisation } from '../organisations/organisations.repository.js';
import { findRegion } from '../regions/regions.repository.js';
import {
  deleteLoginFailuresOfUser,
  deleteSessionsOfUser,
  findUserByUsername,
  findUserInScope,
  insertUsers,
  listUsers,
  newUserRow,
  updateUser,
  type UserWithNames,
} from './users.repository.js';

export function presentUser(row: UserWithNames, now: Date): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    regionCode: row.region_code,
    regionName: row.region_name,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    disabled: row.disabled === 1,
    // Locked for everyone, or for one address (issue 11 §5): either way the admin sees it, and a reset lifts it.
    locked: [row.locked_until, row.address_locked_until].some((until) => !!until && new Date(until) > now),
    mustChangePassword: row.must_change_password === 1,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const SORT_COLUMNS = { username: 'username', createdAt: 'created_at', lastLoginAt: 'last_login_at' } as const;

export async function listUsersInScope(deps: Deps, ctx: RequestContext, query: UserListQuery) {
  requirePermission(ctx.actor, 'user.read');
  if (query.region) assertInScope(ctx.actor, query.region);
  const desc = query.sort.startsWith('-');
  const key = query.sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS;
  const { rows, total } = await listUsers(deps.db, {
    scopeRegion: ctx.actor.scopeRegion,
    q: query.q,
    role: query.role,
    region: query.region,
    disabled: query.disabled === undefined ? undefined : query.disabled === 'true',
    sort: { column: SORT_COLUMNS[key], desc },
    page: query.page,
    pageSize: query.pageSize,
  });
  const now = deps.clock.now();
  return { items: rows.map((r) => presentUser(r, now)), total, page: query.page, pageSize: query.pageSize };
}

async function loadInScope(db: Db, ctx: RequestContext, id: string): Promise<UserWithNames> {
  const row = await findUserInScope(db, id, ctx.actor.scopeRegion);
  if (!row) throw notFound();
  return row;
}

export async function getUser(deps: Deps, ctx: RequestContext, id: string): Promise<UserRecord> {
  requirePermission(ctx.actor, 'user.read');
  const row = await loadInScope(deps.db, ctx, id);
  // A user's record is personal data: reading it is audited.
  await auditRead(deps, ctx, { action: 'user.read', targetType: 'user', targetId: id, regionCode: row.region_code });
  return presentUser(row, deps.clock.now());
}

/** Where an account sits: a region for staff, an organisation (and its region) for the others. */
async function placement(
  db: Db,
  ctx: RequestContext,
  role: Role,
  input: { regionCode?: string | undefined; organisationId?: string | undefined },
): Promise<{ region_code: string; organisation_id: string | null }> {
  if (isRegionRole(role)) {
    if (!input.regionCode) throw invalid('regionCode', 'required');
    const region = await findRegion(db, input.regionCode);
    if (!region || !isInScope(ctx.actor, region.code)) throw invalid('regionCode', 'not_found');
    const level = ROLE_REGION_LEVEL[role];
    if (regionLevel(region.code) !== level) throw new AppError('REGION_LEVEL', { field: 'regionCode', params: { level: levelLabel(ctx, level) } });
    return { region_code: region.code, organisation_id: null };
  }
  if (!input.organisationId) throw invalid('organisationId', 'required');
  const org = await findOrganisation(db, input.organisationId);
  if (!org || !isInScope(ctx.actor, org.region_code)) throw invalid('organisationId', 'not_found');
  const fits =
    role === 'school' ? org.kind === 'school' : role === 'volunteer' ? org.kind === 'volunteer_team' : (AGENCY_KINDS as readonly string[]).includes(org.kind);
  if (!fits) throw invalid('organisationId', 'kind_mismatch');
  return { region_code: org.region_code, organisation_id: org.id };
}

const LEVEL_LABELS = {
  'zh-CN': { province: '省', city: '市', county: '县（区）', township: '乡镇（街道）', village: '村（社区）' },
  'en-US': { province: 'province', city: 'city', county: 'county', township: 'township', village: 'village' },
} as const;
const levelLabel = (ctx: RequestContext, level: keyof (typeof LEVEL_LABELS)['en-US']) => LEVEL_LABELS[ctx.actor.locale][level];

export async function createUser(deps: Deps, ctx: RequestContext, input: UserCreateInput) {
  requirePermission(ctx.actor, 'user.manage');
  if (!canManageRole(ctx.actor.role, input.role)) throw new AppError('ROLE_NOT_ALLOWED', { field: 'role' });
  return insertAccount(deps, ctx, input);
}

/**
 * `npm run cli -- create-user`: whoever holds the server creates an account of any role
 * (the first city administrator, or an account no administrator may create), placed
 * within the province of its region. Recorded in the audit log as done by the command line.
 */
export function createUserOnHost(deps: Deps, input: UserCreateInput) {
  const region = input.regionCode ?? '430000000000';
  const host: Actor = {
    id: 'cli',
    username: 'cli',
    displayName: 'command line',
    role: 'sysadmin',
    locale: 'en-US',
    scopeRegion: `${region.slice(0, 2)}0000000000`,
    organisationId: null,
    mustChangePassword: false,
  };
  return insertAccount(deps, { actor: host, ip: null, requestId: 'cli' }, input);
}

async function insertAccount(deps: Deps, ctx: RequestContext, input: UserCreateInput) {
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const id = newId();
  const row = await inTransaction(deps.db, async (trx) => {
    const place = await placement(trx, ctx, input.role, input);
    if (await findUserByUsername(trx, input.username)) throw new AppError('USERNAME_TAKEN', { field: 'username' });
    await insertUsers(trx, [
      newUserRow({
        id,
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        regionCode: place.region_code,
        organisationId: place.organisation_id,
        passwordHash,
        mustChangePassword: true,
        now: deps.clock.now().toISOString(),
      }),
    ]);
    await audit(trx, deps, ctx, {
      action: 'user.create',
      targetType: 'user',
      targetId: id,
      regionCode: place.region_code,
      details: { username: input.username, role: input.role, regionCode: place.region_code, organisationId: place.organisation_id },
    });
    return loadInScope(trx, ctx, id);
  }).catch((error: unknown) => {
    // Two admins creating the same username at once: the loser learns it is taken.
    if (isUniqueViolation(error)) throw new AppError('USERNAME_TAKEN', { field: 'username' });
    throw error;
  });
  return { user: presentUser(row, deps.clock.now()), temporaryPassword };
}

function assertManageable(ctx: RequestContext, target: UserRow): void {
  if (!canManageRole(ctx.actor.role, target.role as Role)) throw new AppError('ROLE_NOT_ALLOWED', { field: 'role' });
}

/** An edit that only disables the account: allowed more widely than other changes (domain/roles canDisableRole). */
const onlyDisables = (input: UserUpdateInput) =>
  input.disabled === true && input.displayName === undefined && input.regionCode === undefined && input.organisationId === undefined;

export async function updateUserByAdmin(deps: Deps, ctx: RequestContext, id: string, input: UserUpdateInput): Promise<UserRecord> {
  requirePermission(ctx.actor, 'user.manage');
  const row = await inTransaction(deps.db, async (trx) => {
    const target = await loadInScope(trx, ctx, id);
    if (input.disabled === true && target.id === ctx.actor.id) throw invalid('disabled', 'self');
    if (!(onlyDisables(input) && canDisableRole(ctx.actor.role, target.role as Role))) assertManageable(ctx, target);
    const changes: Partial<UserRow> = {};
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    if (input.displayName !== undefined && input.displayName !== target.display_name) {
      changes.display_name = input.displayName;
      changed.displayName = { from: target.display_name, to: input.displayName };
    }
    if (input.disabled !== undefined && (input.disabled ? 1 : 0) !== target.disabled) {
      changes.disabled = input.disabled ? 1 : 0;
      changed.disabled = { from: target.disabled === 1, to: input.disabled };
    }
    if (input.regionCode !== undefined || input.organisationId !== undefined) {
      const place = await placement(trx, ctx, target.role as Role, {
        regionCode: input.regionCode ?? target.region_code ?? undefined,
        organisationId: input.organisationId ?? target.organisation_id ?? undefined,
      });
      if (place.region_code !== target.region_code) {
        changes.region_code = place.region_code;
        changed.regionCode = { from: target.region_code, to: place.region_code };
      }
      if (place.organisation_id !== target.organisation_id) {
        changes.organisation_id = place.organisation_id;
        changed.organisationId = { from: target.organisation_id, to: place.organisation_id };
      }
    }
    if (Object.keys(changes).length === 0) return target;
    changes.updated_at = deps.clock.now().toISOString();
    await updateUser(trx, id, changes);
    // A disabled account, or one moved elsewhere, loses its open sessions at once.
    if (changes.disabled === 1 || changes.region_code !== undefined) await deleteSessionsOfUser(trx, id);
    await audit(trx, deps, ctx, {
      action: changes.disabled === 1 ? 'user.disable' : changes.disabled === 0 ? 'user.enable' : 'user.update',
      targetType: 'user',
      targetId: id,
      regionCode: changes.region_code ?? target.region_code,
      details: { username: target.username, changes: changed },
    });
    return loadInScope(trx, ctx, id);
  });
  return presentUser(row, deps.clock.now());
}

export async function resetUserPassword(deps: Deps, ctx: RequestContext, id: string) {
  requirePermission(ctx.actor, 'user.manage');
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const row = await inTransaction(deps.db, async (trx) => {
    const target = await loadInScope(trx, ctx, id);
    assertManageable(ctx, target);
    await updateUser(trx, id, {
      password_hash: passwordHash,
      must_change_password: 1,
      failed_logins: 0,
      locked_until: null,
      updated_at: deps.clock.now().toISOString(),
    });
    await deleteSessionsOfUser(trx, id);
    // Every lock goes with the old password: the account's own and those of single addresses.
    await deleteLoginFailuresOfUser(trx, id);
    await audit(trx, deps, ctx, {
      action: 'user.reset_password',
      targetType: 'user',
      targetId: id,
      regionCode: target.region_code,
      details: { username: target.username },
    });
    return loadInScope(trx, ctx, id);
  });
  return { user: presentUser(row, deps.clock.now()), temporaryPassword };
}
