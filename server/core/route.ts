/**
 * How a feature declares its routes: method, path, the action it needs, its
 * zod schemas and the handler — nothing else. The helper writes what every
 * route repeated before (the access config, the OpenAPI tags, the request
 * context, the success status, the multipart scope of an upload), so a route
 * file reads as the list of what differs between its routes.
 */
import fastifyMultipart, { type FastifyMultipartBaseOptions } from '@fastify/multipart';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, RouteShorthandOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { RequestContext } from './actor.js';
import { AppError, invalid } from './errors.js';
import { contextOf, type Api, type RouteAccess } from './http.js';

type Schema = z.ZodType;
type Awaitable<T> = T | Promise<T>;
/** What a schema gives the handler; nothing when the route has no such part. */
type Parsed<S> = S extends Schema ? z.output<S> : undefined;

export interface RouteSchemas<P, Q, B, R extends Schema> {
  /** One line in the API docs. */
  summary: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The answer's schema, sent with `status`. */
  response: R;
  /** The success status: 200 unless said (201 created, 202 accepted). */
  status?: number;
  /** Other statuses the handler may answer with the same schema (a resent visit's 200 beside the new one's 201). */
  alsoStatus?: number[];
  /** Instead of the file's tags (a route of one feature shown under another's heading). */
  tags?: string[];
  /** More route config: a rate limit, csrf: false. */
  config?: Omit<FastifyContextConfig, 'access'>;
  onRequest?: RouteShorthandOptions['onRequest'];
}

export interface RouteInput<P, Q, B> {
  /** The actor and request of a signed-in route (read on use: a public route has none). */
  readonly ctx: RequestContext;
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  /** For what only the request has: its log, address, cookies, multipart parts. */
  req: FastifyRequest;
  /** For answers the schema does not describe: files, headers, cookies, a status chosen at run time. */
  reply: FastifyReply;
}

export type RouteHandler<P, Q, B, R extends Schema> = (input: RouteInput<P, Q, B>) => Awaitable<z.input<R> | FastifyReply>;

type Declare = <R extends Schema, P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined>(
  url: string,
  access: RouteAccess,
  schemas: RouteSchemas<P, Q, B, R>,
  handle: RouteHandler<P, Q, B, R>,
) => void;

type DeclareUpload = <R extends Schema, P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined>(
  url: string,
  access: RouteAccess,
  limits: NonNullable<FastifyMultipartBaseOptions['limits']>,
  schemas: RouteSchemas<P, Q, undefined, R>,
  handle: RouteHandler<P, Q, undefined, R>,
) => void;

export interface Routes {
  get: Declare;
  post: Declare;
  put: Declare;
  patch: Declare;
  delete: Declare;
  /** A multipart POST: the multipart parser only in this route's scope (the rest of the API takes JSON), with its limits. */
  upload: DeclareUpload;
}

function addRoute(app: FastifyInstance, method: HTTPMethods, url: string, access: RouteAccess, tags: string[], schemas: RouteSchemas<unknown, unknown, unknown, Schema>, handle: RouteHandler<unknown, unknown, unknown, Schema>): void {
  const status = schemas.status ?? 200;
  const response: Record<number, Schema> = { [status]: schemas.response };
  for (const also of schemas.alsoStatus ?? []) response[also] = schemas.response;
  app.withTypeProvider<ZodTypeProvider>().route({
    method,
    url,
    config: { ...schemas.config, access },
    ...(schemas.onRequest ? { onRequest: schemas.onRequest } : {}),
    schema: {
      tags: schemas.tags ?? tags,
      summary: schemas.summary,
      ...(schemas.params ? { params: schemas.params as Schema } : {}),
      ...(schemas.query ? { querystring: schemas.query as Schema } : {}),
      ...(schemas.body ? { body: schemas.body as Schema } : {}),
      response,
    },
    handler: async (req, reply) => {
      const input: RouteInput<unknown, unknown, unknown> = {
        get ctx() {
          return contextOf(req);
        },
        params: req.params as never,
        query: req.query as never,
        body: req.body as never,
        req,
        reply,
      };
      const result = await handle(input);
      if (result === reply) return reply;
      if (status !== 200) reply.status(status);
      return result;
    },
  });
}

/** The route declarer of one feature's file; `tags` head its routes in the API docs. */
export function routesOf(app: Api, tags: string[]): Routes {
  const declare =
    (method: HTTPMethods): Declare =>
    (url, access, schemas, handle) =>
      addRoute(app, method, url, access, tags, schemas, handle);
  return {
    get: declare('GET'),
    post: declare('POST'),
    put: declare('PUT'),
    patch: declare('PATCH'),
    delete: declare('DELETE'),
    upload: (url, access, limits, schemas, handle) => {
      void app.register(async (scope: FastifyInstance) => {
        await scope.register(fastifyMultipart, { limits });
        addRoute(scope, 'POST', url, access, tags, schemas, handle);
      });
    },
  };
}

/** The one file of a multipart upload (field "file"), with multipart's own errors turned into field errors. */
export async function readUpload(req: FastifyRequest, field = 'file', tooLarge = 'image_too_large'): Promise<{ fileName: string; buffer: Buffer }> {
  try {
    const part = await req.file();
    if (!part) throw invalid(field, 'file_required');
    return { fileName: part.filename, buffer: await part.toBuffer() };
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw invalid(field, tooLarge);
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw invalid(field, 'file_required');
    throw err;
  }
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook as a download: its name in both forms browsers read, the row count when known, any further headers. */
export function sendXlsx(reply: FastifyReply, file: { fileName: string; body: unknown; count?: number }, headers: Record<string, string> = {}): FastifyReply {
  const name = encodeURIComponent(file.fileName);
  reply.header('content-type', XLSX).header('content-disposition', `attachment; filename="${name}"; filename*=UTF-8''${name}`);
  if (file.count !== undefined) reply.header('x-total-count', String(file.count));
  for (const [key, value] of Object.entries(headers)) reply.header(key, value);
  return reply.send(file.body);
}

/** For work a route starts and does not wait for (open files re-derived after a settings change): its result, or its failure, goes to the request's log. */
export function logWhenDone(req: FastifyRequest, done: string, failed: string): (work: Promise<unknown>) => void {
  return (work) => void work.then((result) => req.log.info({ result }, done)).catch((err: unknown) => req.log.error({ err }, failed));
}
