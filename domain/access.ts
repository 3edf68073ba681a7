import type { OrganisationKind, Role } from './roles.js';

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
  'child.handover', // decide a transfer request (issue 12 §1): hand a child of the scope over to the asking village, or decline
  'child.reveal', // reveal a masked ID or phone number (audited)
  'child.override', // override a derived category with a reason
  'child.import',
  'child.export',
  'settings.manage', // thresholds of the rules
  'visit.record', // record a visit of a child in scope (and correct one's own within 24 hours)
  'visit.correct', // correct anyone's visit in scope, later than 24 hours, with a reason
  'risk.override', // set a child's risk level by hand, with a reason
  'worklist.read', // work lists and overdue tables of the scope
  'campaign.read', // key verification campaigns of the scope and their tasks
  'campaign.manage', // open and close key verification campaigns (重点核查)
  'pupil.read', // a school contact: the pupils of his school who are in the register
  'pupil.visit', // a school contact: record school vacation home visits (寒暑假家访) of those pupils
  'report.create', // raise a mandatory report (强制报告) about a child in scope; the child's risk becomes urgent
  'report.read', // read and list mandatory reports of the scope
  'report.update', // record the police notification, add actions and feedback
  'report.close', // close a mandatory report with a note
  'report.reporter', // see who reported (identity confidential: civil-affairs administrators only)
  'report.respond', // the police on a report of their area: acknowledge receipt (接警确认), record the case number and the outcome
  'referral.create', // refer a child in scope to an organisation (转介)
  'referral.read', // read and list referrals of the scope
  'referral.withdraw', // withdraw a referral of the scope while it is open
  'referral.inbox', // an agency user: the referrals to its organisation, with a referral-scoped view of the child
  'referral.respond', // an agency user: accept, decline, start and complete referrals to its organisation
  'order.read', // orders and state guardianship (法律与国家监护) of the scope
  'order.record', // record an order about a child in scope, its follow-up checks and guidance sessions
  'order.close', // move an order to its next state: fulfil, escalate, close, complete, discontinue, end, decide, withdraw
  'letter.read', // the guardianship letters of a child in scope and whether they hold
  'letter.record', // print a guardianship letter filled from the file (audited) and record its signing and scan
  'api.docs', // the API documentation (/api/docs, /api/openapi.json): staff only, and only where it is served (API_DOCS)
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
  'child.handover',
  'child.reveal',
  'child.override',
  'child.import',
  'child.export',
  'visit.record',
  'visit.correct',
  'risk.override',
  'worklist.read',
  'campaign.read',
  'campaign.manage',
  'report.create',
  'report.read',
  'report.update',
  'report.close',
  'report.reporter',
  'referral.create',
  'referral.read',
  'referral.withdraw',
  'order.read',
  'order.record',
  'order.close',
  'letter.read',
  'letter.record',
  'api.docs',
] as const satisfies readonly Action[];

export const PERMISSIONS = {
  director: ['region.read', 'child.read', 'child.register', 'child.update', 'child.close', 'child.handover', 'child.reveal', 'child.export', 'visit.record', 'worklist.read', 'campaign.read', 'report.create', 'report.read', 'report.update', 'referral.create', 'referral.read', 'referral.withdraw', 'letter.read', 'letter.record', 'order.read', 'order.record', 'api.docs'],
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
    'child.handover',
    'child.reveal',
    'child.override',
    'child.import',
    'child.export',
    'visit.record',
    'visit.correct',
    'risk.override',
    'worklist.read',
    'campaign.read',
    'report.create',
    'report.read',
    'report.update',
    'report.close',
    'referral.create',
    'referral.read',
    'referral.withdraw',
    'order.read',
    'order.record',
    'order.close',
    'letter.read',
    'letter.record',
    'api.docs',
  ],
  county_admin: ADMIN_ACTIONS,
  city_admin: [...ADMIN_ACTIONS, 'settings.manage'],
  school: ['region.read', 'pupil.read', 'pupil.visit'],
  agency: ['region.read', 'referral.inbox', 'referral.respond'],
  volunteer: ['region.read'],
  // Configuration only, never child data (DESIGN §1, issue 11 §6): no child action, it manages only system
  // administrator accounts (domain/roles.ts), and audit rows about children reach it without their details.
  sysadmin: ['region.read', 'coverage.read', 'user.read', 'user.manage', 'organisation.read', 'organisation.manage', 'audit.read', 'settings.manage', 'api.docs'],
} as const satisfies Record<Role, readonly Action[]>;

export function can(role: Role, action: Action): boolean {
  return (PERMISSIONS[role] as readonly Action[]).includes(action);
}

/**
 * What an agency user holds beyond its role, by its organisation's kind: the
 * police read the mandatory reports of their area and see who reported
 * (Minors Protection Law art. 11; DESIGN §5 — the reporter's identity is for
 * civil-affairs administrators and the police only), and record their own
 * handling of each: receipt, case number, outcome (issue 12 point 10).
 */
export const ORGANISATION_ACTIONS: Partial<Record<OrganisationKind, readonly Action[]>> = {
  police: ['report.read', 'report.reporter', 'report.respond'],
};

/** `can` for a signed-in actor: its role's actions, and for an agency user those of its organisation's kind. */
export function actorCan(actor: { role: Role; organisationKind?: string | null | undefined }, action: Action): boolean {
  if (can(actor.role, action)) return true;
  if (actor.role !== 'agency' || !actor.organisationKind) return false;
  return (ORGANISATION_ACTIONS[actor.organisationKind as OrganisationKind] ?? []).includes(action);
}
