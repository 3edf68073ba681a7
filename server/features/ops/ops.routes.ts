import { Health } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { pingDatabase } from './ops.repository.js';

export function opsRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['operations']);
  route.get('/api/health', 'public', { summary: 'Liveness and database reachability', response: Health, alsoStatus: [503] }, async ({ reply }) => {
    const time = deps.clock.now().toISOString();
    try {
      await pingDatabase(deps.db);
      return { status: 'ok' as const, database: deps.dialect, time };
    } catch {
      return reply.status(503).send({ status: 'error' as const, database: deps.dialect, time });
    }
  });
}
