import { CategorySettingsSchema } from '../../../domain/children/schema.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { logWhenDone, routesOf } from '../../core/route.js';
import { getCategorySettings, setCategorySettings } from './settings.service.js';

export function settingsRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['settings']);
  route.get('/api/settings/categories', 'authenticated', { summary: 'Thresholds of the category rules', response: CategorySettingsSchema }, () => getCategorySettings(deps));
  route.put('/api/settings/categories', 'settings.manage', { summary: 'Change the thresholds; open files are re-derived', body: CategorySettingsSchema, response: CategorySettingsSchema }, ({ ctx, body, req }) =>
    setCategorySettings(deps, ctx, body, logWhenDone(req, 'categories re-derived after a settings change', 're-derivation failed')),
  );
}
