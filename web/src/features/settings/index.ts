import { SettingOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const settingsFeature: Feature = {
  name: 'settings',
  routes: [{ path: 'settings', permission: 'settings.manage', page: lazyPage(() => import('./settings-page.js'), 'SettingsPage') }],
  menu: [{ key: 'settings', path: '/settings', label: 'nav.settings', description: 'home.link.settings', permission: 'settings.manage', icon: SettingOutlined }],
};
