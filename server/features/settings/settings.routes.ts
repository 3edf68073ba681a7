import { CategorySettingsSchema } from '../../../domain/children/schema.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { getCategorySettings, setCategorySettings } from './settings.service.js';

export function settingsRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/settings/categories',
    { config: { access: 'authenticated' }, schema: { tags: ['settings'], summary: 'Thresholds of the category rules', response: { 200: CategorySettingsSchema } } },
    () => getCategorySettings(deps),
  );
  app.put(
    '/api/settings/categories',
    {
      config: { access: 'settings.manage' },
      schema: { tags: ['settings'], summary: 'Change the thresholds; open files are re-derived', body: CategorySettingsSchema, response: { 200: CategorySettingsSchema } },
    },
    (req) =>
      setCategorySettings(deps, contextOf(req), req.body, (done) =>
        void done.then((r) => req.log.info({ result: r }, 'categories re-derived after a settings change')).catch((err: unknown) => req.log.error({ err }, 're-derivation failed')),
      ),
  );
}
