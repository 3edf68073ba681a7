import type { Action } from '../../domain/access.js';
import type { Me } from '../../domain/api.js';
import type { Role } from '../../domain/roles.js';
import type { MessageKey } from './shared/i18n/index.js';

export type NavKey = 'home' | 'worklist' | 'inbox' | 'reports' | 'referrals' | 'orders' | 'campaigns' | 'children' | 'childReview' | 'regions' | 'coverage' | 'users' | 'organisations' | 'audit' | 'settings' | 'pupils' | 'account';

export interface NavItem {
  key: NavKey;
  path: string;
  label: MessageKey;
  /** One line for the shortcut list on the home page. */
  description: MessageKey | null;
  /** The action the page needs; the server still decides, this only hides what would fail. */
  permission: Action | null;
  /** Roles that hold the permission for other pages' sake but for whom the page is no work of theirs (no menu entry that leads nowhere). */
  hiddenFor?: readonly Role[];
}

/** An organisation's users (agency, school, volunteer) work on what is referred or assigned to them, not on the network. */
const ORGANISATION_ROLES: readonly Role[] = ['agency', 'school', 'volunteer'];

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'home', path: '/', label: 'nav.home', description: null, permission: null },
  { key: 'worklist', path: '/worklist', label: 'nav.worklist', description: 'home.link.worklist', permission: 'worklist.read' },
  { key: 'inbox', path: '/inbox', label: 'inbox.nav', description: 'inbox.navDescription', permission: 'referral.inbox' },
  { key: 'reports', path: '/reports', label: 'report.nav', description: 'report.navDescription', permission: 'report.read' },
  { key: 'referrals', path: '/referrals', label: 'referral.nav', description: 'referral.navDescription', permission: 'referral.read' },
  { key: 'orders', path: '/orders', label: 'order.nav', description: 'order.navDescription', permission: 'order.read' },
  { key: 'campaigns', path: '/campaigns', label: 'campaign.nav', description: 'campaign.navDescription', permission: 'campaign.read' },
  { key: 'children', path: '/children', label: 'nav.children', description: 'home.link.children', permission: 'child.read' },
  { key: 'childReview', path: '/children/review', label: 'nav.childReview', description: 'home.link.childReview', permission: 'child.approve' },
  // The region tree with staffing figures: the network's page. Organisation users keep region.read for the pickers.
  { key: 'regions', path: '/regions', label: 'nav.regions', description: 'home.link.regions', permission: 'region.read', hiddenFor: ORGANISATION_ROLES },
  { key: 'coverage', path: '/coverage', label: 'nav.coverage', description: 'home.link.coverage', permission: 'coverage.read' },
  { key: 'users', path: '/users', label: 'nav.users', description: 'home.link.users', permission: 'user.read' },
  {
    key: 'organisations',
    path: '/organisations',
    label: 'nav.organisations',
    description: 'home.link.organisations',
    permission: 'organisation.read',
  },
  { key: 'audit', path: '/audit', label: 'nav.audit', description: 'home.link.audit', permission: 'audit.read' },
  { key: 'settings', path: '/settings', label: 'nav.settings', description: 'home.link.settings', permission: 'settings.manage' },
  { key: 'pupils', path: '/pupils', label: 'pupils.nav', description: 'pupils.navDescription', permission: 'pupil.read' },
  { key: 'account', path: '/account', label: 'nav.account', description: 'home.link.account', permission: null },
];

export function hasPermission(me: Me, action: Action): boolean {
  return me.permissions.includes(action);
}

export function visibleNavItems(me: Me): NavItem[] {
  return NAV_ITEMS.filter((item) => (item.permission === null || hasPermission(me, item.permission)) && !item.hiddenFor?.includes(me.user.role));
}

/** The menu entry a URL belongs to: the longest menu path that prefixes it (/children/review before /children). */
export function navKeyForPath(pathname: string): NavKey {
  const matches = NAV_ITEMS.filter((item) => item.path !== '/' && (pathname === item.path || pathname.startsWith(`${item.path}/`)));
  const best = matches.sort((a, b) => b.path.length - a.path.length)[0];
  return best?.key ?? 'home';
}
