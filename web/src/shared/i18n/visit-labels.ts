/**
 * Words for the visit codes (kinds, checklist items, ratings, risk factors,
 * priority groups …). An unknown code falls back to the code itself, so that
 * a new server value never breaks a page.
 */
import { isMessageKey, type Translate } from './index.js';

export type VisitLabelGroup =
  | 'kind'
  | 'present'
  | 'check'
  | 'rating'
  | 'followUp'
  | 'suggest';

/** `visit.kind.home` → 入户走访. */
export function visitLabel(t: Translate, group: VisitLabelGroup, code: string): string {
  const key = `visit.${group}.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

/** Risk factors and priority groups, shared by the visit form and the schedule card. */
export function scheduleLabel(t: Translate, group: 'factor' | 'group' | 'level', code: string): string {
  const key = group === 'level' ? `child.risk.${code}` : `schedule.${group}.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

export function timelineKindLabel(t: Translate, kind: string): string {
  const key = `timeline.kind.${kind}`;
  return isMessageKey(key) ? t(key) : kind;
}
