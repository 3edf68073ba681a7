/**
 * Facts that decide a category and are missing from a file (缺少关键信息).
 * A parent working away (across the county line) counts towards 留守 only
 * from the date he left: without it the child is not counted as left-behind,
 * and nothing else would show why. Such a file is listed on the work list
 * with what is missing, never silently re-categorised.
 */
import type { ChildFacts, ParentFacts } from './facts.js';

export const MISSING_FACTS = ['father.since', 'mother.since'] as const;
export type MissingFact = (typeof MISSING_FACTS)[number];

/** Working away across the county line with neither a date of leaving (a month is enough) nor "more than six months, date unknown". */
export function absenceDateMissing(parent: ParentFacts): boolean {
  return parent.status === 'working_away' && parent.workAwayCrossesCounty !== false && !parent.since && !parent.sinceUnknown;
}

export function missingFacts(facts: Pick<ChildFacts, 'father' | 'mother'>): MissingFact[] {
  const out: MissingFact[] = [];
  if (absenceDateMissing(facts.father)) out.push('father.since');
  if (absenceDateMissing(facts.mother)) out.push('mother.since');
  return out;
}

/** As stored in `children.missing_facts`: comma-separated, null when none. */
export const missingFactsColumn = (missing: readonly MissingFact[]): string | null => (missing.length > 0 ? missing.join(',') : null);

export function missingFactsOfColumn(column: string | null): MissingFact[] {
  if (!column) return [];
  return column.split(',').filter((f): f is MissingFact => (MISSING_FACTS as readonly string[]).includes(f));
}
