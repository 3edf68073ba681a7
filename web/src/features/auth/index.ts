import { UserOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';
// The sign-in page is the first page of a signed-out visit: in the main bundle, not loaded on demand.
import { SignInPage } from './sign-in-page.js';

export const authFeature: Feature = {
  name: 'auth',
  publicRoutes: [{ path: '/sign-in', page: SignInPage }],
  // Every signed-in user: a forced password change leads here.
  routes: [{ path: 'account', permission: null, page: lazyPage(() => import('./account-page.js'), 'AccountPage') }],
  menu: [{ key: 'account', path: '/account', label: 'nav.account', description: 'home.link.account', permission: null, icon: UserOutlined }],
};
