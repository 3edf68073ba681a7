import { FileSearchOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const campaignsFeature: Feature = {
  name: 'campaigns',
  routes: [
    { path: 'campaigns', permission: 'campaign.read', page: lazyPage(() => import('./campaigns-page.js'), 'CampaignsPage') },
    { path: 'campaigns/:id', permission: 'campaign.read', page: lazyPage(() => import('./campaign-page.js'), 'CampaignPage') },
  ],
  menu: [{ key: 'campaigns', path: '/campaigns', label: 'campaign.nav', description: 'campaign.navDescription', permission: 'campaign.read', icon: FileSearchOutlined }],
};
