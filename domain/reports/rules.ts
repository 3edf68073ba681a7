/**
 * Mandatory reports (强制报告, Minors Protection Law art. 11; DESIGN §5): the
 * nine triggers and the one-hour rule. Whoever finds one of these must tell the
 * police at once; a report with no police notification within an hour of the
 * discovery is flagged up the chain until the police are told or it is closed.
 */
import { chinaDate } from '../china-time.js';
import { ageOn } from '../children/age.js';

/** The nine triggers of art. 11 (最高检等《关于建立侵害未成年人案件强制报告制度的意见（试行）》第四条), in the law's order. */
export const REPORT_TRIGGERS = [
  'private_parts_injury', // 未成年人的生殖器官或隐私部位遭受或疑似遭受非正常损伤
  'girl_under14_sexual_assault', // 不满十四周岁的女性未成年人遭受或疑似遭受性侵害、怀孕、流产
  'girl_over14_pregnant_by_assault', // 十四周岁以上女性未成年人因遭受或疑似遭受性侵害而怀孕、流产
  'injury_malnutrition_abuse', // 身体存在多处损伤、严重营养不良、意识不清，存在或疑似存在受到家庭暴力、欺凌、虐待、殴打或者被人麻醉等情形
  'suicide_self_harm_poisoning_beating', // 因自杀、自残、工伤、中毒、被人殴打等非正常原因导致伤残、死亡
  'abandoned_or_neglected', // 被遗弃或长期处于无人照料状态
  'missing_trafficked', // 来源不明、失踪或者被拐卖、收买
  'organised_begging', // 被组织乞讨
  'other_serious_harm', // 其他严重侵害未成年人身心健康的情形或未成年人正在面临不法侵害危险
] as const;
export type ReportTrigger = (typeof REPORT_TRIGGERS)[number];

/** Girls under 14 (不满十四周岁) and girls of 14 or over: art. 11 names them apart. */
export const GIRL_AGE_LINE = 14;

/** The child a trigger is judged against: sex, and age in completed years on the day of the discovery. */
export interface TriggerSubject {
  sex: 'male' | 'female';
  birthDate: string;
}

/**
 * Whether a trigger can be said of this child on `discoveredOn` (a date in
 * China time). Two of the nine are about girls, on either side of 14 (age in
 * completed years, the birthday itself counting as reached, as everywhere in
 * the child file: domain/children/age.ts); the other seven are about any minor.
 */
export function triggerFits(trigger: ReportTrigger, child: TriggerSubject, discoveredOn: string): boolean {
  switch (trigger) {
    case 'girl_under14_sexual_assault':
      return child.sex === 'female' && ageOn(child.birthDate, discoveredOn) < GIRL_AGE_LINE;
    case 'girl_over14_pregnant_by_assault':
      return child.sex === 'female' && ageOn(child.birthDate, discoveredOn) >= GIRL_AGE_LINE;
    case 'private_parts_injury':
    case 'injury_malnutrition_abuse':
    case 'suicide_self_harm_poisoning_beating':
    case 'abandoned_or_neglected':
    case 'missing_trafficked':
    case 'organised_begging':
    case 'other_serious_harm':
      return true;
  }
}

/** The triggers a report about this child, discovered on that day, may name (the form offers only these). */
export function triggersFor(child: TriggerSubject, discoveredOn: string): ReportTrigger[] {
  return REPORT_TRIGGERS.filter((t) => triggerFits(t, child, discoveredOn));
}

/** The day (YYYY-MM-DD, China time) of an instant: a discovery at 23:30 UTC is the next day in Huaihua. */
export const chinaDateOf = (instant: string): string => chinaDate(instant);

export const REPORT_STATUSES = ['open', 'closed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** How the police were told. */
export const POLICE_METHODS = ['phone_110', 'in_person', 'phone_station', 'online', 'other'] as const;
export type PoliceMethod = (typeof POLICE_METHODS)[number];

/** Entries on a report's own timeline after it is raised. */
export const REPORT_ENTRY_KINDS = ['action', 'feedback'] as const;
export type ReportEntryKind = (typeof REPORT_ENTRY_KINDS)[number];

/**
 * What the police record on a report of their area (issue 12 point 10):
 * receipt acknowledged (接警确认), the case number (案件编号 / 受案回执号) and
 * the outcome. The outcomes, and 'other' with a note saying what.
 */
export const POLICE_OUTCOMES = [
  'filed', // 立案侦查
  'not_filed', // 不予立案
  'transferred', // 移送其他机关或管辖
  'administrative', // 不构成犯罪，治安处罚或调解处理
  'other', // 其他（须说明）
] as const;
export type PoliceOutcome = (typeof POLICE_OUTCOMES)[number];

export function outcomeNeedsNote(outcome: PoliceOutcome): boolean {
  return outcome === 'other';
}

/** Entries the police's own record adds to the trail. */
export const POLICE_ENTRY_KINDS = ['received', 'case_no', 'outcome'] as const;

/** Waiting for the police: an open report whose receipt they have not acknowledged. */
export function awaitingPolice(report: { status: ReportStatus; policeReceivedAt: string | null }): boolean {
  return report.status === 'open' && report.policeReceivedAt === null;
}

/**
 * Late for the police (shown to them in red): still waiting for their
 * acknowledgement more than an hour after the discovery — the hour in which
 * the police should have been told.
 */
export function policeAckLate(report: { status: ReportStatus; discoveredAt: string; policeReceivedAt: string | null }, now: Date): boolean {
  return awaitingPolice(report) && now.getTime() > lateAfter(report.discoveredAt).getTime();
}

/** The police must be told within this many minutes of the discovery. */
export const POLICE_DEADLINE_MINUTES = 60;

const MINUTE_MS = 60_000;

/** Whole minutes from the discovery to the police notification (rounded down); null while the police have not been told. */
export function minutesToPolice(discoveredAt: string, policeNotifiedAt: string | null): number | null {
  if (policeNotifiedAt === null) return null;
  return Math.floor((Date.parse(policeNotifiedAt) - Date.parse(discoveredAt)) / MINUTE_MS);
}

/** The moment after which an open report without police notification is late. */
export function lateAfter(discoveredAt: string): Date {
  return new Date(Date.parse(discoveredAt) + POLICE_DEADLINE_MINUTES * MINUTE_MS);
}

/** Discovery times before this instant make an open, unreported report late (the SQL of the lists uses it). */
export function lateDiscoveredBefore(now: Date): string {
  return new Date(now.getTime() - POLICE_DEADLINE_MINUTES * MINUTE_MS).toISOString();
}

/**
 * Late: still open, the police not told, and more than an hour since the
 * discovery (exactly 60 minutes is still within the hour). Telling the police
 * or closing the report resolves it.
 */
export function isLate(report: { status: ReportStatus; discoveredAt: string; policeNotifiedAt: string | null }, now: Date): boolean {
  if (report.status !== 'open' || report.policeNotifiedAt !== null) return false;
  return now.getTime() > lateAfter(report.discoveredAt).getTime();
}

/** The police were told, but after the hour: kept visible on the report, no longer escalated. */
export function policeToldLate(discoveredAt: string, policeNotifiedAt: string | null): boolean {
  const minutes = minutesToPolice(discoveredAt, policeNotifiedAt);
  return minutes !== null && minutes > POLICE_DEADLINE_MINUTES;
}
