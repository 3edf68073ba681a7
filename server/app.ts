import '@fastify/cookie';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { newId } from './core/ids.js';
import type { Deps } from './core/deps.js';
import { registerErrorHandler, registerTextCheck, type Api } from './core/http.js';
import { registerMetrics } from './core/metrics.js';
import { registerRateLimit } from './core/rate-limit.js';
import { registerSecurityHeaders } from './core/security-headers.js';
import { registerCompression, registerWebApp } from './core/web-delivery.js';
import { auditRoutes } from './features/audit/audit.routes.js';
import { campaignsRoutes } from './features/campaigns/campaigns.routes.js';
import { childrenRoutes } from './features/children/children.routes.js';
import { settingsRoutes } from './features/settings/settings.routes.js';
import { childrenImportRoutes } from './features/children-import/children-import.routes.js';
import { filesRoutes } from './features/files/files.routes.js';
import { registerAuthHooks } from './features/auth/auth.hooks.js';
import { authRoutes } from './features/auth/auth.routes.js';
import { coverageRoutes } from './features/coverage/coverage.routes.js';
import { homeRoutes } from './features/home/home.routes.js';
import { opsRoutes } from './features/ops/ops.routes.js';
import { organisationsRoutes } from './features/organisations/organisations.routes.js';
import { regionsRoutes } from './features/regions/regions.routes.js';
import { reportsRoutes } from './features/reports/reports.routes.js';
import { referralsRoutes } from './features/referrals/referrals.routes.js';
import { lettersRoutes } from './features/letters/letters.routes.js';
import { ordersRoutes } from './features/orders/orders.routes.js';
import { usersRoutes } from './features/users/users.routes.js';
import { transferRequestsRoutes } from './features/transfer-requests/transfer-requests.routes.js';
import { visitsRoutes } from './features/visits/visits.routes.js';
import { offlineRoutes } from './features/offline/offline.routes.js';
import { worklistsRoutes } from './features/worklists/worklists.routes.js';

export interface AppOptions {
  /** Directory of the built web app; served with a fallback to index.html when present. */
  webRoot?: string | null;
  logger?: boolean | object;
  /** Called for every registered route (the access matrix test walks them all). */
  onRoute?: (route: { method: string; url: string; access: string | undefined }) => void;
}

export const WEB_ROOT = path.resolve(import.meta.dirname, '../web/dist');

export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<Api> {
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => newId(),
    // Behind our own reverse proxy (TRUST_PROXY), the client is the address it appended to X-Forwarded-For;
    // addresses a client put there itself are ignored.
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>() as unknown as Api;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerTextCheck(app);

  await registerSecurityHeaders(app, deps.config);
  await registerCompression(app);
  await app.register(fastifyCookie);
  await registerRateLimit(app);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Shouhu 守护 API', version: '0.1.0', description: 'Case management for rural left-behind children and children in distress.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'shouhu_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerMetrics(app, deps.config.metricsToken);
  registerAuthHooks(app, deps);
  if (options.onRoute) {
    const report = options.onRoute;
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') report({ method, url: route.url, access: route.config?.access });
      }
    });
  }

  // The API documentation: for signed-in staff (access 'api.docs', given to every /api/docs route by the
  // session hook), and not served at all in production unless API_DOCS=1.
  if (deps.config.apiDocs) {
    await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
    app.get(
      '/api/openapi.json',
      { config: { access: 'api.docs' }, schema: { hide: true, response: { 200: z.unknown() } } },
      () => (app as unknown as { swagger(): unknown }).swagger(),
    );
  }
  opsRoutes(app, deps);
  authRoutes(app, deps);
  homeRoutes(app, deps);
  regionsRoutes(app, deps);
  coverageRoutes(app, deps);
  usersRoutes(app, deps);
  organisationsRoutes(app, deps);
  auditRoutes(app, deps);
  childrenImportRoutes(app, deps);
  childrenRoutes(app, deps);
  transferRequestsRoutes(app, deps);
  filesRoutes(app, deps);
  settingsRoutes(app, deps);
  campaignsRoutes(app, deps);
  visitsRoutes(app, deps);
  worklistsRoutes(app, deps);
  reportsRoutes(app, deps);
  referralsRoutes(app, deps);
  lettersRoutes(app, deps);
  ordersRoutes(app, deps);
  offlineRoutes(app, deps);

  await registerWebApp(app, options.webRoot === undefined ? WEB_ROOT : options.webRoot);
  return app;
}
