import { TeamOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const usersFeature: Feature = {
  name: 'users',
  routes: [{ path: 'users', permission: 'user.read', page: lazyPage(() => import('./users-page.js'), 'UsersPage') }],
  menu: [{ key: 'users', path: '/users', label: 'nav.users', description: 'home.link.users', permission: 'user.read', icon: TeamOutlined }],
};
