import type { Key } from './strings.zh-CN.js';

/** The audit feature's words in English: the type demands exactly the keys of the Chinese dictionary. */
export const enUS: Record<Key, string> = {
  'audit.title': 'Audit log',
  'audit.searchPlaceholder': 'Search actor or target id',
  'audit.empty': 'No entries match',
  'audit.filter.action': 'Filter by action',
  'audit.col.at': 'Time (China)',
  'audit.col.actor': 'Actor',
  'audit.col.action': 'Action',
  'audit.col.target': 'Target',
  'audit.col.region': 'Region code',
  'audit.col.ip': 'IP address',
  'audit.seq': 'Sequence',
  'audit.requestId': 'Request id',
  'audit.details': 'Details',
  'audit.col.child': 'Child',
  'audit.outOfScope': '(outside your scope)',
  'audit.showDetails': 'Details',
  'audit.hideDetails': 'Hide details',
  'audit.export': 'Export to Excel',
  'audit.exported': 'Exported (the export itself is in the audit log)',
  'audit.filter.from': 'From',
  'audit.filter.to': 'To',
  'audit.note': "Days are China time. A child's name shows only to those who may see that child now; a child moved out of your scope shows as “(outside your scope)”.",
  'audit.system': 'System',
};
