/** Roles of DESIGN §1. Each user has exactly one. */
export const ROLES = [
  'director', // 儿童主任 — one village
  'supervisor', // 儿童督导员 — one township
  'county_admin', // 县(区)民政
  'city_admin', // 市民政
  'school', // 学校联络人
  'agency', // 合作机构
  'volunteer', // 志愿者
  'sysadmin', // 系统管理员
] as const;
export type Role = (typeof ROLES)[number];

export const AGENCY_KINDS = [
  'education',
  'womens_federation',
  'procuratorate',
  'court',
  'police',
  'social_work_station',
  'counselling',
  'welfare_institution',
  'protection_centre',
  'hr_bureau',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const ORGANISATION_KINDS = [...AGENCY_KINDS, 'school', 'volunteer_team'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Roles whose scope is a region; the others are scoped by their organisation. */
export const REGION_ROLES = ['director', 'supervisor', 'county_admin', 'city_admin', 'sysadmin'] as const;
export type RegionRole = (typeof REGION_ROLES)[number];
export const ORGANISATION_ROLES = ['school', 'agency', 'volunteer'] as const;

export function isRegionRole(role: Role): role is RegionRole {
  return (REGION_ROLES as readonly Role[]).includes(role);
}

/** The region level a staff role is attached to. */
export const ROLE_REGION_LEVEL = {
  director: 'village',
  supervisor: 'township',
  county_admin: 'county',
  city_admin: 'city',
  sysadmin: 'city',
} as const satisfies Record<RegionRole, string>;

/**
 * Which roles an administrator may create or manage (create, edit, reset the password of,
 * disable and enable). Accounts that can see child data — every role but the system
 * administrator — are created and managed by county and city civil-affairs administrators
 * within their region, or on the server itself with `npm run cli -- create-user` (someone
 * who holds the host). The system administrator is configuration only (issue 11 §6): it
 * manages system administrator accounts and nothing else, so that it can never give itself
 * or anyone a way to a child's file.
 */
export const MANAGEABLE_ROLES = {
  director: [],
  supervisor: [],
  county_admin: ['director', 'supervisor', 'school', 'agency', 'volunteer'],
  city_admin: ['director', 'supervisor', 'county_admin', 'school', 'agency', 'volunteer'],
  school: [],
  agency: [],
  volunteer: [],
  sysadmin: ['sysadmin'],
} as const satisfies Record<Role, readonly Role[]>;

export function canManageRole(actor: Role, target: Role): boolean {
  return (MANAGEABLE_ROLES[actor] as readonly Role[]).includes(target);
}

/**
 * Disabling an account opens nothing: besides the administrators above, the system
 * administrator may disable (never enable, edit or reset) any account of its region, as an
 * emergency brake on a compromised account.
 */
export function canDisableRole(actor: Role, target: Role): boolean {
  return canManageRole(actor, target) || actor === 'sysadmin';
}
