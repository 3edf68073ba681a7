import { createHash, randomBytes } from 'node:crypto';
import type { ChangePasswordInput, LoginInput, Me, Scope } from '../../../domain/api.js';
import { ACTIONS, actorCan } from '../../../domain/access.js';
import type { Locale } from '../../../domain/locale.js';
import type { OrganisationKind, Role } from '../../../domain/roles.js';
import type { Actor, RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { assertStrongPassword, dummyPasswordHash, hashPassword, verifyPassword } from '../../core/passwords.js';
import { clientAddress } from '../../core/rate-limit.js';
import type { UserRow } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit/audit.service.js';
import { findOrganisation } from '../organisations/organisations.repository.js';
import { findRegionPath } from '../regions/regions.repository.js';
import { presentRegionRef } from '../regions/regions.service.js';
import { findUserById, findUserByUsername, updateUser } from '../users/users.repository.js';
import {
  clearLoginFailures,
  deleteExpiredSessionsOfUser,
  deleteOtherSessions,
  deleteSession,
  findLoginFailure,
  findSession,
  insertSession,
  saveLoginFailure,
  touchSession,
} from './auth.repository.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = (bytes: number) => randomBytes(bytes).toString('base64url');

export function actorOf(user: UserRow, organisationKind: string | null = null): Actor {
  // Fail closed: an account without a region would otherwise have an empty (= everything) scope.
  if (!user.region_code) throw new AppError('UNAUTHENTICATED');
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role as Role,
    locale: user.locale as Locale,
    // Every account has a region: staff their own, organisation users their organisation's.
    scopeRegion: user.region_code,
    organisationId: user.organisation_id,
    organisationKind,
    mustChangePassword: user.must_change_password === 1,
  };
}

/** The kind of the user's organisation (only organisation users have one). */
async function organisationKindOf(deps: Deps, user: UserRow): Promise<string | null> {
  return user.organisation_id ? ((await findOrganisation(deps.db, user.organisation_id))?.kind ?? null) : null;
}

export interface LoginResult {
  sessionToken: string;
  me: Me;
}

/**
 * Signs in. A wrong password, an unknown username and a locked account get the same answer
 * (BAD_CREDENTIALS, the same body) after the same work (one password verification), so
 * neither the answer nor its timing tells whether a name exists or is locked (issue 11 §5).
 *
 * Lockout: wrong passwords are counted per (account, client address); LOGIN_MAX_FAILURES in a
 * row lock that address out of that account for LOGIN_LOCK_MINUTES, while the owner still
 * signs in from elsewhere. All addresses together reaching LOGIN_ACCOUNT_MAX_FAILURES lock
 * the account for everyone (a guess spread over many addresses). Attempts during a lock
 * count towards nothing, so one address cannot push an account into the account-wide lock.
 */
export async function login(deps: Deps, input: LoginInput, meta: { ip: string | null; requestId: string | null; userAgent: string | null }): Promise<LoginResult> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const refused = new AppError('BAD_CREDENTIALS', { params: { minutes: deps.config.loginLockMinutes } });
  const user = await findUserByUsername(deps.db, input.username);
  if (!user) {
    await verifyPassword(input.password, await dummyPasswordHash());
    await inTransaction(deps.db, (trx) =>
      audit(trx, deps, null, {
        action: 'auth.login_failed',
        // The name tried is the target, so that an admin can search for attempts on names that do not exist.
        targetType: 'username',
        targetId: input.username.slice(0, 64),
        details: { username: input.username, reason: 'unknown_user' },
        regionCode: null,
        origin: { ip: meta.ip, requestId: meta.requestId },
      }).then(() => undefined),
    );
    throw refused;
  }
  const ctx: RequestContext = { actor: actorOf(user, await organisationKindOf(deps, user)), ip: meta.ip, requestId: meta.requestId };
  const address = clientAddress(meta.ip ?? 'unknown');
  const pair = await findLoginFailure(deps.db, user.id, address);
  const passwordOk = await verifyPassword(input.password, user.password_hash);
  const lockedFor = (until: string | null | undefined) => !!until && new Date(until) > now;

  if (lockedFor(user.locked_until) || lockedFor(pair?.locked_until)) {
    await inTransaction(deps.db, (trx) =>
      audit(trx, deps, ctx, {
        action: 'auth.login_failed',
        targetType: 'user',
        targetId: user.id,
        details: { reason: lockedFor(user.locked_until) ? 'account_locked' : 'address_locked' },
      }),
    );
    throw refused;
  }
  if (!passwordOk) {
    const lockUntil = new Date(now.getTime() + deps.config.loginLockMinutes * 60000).toISOString();
    const addressFailures = (pair?.failures ?? 0) + 1;
    const accountFailures = user.failed_logins + 1;
    const lockAddress = addressFailures >= deps.config.loginMaxFailures;
    const lockAccount = accountFailures >= deps.config.loginAccountMaxFailures;
    await inTransaction(deps.db, async (trx) => {
      // A lock starts the count afresh, for when it has passed.
      await saveLoginFailure(trx, { user_id: user.id, address, failures: lockAddress ? 0 : addressFailures, locked_until: lockAddress ? lockUntil : null, last_failed_at: nowIso });
      await updateUser(trx, user.id, { failed_logins: lockAccount ? 0 : accountFailures, locked_until: lockAccount ? lockUntil : user.locked_until });
      await audit(trx, deps, ctx, {
        action: lockAddress || lockAccount ? 'auth.locked' : 'auth.login_failed',
        targetType: 'user',
        targetId: user.id,
        details: {
          reason: 'wrong_password',
          addressFailures,
          accountFailures,
          ...(lockAddress || lockAccount ? { lock: lockAccount ? 'account' : 'address', until: lockUntil } : {}),
        },
      });
    });
    throw refused;
  }
  if (user.disabled === 1) throw new AppError('ACCOUNT_DISABLED');

  const sessionToken = token(32);
  const csrfToken = token(24);
  // Counts of other addresses are kept while they may still hold a lock, then dropped here.
  const stale = new Date(now.getTime() - Math.max(24 * 60, deps.config.loginLockMinutes) * 60000).toISOString();
  await inTransaction(deps.db, async (trx) => {
    await deleteExpiredSessionsOfUser(trx, user.id, nowIso);
    await insertSession(trx, {
      id: sha256(sessionToken),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: nowIso,
      last_seen_at: nowIso,
      expires_at: new Date(now.getTime() + deps.config.sessionMaxHours * 3600000).toISOString(),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    });
    await clearLoginFailures(trx, user.id, address, stale);
    await updateUser(trx, user.id, { failed_logins: 0, locked_until: null, last_login_at: nowIso });
    await audit(trx, deps, ctx, { action: 'auth.login', targetType: 'user', targetId: user.id });
  });
  return { sessionToken, me: await buildMe(deps, ctx.actor, csrfToken) };
}

export interface ResolvedSession {
  actor: Actor;
  sessionId: string;
  csrfToken: string;
}

/** Finds the live session of a cookie token; expired sessions are removed and reported as such. */
export async function resolveSession(deps: Deps, sessionToken: string): Promise<ResolvedSession> {
  const id = sha256(sessionToken);
  const session = await findSession(deps.db, id);
  if (!session) throw new AppError('UNAUTHENTICATED');
  const now = deps.clock.now();
  const idleLimit = new Date(session.last_seen_at).getTime() + deps.config.sessionIdleMinutes * 60000;
  if (new Date(session.expires_at) <= now || idleLimit <= now.getTime()) {
    await deleteSession(deps.db, id);
    throw new AppError('SESSION_EXPIRED');
  }
  const user = await findUserById(deps.db, session.user_id);
  if (!user || user.disabled === 1) {
    await deleteSession(deps.db, id);
    throw new AppError('UNAUTHENTICATED');
  }
  // Refresh the idle clock at most once a minute: reads should not all become writes.
  if (now.getTime() - new Date(session.last_seen_at).getTime() > 60000) await touchSession(deps.db, id, now.toISOString());
  return { actor: actorOf(user, await organisationKindOf(deps, user)), sessionId: id, csrfToken: session.csrf_token };
}

export async function logout(deps: Deps, ctx: RequestContext, sessionId: string): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    await deleteSession(trx, sessionId);
    await audit(trx, deps, ctx, { action: 'auth.logout', targetType: 'user', targetId: ctx.actor.id });
  });
}

export async function buildMe(deps: Deps, actor: Actor, csrfToken: string): Promise<Me> {
  const path = (await findRegionPath(deps.db, actor.scopeRegion)).map(presentRegionRef);
  const region = path[path.length - 1];
  if (!region) throw new AppError('NOT_FOUND');
  let scope: Scope = { kind: 'region', region, path };
  if (actor.organisationId) {
    const org = await findOrganisation(deps.db, actor.organisationId);
    if (org) scope = { kind: 'organisation', organisation: { id: org.id, name: org.name, kind: org.kind as OrganisationKind }, region, path };
  }
  return {
    user: {
      id: actor.id,
      username: actor.username,
      displayName: actor.displayName,
      role: actor.role,
      locale: actor.locale,
      mustChangePassword: actor.mustChangePassword,
    },
    scope,
    permissions: ACTIONS.filter((a) => actorCan(actor, a)),
    csrfToken,
  };
}

export async function changePassword(deps: Deps, ctx: RequestContext, sessionId: string, input: ChangePasswordInput): Promise<void> {
  const user = await findUserById(deps.db, ctx.actor.id);
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) throw new AppError('WRONG_PASSWORD', { field: 'currentPassword' });
  assertStrongPassword(input.newPassword, 'newPassword');
  if (input.newPassword === input.currentPassword) throw new AppError('VALIDATION', { field: 'newPassword', reason: 'same_password' });
  const hash = await hashPassword(input.newPassword);
  await inTransaction(deps.db, async (trx) => {
    await updateUser(trx, user.id, { password_hash: hash, must_change_password: 0, updated_at: deps.clock.now().toISOString() });
    // Other devices signed in with the old password are signed out.
    await deleteOtherSessions(trx, user.id, sessionId);
    await audit(trx, deps, ctx, { action: 'auth.password_change', targetType: 'user', targetId: user.id });
  });
}

export async function setPreferences(deps: Deps, ctx: RequestContext, locale: Locale): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    await updateUser(trx, ctx.actor.id, { locale, updated_at: deps.clock.now().toISOString() });
    await audit(trx, deps, ctx, { action: 'user.preferences', targetType: 'user', targetId: ctx.actor.id, details: { locale } });
  });
}
