/**
 * Referrals (转介, DESIGN §5, issue 5 §2–3): civil-affairs staff refer a child
 * to an organisation; its users accept or decline, serve and complete. The
 * state machine is a table: each action names the one side that may take it
 * and the states it may start from.
 */
import type { AgencyKind } from '../roles.js';
import { isWithinRegion } from '../regions.js';

/**
 * Organisation kinds a referral may go to (domain/roles.ts AGENCY_KINDS):
 * social-work station, counselling institution, education bureau / school
 * authority, women's federation, procuratorate, court, police, welfare
 * institution, protection centre. The issue also lists hospitals, but there is
 * no 'hospital' organisation kind yet; adding one is a change of the
 * organisation kinds (and their admin pages), left out here on purpose.
 * hr_bureau is an agency but no referral service.
 */
export const RECEIVING_KINDS = [
  'social_work_station', // 社会工作服务站
  'counselling', // 心理咨询机构
  'education', // 教育局 / 学校主管
  'womens_federation', // 妇联
  'procuratorate', // 检察院
  'court', // 法院
  'police', // 公安
  'welfare_institution', // 儿童福利机构
  'protection_centre', // 未成年人救助保护中心
] as const satisfies readonly AgencyKind[];
export type ReceivingKind = (typeof RECEIVING_KINDS)[number];

export function isReceivingKind(kind: string): kind is ReceivingKind {
  return (RECEIVING_KINDS as readonly string[]).includes(kind);
}

export const REFERRAL_URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export type ReferralUrgency = (typeof REFERRAL_URGENCIES)[number];

/** Hours to accept when the sender gives no deadline. */
export const DEFAULT_ACCEPT_HOURS: Record<ReferralUrgency, number> = { normal: 7 * 24, urgent: 72, emergency: 24 };

export const REFERRAL_STATES = ['sent', 'accepted', 'declined', 'in_service', 'completed', 'withdrawn'] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];

/** States in which the referral still asks something of the receiver (and it sees the child's referral view). */
export const OPEN_REFERRAL_STATES = ['sent', 'accepted', 'in_service'] as const satisfies readonly ReferralState[];

export function isOpenReferral(state: ReferralState): boolean {
  return (OPEN_REFERRAL_STATES as readonly ReferralState[]).includes(state);
}

export const REFERRAL_ACTIONS = ['accept', 'decline', 'start', 'complete', 'withdraw'] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];

/** 'sender': civil-affairs staff with the child in scope; 'receiver': a user of the receiving organisation. */
export type ReferralSide = 'sender' | 'receiver';

export const REFERRAL_TRANSITIONS = {
  accept: { side: 'receiver', from: ['sent'], to: 'accepted' },
  decline: { side: 'receiver', from: ['sent'], to: 'declined' },
  start: { side: 'receiver', from: ['accepted'], to: 'in_service' },
  complete: { side: 'receiver', from: ['in_service'], to: 'completed' },
  withdraw: { side: 'sender', from: ['sent', 'accepted', 'in_service'], to: 'withdrawn' },
} as const satisfies Record<ReferralAction, { side: ReferralSide; from: readonly ReferralState[]; to: ReferralState }>;

export function canTransition(state: ReferralState, action: ReferralAction, side: ReferralSide): boolean {
  const t = REFERRAL_TRANSITIONS[action];
  return t.side === side && (t.from as readonly ReferralState[]).includes(state);
}

/** The state after the action, or null when the action is not allowed from this state to this side. */
export function nextReferralState(state: ReferralState, action: ReferralAction, side: ReferralSide): ReferralState | null {
  return canTransition(state, action, side) ? REFERRAL_TRANSITIONS[action].to : null;
}

/** Still waiting for acceptance after its deadline (exactly at the deadline is not yet overdue). */
export function isAcceptanceOverdue(referral: { state: ReferralState; acceptBy: string }, now: Date): boolean {
  return referral.state === 'sent' && now.getTime() > Date.parse(referral.acceptBy);
}

/** The default acceptance deadline for a referral sent at `sentAt`. */
export function defaultAcceptBy(urgency: ReferralUrgency, sentAt: Date): string {
  return new Date(sentAt.getTime() + DEFAULT_ACCEPT_HOURS[urgency] * 3_600_000).toISOString();
}

/**
 * Which organisations may receive a referral about a child: one whose area
 * covers the child's village (a city-wide court, a township's social-work
 * station of that township), or one inside the child's county (a township's
 * station elsewhere in the county, a county bureau). Not an organisation of
 * another county: the child's file does not travel outside its county's
 * services unless one covering it is chosen.
 */
export function mayReceiveFor(organisationRegion: string, childRegion: string): boolean {
  const county = `${childRegion.slice(0, 6)}000000`;
  return isWithinRegion(childRegion, organisationRegion) || isWithinRegion(organisationRegion, county);
}

/** Files a sender may attach to one referral (photos and PDF scans, each ≤ 10 MB). */
export const MAX_REFERRAL_ATTACHMENTS = 10;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/**
 * What the receiving organisation records between starting and completing the
 * service (issue 12 point 13): a session, a contact, a note — each on the
 * referral's trail, seen by the sending staff. Only while it is in service.
 */
export const REFERRAL_WORK_KINDS = ['session', 'contact', 'note'] as const;
export type ReferralWorkKind = (typeof REFERRAL_WORK_KINDS)[number];

/** Kinds of session. */
export const SESSION_KINDS = [
  'individual', // 个别辅导
  'family', // 家庭辅导
  'group', // 小组活动
  'assessment', // 评估
  'other', // 其他
] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** How a contact was made. */
export const CONTACT_METHODS = [
  'phone', // 电话联系
  'home_visit', // 入户走访
  'meeting', // 约见面谈
] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/** A session lasts at least a minute and at most a day. */
export const MAX_SESSION_MINUTES = 24 * 60;

export function canRecordWork(state: ReferralState): boolean {
  return state === 'in_service';
}
