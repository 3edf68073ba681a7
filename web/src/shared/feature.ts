/**
 * What a feature declares to the app: its pages (routes) and its menu entries. web/src/features.ts
 * lists the features; routes.tsx and navigation.ts assemble the router and the menu from them, so a
 * new feature is one folder and one line there.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Action } from '../../../domain/access.js';
import type { Me } from '../../../domain/api.js';
import type { Role } from '../../../domain/roles.js';
import type { MessageKey } from './i18n/index.js';

export interface FeatureRoute {
  /** Relative to the signed-in layout (`reports/:id`); '' is the home page (the index route). */
  path: string;
  /** The action the page needs; null for every signed-in user. The server still decides. */
  permission: Action | null;
  page: ComponentType;
}

export interface MenuEntry {
  key: string;
  path: string;
  /** Menu words live in the shared dictionary: the menu is drawn before any feature's code is loaded. */
  label: MessageKey;
  /** One line for the shortcut list on the home page. */
  description: MessageKey | null;
  /** The action the page needs; the server still decides, this only hides what would fail. */
  permission: Action | null;
  /** Roles that hold the permission for other pages' sake but for whom the page is no work of theirs (no menu entry that leads nowhere). */
  hiddenFor?: readonly Role[];
  icon: ComponentType;
}

export interface Feature {
  name: string;
  /** Pages shown inside the signed-in layout, each behind its permission. */
  routes?: readonly FeatureRoute[];
  /** Pages shown without a session (sign-in). */
  publicRoutes?: readonly Omit<FeatureRoute, 'permission'>[];
  /** Menu entries, in the order the menu shows them (features are listed in menu order). */
  menu?: readonly MenuEntry[];
}

/**
 * A page loaded on demand, so that a director's phone downloads only what he opens: `load` must be
 * written in the feature's index.ts as `() => import('./x-page.js')` for the bundler to split there.
 */
export function lazyPage<M extends Record<K, ComponentType>, K extends keyof M & string>(load: () => Promise<M>, name: K): LazyExoticComponent<ComponentType> {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}

export function hasPermission(me: Me, action: Action): boolean {
  return me.permissions.includes(action);
}
