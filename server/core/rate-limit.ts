/**
 * Request throttling (issue 11 §3, §5) with @fastify/rate-limit. Counters live
 * in the memory of each server process (fixed one-minute windows); no route is
 * limited unless it opts in.
 */
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import type { Api } from './http.js';

const MINUTE = 60_000;

const tooMany = (ttlMs: number) => new AppError('TOO_MANY_REQUESTS', { params: { seconds: Math.max(1, Math.ceil(ttlMs / 1000)) } });

export async function registerRateLimit(app: Api): Promise<void> {
  await app.register(fastifyRateLimit, {
    global: false,
    // The plugin has set Retry-After; the one error handler answers in the user's language.
    errorResponseBuilder: (_req, context) => tooMany(context.ttl),
  });
}

/** A client address as the limits and the sign-in lockout count it: IPv4 as it is, IPv6 by its /64 (one subscriber's block). */
export const clientAddress = (ip: string): string => normalizeIP(ip);

/** The `config.rateLimit` of a route limited to `max` requests a minute per signed-in user. */
export const perUserPerMinute = (max: number) => ({
  max,
  timeWindow: MINUTE,
  // Route hooks run after the session hook, so the actor is known here.
  keyGenerator: (req: FastifyRequest) => (req.actor ? `user:${req.actor.id}` : `address:${clientAddress(req.ip)}`),
});

/**
 * An onRequest hook allowing `perAddress` requests a minute from one client address and
 * `overall` from all of them together. A request refused per address does not use up the
 * shared allowance.
 */
export function perAddressAndOverall(app: Api, perAddress: number, overall: number) {
  const limits = [
    app.createRateLimit({ max: perAddress, timeWindow: MINUTE, keyGenerator: (req) => clientAddress(req.ip) }),
    app.createRateLimit({ max: overall, timeWindow: MINUTE, keyGenerator: () => 'everyone' }),
  ];
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    for (const limit of limits) {
      const result = await limit(req);
      if (!result.isAllowed && result.isExceeded) {
        const error = tooMany(result.ttl);
        reply.header('retry-after', String(error.details.params?.seconds));
        throw error;
      }
    }
  };
}
