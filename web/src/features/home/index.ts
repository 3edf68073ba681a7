import { HomeOutlined } from '@ant-design/icons';
import { type Feature } from '../../shared/feature.js';
// The home page is every user's first page after signing in: in the main bundle, so that it needs no second round trip (issue 15 §6).
import { HomePage } from './home-page.js';

export const homeFeature: Feature = {
  name: 'home',
  routes: [{ path: '', permission: null, page: HomePage }],
  menu: [{ key: 'home', path: '/', label: 'nav.home', description: null, permission: null, icon: HomeOutlined }],
};
