import { BankOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const organisationsFeature: Feature = {
  name: 'organisations',
  routes: [{ path: 'organisations', permission: 'organisation.read', page: lazyPage(() => import('./organisations-page.js'), 'OrganisationsPage') }],
  menu: [
    { key: 'organisations', path: '/organisations', label: 'nav.organisations', description: 'home.link.organisations', permission: 'organisation.read', icon: BankOutlined },
  ],
};
