import { ReadOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

/** Home visits to a child, and a school contact's pupils (his visits to them). */
export const visitsFeature: Feature = {
  name: 'visits',
  routes: [
    { path: 'children/:id/visits/new', permission: 'visit.record', page: lazyPage(() => import('./visit-form-page.js'), 'VisitNewPage') },
    { path: 'visits/:id/edit', permission: 'visit.record', page: lazyPage(() => import('./visit-form-page.js'), 'VisitEditPage') },
    { path: 'pupils', permission: 'pupil.read', page: lazyPage(() => import('./pupils-page.js'), 'PupilsPage') },
    { path: 'pupils/:id/visits/new', permission: 'pupil.visit', page: lazyPage(() => import('./pupils-page.js'), 'PupilVisitPage') },
    { path: 'pupils/visits/:visitId/edit', permission: 'pupil.visit', page: lazyPage(() => import('./pupils-page.js'), 'PupilVisitEditPage') },
  ],
  menu: [{ key: 'pupils', path: '/pupils', label: 'pupils.nav', description: 'pupils.navDescription', permission: 'pupil.read', icon: ReadOutlined }],
};
