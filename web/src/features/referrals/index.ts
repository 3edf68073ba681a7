import { SendOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const referralsFeature: Feature = {
  name: 'referrals',
  routes: [
    { path: 'children/:id/referrals/new', permission: 'referral.create', page: lazyPage(() => import('./referrals-page.js'), 'ReferralNewPage') },
    { path: 'referrals', permission: 'referral.read', page: lazyPage(() => import('./referrals-page.js'), 'ReferralsPage') },
    { path: 'referrals/:id', permission: 'referral.read', page: lazyPage(() => import('./referrals-page.js'), 'ReferralPage') },
  ],
  menu: [{ key: 'referrals', path: '/referrals', label: 'referral.nav', description: 'referral.navDescription', permission: 'referral.read', icon: SendOutlined }],
};
