/**
 * The audit ledger as a workbook: one row per audit row, in words (the
 * action's label, the child by name and village for a reader who may see him,
 * the details as "label：value"), times in China time. Written while it is
 * sent, batch by batch.
 *
 * Every cell is a plain string or number cell (never a formula object), so
 * nothing in it is evaluated when the file is opened.
 */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { AuditEntry } from '../../../domain/api.js';
import { auditActionLabel, auditTargetLabel, chinaDateTime, describeAuditDetails } from '../../../domain/audit/actions.js';
import type { Locale } from '../../../domain/locale.js';
import { isRole, type Role } from '../../../domain/roles.js';
import { safeRow } from '../children-import/spreadsheet-safe.js';

type Words = readonly [zh: string, en: string];
const W = {
  sheet: ['审计日志', 'Audit log'],
  at: ['时间（北京时间）', 'Time (China)'],
  actor: ['操作人', 'User'],
  role: ['角色', 'Role'],
  action: ['操作', 'Action'],
  child: ['儿童', 'Child'],
  village: ['村（社区）', 'Village'],
  target: ['对象', 'Target'],
  details: ['详情', 'Details'],
  region: ['区划代码', 'Region code'],
  ip: ['来源 IP', 'IP'],
  seq: ['序号', 'No.'],
  system: ['系统', 'System'],
  outOfScope: ['（范围外）', '(outside your scope)'],
} as const satisfies Record<string, Words>;

const ROLE_WORDS: Record<Role, Words> = {
  director: ['儿童主任', 'Village child director'],
  supervisor: ['儿童督导员', 'Township child supervisor'],
  county_admin: ['县（区）民政管理员', 'County civil affairs admin'],
  city_admin: ['市民政管理员', 'City civil affairs admin'],
  school: ['学校联络人', 'School contact'],
  agency: ['合作机构', 'Partner agency'],
  volunteer: ['志愿者', 'Volunteer'],
  sysadmin: ['系统管理员', 'System administrator'],
};

export function writeAuditWorkbook(batches: AsyncIterable<AuditEntry[]>, options: { locale: Locale; exportedAt: string; count: number }): Readable {
  const en = options.locale === 'en-US';
  const say = (key: keyof typeof W) => W[key][en ? 1 : 0];
  const stream = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });

  const rowOf = (e: AuditEntry): (string | number | null)[] => [
    chinaDateTime(e.at),
    e.actorUsername ?? say('system'),
    e.actorRole && isRole(e.actorRole) ? ROLE_WORDS[e.actorRole][en ? 1 : 0] : e.actorRole,
    auditActionLabel(e.action, options.locale),
    e.child ? (e.child.name ?? say('outOfScope')) : null,
    e.child?.village ?? null,
    e.targetType ? auditTargetLabel(e.targetType, options.locale) : null,
    describeAuditDetails(e.details, options.locale)
      .map((f) => `${f.label}：${f.value}`)
      .join(en ? '; ' : '；') || null,
    e.regionCode,
    e.ip,
    e.seq,
  ];

  const write = async () => {
    const ws = wb.addWorksheet(say('sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
    const headers = ['at', 'actor', 'role', 'action', 'child', 'village', 'target', 'details', 'region', 'ip', 'seq'] as const;
    const widths = [20, 24, 18, 22, 12, 16, 14, 60, 14, 16, 9];
    ws.columns = headers.map((h, i) => ({ header: say(h), width: widths[i] }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for await (const entries of batches) {
      for (const e of entries) ws.addRow(safeRow(rowOf(e))).commit();
    }
    ws.commit();
    await wb.commit();
  };
  write().catch((err: unknown) => stream.destroy(err instanceof Error ? err : new Error(String(err))));
  return stream;
}
