/**
 * Risk level of a child (DESIGN §4): derived from factors, overridable with a
 * reason. Some factors come from the child file itself (dropout, no hukou,
 * serious illness or disability, living alone, a young child with no carer);
 * the others are what a visitor observed on the latest visit that answered them.
 */
import { ageOn } from '../children/age.js';
import type { ChildFacts } from '../children/facts.js';

export const RISK_LEVELS = ['low', 'medium', 'high', 'urgent'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const RISK_FACTORS = [
  'living_alone', // 独居
  'under8_unattended', // 8 岁以下无人看护
  'carer_unfit', // 照护人不宜 (Minors Protection Law art. 22 grounds)
  'abuse_signs', // 疑似遭受侵害 / 虐待迹象
  'self_harm_talk', // 自伤自杀言语
  'dropout', // 辍学
  'no_hukou', // 无户籍
  'serious_illness_disability', // 重病重残
  'psych_concern', // 严重心理问题
  'recent_report_referral', // 近期强制报告或转介
] as const;
export type RiskFactor = (typeof RISK_FACTORS)[number];

/** Factors a visit records (yes / no / not checked); the rest follow from the child file. */
export const VISIT_FACTORS = ['living_alone', 'under8_unattended', 'carer_unfit', 'abuse_signs', 'self_harm_talk', 'psych_concern'] as const satisfies readonly RiskFactor[];
export type VisitFactor = (typeof VISIT_FACTORS)[number];

/**
 * The level each factor alone implies. Interpretations (ours, no national table exists):
 * harm or talk of self-harm, and a child under 8 left unattended, need action within a week → urgent;
 * living alone, an unfit carer, a serious psychological concern, a recent report or referral → high;
 * the seed document's priority groups (dropout, no hukou, serious illness/disability) → medium,
 * and they are visited at least monthly anyway (schedule.ts).
 */
export const FACTOR_LEVEL: Record<RiskFactor, RiskLevel> = {
  abuse_signs: 'urgent',
  self_harm_talk: 'urgent',
  under8_unattended: 'urgent',
  living_alone: 'high',
  carer_unfit: 'high',
  psych_concern: 'high',
  recent_report_referral: 'high',
  dropout: 'medium',
  no_hukou: 'medium',
  serious_illness_disability: 'medium',
};

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, urgent: 3 };
export const riskRank = (level: RiskLevel): number => RANK[level];
const LEVEL_OF_RANK: RiskLevel[] = ['low', 'medium', 'high', 'urgent'];

/**
 * The level of a set of factors: the highest single factor's level, raised one
 * step when two or more factors sit at that highest level (two high-risk
 * circumstances together are treated as urgent; two medium ones as high).
 */
export function riskLevelOf(factors: readonly RiskFactor[]): RiskLevel {
  const unique = [...new Set(factors)];
  if (unique.length === 0) return 'low';
  const ranks = unique.map((f) => RANK[FACTOR_LEVEL[f]]);
  const top = Math.max(...ranks);
  const atTop = ranks.filter((r) => r === top).length;
  return LEVEL_OF_RANK[Math.min(3, atTop >= 2 ? top + 1 : top)]!;
}

/** Factors that the child file shows by itself, on a given date (age moves with time). */
export function fileRiskFactors(facts: Pick<ChildFacts, 'birthDate' | 'hukouType' | 'health' | 'caregiver' | 'schoolStatus'>, onDate: string): RiskFactor[] {
  const out: RiskFactor[] = [];
  if (facts.caregiver.kind === 'alone') out.push(ageOn(facts.birthDate, onDate) < 8 ? 'under8_unattended' : 'living_alone');
  if (facts.schoolStatus === 'dropped_out') out.push('dropout');
  if (facts.hukouType === 'none') out.push('no_hukou');
  if (facts.health.status !== 'healthy') out.push('serious_illness_disability');
  return out;
}

/** What the latest visits observed: true = present, false = checked and absent; a factor no visit answered is absent. */
export type ObservedFactors = Partial<Record<VisitFactor, boolean>>;

/** Combines what the file shows, what visits observed, and a recent report or referral (issue 5). */
export function currentRiskFactors(fileFactors: readonly RiskFactor[], observed: ObservedFactors, recentReportOrReferral = false): RiskFactor[] {
  const set = new Set<RiskFactor>(fileFactors);
  for (const f of VISIT_FACTORS) if (observed[f]) set.add(f);
  if (recentReportOrReferral) set.add('recent_report_referral');
  return RISK_FACTORS.filter((f) => set.has(f));
}

/** A level set by hand: it stands until cleared, whatever the factors say. */
export interface RiskOverride {
  level: RiskLevel;
  reason: string;
  by: string;
  at: string;
}

export interface RiskAssessment {
  level: RiskLevel;
  derived: RiskLevel;
  factors: RiskFactor[];
  override: RiskOverride | null;
}

export function assessRisk(factors: readonly RiskFactor[], override: RiskOverride | null): RiskAssessment {
  const derived = riskLevelOf(factors);
  return { level: override ? override.level : derived, derived, factors: [...factors], override };
}
