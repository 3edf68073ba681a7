/**
 * The child's timeline (DESIGN §4, issue 4 §6): visits, risk changes,
 * registration, transfers, closure and other changes of the file, newest
 * first, from the visits, the mandatory reports and the file's history.
 * Referrals (转介) join it at the time they were sent.
 */
import type { Locale } from '../../../domain/locale.js';
import { isAcceptanceOverdue, type ReferralState } from '../../../domain/referrals/rules.js';
import { isLate, minutesToPolice, type ReportStatus } from '../../../domain/reports/rules.js';
import type { ObservedFactors } from '../../../domain/visits/risk.js';
import type { ChildTimeline, TIMELINE_KINDS, VisitKind } from '../../../domain/visits/schema.js';
import { can } from '../../../domain/access.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { notFound } from '../../core/errors.js';
import type { ChildChangeRow, ProtectionReportRow, ReferralRow, VisitRow } from '../../db/schema.js';
import { findChildInScope, listChildChanges } from '../children/children.repository.js';
import { listChildReferrals } from '../referrals/referrals.repository.js';
import { listChildReports } from '../reports/reports.repository.js';
import { listLetters } from '../letters/letters.repository.js';
import { letterItem } from '../letters/letters.timeline.js';
import { carerKey } from '../../../domain/letters/rules.js';
import type { ChildProfile } from '../../../domain/children/schema.js';
import { listChildOrders } from '../orders/orders.repository.js';
import { orderItem } from '../orders/orders.timeline.js';
import { suggestionsOf } from './visit-record.js';
import { listTimelineVisits } from './visits.repository.js';

type TimelineKind = (typeof TIMELINE_KINDS)[number];
type Item = ChildTimeline['items'][number];

/** At most this many items: a child's whole file rarely comes close. */
const LIMIT = 500;

const VISIT_TITLES: Record<Locale, Record<VisitKind, string>> = {
  'zh-CN': { home: '入户走访', phone: '电话随访', school_vacation: '寒暑假家访', key_verification: '重点核查', joint: '联合走访' },
  'en-US': { home: 'Home visit', phone: 'Phone call', school_vacation: 'School vacation visit', key_verification: 'Key verification', joint: 'Joint visit' },
};

const CHANGE_TITLES: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    register: '登记建档',
    approve: '审核通过',
    return: '退回修改',
    update: '修改档案',
    photo: '更换照片',
    transfer: '迁移',
    request_closure: '申请销档',
    close: '销档',
    approve_closure: '销档',
    reject_closure: '驳回销档',
    override: '调整类别',
    clear_override: '取消类别调整',
    rederive: '自动重新认定',
    risk_override: '人工调整风险等级',
    clear_risk_override: '取消人工风险等级',
    risk: '风险等级变化',
    visit_correct: '更正走访记录',
    report: '强制报告（风险等级设为紧急）',
    other: '档案变更',
  },
  'en-US': {
    register: 'Registered',
    approve: 'Approved',
    return: 'Returned for changes',
    update: 'File edited',
    photo: 'Photo changed',
    transfer: 'Transferred',
    request_closure: 'Closure requested',
    close: 'Closed',
    approve_closure: 'Closed',
    reject_closure: 'Closure rejected',
    override: 'Category overridden',
    clear_override: 'Category override cleared',
    rederive: 'Re-derived',
    risk_override: 'Risk level set by hand',
    clear_risk_override: 'Risk level override cleared',
    risk: 'Risk level changed',
    visit_correct: 'Visit corrected',
    report: 'Mandatory report (risk set to urgent)',
    other: 'File changed',
  },
};

function visitItem(row: VisitRow, locale: Locale): Item {
  const factors = JSON.parse(row.factors) as ObservedFactors;
  return {
    at: row.visit_date,
    kind: 'visit',
    title: VISIT_TITLES[locale][row.kind as VisitKind] ?? row.kind,
    actor: row.visitor_name,
    visitId: row.id,
    details: {
      kind: row.kind,
      visitorRole: row.visitor_role,
      seenInPerson: row.seen_in_person === 1,
      onTime: row.on_time === null ? null : row.on_time === 1,
      dueDate: row.due_date,
      factors,
      suggestions: suggestionsOf(factors),
      dropoutRisk: row.dropout_risk === null ? null : row.dropout_risk === 1,
      corrected: row.corrected_at !== null,
    },
  };
}

const REPORT_TITLE: Record<Locale, string> = { 'zh-CN': '强制报告', 'en-US': 'Mandatory report' };

/** A mandatory report, at its discovery time; the reporter never shows here. */
function reportItem(row: ProtectionReportRow, locale: Locale, now: Date): Item {
  const status = row.status as ReportStatus;
  return {
    at: row.discovered_at,
    kind: 'report',
    title: REPORT_TITLE[locale],
    actor: row.created_by_name,
    visitId: row.visit_id,
    details: {
      reportId: row.id,
      triggers: JSON.parse(row.triggers) as string[],
      status,
      policeNotifiedAt: row.police_notified_at,
      minutesToPolice: minutesToPolice(row.discovered_at, row.police_notified_at),
      late: isLate({ status, discoveredAt: row.discovered_at, policeNotifiedAt: row.police_notified_at }, now),
    },
  };
}

const REFERRAL_TITLE: Record<Locale, string> = { 'zh-CN': '转介', 'en-US': 'Referral' };

/** A referral, at the time it was sent, with its current state. */
function referralItem(row: ReferralRow & { organisation_name: string }, locale: Locale, now: Date): Item {
  const state = row.state as ReferralState;
  return {
    at: row.created_at,
    kind: 'referral',
    title: `${REFERRAL_TITLE[locale]}${locale === 'zh-CN' ? '：' : ': '}${row.organisation_name}`,
    actor: row.created_by_name,
    visitId: row.visit_id,
    details: {
      referralId: row.id,
      organisation: { id: row.to_organisation_id, name: row.organisation_name },
      urgency: row.urgency,
      state,
      acceptBy: row.accept_by,
      overdue: isAcceptanceOverdue({ state, acceptBy: row.accept_by }, now),
    },
  };
}

/** One item per history row; a visit's own history row shows only when it moved the risk level (the visit is an item already). */
function changeItem(row: ChildChangeRow, locale: Locale): Item | null {
  const changes = JSON.parse(row.changes) as { field: string; from: unknown; to: unknown }[];
  const risk = changes.find((c) => c.field === 'riskLevel');
  const byAction: Record<string, TimelineKind> = { register: 'registration', transfer: 'transfer', close: 'closure', approve_closure: 'closure', risk_override: 'risk', clear_risk_override: 'risk', report: 'risk' };
  let kind: TimelineKind | undefined = byAction[row.action];
  if (!kind && risk) kind = 'risk';
  if (!kind && row.action === 'visit') return null;
  kind ??= 'change';
  const titles = CHANGE_TITLES[locale];
  const title = kind === 'risk' && !byAction[row.action] ? titles.risk! : (titles[row.action] ?? titles.other!);
  return {
    at: row.at,
    kind,
    title,
    actor: row.actor_name,
    visitId: null,
    details: { action: row.action, comment: row.comment, changes, ...(risk ? { riskFrom: risk.from, riskTo: risk.to } : {}) },
  };
}

export async function getChildTimeline(deps: Deps, ctx: RequestContext, childId: string): Promise<ChildTimeline> {
  requirePermission(ctx.actor, 'child.read');
  const child = await findChildInScope(deps.db, childId, ctx.actor.scopeRegion);
  if (!child) throw notFound();
  const [visits, changes, reports, referrals, orders] = await Promise.all([
    listTimelineVisits(deps.db, childId, LIMIT),
    listChildChanges(deps.db, childId),
    listChildReports(deps.db, childId, LIMIT),
    listChildReferrals(deps.db, childId, LIMIT),
    listChildOrders(deps.db, childId, LIMIT),
  ]);
  // Staff who read the file but not reports or referrals (none today) would not see them.
  const shownReports = can(ctx.actor.role, 'report.read') ? reports : [];
  const shownReferrals = can(ctx.actor.role, 'referral.read') ? referrals : [];
  const shownOrders = can(ctx.actor.role, 'order.read') ? orders : [];
  const letters = can(ctx.actor.role, 'letter.read') ? await listLetters(deps.db, childId) : [];
  const currentCarer = carerKey((JSON.parse(child.profile) as ChildProfile).caregiver);
  const now = deps.clock.now();
  const items = [
    ...letters.map((l) => letterItem(l, currentCarer, ctx.actor.locale)),
    ...visits.map((v) => visitItem(v, ctx.actor.locale)),
    ...shownReports.map((r) => reportItem(r, ctx.actor.locale, now)),
    ...shownReferrals.map((r) => referralItem(r, ctx.actor.locale, now)),
    ...shownOrders.map((o) => orderItem(o, ctx.actor.locale)),
    ...changes.map((c) => changeItem(c, ctx.actor.locale)).filter((i): i is Item => i !== null),
  ];
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { items: items.slice(0, LIMIT) };
}
