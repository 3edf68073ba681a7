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

export const PERMISSIONS = {
  director: ['region.read'],
  supervisor: ['region.read', 'coverage.read', 'user.read'],
  county_admin: [
    'region.read',
    'coverage.read',
    'user.read',
    'user.manage',
    'organisation.read',
    'organisation.manage',
    'audit.read',
  ],
  city_admin: [
    'region.read',
    'coverage.read',
    'user.read',
    'user.manage',
    'organisation.read',
    'organisation.manage',
    'audit.read',
  ],
  school: ['region.read'],
  agency: ['region.read'],
  volunteer: ['region.read'],
  // Configuration only: no child data by default (DESIGN §1).
  sysadmin: [
    'region.read',
    'coverage.read',
    'user.read',
    'user.manage',
    'organisation.read',
    'organisation.manage',
    'audit.read',
  ],
} as const satisfies Record<Role, readonly Action[]>;

export function can(role: Role, action: Action): boolean {
  return (PERMISSIONS[role] as readonly Action[]).includes(action);
}
