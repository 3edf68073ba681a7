import { AlertOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const reportsFeature: Feature = {
  name: 'reports',
  routes: [
    { path: 'children/:id/reports/new', permission: 'report.create', page: lazyPage(() => import('./reports-page.js'), 'ReportNewPage') },
    { path: 'reports', permission: 'report.read', page: lazyPage(() => import('./reports-page.js'), 'ReportsPage') },
    { path: 'reports/:id', permission: 'report.read', page: lazyPage(() => import('./reports-page.js'), 'ReportPage') },
  ],
  menu: [{ key: 'reports', path: '/reports', label: 'report.nav', description: 'report.navDescription', permission: 'report.read', icon: AlertOutlined }],
};
