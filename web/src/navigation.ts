import type { Me } from '../../domain/api.js';
import { FEATURES } from './features.js';
import type { MenuEntry } from './shared/feature.js';
import { menuKeyForPath, visibleMenuEntries } from './shared/menu.js';

/** The menu: every feature's entries, in the order of FEATURES. */
export const NAV_ITEMS: readonly MenuEntry[] = FEATURES.flatMap((feature) => feature.menu ?? []);

export function visibleNavItems(me: Me): MenuEntry[] {
  return visibleMenuEntries(NAV_ITEMS, me);
}

/** The menu entry a URL belongs to: the longest menu path that prefixes it (/children/review before /children). */
export function navKeyForPath(pathname: string): string {
  return menuKeyForPath(NAV_ITEMS, pathname);
}
