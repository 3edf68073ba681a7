import { describe, expect, it } from 'vitest';
import { isIsoDateOrMonth, parseIsoMonth, sinceDate } from './dates.js';
import type { ParentFacts } from './facts.js';
import { missingFacts, missingFactsColumn, missingFactsOfColumn } from './facts-missing.js';

const at = (status: ParentFacts['status'], extra: Partial<ParentFacts> = {}): ParentFacts => ({ status, ...extra });

describe('missing facts (缺少关键信息)', () => {
  it.each<[string, ParentFacts, ParentFacts, string[]]>([
    ['both away, no date', at('working_away'), at('working_away'), ['father.since', 'mother.since']],
    ['both away, dates', at('working_away', { since: '2024-01-15' }), at('working_away', { since: '2024-03' }), []],
    ['mother away, date unknown stated', at('at_home'), at('working_away', { sinceUnknown: true }), []],
    ['father away, blank date', at('working_away', { since: '' }), at('at_home'), ['father.since']],
    ['father away within the county, no date: it decides nothing', at('working_away', { workAwayCrossesCounty: false }), at('at_home'), []],
    ['father away, crossing unknown, no date', at('working_away', { workAwayCrossesCounty: null }), at('deceased'), ['father.since']],
    ['neither away', at('at_home'), at('lost_contact'), []],
  ])('%s → %j', (_label, father, mother, missing) => {
    expect(missingFacts({ father, mother })).toEqual(missing);
  });

  it('is stored comma-separated, null when none, and read back', () => {
    expect(missingFactsColumn([])).toBeNull();
    expect(missingFactsColumn(['father.since', 'mother.since'])).toBe('father.since,mother.since');
    expect(missingFactsOfColumn('father.since,mother.since')).toEqual(['father.since', 'mother.since']);
    expect(missingFactsOfColumn(null)).toEqual([]);
    expect(missingFactsOfColumn('father.since,unknown.thing')).toEqual(['father.since']);
  });
});

describe('dates known to the month', () => {
  it.each([
    ['2026-05', '2026-05-31'],
    ['2024-02', '2024-02-29'],
    ['2026-02', '2026-02-28'],
    ['2026-04-10', '2026-04-10'],
  ])('%s counts from %s', (since, date) => expect(sinceDate(since)).toBe(date));
  it.each([
    ['2026-05', true],
    ['2026-05-31', true],
    ['2026-13', false],
    ['2026-00', false],
    ['2026-5', false],
    ['2026-02-30', false],
  ])('%s is a date or a month: %s', (text, ok) => expect(isIsoDateOrMonth(text)).toBe(ok));
  it('parses a month', () => expect(parseIsoMonth('2026-11')).toEqual({ year: 2026, month: 11 }));
});
