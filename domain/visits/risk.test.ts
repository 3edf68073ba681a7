import { describe, expect, it } from 'vitest';
import { assessRisk, currentRiskFactors, fileRiskFactors, riskLevelOf, type RiskFactor, type RiskLevel } from './risk.js';

describe('riskLevelOf', () => {
  const cases: [RiskFactor[], RiskLevel][] = [
    [[], 'low'],
    [['dropout'], 'medium'],
    [['no_hukou'], 'medium'],
    [['serious_illness_disability'], 'medium'],
    [['dropout', 'no_hukou'], 'high'], // two medium factors together → high
    [['dropout', 'dropout'], 'medium'], // the same factor twice is one factor
    [['living_alone'], 'high'],
    [['carer_unfit'], 'high'],
    [['psych_concern'], 'high'],
    [['recent_report_referral'], 'high'],
    [['living_alone', 'dropout'], 'high'], // a lower factor does not raise a higher one
    [['living_alone', 'carer_unfit'], 'urgent'], // two high factors → urgent
    [['abuse_signs'], 'urgent'],
    [['self_harm_talk'], 'urgent'],
    [['under8_unattended'], 'urgent'],
    [['abuse_signs', 'self_harm_talk'], 'urgent'], // never above urgent
  ];
  it.each(cases)('%j → %s', (factors, level) => expect(riskLevelOf(factors)).toBe(level));
});

describe('fileRiskFactors', () => {
  const base = {
    birthDate: '2016-04-10',
    hukouType: 'rural' as const,
    health: { status: 'healthy' as const },
    caregiver: { kind: 'grandparent' as const, capacity: 'good' as const },
    schoolStatus: 'in_school' as const,
  };
  it('finds nothing in an ordinary file', () => expect(fileRiskFactors(base, '2026-11-29')).toEqual([]));
  it('a child living alone is under8_unattended until the day before the 8th birthday, then living_alone', () => {
    const alone = { ...base, birthDate: '2018-11-30', caregiver: { kind: 'alone' as const, capacity: 'poor' as const } };
    expect(fileRiskFactors(alone, '2026-11-29')).toEqual(['under8_unattended']);
    expect(fileRiskFactors(alone, '2026-11-30')).toEqual(['living_alone']);
  });
  it('a child born on 29 February is 8 from that day eight years later (a leap year too)', () => {
    const alone = { ...base, birthDate: '2016-02-29', caregiver: { kind: 'alone' as const, capacity: 'poor' as const } };
    expect(fileRiskFactors(alone, '2024-02-28')).toEqual(['under8_unattended']);
    expect(fileRiskFactors(alone, '2024-02-29')).toEqual(['living_alone']);
  });
  it('dropout, no hukou and illness or disability come from the file', () => {
    expect(fileRiskFactors({ ...base, schoolStatus: 'dropped_out', hukouType: 'none', health: { status: 'disabled' } }, '2026-11-29')).toEqual([
      'dropout',
      'no_hukou',
      'serious_illness_disability',
    ]);
  });
});

describe('currentRiskFactors and assessRisk', () => {
  it('adds what visits observed and a recent report, in a stable order, without duplicates', () => {
    expect(currentRiskFactors(['dropout', 'living_alone'], { living_alone: true, abuse_signs: true, psych_concern: false }, true)).toEqual([
      'living_alone',
      'abuse_signs',
      'dropout',
      'recent_report_referral',
    ]);
  });
  it('an override stands whatever the factors say, and the derived level is kept beside it', () => {
    const override = { level: 'low' as const, reason: '家长已返乡', by: 'u1', at: '2026-11-29T00:00:00Z' };
    expect(assessRisk(['abuse_signs'], override)).toEqual({ level: 'low', derived: 'urgent', factors: ['abuse_signs'], override });
    expect(assessRisk(['abuse_signs'], null).level).toBe('urgent');
  });
});
