import { AuditOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const auditFeature: Feature = {
  name: 'audit',
  routes: [{ path: 'audit', permission: 'audit.read', page: lazyPage(() => import('./audit-page.js'), 'AuditPage') }],
  menu: [{ key: 'audit', path: '/audit', label: 'nav.audit', description: 'home.link.audit', permission: 'audit.read', icon: AuditOutlined }],
};
