import type { Key } from './strings.zh-CN.js';

/** The organisations feature's words in English: the type demands exactly the keys of the Chinese dictionary. */
export const enUS: Record<Key, string> = {
  'organisations.title': 'Organisations',
  'organisations.create': 'New organisation',
  'organisations.searchPlaceholder': 'Search by name',
  'organisations.empty': 'No organisations match',
  'organisations.filter.kind': 'Filter by kind',
  'organisations.col.name': 'Name',
  'organisations.col.kind': 'Kind',
  'organisations.col.region': 'Region',
  'organisations.col.userCount': 'Accounts',
  'organisations.form.name': 'Name',
  'organisations.form.nameRequired': 'Enter a name (at least 2 characters)',
  'organisations.form.kind': 'Kind',
  'organisations.form.kindRequired': 'Choose a kind',
  'organisations.form.region': 'Region',
  'organisations.form.regionRequired': 'Choose a region',
  'organisations.created': 'Organisation created',
};
