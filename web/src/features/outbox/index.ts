import { CloudUploadOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

/** The phone's outbox and offline copy (issue 15): field staff's own page; the header shows it too while something waits. */
export const outboxFeature: Feature = {
  name: 'outbox',
  routes: [{ path: 'outbox', permission: 'visit.record', page: lazyPage(() => import('./outbox-page.js'), 'OutboxPage') }],
  menu: [{ key: 'outbox', path: '/outbox', label: 'outbox.badge', description: 'outbox.navDescription', permission: 'visit.record', hiddenFor: ['county_admin', 'city_admin', 'sysadmin'], icon: CloudUploadOutlined }],
};
