/**
 * Words for the child file's codes: enums, derived-category reason codes
 * (domain/children/categories.ts) and history field names. Unknown codes
 * fall back to the code itself, so a new server code never breaks a page.
 */
import { isMessageKey, type MessageKey, type Translate } from './index.js';

function labelOr(t: Translate, key: string, fallback: string, params?: Record<string, string | number>): string {
  return isMessageKey(key) ? t(key, params) : fallback;
}

/** `child.status.pending` → 待审核, or the code for an unknown value. */
export function enumLabel(t: Translate, group: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return labelOr(t, `child.${group}.${value}`, value);
}

const PARENT_STATUS_PARAMS = new Set(['status', 'otherStatus', 'fatherStatus', 'motherStatus']);

/** Reason params in words: parent roles, parent statuses, disability types, hukou, support and guardianship codes. */
function reasonParams(t: Translate, params: Record<string, string | number> | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value !== 'string') out[name] = value;
    else if (name === 'parent' || name === 'otherParent') out[name] = enumLabel(t, 'parentRole', value);
    else if (PARENT_STATUS_PARAMS.has(name)) out[name] = enumLabel(t, 'parentStatus', value);
    else if (name === 'type') out[name] = enumLabel(t, 'disability', value);
    else if (name === 'hukouType') out[name] = enumLabel(t, 'hukou', value);
    else if (name === 'support') out[name] = enumLabel(t, 'support', value);
    else if (name === 'issue') out[name] = enumLabel(t, 'guardianship', value === 'improper_care' ? 'improperCare' : value);
    else out[name] = value;
  }
  return out;
}

/** One derived-category reason in words; an unknown code shows as the code. */
export function categoryReasonLabel(t: Translate, reason: { code: string; params?: Record<string, string | number> | undefined }): string {
  const params = reasonParams(t, reason.params);
  const key = `childReason.${reason.code}`;
  if (!isMessageKey(key)) return reason.code;
  let text = t(key, params);
  // A reason recorded without its details (e.g. a disability without type and grade) has a plain wording.
  if (/\{\w+\}/.test(text)) {
    const plain = `${key}_plain`;
    text = isMessageKey(plain) ? t(plain, params) : text.replace(/\{\w+\}/g, '').trim();
  }
  const basis = reason.params?.basis;
  if (typeof basis === 'string') text += labelOr(t, `childReason.basis.${basis}`, '');
  return text;
}

/** `father.workCity` → 父亲 · 务工城市; `schooling.status` → 就学状态; unknown → the field name. */
export function historyFieldLabel(t: Translate, field: string): string {
  const parent = /^(father|mother)\.(.+)$/.exec(field);
  if (parent) {
    const [, role = '', rest = ''] = parent;
    const inner = labelOr(t, `field.parent.${rest}`, rest);
    return `${enumLabel(t, 'parentRole', role)} · ${inner}`;
  }
  const support = /^support\.(.+)$/.exec(field);
  if (support) return `${t('field.support')} · ${enumLabel(t, 'support', support[1])}`;
  const guardianship = /^guardianship\.(.+)$/.exec(field);
  if (guardianship) return `${t('field.guardianship')} · ${enumLabel(t, 'guardianship', guardianship[1])}`;
  return labelOr(t, `field.${field}`, field);
}

/** Which enum a history field holds, so that its old and new values show in words. */
function enumGroupOf(field: string): string | null {
  if (field === 'sex') return 'sex';
  if (field === 'status') return 'status';
  if (field === 'hukouType') return 'hukou';
  if (/^(father|mother)\.status$/.test(field)) return 'parentStatus';
  if (/\.disability\.type$/.test(field)) return 'disability';
  if (field === 'caregiver.kind') return 'caregiverKind';
  if (field === 'caregiver.health' || field === 'caregiver.capacity') return 'capacity';
  if (field === 'schooling.status') return 'school';
  if (field === 'health.status') return 'health';
  return null;
}

/** An old or new value of a history change, in words. */
export function historyValueLabel(t: Translate, field: string, value: unknown, regionName?: (code: string) => string | undefined): string {
  if (value === null || value === undefined || value === '') return t('child.empty');
  if (typeof value === 'boolean') return t(value ? 'child.yes' : 'child.no');
  if (typeof value === 'string') {
    if (field === 'regionCode') return regionName?.(value) ?? value;
    const group = enumGroupOf(field);
    return group ? enumLabel(t, group, value) : value;
  }
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

export function historyActionLabel(t: Translate, action: string): string {
  return labelOr(t, `historyAction.${action}`, action);
}

export const CATEGORY_MESSAGE: Record<'left_behind' | 'distress' | 'unsupported', MessageKey> = {
  left_behind: 'child.category.left_behind',
  distress: 'child.category.distress',
  unsupported: 'child.category.unsupported',
};

/** A missing fact (缺少关键信息) in words: `father.since` → 父亲外出日期. */
export function missingFactLabel(t: Translate, fact: string): string {
  return labelOr(t, `missingFact.${fact}`, fact);
}
