import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AppError } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();
const isLoopback = (address: string | undefined) => !!address && (/^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address));

/**
 * Who may read /metrics: with METRICS_TOKEN, a caller sending `Authorization: Bearer <token>`
 * (401 otherwise); without one, only the host itself — the connection and, behind a proxy
 * (TRUST_PROXY), the forwarded client both loopback — and for anyone else it does not exist.
 */
function assertMayReadMetrics(req: FastifyRequest, token: string | undefined): void {
  if (token) {
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(given), digest(token))) throw new AppError('UNAUTHENTICATED');
    return;
  }
  if (!isLoopback(req.socket.remoteAddress) || !isLoopback(req.ip)) throw new AppError('NOT_FOUND');
}

/** Prometheus text at /metrics: request counts and latencies per route, plus process metrics. */
export function registerMetrics(app: FastifyInstance, token: string | undefined): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'shouhu_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, never the URL: ids must not become label values.
    const route = req.routeOptions.url ?? 'unmatched';
    duration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (req, reply) => {
    assertMayReadMetrics(req, token);
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
