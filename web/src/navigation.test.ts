import { describe, expect, it } from 'vitest';
import { ACTIONS, can } from '../../domain/access.js';
import type { Me } from '../../domain/api.js';
import { ROLES, type Role } from '../../domain/roles.js';
import { navKeyForPath, visibleNavItems } from './navigation.js';

/** A session as GET /api/me builds it: the role's permissions from the one matrix. */
function sessionOf(role: Role): Me {
  const city = { code: '431200000000', name: '怀化市', level: 'city' as const };
  return {
    user: { id: 'u1', username: role, displayName: role, role, locale: 'zh-CN', mustChangePassword: false, phone: null },
    scope: { kind: 'region', region: city, path: [city] },
    permissions: ACTIONS.filter((action) => can(role, action)),
    csrfToken: 'token',
  };
}

describe('the settings menu entry (认定标准)', () => {
  it('is shown exactly to the roles that may manage settings', () => {
    for (const role of ROLES) {
      const keys = visibleNavItems(sessionOf(role)).map((item) => item.key);
      expect(keys.includes('settings'), role).toBe(can(role, 'settings.manage'));
    }
    expect(visibleNavItems(sessionOf('city_admin')).map((item) => item.key)).toContain('settings');
    expect(visibleNavItems(sessionOf('county_admin')).map((item) => item.key)).not.toContain('settings');
  });

  it('is the selected entry on /settings', () => {
    expect(navKeyForPath('/settings')).toBe('settings');
  });
});

describe('the menu of a role whose work is not the network (issue 12 point 11)', () => {
  it('has no entry that leads nowhere: a volunteer has his home and his account, an agency its inbox, a school contact his pupils', () => {
    const keys = (role: Role) => visibleNavItems(sessionOf(role)).map((item) => item.key);
    expect(keys('volunteer')).toEqual(['home', 'account']);
    expect(keys('agency')).toEqual(['home', 'inbox', 'account']);
    expect(keys('school')).toEqual(['home', 'pupils', 'account']);
    // The region tree stays for those who run the network.
    for (const role of ['director', 'supervisor', 'county_admin', 'city_admin', 'sysadmin'] as const) expect(keys(role), role).toContain('regions');
  });
});
