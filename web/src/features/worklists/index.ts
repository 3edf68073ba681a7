import { ScheduleOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const worklistsFeature: Feature = {
  name: 'worklists',
  routes: [{ path: 'worklist', permission: 'worklist.read', page: lazyPage(() => import('./worklist-page.js'), 'WorklistPage') }],
  menu: [{ key: 'worklist', path: '/worklist', label: 'nav.worklist', description: 'home.link.worklist', permission: 'worklist.read', icon: ScheduleOutlined }],
};
