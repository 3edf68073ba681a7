import { UserOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const authFeature: Feature = {
  name: 'auth',
  // Loaded on demand like any page: its form (antd Form and its validator) is no part of a signed-in first page (issue 15 §6).
  publicRoutes: [{ path: '/sign-in', page: lazyPage(() => import('./sign-in-page.js'), 'SignInPage') }],
  // Every signed-in user: a forced password change leads here.
  routes: [{ path: 'account', permission: null, page: lazyPage(() => import('./account-page.js'), 'AccountPage') }],
  menu: [{ key: 'account', path: '/account', label: 'nav.account', description: 'home.link.account', permission: null, icon: UserOutlined }],
};
