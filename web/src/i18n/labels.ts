import type { RegionLevel } from '../../../domain/regions.js';
import type { OrganisationKind, Role } from '../../../domain/roles.js';
import { isMessageKey, type Translate } from './index.js';

export function roleLabel(t: Translate, role: Role): string {
  return t(`role.${role}`);
}

export function levelLabel(t: Translate, level: RegionLevel): string {
  return t(`level.${level}`);
}

export function organisationKindLabel(t: Translate, kind: OrganisationKind): string {
  return t(`orgKind.${kind}`);
}

/** Audit actions are an open set written by the server; unknown ones show their code. */
export function auditActionLabel(t: Translate, action: string): string {
  const key = `auditAction.${action}`;
  return isMessageKey(key) ? t(key) : action;
}

export const KNOWN_AUDIT_ACTIONS: readonly string[] = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.locked',
  'auth.password_change',
  'user.preferences',
  'user.create',
  'user.update',
  'user.disable',
  'user.enable',
  'user.reset_password',
  'user.read',
  'organisation.create',
  'child.read',
  'child.reveal',
  'child.duplicates.check',
  'child.register',
  'child.update',
  'child.approve',
  'child.return',
  'child.request_closure',
  'child.close',
  'child.approve_closure',
  'child.reject_closure',
  'child.transfer',
  'child.override',
  'child.clear_override',
  'child.rederive',
  'settings.categories',
  'campaign.create',
  'campaign.close',
  'campaign.export',
];
