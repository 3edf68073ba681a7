import { ClusterOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const coverageFeature: Feature = {
  name: 'coverage',
  routes: [{ path: 'coverage', permission: 'coverage.read', page: lazyPage(() => import('./coverage-page.js'), 'CoveragePage') }],
  menu: [{ key: 'coverage', path: '/coverage', label: 'nav.coverage', description: 'home.link.coverage', permission: 'coverage.read', icon: ClusterOutlined }],
};
