import { OfflineKey, OfflineSettings, WorkingSet, WorkingSetQuery } from '../../../domain/offline/schema.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { getOfflineKey, getOfflineSettings, getWorkingSet, setOfflineSettings } from './offline.service.js';

export function offlineRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['offline']);
  route.get(
    '/api/offline/working-set',
    'visit.record',
    { summary: 'What the phone keeps for a day without signal: per village the open files as the child page shows them (with version), their last 3 visits, open mandatory reports and open referrals; a director his village, others ?villages=code,code (at most 10 of their scope). One audit row per download', query: WorkingSetQuery, response: WorkingSet },
    ({ ctx, query }) => getWorkingSet(deps, ctx, query.villages),
  );
  // POST: made at the session's first request, never cached.
  route.post('/api/offline/key', 'visit.record', { summary: 'The key (AES-GCM, 256 bits, base64) that encrypts the phone’s copy: one per session, gone when the session ends; and how many days the phone keeps its copy without a sign-in', response: OfflineKey }, ({ ctx, req, reply }) => {
    if (!req.sessionId) throw new AppError('UNAUTHENTICATED');
    void reply.header('cache-control', 'no-store');
    return getOfflineKey(deps, ctx, req.sessionId);
  });
  route.get('/api/settings/offline', 'authenticated', { tags: ['settings'], summary: 'How many days a phone keeps its offline copy without its user signing in', response: OfflineSettings }, () => getOfflineSettings(deps));
  route.put('/api/settings/offline', 'settings.manage', { tags: ['settings'], summary: 'Change how many days a phone keeps its offline copy without a sign-in', body: OfflineSettings, response: OfflineSettings }, ({ ctx, body }) => setOfflineSettings(deps, ctx, body));
}
