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
  'child.read', // open and list child files in scope
  'child.register', // register a child (a director's registration awaits approval)
  'child.update',
  'child.approve', // approve or return registrations and closures
  'child.close', // close a file (a director's closure awaits approval)
  'child.transfer', // move a child to another village in scope
  'child.reveal', // reveal a masked ID or phone number (audited)
  'child.override', // override a derived category with a reason
  'child.import',
  'child.export',
  'settings.manage', // thresholds of the rules
] as const;
export type Action = (typeof ACTIONS)[number];

/** What county and city civil-affairs administrators hold over their subtree. */
const ADMIN_ACTIONS = [
  'region.read',
  'coverage.read',
  'user.read',
  'user.manage',
  'organisation.read',
  'organisation.manage',
  'audit.read',
  'child.read',
  'child.update',
  'child.approve',
  'child.close',
  'child.transfer',
  'child.reveal',
  'child.override',
  'child.import',
  'child.export',
] as const satisfies readonly Action[];

export const PERMISSIONS = {
  director: ['region.read', 'child.read', 'child.register', 'child.update', 'child.close', 'child.reveal'],
  supervisor: [
    'region.read',
    'coverage.read',
    'user.read',
    'child.read',
    'child.register',
    'child.update',
    'child.approve',
    'child.close',
    'child.transfer',
    'child.reveal',
    'child.override',
    'child.import',
    'child.export',
  ],
  county_admin: ADMIN_ACTIONS,
  city_admin: [...ADMIN_ACTIONS, 'settings.manage'],
  school: ['region.read'],
  agency: ['region.read'],
  volunteer: ['region.read'],
  // Configuration only: no child data by default (DESIGN §1).
  sysadmin: ['region.read', 'coverage.read', 'user.read', 'user.manage', 'organisation.read', 'organisation.manage', 'audit.read', 'settings.manage'],
} as const satisfies Record<Role, readonly Action[]>;

export function can(role: Role, action: Action): boolean {
  return (PERMISSIONS[role] as readonly Action[]).includes(action);
}
