import { HomeOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const homeFeature: Feature = {
  name: 'home',
  routes: [{ path: '', permission: null, page: lazyPage(() => import('./home-page.js'), 'HomePage') }],
  menu: [{ key: 'home', path: '/', label: 'nav.home', description: null, permission: null, icon: HomeOutlined }],
};
