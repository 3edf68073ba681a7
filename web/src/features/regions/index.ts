import { ApartmentOutlined } from '@ant-design/icons';
import type { Role } from '../../../../domain/roles.js';
import { lazyPage, type Feature } from '../../shared/feature.js';

/** An organisation's users (agency, school, volunteer) work on what is referred or assigned to them, not on the network. */
const ORGANISATION_ROLES: readonly Role[] = ['agency', 'school', 'volunteer'];

export const regionsFeature: Feature = {
  name: 'regions',
  routes: [{ path: 'regions', permission: 'region.read', page: lazyPage(() => import('./regions-page.js'), 'RegionsPage') }],
  menu: [
    // The region tree with staffing figures: the network's page. Organisation users keep region.read for the pickers.
    { key: 'regions', path: '/regions', label: 'nav.regions', description: 'home.link.regions', permission: 'region.read', hiddenFor: ORGANISATION_ROLES, icon: ApartmentOutlined },
  ],
};
