import { InboxOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

/** The referrals an agency receives (its side of server/features/referrals). */
export const inboxFeature: Feature = {
  name: 'inbox',
  routes: [
    { path: 'inbox', permission: 'referral.inbox', page: lazyPage(() => import('./inbox-page.js'), 'InboxPage') },
    { path: 'inbox/:id', permission: 'referral.inbox', page: lazyPage(() => import('./inbox-page.js'), 'InboxReferralPage') },
  ],
  menu: [{ key: 'inbox', path: '/inbox', label: 'inbox.nav', description: 'inbox.navDescription', permission: 'referral.inbox', icon: InboxOutlined }],
};
