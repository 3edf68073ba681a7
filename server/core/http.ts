/**
 * HTTP plumbing shared by every feature: the access declaration each route
 * must carry, the request context, and the one error handler.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Action } from '../../domain/access.js';
import { FIELD_LABELS, VALIDATION_REASONS, errorMessage, type ErrorCode } from '../../domain/errors.js';
import { localeFromAcceptLanguage, type Locale } from '../../domain/locale.js';
import type { Actor, RequestContext } from './actor.js';
import { AppError } from './errors.js';
import { DatabaseBusyError } from '../db/sqlite-driver.js';
import { findUnstorableText } from './text.js';

/**
 * What a route requires: 'public' (no sign-in), 'authenticated' (any signed-in
 * user, e.g. their own profile), or an action of the role matrix.
 * Every /api route must declare one; the server refuses to start otherwise.
 */
export type RouteAccess = 'public' | 'authenticated' | 'session' | Action;
// 'session': signed in, allowed even before a required first password change (me, password, language, sign-out).

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** false: no CSRF token needed (only sign-out, whose forgery merely signs a user out). */
    csrf?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    csrfToken: string | null;
  }
}

export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.actor) throw new AppError('UNAUTHENTICATED');
  return { actor: request.actor, ip: request.ip, requestId: String(request.id) };
}

export function requestLocale(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  if (header) return localeFromAcceptLanguage(header);
  return request.actor?.locale ?? 'zh-CN';
}

function fieldLabel(locale: Locale, field: string): string {
  const last = field.split('.').pop() ?? field;
  return FIELD_LABELS[locale][field] ?? FIELD_LABELS[locale][last] ?? field;
}

function errorBody(locale: Locale, code: ErrorCode, field: string | undefined, params: Record<string, string | number>, data?: Record<string, unknown>) {
  const reason = params.reason ? (VALIDATION_REASONS[locale][String(params.reason)] ?? String(params.reason)) : undefined;
  const message = errorMessage(locale, code, {
    ...params,
    ...(field ? { field: fieldLabel(locale, field) } : {}),
    ...(reason ? { reason } : {}),
  });
  return { error: { code, message, ...(field ? { field } : {}), ...(data ? { data } : {}) } };
}

interface ZodIssueLike {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

function reasonOfIssue(issue: ZodIssueLike): string {
  if (issue.keyword === 'invalid_type' && issue.params.input === undefined) return 'required';
  if (issue.message === 'region_code' || issue.message === 'iso_month_or_date') return issue.message;
  // A refinement of a shared schema names its reason (e.g. person_name) as its message.
  if (issue.keyword === 'custom' && VALIDATION_REASONS['zh-CN'][issue.message] !== undefined) return issue.message;
  return issue.keyword;
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | DatabaseBusyError, request: FastifyRequest, reply: FastifyReply) => {
    const locale = requestLocale(request);
    if (error instanceof AppError) {
      const params = { ...(error.details.params ?? {}), ...(error.details.reason ? { reason: error.details.reason } : {}) };
      return reply.status(error.status).send(errorBody(locale, error.code, error.details.field, params, error.details.data));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0] as unknown as ZodIssueLike;
      const field = issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || undefined;
      return reply.status(400).send(errorBody(locale, 'VALIDATION', field, { reason: reasonOfIssue(issue) }));
    }
    // The write lock stayed taken (a large import writing) longer than a statement waits: try again shortly.
    if (error instanceof DatabaseBusyError) return reply.status(503).send(errorBody(locale, 'BUSY', undefined, {}));
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 429) return reply.status(429).send(errorBody(locale, 'TOO_MANY_REQUESTS', undefined, {}));
    if (status >= 400 && status < 500) {
      // Malformed JSON, wrong content type, body too large: the client's mistake, never a 500.
      return reply.status(status).send(errorBody(locale, 'VALIDATION', undefined, { reason: 'body' }));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody(locale, 'INTERNAL', undefined, {}));
  });
}

/**
 * One check every route passes before its schema: the params, query and JSON
 * body hold only text the database stores as sent (no lone UTF-16 surrogate,
 * no NUL). Otherwise the stored value, and the audit row that hashed it, would
 * differ from what the code saw — or PostgreSQL would refuse the write.
 */
export function registerTextCheck(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    for (const [part, value] of [['params', request.params], ['query', request.query], ['body', request.body]] as const) {
      const path = findUnstorableText(value);
      if (path !== null) return done(new AppError('VALIDATION', { field: path || part, reason: 'unstorable_text' }));
    }
    done();
  });
}

/** The Fastify instance as features see it: zod schemas type the handlers. */
export type Api = import('fastify').FastifyInstance<
  import('fastify').RawServerDefault,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  import('fastify-type-provider-zod').ZodTypeProvider
>;
