import type { Key } from './strings.zh-CN.js';

/** The coverage feature's words in English: the type demands exactly the keys of the Chinese dictionary. */
export const enUS: Record<Key, string> = {
  'coverage.title': 'Staff coverage',
  'coverage.tab.regions': 'By region',
  'coverage.tab.gaps': 'Gaps',
  'coverage.col.region': 'Region',
  'coverage.col.townships': 'Townships',
  'coverage.col.townshipsWithoutSupervisor': 'Townships w/o supervisor',
  'coverage.col.villages': 'Villages',
  'coverage.col.villagesWithoutDirector': 'Villages w/o director',
  'coverage.col.supervisors': 'Supervisors',
  'coverage.col.directors': 'Directors',
  'coverage.totals': 'Total',
  'coverage.drillHint': 'Click a row to see its subdivisions.',
  'coverage.gap.villages': 'Villages without a director',
  'coverage.gap.townships': 'Townships without a supervisor',
  'coverage.noGaps': 'No gaps: every region is staffed',
  'coverage.noRows': 'No subdivisions',
};
