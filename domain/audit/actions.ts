/**
 * The audit ledger's words (issue 12 point 12): every action code the server
 * writes, grouped as the audit page's filter offers them, each with one label
 * in zh-CN and en-US; and the labels of the details' fields. The server's
 * `audit()` takes only an `AuditAction`, so a new code does not compile
 * until it is listed here with its words.
 */
import type { Locale } from '../locale.js';

type Words = readonly [zh: string, en: string];

export const AUDIT_ACTION_GROUPS = {
  auth: ['auth.login', 'auth.login_failed', 'auth.locked', 'auth.logout', 'auth.password_change'],
  accounts: ['user.create', 'user.update', 'user.disable', 'user.enable', 'user.reset_password', 'user.read', 'user.phone', 'user.preferences', 'organisation.create'],
  children: [
    'child.read',
    'child.reveal',
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
    'child.photo',
    'child.rederive',
    'child.duplicates.check',
    'child.names.spell',
    'child.import',
    'child.export',
    'child.export.full',
    'child.transfer_request',
    'child.transfer_request.decline',
  ],
  visits: ['visit.record', 'visit.correct', 'visit.photo', 'child.risk_override', 'child.clear_risk_override'],
  reports: ['report.create', 'report.police', 'report.action', 'report.feedback', 'report.close', 'report.reporter.read', 'report.reporter.encrypt', 'report.police_received', 'report.police_case_no', 'report.police_outcome'],
  referrals: ['referral.create', 'referral.attach', 'referral.accept', 'referral.decline', 'referral.start', 'referral.complete', 'referral.withdraw', 'referral.contacts', 'referral.attachment.read', 'referral.work.session', 'referral.work.contact', 'referral.work.note'],
  orders: ['order.create', 'order.check', 'order.session', 'order.fulfil', 'order.escalate', 'order.close', 'order.complete', 'order.discontinue', 'order.end', 'order.decide', 'order.withdraw'],
  letters: ['letter.print', 'letter.sign', 'letter.scan'],
  campaigns: ['campaign.create', 'campaign.close', 'campaign.export'],
  offline: ['offline.working_set', 'offline.key'],
  settings: ['settings.categories', 'settings.visit_schedule', 'settings.offline'],
  system: ['audit.export', 'audit.chain.keyed', 'seed.network', 'seed.demo_accounts', 'seed.demo_children'],
} as const;

export type AuditActionGroup = keyof typeof AUDIT_ACTION_GROUPS;
export type AuditAction = (typeof AUDIT_ACTION_GROUPS)[AuditActionGroup][number];
export const AUDIT_ACTIONS: readonly AuditAction[] = Object.values(AUDIT_ACTION_GROUPS).flat();

export const AUDIT_GROUP_LABELS: Record<AuditActionGroup, Words> = {
  auth: ['登录与安全', 'Sign-in and security'],
  accounts: ['账号与机构', 'Accounts and organisations'],
  children: ['儿童档案', 'Child files'],
  visits: ['走访与风险', 'Visits and risk'],
  reports: ['强制报告', 'Mandatory reports'],
  referrals: ['转介', 'Referrals'],
  orders: ['法律与国家监护', 'Orders and state guardianship'],
  letters: ['监护责任书', 'Guardianship letters'],
  campaigns: ['重点核查', 'Verification campaigns'],
  offline: ['离线工作', 'Offline field work'],
  settings: ['标准设置', 'Settings'],
  system: ['系统', 'System'],
};

export const AUDIT_ACTION_LABELS: Record<AuditAction, Words> = {
  'auth.login': ['登录', 'Signed in'],
  'auth.login_failed': ['登录失败', 'Failed sign-in'],
  'auth.locked': ['账号锁定', 'Account locked'],
  'auth.logout': ['退出登录', 'Signed out'],
  'auth.password_change': ['修改密码', 'Changed password'],
  'user.create': ['创建账号', 'Created account'],
  'user.update': ['修改账号', 'Updated account'],
  'user.disable': ['停用账号', 'Disabled account'],
  'user.enable': ['启用账号', 'Enabled account'],
  'user.reset_password': ['重置密码', 'Reset password'],
  'user.read': ['查看账号', 'Viewed account'],
  'user.phone': ['修改工作电话', 'Changed work phone'],
  'user.preferences': ['修改偏好设置', 'Changed preferences'],
  'organisation.create': ['创建机构', 'Created organisation'],
  'child.read': ['查看儿童档案', 'Opened child file'],
  'child.reveal': ['查看身份证号或电话', 'Showed full ID or phone number'],
  'child.register': ['登记儿童', 'Registered child'],
  'child.update': ['修改儿童档案', 'Edited child file'],
  'child.approve': ['审核通过登记', 'Approved registration'],
  'child.return': ['退回登记', 'Returned registration'],
  'child.request_closure': ['申请销档', 'Requested closure'],
  'child.close': ['销档', 'Closed child file'],
  'child.approve_closure': ['同意销档', 'Approved closure'],
  'child.reject_closure': ['驳回销档', 'Rejected closure'],
  'child.transfer': ['转移儿童档案', 'Transferred child file'],
  'child.override': ['人工认定类别', 'Set category by hand'],
  'child.clear_override': ['取消人工认定', 'Cleared hand-set category'],
  'child.photo': ['更换儿童照片', 'Changed child photo'],
  'child.rederive': ['系统重新判定类别', 'Re-derived categories'],
  'child.duplicates.check': ['档案查重', 'Duplicate check'],
  'child.names.spell': ['系统补录姓名拼音', 'Spelled names in pinyin'],
  'child.import': ['导入名单', 'Imported roster'],
  'child.export': ['导出名单', 'Exported roster'],
  'child.export.full': ['导出名单（含完整身份证号和电话）', 'Exported roster with full ID and phone numbers'],
  'child.transfer_request': ['申请转入儿童档案', 'Requested a child file transfer'],
  'child.transfer_request.decline': ['拒绝转入申请', 'Declined a transfer request'],
  'visit.record': ['记录走访', 'Recorded visit'],
  'visit.correct': ['更正走访', 'Corrected visit'],
  'visit.photo': ['上传走访照片', 'Uploaded visit photo'],
  'child.risk_override': ['人工设定风险等级', 'Set risk level by hand'],
  'child.clear_risk_override': ['取消人工风险等级', 'Cleared hand-set risk level'],
  'report.create': ['提交强制报告', 'Submitted mandatory report'],
  'report.police': ['登记报警', 'Recorded police notification'],
  'report.action': ['强制报告处置措施', 'Mandatory report action'],
  'report.feedback': ['强制报告反馈', 'Mandatory report feedback'],
  'report.close': ['强制报告结案', 'Closed mandatory report'],
  'report.reporter.read': ['查看报告人身份', 'Viewed reporter identity'],
  'report.reporter.encrypt': ['加密报告人信息', 'Encrypted reporter details'],
  'report.police_received': ['公安确认接报', 'Police acknowledged receipt'],
  'report.police_case_no': ['公安登记案件编号', 'Police recorded case number'],
  'report.police_outcome': ['公安登记处理结果', 'Police recorded outcome'],
  'referral.create': ['发出转介', 'Sent referral'],
  'referral.attach': ['添加转介附件', 'Attached file to referral'],
  'referral.accept': ['接收转介', 'Accepted referral'],
  'referral.decline': ['拒绝转介', 'Declined referral'],
  'referral.start': ['开始转介服务', 'Started referral service'],
  'referral.work.session': ['记录服务（辅导、活动等）', 'Recorded service session'],
  'referral.work.contact': ['记录联系', 'Recorded contact'],
  'referral.work.note': ['记录服务备注', 'Recorded service note'],
  'referral.complete': ['完成转介服务', 'Completed referral'],
  'referral.withdraw': ['撤回转介', 'Withdrew referral'],
  'referral.contacts': ['查看转介联系人', 'Viewed referral contacts'],
  'referral.attachment.read': ['下载转介附件', 'Downloaded referral attachment'],
  'order.create': ['登记法律与监护措施', 'Recorded order'],
  'order.check': ['记录履行检查', 'Recorded compliance check'],
  'order.session': ['记录指导课程', 'Recorded guidance session'],
  'order.fulfil': ['确认已履行', 'Marked fulfilled'],
  'order.escalate': ['升级处理', 'Escalated'],
  'order.close': ['结束措施', 'Closed order'],
  'order.complete': ['完成措施', 'Completed order'],
  'order.discontinue': ['中止措施', 'Discontinued order'],
  'order.end': ['结束临时监护', 'Ended temporary guardianship'],
  'order.decide': ['登记判决结果', 'Recorded court decision'],
  'order.withdraw': ['撤回申请', 'Withdrew petition'],
  'letter.print': ['打印责任书', 'Printed guardianship letter'],
  'letter.sign': ['登记责任书签订', 'Recorded letter signing'],
  'letter.scan': ['上传责任书扫描件', 'Uploaded letter scan'],
  'campaign.create': ['发起重点核查', 'Opened verification campaign'],
  'campaign.close': ['结束重点核查', 'Closed verification campaign'],
  'campaign.export': ['导出重点核查', 'Exported verification campaign'],
  'settings.categories': ['修改类别认定标准', 'Changed category thresholds'],
  'settings.visit_schedule': ['修改走访频次', 'Changed visit frequency'],
  'settings.offline': ['修改离线保留天数', 'Changed days kept offline'],
  'offline.working_set': ['下载离线工作数据', 'Downloaded offline working set'],
  'offline.key': ['领取离线数据密钥', 'Issued offline data key'],
  'audit.export': ['导出审计日志', 'Exported audit log'],
  'audit.chain.keyed': ['审计日志开始密钥校验', 'Audit chain keyed'],
  'seed.network': ['导入区划网络', 'Seeded region network'],
  'seed.demo_accounts': ['创建演示账号', 'Created demo accounts'],
  'seed.demo_children': ['生成演示儿童档案', 'Generated demo child files'],
};

/** The ledger's clock: 2026-11-29 10:00:00 for 2026-11-29T02:00:00Z, China time (UTC+8) whatever the reader's device says. */
export function chinaDateTime(instant: string): string {
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? instant : new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function isAuditAction(code: string): code is AuditAction {
  return Object.hasOwn(AUDIT_ACTION_LABELS, code);
}

const pick = (words: Words, locale: Locale) => words[locale === 'en-US' ? 1 : 0];

/** The action in words; a code no longer written (an older version's) shows as itself. */
export function auditActionLabel(code: string, locale: Locale): string {
  return isAuditAction(code) ? pick(AUDIT_ACTION_LABELS[code], locale) : code;
}

export function auditGroupLabel(group: AuditActionGroup, locale: Locale): string {
  return pick(AUDIT_GROUP_LABELS[group], locale);
}

/** What a row is about (its target's type); an unlisted one shows its code. */
const TARGET_LABELS: Record<string, Words> = {
  audit: ['审计日志', 'Audit log'],
  campaign: ['重点核查', 'Campaign'],
  child: ['儿童档案', 'Child file'],
  file: ['文件', 'File'],
  import: ['导入', 'Import'],
  order: ['法律与监护措施', 'Order'],
  organisation: ['机构', 'Organisation'],
  referral: ['转介', 'Referral'],
  report: ['强制报告', 'Mandatory report'],
  setting: ['设置', 'Setting'],
  user: ['账号', 'Account'],
  username: ['用户名', 'Username'],
  visit: ['走访', 'Visit'],
};

export function auditTargetLabel(type: string, locale: Locale): string {
  const words = TARGET_LABELS[type];
  return words ? pick(words, locale) : type;
}

/** The labels of the details' fields; an unlisted one shows its key. */
const FIELD_LABELS: Record<string, Words> = {
  acceptBy: ['接收期限', 'Accept by'],
  acceptedProblems: ['已确认的问题', 'Accepted problems'],
  attended: ['是否出席', 'Attended'],
  by: ['更正方式', 'Corrected as'],
  campaignTaskId: ['核查任务', 'Campaign task'],
  campaignTasks: ['随迁核查任务', 'Campaign tasks moved'],
  categories: ['儿童类别', 'Categories'],
  changes: ['修改内容', 'Changes'],
  checklist: ['核查项目', 'Checklist'],
  children: ['儿童数', 'Children'],
  comment: ['说明', 'Comment'],
  compliant: ['是否履行', 'Compliant'],
  count: ['条数', 'Rows'],
  done: ['已核查', 'Done'],
  endDate: ['结束日期', 'End date'],
  failures: ['连续失败次数', 'Failures'],
  field: ['号码', 'Number'],
  fields: ['涉及字段', 'Fields'],
  fileId: ['文件', 'File'],
  fileName: ['文件名', 'File name'],
  filters: ['筛选条件', 'Filters'],
  from: ['原值', 'From'],
  inScope: ['辖区内', 'In scope'],
  keptLocation: ['保留位置信息', 'Location kept'],
  kind: ['类型', 'Kind'],
  legacyHead: ['旧链末条', 'Legacy head'],
  legacyRows: ['旧链条数', 'Legacy rows'],
  letterId: ['责任书', 'Letter'],
  letters: ['责任书数', 'Letters'],
  locale: ['语言', 'Language'],
  method: ['报警方式', 'Method'],
  mime: ['文件类型', 'File type'],
  minutesToPolice: ['报警用时（分钟）', 'Minutes to police'],
  moved: ['随迁记录数', 'Records moved'],
  name: ['名称', 'Name'],
  notDone: ['未核查', 'Not done'],
  organisationId: ['机构', 'Organisation'],
  organisations: ['机构数', 'Organisations'],
  outOfScope: ['辖区外', 'Outside scope'],
  outcome: ['结果', 'Outcome'],
  phone: ['电话', 'Phone'],
  policeNotified: ['已报警', 'Police notified'],
  problems: ['发现问题', 'Problems'],
  reason: ['理由', 'Reason'],
  receipt: ['有回执号', 'Receipt number'],
  referralId: ['转介', 'Referral'],
  referrals: ['转介数', 'Referrals'],
  reports: ['强制报告数', 'Mandatory reports'],
  regionCode: ['区划代码', 'Region code'],
  regions: ['区划数', 'Regions'],
  role: ['角色', 'Role'],
  seenInPerson: ['见到本人', 'Seen in person'],
  shareContacts: ['共享联系方式', 'Contacts shared'],
  size: ['大小（字节）', 'Size (bytes)'],
  source: ['来源', 'Source'],
  startDate: ['开始日期', 'Start date'],
  state: ['状态', 'State'],
  tasks: ['任务数', 'Tasks'],
  to: ['新值', 'To'],
  total: ['总数', 'Total'],
  triggers: ['报告情形', 'Triggers'],
  urgency: ['紧急程度', 'Urgency'],
  username: ['用户名', 'Username'],
  users: ['账号数', 'Accounts'],
  visitId: ['走访记录', 'Visit'],
  villages: ['村（社区）', 'Villages'],
  visits: ['走访数', 'Visits'],
  maxOfflineDays: ['离线保留天数', 'Days kept offline'],
};

/** Keys shown elsewhere on the row: the child has its own column (by name, for those who may see him). */
const HIDDEN_FIELDS = new Set(['childId']);

export interface AuditDetailField {
  key: string;
  label: string;
  value: string;
}

/** Codes written as values that read better in words: which number was shown (child.reveal). */
const VALUE_LABELS: Record<string, Record<string, Words>> = {
  field: {
    idNumber: ['儿童身份证号', "child's ID number"],
    'father.idNumber': ['父亲身份证号', "father's ID number"],
    'mother.idNumber': ['母亲身份证号', "mother's ID number"],
    'father.phone': ['父亲电话', "father's phone"],
    'mother.phone': ['母亲电话', "mother's phone"],
    'caregiver.phone': ['照料人电话', "carer's phone"],
  },
};

function valueText(value: unknown, locale: Locale): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return locale === 'en-US' ? (value ? 'yes' : 'no') : value ? '是' : '否';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((v) => valueText(v, locale)).join(locale === 'en-US' ? ', ' : '、');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${auditFieldLabel(k, locale)}：${valueText(v, locale)}`)
      .join(locale === 'en-US' ? '; ' : '；');
  }
  return JSON.stringify(value);
}

export function auditFieldLabel(key: string, locale: Locale): string {
  const words = FIELD_LABELS[key];
  return words ? pick(words, locale) : key;
}

/** A row's details as labelled fields in words, in the order written; nested values flattened to "label：value". */
export function describeAuditDetails(details: Record<string, unknown> | null, locale: Locale): AuditDetailField[] {
  if (!details) return [];
  return Object.entries(details)
    .filter(([key]) => !HIDDEN_FIELDS.has(key))
    .map(([key, value]) => {
      const words = typeof value === 'string' ? VALUE_LABELS[key]?.[value] : undefined;
      return { key, label: auditFieldLabel(key, locale), value: words ? pick(words, locale) : valueText(value, locale) };
    });
}
