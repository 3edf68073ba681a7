import type { Key } from './strings.zh-CN.js';

/** The regions feature's words in English: the type demands exactly the keys of the Chinese dictionary. */
export const enUS: Record<Key, string> = {
  'regions.title': 'Regions',
  'regions.searchPlaceholder': 'Search by name or 12-digit code',
  'regions.noMatch': 'No matching region',
  'regions.selectHint': 'Select a region in the tree to see its details',
  'regions.detail': 'Region details',
  'regions.validFrom': 'Valid from',
  'regions.validTo': 'Valid to',
  'regions.stillValid': 'Current',
  'regions.childCount': 'Subdivisions',
  'regions.counts': 'Totals',
  'regions.tree': 'Region tree',
};
