import { lazyPage, type Feature } from '../../shared/feature.js';

/** Importing children from a spreadsheet; the export (a modal on the children list) lives here too, as on the server. */
export const childrenImportFeature: Feature = {
  name: 'children-import',
  routes: [{ path: 'children/import', permission: 'child.import', page: lazyPage(() => import('./children-import-page.js'), 'ChildrenImportPage') }],
};
