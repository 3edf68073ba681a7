import { Health } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { pingDatabase } from './ops.repository.js';

export function opsRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/health',
    { config: { access: 'public' }, schema: { tags: ['operations'], summary: 'Liveness and database reachability', response: { 200: Health, 503: Health } } },
    async (_req, reply) => {
      const time = deps.clock.now().toISOString();
      try {
        await pingDatabase(deps.db);
        return { status: 'ok' as const, database: deps.dialect, time };
      } catch {
        return reply.status(503).send({ status: 'error' as const, database: deps.dialect, time });
      }
    },
  );
}
