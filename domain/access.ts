import type { Role } from './roles.js';

/**
 * Every action the API can perform. A route declares one of these (or
 * 'public' / 'authenticated'); the matrix below says which roles hold it.
 * Record scope (region subtree or organisation) is checked separately.
 */
export const ACTIONS = [
  'region.read',
  'coverage.read',
  'user.read',
  'user.manage',
  'organisation.read',
  'organisation.manage',
  'audit.read',
] as const;
export type Action = (typeof ACTIONS)[number];

/** What civil-affairs administrators hold over their subtree (child data comes with later issues). */
const ADMIN_ACTIONS = [
  'region.read',
  'coverage.read',
  'user.read',
  'user.manage',
  'organisation.read',
  'organisation.manage',
  'audit.read',
] as const satisfies readonly Action[];

export const PERMISSIONS = {
  director: ['region.read'],
  supervisor: ['region.read', 'coverage.read', 'user.read'],
  county_admin: ADMIN_ACTIONS,
  city_admin: ADMIN_ACTIONS,
  school: ['region.read'],
  agency: ['region.read'],
  volunteer: ['region.read'],
  // Configuration only: no child data by default (DESIGN §1).
  sysadmin: ADMIN_ACTIONS,
} as const satisfies Record<Role, readonly Action[]>;

export function can(role: Role, action: Action): boolean {
  return (PERMISSIONS[role] as readonly Action[]).includes(action);
}
