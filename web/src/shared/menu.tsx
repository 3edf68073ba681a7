/**
 * The menu entries the features declare, handed down from the app (routes.tsx) so that shared pieces
 * (the layout) and features (the home page's shortcuts) read them without importing the feature list.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { Me } from '../../../domain/api.js';
import { hasPermission, type MenuEntry } from './feature.js';

const MenuContext = createContext<readonly MenuEntry[]>([]);

export function MenuProvider({ entries, children }: { entries: readonly MenuEntry[]; children: ReactNode }) {
  return <MenuContext.Provider value={entries}>{children}</MenuContext.Provider>;
}

export function visibleMenuEntries(entries: readonly MenuEntry[], me: Me): MenuEntry[] {
  return entries.filter((item) => (item.permission === null || hasPermission(me, item.permission)) && !item.hiddenFor?.includes(me.user.role));
}

/** The menu entry a URL belongs to: the longest menu path that prefixes it (/children/review before /children). */
export function menuKeyForPath(entries: readonly MenuEntry[], pathname: string): string {
  const matches = entries.filter((item) => item.path !== '/' && (pathname === item.path || pathname.startsWith(`${item.path}/`)));
  const best = matches.sort((a, b) => b.path.length - a.path.length)[0];
  return best?.key ?? 'home';
}

/** The entries this session may open, in menu order. */
export function useVisibleMenu(me: Me): MenuEntry[] {
  return visibleMenuEntries(useContext(MenuContext), me);
}

export function useMenuKeyForPath(pathname: string): string {
  return menuKeyForPath(useContext(MenuContext), pathname);
}
